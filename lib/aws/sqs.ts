import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { denyInsecureTransport } from "./iam";

/** Inputs of {@link queueNotEmptyAlarm}. */
export interface QueueNotEmptyAlarmArgs {
    /** Name of the queue watched (usually a dead-letter queue). */
    queueName: pulumi.Input<string>;
    /** Alarm description. */
    description: pulumi.Input<string>;
    /** Fixed alarm name (default: auto-named). */
    alarmName?: pulumi.Input<string>;
    /** Actions when the alarm fires (none by default). */
    alarmActions?: pulumi.Input<pulumi.Input<string>[]>;
    /** Actions when it returns to OK (none by default). */
    okActions?: pulumi.Input<pulumi.Input<string>[]>;
}

/**
 * An alarm firing as soon as a queue holds a visible message (5-minute maximum
 * of `ApproximateNumberOfMessagesVisible` > 0): the DLQ alarm the SPEC asks
 * for. Created with the caller's `opts`.
 */
export function queueNotEmptyAlarm(name: string, a: QueueNotEmptyAlarmArgs, opts: pulumi.CustomResourceOptions): aws.cloudwatch.MetricAlarm {
    return new aws.cloudwatch.MetricAlarm(
        name,
        {
            ...(a.alarmName === undefined ? {} : { name: a.alarmName }),
            alarmDescription: a.description,
            namespace: "AWS/SQS",
            metricName: "ApproximateNumberOfMessagesVisible",
            dimensions: { QueueName: a.queueName },
            statistic: "Maximum",
            period: 300,
            evaluationPeriods: 1,
            threshold: 0,
            comparisonOperator: "GreaterThanThreshold",
            treatMissingData: "notBreaching",
            ...(a.alarmActions === undefined ? {} : { alarmActions: a.alarmActions }),
            ...(a.okActions === undefined ? {} : { okActions: a.okActions }),
        },
        opts,
    );
}

/**
 * A queue policy refusing every request not made over TLS ({@link denyInsecureTransport}; cdk-nag
 * AwsSolutions-SQS4), plus the caller's `allow` statements (e.g. a topic that sends to the queue).
 * Every queue of the program has one: the SQS rule `sqs-4-tls-only` checks it.
 */
export function tlsOnlyQueuePolicy(name: string, queue: aws.sqs.Queue, allow: pulumi.Input<unknown>[], opts: pulumi.CustomResourceOptions): aws.sqs.QueuePolicy {
    return new aws.sqs.QueuePolicy(
        name,
        {
            queueUrl: queue.url,
            policy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [
                    ...allow,
                    denyInsecureTransport("sqs:*", queue.arn),
                ],
            }),
        },
        opts,
    );
}

