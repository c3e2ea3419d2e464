import * as path from "path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ObservedFunction, scheduledInvocation } from "../../lib/aws/lambda";
import { keyPolicy, logsKeyStatement, messagingKeyStatement, rotatingKey } from "../../lib/aws/kms";
import { alarmTopic } from "../../lib/aws/sns";

/** Inputs of {@link BatchStuckJobMonitor}. */
export interface BatchStuckJobMonitorArgs {
    /** Monitored account ID. */
    accountId: string;
    /** Region whose job queues are watched. */
    region: string;
    /** Stack name (log group path). */
    stack: string;
    /** E-mail address subscribed to the notifications. */
    email: string;
    /** Run every N minutes. */
    scheduleMinutes: number;
    /** Jobs waiting longer than this many minutes are reported. */
    thresholdMinutes: number;
    /** Retention of the function's log group. */
    logRetentionDays: number;
    /** Protect the key and log group (prod). */
    protect: boolean;
}

/** `rate(1 minute)` / `rate(N minutes)`: EventBridge rejects `rate(1 minutes)`. */
export function rateExpression(minutes: number): string {
    return `rate(${minutes} ${minutes === 1 ? "minute" : "minutes"})`;
}

/**
 * SPEC concern 6 in one Region: an encrypted SNS topic with an e-mail
 * subscription, an EventBridge schedule, and the monitor Lambda that reports
 * AWS Batch jobs stuck in SUBMITTED, PENDING or RUNNABLE.
 */
export class BatchStuckJobMonitor extends pulumi.ComponentResource {
    /** The notification topic. */
    public readonly topic: aws.sns.Topic;
    /** The monitor function. */
    public readonly monitor: ObservedFunction;
    /** The schedule rule. */
    public readonly rule: aws.cloudwatch.EventRule;

    constructor(name: string, args: BatchStuckJobMonitorArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super("awsarch:batchMonitor:BatchStuckJobMonitor", name, {}, opts);
        // Children inherit the provider the component is given (the monitored account in `region`).
        const o = { parent: this };
        const acct = args.accountId;

        const logGroupName = `/awsarch/${args.stack}/batch-monitor/${args.region}`;
        const key = rotatingKey(
            `${name}-key`,
            {
                description: `Batch stuck-job notifications (${args.region})`,
                policy: keyPolicy(
                    acct,
                    [
                        // CloudWatch alarms (the function's error alarm) publish to the encrypted topic.
                        messagingKeyStatement("AllowCloudWatchAlarmsToPublish", "cloudwatch.amazonaws.com", acct),
                        // The monitor's log group.
                        logsKeyStatement("AllowCloudWatchLogsForTheMonitorLogGroup", args.region, `arn:aws:logs:${args.region}:${acct}:log-group:${logGroupName}`),
                    ],
                    { adminSid: "EnableIamPoliciesOfTheAccount" },
                ),
            },
            { ...o, protect: args.protect },
        );
        // The stuck-job reports and the function's error alarm share this topic.
        this.topic = alarmTopic(
            `${name}-topic`,
            { topicName: "batch-stuck-jobs", kmsKeyArn: key.arn, accountId: acct, email: args.email, subscriptionName: `${name}-email` },
            o,
        );

        this.monitor = new ObservedFunction(
            `${name}-fn`,
            {
                concern: "batchMonitor",
                accountId: acct,
                region: args.region,
                entry: path.join(__dirname, "..", "..", "functions", "batch-stuck-monitor", "index.ts"),
                description: `AWS Batch stuck-job monitor (${args.region})`,
                logGroupName,
                logRetentionDays: args.logRetentionDays,
                logKmsKeyArn: key.arn,
                memoryMb: 256,
                timeoutSeconds: 120,
                environment: { TOPIC_ARN: this.topic.arn, THRESHOLD_MINUTES: String(args.thresholdMinutes) },
                alarmActions: [this.topic.arn],
                protect: args.protect,
                statements: [
                    {
                        // batch:DescribeJobQueues and batch:ListJobs support no resource-level
                        // permissions (Service Authorization Reference: no resource type), so
                        // "*" is the only valid Resource. Both are read-only.
                        Sid: "ReadBatchQueuesAndJobs",
                        Effect: "Allow",
                        Action: ["batch:DescribeJobQueues", "batch:ListJobs"],
                        Resource: "*",
                    },
                    { Sid: "NotifyTopic", Effect: "Allow", Action: "sns:Publish", Resource: this.topic.arn },
                    { Sid: "EncryptForTopic", Effect: "Allow", Action: ["kms:GenerateDataKey", "kms:Decrypt"], Resource: key.arn },
                ],
            },
            { parent: this },
        );

        this.rule = scheduledInvocation(
            name,
            {
                fn: this.monitor.function,
                scheduleExpression: rateExpression(args.scheduleMinutes),
                description: `Checks AWS Batch queues for stuck jobs ${rateExpression(args.scheduleMinutes).replace("rate(", "every ").replace(")", "")}`,
                accountId: acct,
                // The next run is minutes away: a late check is worth nothing.
                retryPolicy: { maximumRetryAttempts: 0, maximumEventAgeInSeconds: 60 },
            },
            o,
        ).rule;
        this.registerOutputs({ topicArn: this.topic.arn, functionName: this.monitor.function.name });
    }
}
