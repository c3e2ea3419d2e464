import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

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
 * (statement `ownerSid`), followed by `extra` statements. Created with the
 * caller's `opts`.
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
            policy: pulumi.jsonStringify({ Version: "2012-10-17", Statement: [topicOwnerStatement(a.ownerSid, a.accountId, a.topic.arn), ...a.extra] }),
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
