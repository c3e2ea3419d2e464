import * as pulumi from "@pulumi/pulumi";
import { DeployContext } from "../../lib/context";
import { BatchStuckJobMonitor } from "./monitor";

export { BatchStuckJobMonitor, BatchStuckJobMonitorArgs, rateExpression } from "./monitor";

/** Stack outputs of the Batch monitor concern: per Region, the topic ARN. */
export interface BatchMonitorOutputs {
    topicArns: Record<string, pulumi.Output<string>>;
}

/** SPEC concern 6: one monitor per configured Region. */
export function deployBatchMonitor(ctx: DeployContext): BatchMonitorOutputs | undefined {
    const cfg = ctx.config.batchMonitor;
    if (!cfg || !cfg.enabled) {
        return undefined;
    }
    const topicArns: Record<string, pulumi.Output<string>> = {};
    for (const region of cfg.regions) {
        const m = new BatchStuckJobMonitor(
            `batch-monitor-${region}`,
            {
            accountId: ctx.providers.accountId(cfg.account),
            region,
            stack: ctx.stack,
            email: cfg.email,
            scheduleMinutes: cfg.scheduleMinutes,
            thresholdMinutes: cfg.thresholdMinutes,
            logRetentionDays: cfg.logRetentionDays,
            protect: ctx.isProd,
            },
            { provider: ctx.providers.get(cfg.account, region) },
        );
        topicArns[region] = m.topic.arn;
    }
    return { topicArns };
}
