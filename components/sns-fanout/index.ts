import * as pulumi from "@pulumi/pulumi";
import { DeployContext, zonesOf } from "../../lib/context";
import { SnsFanout } from "./fanout";

export { SnsFanout, SnsFanoutArgs } from "./fanout";
export { SqsSubscriber, SqsSubscriberArgs } from "./subscriber";
export { ObservedFunction, ObservedFunctionArgs } from "../../lib/aws/lambda";

/** Stack outputs of the SNS fan-out concern. */
export interface SnsFanoutOutputs {
    topicArn: pulumi.Output<string>;
    alarmTopicArn: pulumi.Output<string>;
    inferenceQueueUrl: pulumi.Output<string>;
    indexingQueueUrl: pulumi.Output<string>;
    deliveryStreamArn?: pulumi.Output<string>;
    archiveBucket?: pulumi.Output<string>;
    openSearchEndpoint?: pulumi.Output<string>;
    publisherFunction?: pulumi.Output<string>;
}

/** SPEC concern 5: the SNS batch fan-out in the configured (account, Region). */
export function deploySnsFanout(ctx: DeployContext): SnsFanoutOutputs | undefined {
    const cfg = ctx.config.snsFanout;
    if (!cfg || !cfg.enabled) {
        return undefined;
    }
    const fanout = new SnsFanout("sns-fanout", {
        accountId: ctx.providers.accountId(cfg.account),
        region: cfg.region,
        namePrefix: cfg.namePrefix,
        stack: ctx.stack,
        fifo: cfg.fifo.enabled,
        contentBasedDeduplication: cfg.fifo.contentBasedDeduplication,
        queues: cfg.queues,
        functions: cfg.functions,
        publisherFunction: cfg.publisherFunction,
        firehose: cfg.firehose.enabled ? cfg.firehose : undefined,
        archive: cfg.archive,
        openSearch: cfg.openSearch.enabled
            ? { ...cfg.openSearch, vpc: cfg.openSearch.vpc ? { ...cfg.openSearch.vpc, availabilityZones: zonesOf(ctx, "snsFanout") } : undefined }
            : undefined,
        logRetentionDays: cfg.logRetentionDays,
        alarmEmail: cfg.alarmEmail,
        // Only the Firehose archive is a bucket: no log bucket for a fan-out without it.
        accessLogBucket: cfg.firehose.enabled ? ctx.accessLogs.bucketFor(cfg.account, cfg.region) : undefined,
        protect: ctx.isProd,
    }, { providers: [ctx.providers.get(cfg.account, cfg.region), ...(cfg.openSearch.enabled && cfg.openSearch.vpc ? [ctx.providers.awsx()] : [])] });
    return {
        topicArn: fanout.topic.arn,
        alarmTopicArn: fanout.alarmTopic.arn,
        inferenceQueueUrl: fanout.inference.queue.url,
        indexingQueueUrl: fanout.indexing.queue.url,
        deliveryStreamArn: fanout.deliveryStream?.arn,
        archiveBucket: fanout.archiveBucket?.bucket,
        openSearchEndpoint: fanout.domain?.endpoint,
        publisherFunction: fanout.publisher?.function.name,
    };
}
