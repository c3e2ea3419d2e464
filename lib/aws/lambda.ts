import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { LAMBDA_RUNTIME, bundleFunction } from "../bundle";
import { serviceTrustPolicy } from "./iam";

/**
 * Lambda building blocks: {@link lambdaFunction} is the one way the program
 * builds a function (log group, role, policy, tracing, alarm, VPC placement, zip
 * or image code); {@link ObservedFunction} is its component form, used by the SNS
 * fan-out and Batch monitor concerns (type token `awsarch:<concern>:Function`).
 * {@link retainedLogGroup} and {@link lambdaErrorAlarm} are its parts, also used
 * for non-Lambda log groups and alarms.
 */

/** Inputs of {@link retainedLogGroup}. */
export interface RetainedLogGroupArgs {
    /** Log group name (e.g. `/aws/lambda/<function>`). */
    logGroupName: pulumi.Input<string>;
    /** Retention in days. */
    retentionInDays: pulumi.Input<number>;
    /** ARN of the KMS key encrypting the group (none: CloudWatch-managed encryption). */
    kmsKeyId?: pulumi.Input<string>;
}

/** A log group with retention (and a KMS key when given), created with the caller's `opts`. */
export function retainedLogGroup(name: string, args: RetainedLogGroupArgs, opts: pulumi.CustomResourceOptions): aws.cloudwatch.LogGroup {
    return new aws.cloudwatch.LogGroup(
        name,
        args.kmsKeyId === undefined
            ? { name: args.logGroupName, retentionInDays: args.retentionInDays }
            : { name: args.logGroupName, retentionInDays: args.retentionInDays, kmsKeyId: args.kmsKeyId },
        opts,
    );
}

/** Inputs of {@link scheduledInvocation}. */
export interface ScheduledInvocationArgs {
    /** The function the schedule invokes. */
    fn: aws.lambda.Function;
    /** EventBridge schedule expression (`rate(...)`, `cron(...)`). */
    scheduleExpression: string;
    /** Rule description. */
    description: pulumi.Input<string>;
    /** Account of the rule: the invoke permission admits EventBridge for this rule of this account only. */
    accountId: string;
    /** Target retry policy (default: EventBridge's, 185 attempts over 24 hours). */
    retryPolicy?: aws.types.input.cloudwatch.EventTargetRetryPolicy;
}

/**
 * An EventBridge schedule invoking `fn`: rule `<name>-schedule`, permission `<name>-invoke`
 * (events.amazonaws.com with the rule's ARN and account: Lambda Developer Guide,
 * "with-eventbridge-scheduler" / resource-based policies), target `<name>-target`, created
 * after the permission so the first invocation is allowed. Created with the caller's `opts`.
 */
export function scheduledInvocation(name: string, a: ScheduledInvocationArgs, opts: pulumi.CustomResourceOptions) {
    const rule = new aws.cloudwatch.EventRule(`${name}-schedule`, { description: a.description, scheduleExpression: a.scheduleExpression, state: "ENABLED" }, opts);
    const permission = new aws.lambda.Permission(
        `${name}-invoke`,
        { action: "lambda:InvokeFunction", function: a.fn.name, principal: "events.amazonaws.com", sourceArn: rule.arn, sourceAccount: a.accountId },
        opts,
    );
    const target = new aws.cloudwatch.EventTarget(
        `${name}-target`,
        { rule: rule.name, arn: a.fn.arn, ...(a.retryPolicy ? { retryPolicy: a.retryPolicy } : {}) },
        { ...opts, dependsOn: [permission] },
    );
    return { rule, permission, target };
}

/** Inputs of {@link lambdaErrorAlarm}. */
export interface LambdaErrorAlarmArgs {
    /** Name of the function watched. */
    functionName: pulumi.Input<string>;
    /** Alarm description. */
    description: pulumi.Input<string>;
    /** Fixed alarm name (default: auto-named). */
    alarmName?: pulumi.Input<string>;
    /** Threshold on the 5-minute sum of `Errors`. */
    threshold: pulumi.Input<number>;
    /** How the sum is compared with the threshold. */
    comparisonOperator: "GreaterThanThreshold" | "GreaterThanOrEqualToThreshold";
    /** Actions when the alarm fires. */
    alarmActions: pulumi.Input<pulumi.Input<string>[]>;
    /** Actions when it returns to OK (none by default). */
    okActions?: pulumi.Input<pulumi.Input<string>[]>;
}

/**
 * An alarm on the Lambda `Errors` metric of one function (5-minute sum, one
 * period, missing data not breaching), created with the caller's `opts`.
 */
export function lambdaErrorAlarm(name: string, a: LambdaErrorAlarmArgs, opts: pulumi.CustomResourceOptions): aws.cloudwatch.MetricAlarm {
    return new aws.cloudwatch.MetricAlarm(
        name,
        {
            ...(a.alarmName === undefined ? {} : { name: a.alarmName }),
            alarmDescription: a.description,
            namespace: "AWS/Lambda",
            metricName: "Errors",
            dimensions: { FunctionName: a.functionName },
            statistic: "Sum",
            period: 300,
            evaluationPeriods: 1,
            threshold: a.threshold,
            comparisonOperator: a.comparisonOperator,
            treatMissingData: "notBreaching",
            alarmActions: a.alarmActions,
            ...(a.okActions === undefined ? {} : { okActions: a.okActions }),
        },
        opts,
    );
}

/** One IAM policy statement (JSON shape). */
export interface Statement {
    Sid?: string;
    Effect: "Allow" | "Deny";
    Action: string | string[];
    Resource: pulumi.Input<string> | pulumi.Input<string>[];
    Condition?: Record<string, Record<string, unknown>>;
}

/** Actions Lambda calls with the execution role to manage a VPC function's network interfaces (Lambda Developer Guide, "configuration-vpc"). */
export const LAMBDA_VPC_ACTIONS = ["ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"];

/** Actions of active tracing; X-Ray has no resource type for them, so `*` is their only resource. */
export const XRAY_ACTIONS = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"];

/** Logical names of the resources of {@link lambdaFunction} (defaults derive from its `name`). */
export interface LambdaResourceNames {
    logGroup: string;
    role: string;
    policy: string;
    function: string;
    errorAlarm: string;
}

/** The code of a function: a TypeScript handler (bundled with esbuild), a zip archive, or a container image. */
export type LambdaCode =
    | { entry: string }
    | { archive: pulumi.asset.Archive; handler: string; runtime: string }
    | { imageUri: pulumi.Input<string>; architecture: "arm64" | "x86_64" };

/** Inputs of {@link lambdaFunction} and {@link ObservedFunction}. */
export interface LambdaFunctionArgs {
    /** Account ID: the trust policy admits Lambda only on its behalf (`aws:SourceAccount`). */
    accountId: string;
    /** Region of the function (ARNs). */
    region: string;
    /** What the function does (its description; the role's and the alarm's derive from it). */
    description: string;
    /** Fixed function name (default: auto-named). */
    functionName?: pulumi.Input<string>;
    /** The code (see {@link LambdaCode}). */
    code: LambdaCode;
    /** Name of the log group to create (e.g. `/aws/lambda/<function>` or `/awsarch/<stack>/<concern>/<fn>`). */
    logGroupName: string;
    /** Retention of the log group in days. */
    logRetentionDays: number;
    /** ARN of the key encrypting the log group (its policy must admit `logs.<region>.amazonaws.com`, see `logsKeyStatement`). None: CloudWatch-managed encryption. */
    logKmsKeyArn?: pulumi.Input<string>;
    /** Protect the log group (prod). */
    protect: boolean;
    /** Memory in MB (default 256). */
    memoryMb?: number;
    /** Timeout in seconds (default 30). */
    timeoutSeconds?: number;
    /** Environment variables. */
    environment?: pulumi.Input<Record<string, pulumi.Input<string>>>;
    /** Statements the function needs besides its logs, tracing and (in a VPC) its network interfaces. */
    statements: pulumi.Input<unknown>[];
    /** Place the function in these subnets with these security groups (adds the ENI statement). */
    vpc?: { subnetIds: pulumi.Input<pulumi.Input<string>[]>; securityGroupIds: pulumi.Input<pulumi.Input<string>[]> };
    /** Fixed role name (default: auto-named). */
    roleName?: string;
    /** Name of the inline policy (default: auto-named). */
    policyName?: string;
    /** Actions of the error alarm, also sent when it returns to OK (none by default). */
    alarmActions?: pulumi.Input<string>[];
    /** Fixed name of the error alarm (default: auto-named). */
    alarmName?: string;
    /** Errors in 5 minutes that fire the alarm (default 1: any error). */
    alarmThreshold?: number;
    /** Logical names of the resources, for functions whose URNs predate this builder. */
    names?: Partial<LambdaResourceNames>;
    /** Resource option overrides for the function (e.g. `ignoreChanges`, extra `dependsOn`). */
    functionOpts?: pulumi.CustomResourceOptions;
}

/** What {@link lambdaFunction} creates. */
export interface LambdaFunction {
    fn: aws.lambda.Function;
    role: aws.iam.Role;
    rolePolicy: aws.iam.RolePolicy;
    logGroup: aws.cloudwatch.LogGroup;
    errorAlarm: aws.cloudwatch.MetricAlarm;
}

/** `dependsOn` of resource options as a list (it may be one resource or a list). */
function dependsOnList(d: pulumi.CustomResourceOptions["dependsOn"]): pulumi.Input<pulumi.Resource>[] {
    return d === undefined ? [] : Array.isArray(d) ? d : [d as pulumi.Input<pulumi.Resource>];
}

/**
 * The one way this program builds a Lambda function, with what the SPEC asks of every function:
 * its own log group with retention (and a KMS key), created first and wired with `loggingConfig`
 * (JSON logs, so the name is stable and the level is filterable); an execution role whose trust
 * admits Lambda only for this account; one inline policy (its log streams, X-Ray, the ENIs when in
 * a VPC, then the caller's statements); tracing `Active`; arm64 for zip code; and an alarm on its
 * `Errors`. Resources get `opts` (parent, provider inheritance); {@link ObservedFunction} is the
 * component form. Changing how every Lambda logs, traces or alarms is a change to this function.
 */
export function lambdaFunction(name: string, a: LambdaFunctionArgs, opts: pulumi.CustomResourceOptions): LambdaFunction {
    const names: LambdaResourceNames = {
        logGroup: `${name}-logs`,
        role: `${name}-role`,
        policy: `${name}-policy`,
        function: `${name}-fn`,
        errorAlarm: `${name}-errors`,
        ...a.names,
    };
    const logGroup = retainedLogGroup(names.logGroup, { logGroupName: a.logGroupName, retentionInDays: a.logRetentionDays, kmsKeyId: a.logKmsKeyArn }, { ...opts, protect: a.protect });
    const role = new aws.iam.Role(
        names.role,
        { name: a.roleName, description: `Execution role of ${a.description}`, assumeRolePolicy: serviceTrustPolicy("lambda.amazonaws.com", a.accountId) },
        opts,
    );
    const logGroupArn = `arn:aws:logs:${a.region}:${a.accountId}:log-group:${a.logGroupName}`;
    const rolePolicy = new aws.iam.RolePolicy(
        names.policy,
        {
            role: role.id,
            name: a.policyName,
            policy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [
                    { Sid: "WriteOwnLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${logGroupArn}:*` },
                    { Sid: "XRayTracing", Effect: "Allow", Action: XRAY_ACTIONS, Resource: "*" },
                    // Lambda documents these on "*" (DescribeNetworkInterfaces works only there).
                    ...(a.vpc ? [{ Sid: "VpcNetworkInterfaces", Effect: "Allow", Action: LAMBDA_VPC_ACTIONS, Resource: "*" }] : []),
                    ...a.statements,
                ],
            }),
        },
        opts,
    );
    const common = {
        name: a.functionName,
        description: a.description,
        role: role.arn,
        memorySize: a.memoryMb ?? 256,
        timeout: a.timeoutSeconds ?? 30,
        tracingConfig: { mode: "Active" },
        loggingConfig: { logFormat: "JSON", logGroup: logGroup.name },
        environment: a.environment ? { variables: a.environment } : undefined,
        vpcConfig: a.vpc,
    };
    const code: aws.lambda.FunctionArgs =
        "imageUri" in a.code
            ? { ...common, packageType: "Image", imageUri: a.code.imageUri, architectures: [a.code.architecture] }
            : "entry" in a.code
              ? { ...common, packageType: "Zip", code: bundleFunction(a.code.entry), handler: "index.handler", runtime: LAMBDA_RUNTIME, architectures: ["arm64"] }
              : { ...common, packageType: "Zip", code: a.code.archive, handler: a.code.handler, runtime: a.code.runtime, architectures: ["arm64"] };
    const fn = new aws.lambda.Function(names.function, code, { ...opts, ...a.functionOpts, dependsOn: [logGroup, rolePolicy, ...dependsOnList(a.functionOpts?.dependsOn)] });
    const actions = a.alarmActions ?? [];
    const errorAlarm = lambdaErrorAlarm(
        names.errorAlarm,
        {
            ...(a.alarmName === undefined ? {} : { alarmName: a.alarmName }),
            functionName: fn.name,
            description: `${a.description}: invocation errors`,
            threshold: a.alarmThreshold ?? 1,
            comparisonOperator: "GreaterThanOrEqualToThreshold",
            alarmActions: actions,
            okActions: actions,
        },
        opts,
    );
    return { fn, role, rolePolicy, logGroup, errorAlarm };
}

/** Inputs of {@link ObservedFunction}: {@link LambdaFunctionArgs} and the owning concern. */
export interface ObservedFunctionArgs extends Omit<LambdaFunctionArgs, "names" | "code"> {
    /** Concern (camelCase) that owns the function: the component type is `awsarch:<concern>:Function`. */
    concern: string;
    /** TypeScript entry file of the handler (bundled with esbuild). */
    entry: string;
}

/** {@link lambdaFunction} as a component (`awsarch:<concern>:Function`): the function and its log group, role, policy and alarm. */
export class ObservedFunction extends pulumi.ComponentResource {
    /** The function. */
    public readonly function: aws.lambda.Function;
    /** The execution role. */
    public readonly role: aws.iam.Role;
    /** The function's log group. */
    public readonly logGroup: aws.cloudwatch.LogGroup;
    /** Alarm on the function's errors. */
    public readonly errorAlarm: aws.cloudwatch.MetricAlarm;

    constructor(name: string, args: ObservedFunctionArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super(`awsarch:${args.concern}:Function`, name, {}, opts);
        const { concern: _concern, entry, ...rest } = args;
        // Children inherit the component's provider (`new ObservedFunction(name, args, { parent })`).
        const f = lambdaFunction(name, { policyName: "least-privilege", ...rest, code: { entry } }, { parent: this });
        this.function = f.fn;
        this.role = f.role;
        this.logGroup = f.logGroup;
        this.errorAlarm = f.errorAlarm;
        this.registerOutputs({ functionArn: this.function.arn, logGroup: this.logGroup.name });
    }
}
