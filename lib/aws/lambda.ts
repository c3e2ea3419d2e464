import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { LAMBDA_RUNTIME, bundleFunction } from "../bundle";
import { serviceTrustPolicy } from "./iam";

/**
 * Lambda building blocks: what the SPEC asks of every function (a log group with
 * retention, tracing `Active`, an alarm on errors). {@link ObservedFunction} is
 * the component used by the SNS fan-out and Batch monitor concerns (its type
 * token `awsarch:<concern>:Function` is unchanged); {@link retainedLogGroup} and
 * {@link lambdaErrorAlarm} are plain functions for components that create their
 * functions themselves (resources get the caller's options, so URNs are the
 * caller's).
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

/** Inputs of {@link ObservedFunction}. */
export interface ObservedFunctionArgs {
    /** Concern (camelCase) that owns the function: the component type is `awsarch:<concern>:Function`. */
    concern: string;
    /** Account ID (scopes the trust policy with `aws:SourceAccount`). */
    accountId: string;
    /** Region of the function. */
    region: string;
    /** TypeScript entry file of the handler (bundled with esbuild). */
    entry: string;
    /** Name of the log group to create (e.g. `/awsarch/dev/sns-fanout/inference`). */
    logGroupName: string;
    /** Retention of the log group in days. */
    logRetentionDays: number;
    /** What the function does (function description). */
    description: string;
    /** Environment variables. */
    environment?: pulumi.Input<Record<string, pulumi.Input<string>>>;
    /** Memory in MB. */
    memoryMb?: number;
    /** Timeout in seconds. */
    timeoutSeconds?: number;
    /** Statements the function needs besides logging and tracing. */
    statements: pulumi.Input<Statement>[];
    /** Actions of the error alarm (e.g. an SNS topic ARN); none by default. */
    alarmActions?: pulumi.Input<string>[];
    /** Fixed role name (default: auto-named). */
    roleName?: string;
    /**
     * ARN of the customer managed key encrypting the log group (its policy must
     * admit `logs.<region>.amazonaws.com`, see `logsKeyStatement`). None:
     * CloudWatch-managed encryption.
     */
    logKmsKeyArn?: pulumi.Input<string>;
    /** Protect the log group (prod). */
    protect: boolean;
}

/**
 * A Lambda function with what every function of this program must have: its
 * own log group with retention (wired with `loggingConfig`, so the name is
 * stable), X-Ray tracing `Active`, an execution role whose trust is scoped to
 * the account, least-privilege inline policy, and an alarm on `Errors > 0`.
 */
export class ObservedFunction extends pulumi.ComponentResource {
    /** The function. */
    public readonly function: aws.lambda.Function;
    /** The execution role. */
    public readonly role: aws.iam.Role;
    /** The function's log group. */
    public readonly logGroup: aws.cloudwatch.LogGroup;
    /** Alarm on Errors > 0. */
    public readonly errorAlarm: aws.cloudwatch.MetricAlarm;

    constructor(name: string, args: ObservedFunctionArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super(`awsarch:${args.concern}:Function`, name, {}, opts);
        // Children inherit the component's provider (`new ObservedFunction(name, args, { parent })`).
        const o = { parent: this };

        this.logGroup = retainedLogGroup(
            `${name}-logs`,
            { logGroupName: args.logGroupName, retentionInDays: args.logRetentionDays, kmsKeyId: args.logKmsKeyArn },
            { ...o, protect: args.protect },
        );
        this.role = new aws.iam.Role(
            `${name}-role`,
            {
                name: args.roleName,
                description: `Execution role of ${args.description}`,
                assumeRolePolicy: serviceTrustPolicy("lambda.amazonaws.com", args.accountId),
            },
            o,
        );
        const policy = new aws.iam.RolePolicy(
            `${name}-policy`,
            {
                role: this.role.id,
                name: "least-privilege",
                policy: pulumi.jsonStringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Sid: "WriteOwnLogs",
                            Effect: "Allow",
                            Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                            Resource: pulumi.interpolate`${this.logGroup.arn}:*`,
                        },
                        {
                            // X-Ray's PutTraceSegments/PutTelemetryRecords have no resource-level permissions.
                            Sid: "XRayTracing",
                            Effect: "Allow",
                            Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
                            Resource: "*",
                        },
                        ...args.statements,
                    ],
                }),
            },
            o,
        );
        this.function = new aws.lambda.Function(
            `${name}-fn`,
            {
                description: args.description,
                runtime: LAMBDA_RUNTIME,
                handler: "index.handler",
                code: bundleFunction(args.entry),
                role: this.role.arn,
                memorySize: args.memoryMb ?? 256,
                timeout: args.timeoutSeconds ?? 30,
                architectures: ["arm64"],
                tracingConfig: { mode: "Active" },
                loggingConfig: { logFormat: "Text", logGroup: this.logGroup.name },
                environment: args.environment ? { variables: args.environment } : undefined,
            },
            { ...o, dependsOn: [policy, this.logGroup] },
        );
        this.errorAlarm = lambdaErrorAlarm(
            `${name}-errors`,
            {
                functionName: this.function.name,
                description: `${args.description}: invocation errors`,
                threshold: 0,
                comparisonOperator: "GreaterThanThreshold",
                alarmActions: args.alarmActions ?? [],
            },
            o,
        );
        this.registerOutputs({ functionArn: this.function.arn, logGroup: this.logGroup.name });
    }
}
