import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { denyInsecureTransport } from "./iam";

/** Actions the owning account keeps on its topics (publish, subscribe, read attributes and subscriptions). */
export const TOPIC_OWNER_ACTIONS = ["sns:Publish", "sns:Subscribe", "sns:GetTopicAttributes", "sns:ListSubscriptionsByTopic"];

/**
 * The topic-policy statement granting the owning account (its root, so IAM
 * policies decide) the {@link TOPIC_OWNER_ACTIONS} on the topic `topicArn`.
 */
export function topicOwnerStatement(sid: string, accountId: string, topicArn: pulumi.Input<string>): object {
    return { Sid: sid, Effect: "Allow", Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: TOPIC_OWNER_ACTIONS, Resource: topicArn };
}

/**
 * The policy of `topic`: the owning account keeps {@link TOPIC_OWNER_ACTIONS}
 * (statement `ownerSid`), followed by `extra` statements and a deny of every
 * publish not made over TLS (cdk-nag AwsSolutions-SNS3; rule sns-tls-only).
 * Created with the caller's `opts`.
 */
export function ownedTopicPolicy(
    name: string,
    a: { topic: aws.sns.Topic; accountId: string; ownerSid: string; extra: object[] },
    opts: pulumi.CustomResourceOptions,
): aws.sns.TopicPolicy {
    return new aws.sns.TopicPolicy(
        name,
        {
            arn: a.topic.arn,
            policy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [
                    topicOwnerStatement(a.ownerSid, a.accountId, a.topic.arn),
                    ...a.extra,
                    denyInsecureTransport("sns:Publish", a.topic.arn),
                ],
            }),
        },
        opts,
    );
}

/**
 * The topic-policy statement letting CloudWatch alarms of `accountId` publish
 * to the topic `topicArn` (`aws:SourceAccount`). An encrypted topic also needs
 * `cloudwatch.amazonaws.com` in its key policy (see `serviceKeyStatement`).
 */
export function cloudWatchAlarmsStatement(sid: string, accountId: string, topicArn: pulumi.Input<string>): object {
    return {
        Sid: sid,
        Effect: "Allow",
        Principal: { Service: "cloudwatch.amazonaws.com" },
        Action: "sns:Publish",
        Resource: topicArn,
        Condition: { StringEquals: { "aws:SourceAccount": accountId } },
    };
}

/** Inputs of {@link alarmTopic}. */
export interface AlarmTopicArgs {
    /** Physical topic name (default: auto-named). */
    topicName?: string;
    /** ARN of the customer managed key encrypting the topic; its policy must admit `cloudwatch.amazonaws.com` (see `serviceKeyStatement`). */
    kmsKeyArn: pulumi.Input<string>;
    /** Owning account: keeps the owner actions, and its CloudWatch alarms alone may publish. */
    accountId: string;
    /** E-mail subscribed to the topic (none: no subscription). */
    email?: string;
    /** Logical name of the e-mail subscription (default `<name>-email`). */
    subscriptionName?: string;
}

/**
 * The SNS topic a concern's CloudWatch alarms notify: encrypted with the
 * concern's key, a topic policy (`<name>-policy`) keeping the owner's actions
 * and letting only that account's CloudWatch alarms publish, and an optional
 * e-mail subscription. Created with the caller's `opts`.
 */
export function alarmTopic(name: string, a: AlarmTopicArgs, opts: pulumi.CustomResourceOptions): aws.sns.Topic {
    const topic = new aws.sns.Topic(name, { ...(a.topicName === undefined ? {} : { name: a.topicName }), kmsMasterKeyId: a.kmsKeyArn }, opts);
    ownedTopicPolicy(
        `${name}-policy`,
        { topic, accountId: a.accountId, ownerSid: "OwnerAccount", extra: [cloudWatchAlarmsStatement("CloudWatchAlarms", a.accountId, topic.arn)] },
        opts,
    );
    if (a.email !== undefined) {
        new aws.sns.TopicSubscription(a.subscriptionName ?? `${name}-email`, { topic: topic.arn, protocol: "email", endpoint: a.email }, opts);
    }
    return topic;
}
