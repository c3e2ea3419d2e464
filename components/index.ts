import * as pulumi from "@pulumi/pulumi";
import { deployBatchMonitor } from "./batch-monitor";
import { deployContainerPipelines } from "./container-pipelines";
import { deployFlinkEks, deployFlinkEksWorkloads, FlinkWorkloadSpec } from "./flink-eks";
import { deployLambdaLayers } from "./lambda-layers";
import { deployMacDev } from "./mac-dev";
import { deployMskStreaming } from "./msk";
import { deployOutpostFleet } from "./outpost-fleet";
import { deploySecurityEvents } from "./security-events";
import { deploySnsFanout } from "./sns-fanout";
import { AccessLogBuckets } from "../lib/aws/bucket";
import { chooseZones, ZoneRequest } from "../lib/aws/zones";
import { ConfigError, layerOf, parseStackConfig, parseWorkloadsConfig } from "../lib/config/load";
import { CONCERN_KEYS, ConcernKey, PROJECT, StackConfig } from "../lib/config/schema";
import { DeployContext, ZonalConcern } from "../lib/context";
import { ProviderRegistry } from "../lib/providers";

/** The zone requests of the enabled zonal concerns (MSK brokers, EKS control plane and nodes, Mac hosts). */
function zoneRequests(config: StackConfig, providers: ProviderRegistry): [ZonalConcern, ZoneRequest][] {
    const out: [ZonalConcern, ZoneRequest][] = [];
    const { msk, flinkEks, macDev, snsFanout } = config;
    if (msk?.enabled) {
        out.push(["msk", { key: "msk.vpc", provider: providers.get(msk.account, msk.region), region: msk.region, count: msk.vpc.azCount, service: "msk", pinned: msk.vpc.availabilityZones }]);
    }
    if (flinkEks?.enabled) {
        const p = providers.get(flinkEks.account, flinkEks.region);
        out.push(["flinkEks", { key: "flinkEks.vpc", provider: p, region: flinkEks.region, count: flinkEks.vpc.azCount, service: "eks", pinned: flinkEks.vpc.availabilityZones }]);
    }
    if (macDev?.enabled) {
        const p = providers.get(macDev.account, macDev.region);
        out.push(["macDev", { key: "macDev", provider: p, region: macDev.region, count: macDev.availabilityZones.length, pinned: macDev.availabilityZones, instanceType: macDev.macInstanceType }]);
    }
    if (snsFanout?.enabled && snsFanout.openSearch.enabled && snsFanout.openSearch.vpc) {
        const p = providers.get(snsFanout.account, snsFanout.region);
        out.push(["snsFanout", { key: "snsFanout.openSearch.vpc", provider: p, region: snsFanout.region, count: 2 }]);
    }
    return out;
}

/**
 * Builds the deploy context from a raw Pulumi config map. Validation happens first: nothing is
 * registered when the config is invalid. Then the Availability Zones of the zonal concerns are
 * chosen by zone ID (invokes through the concern's provider, so only the providers exist when a
 * zone problem stops the program, and no AWS resource).
 */
export async function createContext(rawConfig: Record<string, unknown>, stack: string): Promise<DeployContext> {
    const config = parseStackConfig(rawConfig);
    const tags = { project: PROJECT, stack, owner: config.owner, "cost-centre": config.costCentre };
    const providers = new ProviderRegistry(config.accounts, tags);
    const requests = zoneRequests(config, providers);
    const choices = await Promise.all(requests.map(([, r]) => chooseZones(r)));
    const problems = choices.flatMap((c) => c.problems);
    if (problems.length > 0) {
        throw new ConfigError(problems);
    }
    const zones: Partial<Record<ZonalConcern, string[]>> = {};
    requests.forEach(([concern], i) => {
        zones[concern] = choices[i].names;
    });
    const isProd = config.environment === "prod";
    return { project: PROJECT, stack, isProd, config, providers, tags, zones, accessLogs: new AccessLogBuckets(`${PROJECT}-${stack}`, isProd, providers) };
}

/**
 * The concerns: each config key (its schema is `CONCERN_SCHEMAS[key]`, lib/config/schema.ts) and
 * the function that deploys it. The stack exports are these keys, each the concern's outputs
 * (undefined when it is off). Adding a concern: its schema in `CONCERN_SCHEMAS`, its deploy function
 * here (the type makes the compiler ask for it).
 */
export const CONCERNS: { readonly [K in ConcernKey]: (ctx: DeployContext) => unknown } = {
    securityEvents: deploySecurityEvents,
    msk: deployMskStreaming,
    lambdaLayers: deployLambdaLayers,
    containerPipelines: deployContainerPipelines,
    snsFanout: deploySnsFanout,
    batchMonitor: deployBatchMonitor,
    macDev: deployMacDev,
    outpostFleet: deployOutpostFleet,
    flinkEks: deployFlinkEks,
};

/**
 * The whole program: validate config, then instantiate every enabled concern in `CONCERN_KEYS`
 * order. Returns the stack outputs (undefined entries are concerns that are off).
 */
export async function deployAll(rawConfig: Record<string, unknown>, stack: string = pulumi.getStack()): Promise<Record<string, unknown>> {
    if (layerOf(rawConfig) === "workloads") {
        return deployWorkloadsLayer(rawConfig);
    }
    const ctx = await createContext(rawConfig, stack);
    return Object.fromEntries(CONCERN_KEYS.map((key) => [key, CONCERNS[key](ctx)]));
}

/**
 * A workloads stack (`layer: workloads`): reads the platform stack's `flinkEks` output through a
 * StackReference and deploys its `workloads` spec (the Kubernetes half). It runs inside the VPC
 * (the platform stack's in-VPC deployer); nothing else of the program is deployed here.
 */
async function deployWorkloadsLayer(rawConfig: Record<string, unknown>): Promise<Record<string, unknown>> {
    const cfg = parseWorkloadsConfig(rawConfig);
    const platform = new pulumi.StackReference("platform", { name: cfg.platformStack });
    const details = await platform.getOutputDetails("flinkEks");
    const flinkEks = (details.value ?? details.secretValue) as { workloads?: FlinkWorkloadSpec } | undefined;
    if (!flinkEks?.workloads) {
        throw new ConfigError([{ path: "platformStack", message: `${cfg.platformStack} has no flinkEks.workloads output: deploy the platform stack (with flinkEks enabled) first` }]);
    }
    return { flinkEks: deployFlinkEksWorkloads(flinkEks.workloads) };
}
