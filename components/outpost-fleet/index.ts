import * as pulumi from "@pulumi/pulumi";
import { DeployContext } from "../../lib/context";
import { PrioritizedFleet } from "./fleet";

export { FleetOverride, PrioritizedFleet, PrioritizedFleetArgs } from "./fleet";

/** Stack outputs of the Outposts fleet concern. */
export interface OutpostFleetOutputs {
    fleetId: pulumi.Output<string>;
    launchTemplateId: pulumi.Output<string>;
    /** Instance IDs the instant fleet launched, by instance type. */
    instances: pulumi.Output<unknown>;
}

/** SPEC concern 8: an instant EC2 Fleet with prioritized, weighted overrides on an Outpost subnet. */
export function deployOutpostFleet(ctx: DeployContext): OutpostFleetOutputs | undefined {
    const cfg = ctx.config.outpostFleet;
    if (!cfg || !cfg.enabled) {
        return undefined;
    }
    const fleet = new PrioritizedFleet("outpost-fleet", {
        subnetId: cfg.subnetId,
        onOutpost: cfg.outpostArn !== undefined || cfg.onOutpost,
        amiId: cfg.amiId,
        capacityType: cfg.capacityType,
        targetCapacity: cfg.targetCapacity,
        overrides: cfg.overrides,
        rootVolumeGiB: cfg.rootVolumeGiB,
        rootDeviceName: cfg.rootDeviceName,
        securityGroupIds: cfg.securityGroupIds,
        instanceTags: { ...ctx.tags, Name: `${ctx.project}-${ctx.stack}-outpost-workload`, ...cfg.instanceTags },
    }, { provider: ctx.providers.get(cfg.account, cfg.region) });
    return {
        fleetId: fleet.fleetId,
        launchTemplateId: fleet.launchTemplate.id,
        instances: fleet.fleet.fleetInstanceSets,
    };
}
