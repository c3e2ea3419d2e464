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
