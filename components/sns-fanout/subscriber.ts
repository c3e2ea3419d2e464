import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ObservedFunction, Statement } from "../../lib/aws/lambda";
import { queueNotEmptyAlarm, tlsOnlyQueuePolicy } from "../../lib/aws/sqs";

/** Inputs of {@link SqsSubscriber}. */
export interface SqsSubscriberArgs {
    /** Account ID. */
    accountId: string;
    /** Region. */
    region: string;
    /** Physical queue name (without `.fifo`); the DLQ is `<name>-dlq`. */
    queueName: string;
    /** FIFO queues (the topic is FIFO). */
    fifo: boolean;
    /** ARN of the topic that delivers to the queue (the only sender the queue policy admits). */
    topicArn: pulumi.Input<string>;
    /** ARN of the CMK that encrypts the queues (its key policy lets SNS use it). */
    kmsKeyArn: pulumi.Input<string>;
    /** Receives before a message moves to the DLQ. */
    maxReceiveCount: number;
    /** Retention of queue messages (seconds). */
    messageRetentionSeconds: number;
    /** Retention of DLQ messages (seconds). */
    dlqRetentionSeconds: number;
    /** Raw message delivery (the log line, not the SNS JSON envelope). */
    rawMessageDelivery: boolean;
    /** TypeScript entry of the consumer Lambda. */
    entry: string;
    /** What the consumer does. */
    description: string;
    /** Log group of the consumer. */
    logGroupName: string;
    /** Retention of the consumer's log group. */
    logRetentionDays: number;
    /** Consumer memory (MB). */
    memoryMb: number;
    /** Consumer timeout (s); the queue's visibility timeout is six times this. */
    timeoutSeconds: number;
    /** Records per invocation. */
    batchSize: number;
    /** Extra environment of the consumer. */
    environment?: pulumi.Input<Record<string, pulumi.Input<string>>>;
    /** Extra statements of the consumer's role. */
    extraStatements?: pulumi.Input<Statement>[];
    /** Fixed physical name of the consumer's role (default: auto-named). */
    roleName?: string;
    /** Place the consumer in these subnets with these security groups. */
    vpc?: { subnetIds: pulumi.Input<pulumi.Input<string>[]>; securityGroupIds: pulumi.Input<pulumi.Input<string>[]> };
    /** Actions of the DLQ and error alarms (e.g. the concern's alarm topic ARN). */
    alarmActions: pulumi.Input<string>[];
    /** Protect the log group (prod). */
    protect: boolean;
}

/**
 * One SQS subscriber of the fan-out topic: a KMS-encrypted queue with its DLQ
 * (redrive policy), a queue policy admitting only `sns.amazonaws.com` sending
 * on behalf of that topic (`aws:SourceArn`), the SNS subscription, a Lambda
 * consumer with an event source mapping that reports partial batch failures,
 * and an alarm when the DLQ holds any message.
 */
export class SqsSubscriber extends pulumi.ComponentResource {
    /** The queue SNS delivers to. */
    public readonly queue: aws.sqs.Queue;
    /** Its dead-letter queue. */
    public readonly dlq: aws.sqs.Queue;
    /** The SNS subscription. */
    public readonly subscription: aws.sns.TopicSubscription;
    /** The consumer. */
    public readonly consumer: ObservedFunction;
    /** Alarm when the DLQ is not empty. */
    public readonly dlqAlarm: aws.cloudwatch.MetricAlarm;

    constructor(name: string, args: SqsSubscriberArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super("awsarch:snsFanout:SqsSubscriber", name, {}, opts);
        const o = { parent: this };
        const suffix = args.fifo ? ".fifo" : "";

        this.dlq = new aws.sqs.Queue(
            `${name}-dlq`,
            {
                name: `${args.queueName}-dlq${suffix}`,
                fifoQueue: args.fifo || undefined,
                messageRetentionSeconds: args.dlqRetentionSeconds,
                kmsMasterKeyId: args.kmsKeyArn,
                kmsDataKeyReusePeriodSeconds: 300,
            },
            { ...o, protect: args.protect },
        );
        this.queue = new aws.sqs.Queue(
            `${name}-queue`,
            {
                name: `${args.queueName}${suffix}`,
                fifoQueue: args.fifo || undefined,
                messageRetentionSeconds: args.messageRetentionSeconds,
                visibilityTimeoutSeconds: Math.min(43200, args.timeoutSeconds * 6),
                kmsMasterKeyId: args.kmsKeyArn,
                kmsDataKeyReusePeriodSeconds: 300,
                redrivePolicy: pulumi.jsonStringify({ deadLetterTargetArn: this.dlq.arn, maxReceiveCount: args.maxReceiveCount }),
            },
            { ...o, protect: args.protect },
        );
        const queuePolicy = tlsOnlyQueuePolicy(
            `${name}-queue-policy`,
            this.queue,
            [
                {
                    Sid: "AllowTopicToSend",
                    Effect: "Allow",
                    Principal: { Service: "sns.amazonaws.com" },
                    Action: "sqs:SendMessage",
                    Resource: this.queue.arn,
                    Condition: { ArnEquals: { "aws:SourceArn": args.topicArn } },
                },
            ],
            o,
        );
        // The dead-letter queue takes no sends but SQS's own redrive: TLS-only, nothing admitted.
        tlsOnlyQueuePolicy(`${name}-dlq-policy`, this.dlq, [], o);
        this.subscription = new aws.sns.TopicSubscription(
            `${name}-subscription`,
            {
                topic: args.topicArn,
                protocol: "sqs",
                endpoint: this.queue.arn,
                rawMessageDelivery: args.rawMessageDelivery,
            },
            { ...o, dependsOn: [queuePolicy] },
        );

        this.consumer = new ObservedFunction(
            `${name}-consumer`,
            {
                concern: "snsFanout",
                accountId: args.accountId,
                region: args.region,
                entry: args.entry,
                description: args.description,
                logGroupName: args.logGroupName,
                logRetentionDays: args.logRetentionDays,
                logKmsKeyArn: args.kmsKeyArn,
                alarmActions: args.alarmActions,
                memoryMb: args.memoryMb,
                timeoutSeconds: args.timeoutSeconds,
                environment: args.environment,
                roleName: args.roleName,
                vpc: args.vpc,
                protect: args.protect,
                statements: [
                    {
                        Sid: "ConsumeOwnQueue",
                        Effect: "Allow",
                        // What the SQS event source mapping calls as this role (AWSLambdaSQSQueueExecutionRole).
                        Action: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"],
                        Resource: this.queue.arn,
                    },
                    { Sid: "DecryptQueueMessages", Effect: "Allow", Action: "kms:Decrypt", Resource: args.kmsKeyArn },
                    ...(args.extraStatements ?? []),
                ],
            },
            { parent: this },
        );
        new aws.lambda.EventSourceMapping(
            `${name}-esm`,
            {
                eventSourceArn: this.queue.arn,
                functionName: this.consumer.function.arn,
                batchSize: args.batchSize,
                maximumBatchingWindowInSeconds: args.fifo ? undefined : 5,
                functionResponseTypes: ["ReportBatchItemFailures"],
            },
            { ...o, dependsOn: [this.consumer] },
        );
        this.dlqAlarm = queueNotEmptyAlarm(
            `${name}-dlq-alarm`,
            {
                queueName: this.dlq.name,
                description: `${args.queueName}: messages in the dead-letter queue`,
                alarmActions: args.alarmActions,
                okActions: args.alarmActions,
            },
            o,
        );
        this.registerOutputs({ queueArn: this.queue.arn, dlqArn: this.dlq.arn });
    }
}
