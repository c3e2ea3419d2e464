import * as pulumi from "@pulumi/pulumi";
import { DeployContext } from "../../lib/context";
import { SecurityEventHub } from "./hub";
import { cloudTrailSecurityPattern, customSourcePattern } from "./patterns";
import { SecurityEventSource } from "./source";

export { SecurityEventHub, SecurityEventHubArgs } from "./hub";
export { SecurityEventSource, SecurityEventSourceArgs } from "./source";
export * from "./patterns";

/** Stack outputs of the security routing concern. */
export interface SecurityEventsOutputs {
    hubBusArn: pulumi.Output<string>;
    hubLogGroup: pulumi.Output<string>;
    sourceBusArns: Record<string, pulumi.Output<string>>;
}

/** SPEC concern 1: the Singapore hub and one rule stack per configured source. */
export function deploySecurityEvents(ctx: DeployContext): SecurityEventsOutputs | undefined {
    const cfg = ctx.config.securityEvents;
    if (!cfg || !cfg.enabled) {
        return undefined;
    }
    const hubAccountId = ctx.providers.accountId(cfg.hub.account);
    const hub = new SecurityEventHub("security-hub", {
        region: cfg.hub.region,
        accountId: hubAccountId,
        busName: cfg.hub.busName,
        ownSourcePrefix: cfg.hub.ownSourcePrefix,
        logRetentionDays: cfg.hub.logRetentionDays,
        sourceAccountIds: cfg.sources.map((s) => ctx.providers.accountId(s.account)),
        organizationId: cfg.hub.organizationId,
        protect: ctx.isProd,
    }, { provider: ctx.providers.get(cfg.hub.account, cfg.hub.region) });

    const sourceBusArns: Record<string, pulumi.Output<string>> = {};
    for (const s of cfg.sources) {
        const source = new SecurityEventSource(`security-source-${s.name}`, {
            busProvider: ctx.providers.get(s.account, s.region),
            ruleProvider: ctx.providers.get(cfg.hub.account, s.region),
            region: s.region,
            busAccountId: ctx.providers.accountId(s.account),
            securityAccountId: hubAccountId,
            bus: s.bus,
            eventPattern:
                s.bus === "default" ? cloudTrailSecurityPattern(s.cloudTrailEventNames) : customSourcePattern(s.eventSources ?? []),
            hubBusArn: hub.busArn,
            hubReady: [hub.busPolicy],
        });
        sourceBusArns[s.name] = source.busArn;
    }
    return { hubBusArn: hub.busArn, hubLogGroup: hub.logGroup.name, sourceBusArns };
}
