import * as pulumi from "@pulumi/pulumi";
import { DeployContext, zonesOf } from "../../lib/context";
import { MskStreaming } from "./streaming";

export { MskStreaming, MskStreamingArgs } from "./streaming";
export { dashboardBody, DashboardInput } from "./dashboard";
export * from "./policies";

/** Stack outputs of the MSK concern. */
export interface MskStreamingOutputs {
    clusterArn: pulumi.Output<string>;
    bootstrapBrokersTls: pulumi.Output<string>;
    clientCertSecretArn: pulumi.Output<string>;
    consumerFunctionName: pulumi.Output<string>;
    producerFunctionName: pulumi.Output<string>;
    tableName: pulumi.Output<string>;
    dashboardName: pulumi.Output<string>;
    alarmTopicArn: pulumi.Output<string>;
}

/** SPEC concern 2: Amazon MSK with mutual TLS, the factor consumer and the OffsetLag dashboard. */
export function deployMskStreaming(ctx: DeployContext): MskStreamingOutputs | undefined {
    const cfg = ctx.config.msk;
    if (!cfg || !cfg.enabled) {
        return undefined;
    }
    const msk = new MskStreaming("msk", {
        region: cfg.region,
        accountId: ctx.providers.accountId(cfg.account),
        namePrefix: `${cfg.namePrefix}-${ctx.stack}`,
        vpc: cfg.vpc,
        availabilityZones: zonesOf(ctx, "msk"),
        cluster: cfg.cluster,
        ca: cfg.ca,
        topic: cfg.topic,
        consumer: cfg.consumer,
        alarms: cfg.alarms,
        logRetentionDays: cfg.logRetentionDays,
        protect: ctx.isProd,
    }, { providers: [ctx.providers.get(cfg.account, cfg.region), ctx.providers.tls(), ctx.providers.awsx()] });
    return {
        clusterArn: msk.cluster.arn,
        bootstrapBrokersTls: msk.bootstrapBrokersTls,
        clientCertSecretArn: msk.clientCertSecret.arn,
        consumerFunctionName: msk.consumer.name,
        producerFunctionName: msk.producer.name,
        tableName: msk.table.name,
        dashboardName: msk.dashboard.dashboardName,
        alarmTopicArn: msk.alarmTopic.arn,
    };
}
