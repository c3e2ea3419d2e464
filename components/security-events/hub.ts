import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { hubAnalysisPattern } from "./patterns";
import { keyPolicy, logsKeyStatement, rotatingKey } from "../../lib/aws/kms";
import { retainedLogGroup } from "../../lib/aws/lambda";

/** Inputs of {@link SecurityEventHub}. */
export interface SecurityEventHubArgs {
    /** The hub Region (must be the provider's Region; used to build ARNs and policies). */
    region: string;
    /** The security account's ID. */
    accountId: string;
    /** Name of the custom hub bus (config default `SecurityEventBus`). */
    busName: string;
    /** The security team's own event source prefix: the analysis rule logs every other source (config default `com.security`). */
    ownSourcePrefix: string;
    /** Retention of the analysis log group, in days (config default 365). */
    logRetentionDays: number;
    /** Accounts admitted to `events:PutEvents` on the hub bus. */
    sourceAccountIds: string[];
    /** When set, every account of this Organization is admitted instead (`aws:PrincipalOrgID`). */
    organizationId?: string;
    /** Protect the audit log group and its key (prod). Default false. */
    protect?: boolean;
}

/**
 * The security account's hub: a custom event bus, a rule that logs every event
 * not from the security team's own domain into an encrypted CloudWatch Logs
 * group, and a bus policy admitting `PutEvents` only from the source accounts.
 */
export class SecurityEventHub extends pulumi.ComponentResource {
    /** The hub bus. */
    public readonly bus: aws.cloudwatch.EventBus;
    /** ARN of the hub bus: the target of every source rule. */
    public readonly busArn: pulumi.Output<string>;
    /** The bus policy; source targets are created after it. */
    public readonly busPolicy: aws.cloudwatch.EventBusPolicy;
    /** `/aws/events/SecurityAnalysisRule`. */
    public readonly logGroup: aws.cloudwatch.LogGroup;
    /** The analysis rule on the hub bus. */
    public readonly rule: aws.cloudwatch.EventRule;

    constructor(name: string, args: SecurityEventHubArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super("awsarch:securityEvents:SecurityEventHub", name, {}, opts);
        // Children (and invokes) inherit the provider the component is given.
        const child = { parent: this };
        const stateful = { ...child, protect: args.protect ?? false };
        const busName = args.busName;
        const logGroupName = "/aws/events/SecurityAnalysisRule";
        const logGroupArn = `arn:aws:logs:${args.region}:${args.accountId}:log-group:${logGroupName}`;

        const key = rotatingKey(
            `${name}-logs-key`,
            {
                description: "Encrypts the security analysis log group",
                policy: keyPolicy(args.accountId, [logsKeyStatement("CloudWatchLogsUse", args.region, logGroupArn)]),
            },
            stateful,
        );

        this.bus = new aws.cloudwatch.EventBus(`${name}-bus`, { name: busName }, child);
        this.busArn = this.bus.arn;

        this.logGroup = retainedLogGroup(`${name}-analysis-logs`, { logGroupName, retentionInDays: args.logRetentionDays, kmsKeyId: key.arn }, stateful);

        this.rule = new aws.cloudwatch.EventRule(
            `${name}-analysis-rule`,
            {
                name: "SecurityAnalysisRule",
                description: "Analyze events from cross-Region event buses",
                eventBusName: this.bus.name,
                eventPattern: JSON.stringify(hubAnalysisPattern(args.ownSourcePrefix)),
                state: "ENABLED",
            },
            child,
        );

        // EventBridge writes to CloudWatch Logs through the log group's resource policy, not a role.
        const logsPolicy = new aws.cloudwatch.LogResourcePolicy(
            `${name}-logs-policy`,
            {
                policyName: `${busName}-to-SecurityAnalysisRule`,
                policyDocument: pulumi.jsonStringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Sid: "EventBridgeToSecurityAnalysisLogs",
                            Effect: "Allow",
                            Principal: { Service: ["events.amazonaws.com", "delivery.logs.amazonaws.com"] },
                            Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                            Resource: `${logGroupArn}:*`,
                            Condition: { ArnEquals: { "aws:SourceArn": this.rule.arn } },
                        },
                    ],
                }),
            },
            child,
        );

        new aws.cloudwatch.EventTarget(
            `${name}-analysis-target`,
            {
                rule: this.rule.name,
                eventBusName: this.bus.name,
                targetId: "SendEventToSecurityAnalysisRule",
                arn: this.logGroup.arn,
            },
            { ...child, dependsOn: [logsPolicy] },
        );

        const principalStatement = args.organizationId
            ? { Principal: "*", Condition: { StringEquals: { "aws:PrincipalOrgID": args.organizationId } } }
            : { Principal: { AWS: [...new Set(args.sourceAccountIds)].sort().map((id) => `arn:aws:iam::${id}:root`) } };
        this.busPolicy = new aws.cloudwatch.EventBusPolicy(
            `${name}-bus-policy`,
            {
                eventBusName: this.bus.name,
                policy: pulumi.jsonStringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Sid: "AllowPutEventsFromSourceAccounts",
                            Effect: "Allow",
                            Action: "events:PutEvents",
                            Resource: this.bus.arn,
                            ...principalStatement,
                        },
                    ],
                }),
            },
            child,
        );

        this.registerOutputs({ busArn: this.busArn, logGroupName: this.logGroup.name });
    }
}
