import { AccessLogBuckets } from "./aws/bucket";
import { StackConfig } from "./config/schema";
import { BaseTags, ProviderRegistry } from "./providers";

/** What every concern's deploy function receives. */
export interface DeployContext {
    /** Pulumi project name. */
    project: string;
    /** Pulumi stack name. */
    stack: string;
    /** True when `environment` is `prod`: stateful resources are protected. */
    isProd: boolean;
    /** The validated stack config. */
    config: StackConfig;
    /** Shared per-(account, Region) providers. */
    providers: ProviderRegistry;
    /** The tags providers apply by default (for resources that need them explicitly, e.g. ASG tags). */
    tags: BaseTags;
    /** The server access log bucket of each (account, Region), created on first use. */
    accessLogs: AccessLogBuckets;
    /** Availability Zone names chosen (by zone ID) for each zonal concern that is enabled, keyed by config key. */
    zones: Readonly<Partial<Record<ZonalConcern, string[]>>>;
}

/** Concerns that place subnets or hosts in Availability Zones. */
export type ZonalConcern = "msk" | "flinkEks" | "macDev" | "snsFanout";

/** The zones chosen for `concern`; a programming error when `createContext` did not resolve them. */
export function zonesOf(ctx: Pick<DeployContext, "zones">, concern: ZonalConcern): string[] {
    const z = ctx.zones[concern];
    if (!z) {
        throw new Error(`no Availability Zones resolved for ${concern}`);
    }
    return z;
}
