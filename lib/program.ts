import * as pulumi from "@pulumi/pulumi";
import { deployBatchMonitor } from "../components/batch-monitor";
import { deployContainerPipelines } from "../components/container-pipelines";
import { deployFlinkEks } from "../components/flink-eks";
import { deployLambdaLayers } from "../components/lambda-layers";
import { deployMacDev } from "../components/mac-dev";
import { deployMskStreaming } from "../components/msk";
import { deployOutpostFleet } from "../components/outpost-fleet";
import { deploySecurityEvents } from "../components/security-events";
import { deploySnsFanout } from "../components/sns-fanout";
import { parseStackConfig } from "./config/load";
import { PROJECT } from "./config/schema";
import { DeployContext } from "./context";
import { ProviderRegistry } from "./providers";

/** Builds the deploy context from a raw Pulumi config map. Validation happens first: nothing is created when it fails. */
export function createContext(rawConfig: Record<string, unknown>, stack: string): DeployContext {
    const config = parseStackConfig(rawConfig);
    const tags = { project: PROJECT, stack, owner: config.owner, "cost-centre": config.costCentre };
    return {
        project: PROJECT,
        stack,
        isProd: config.environment === "prod",
        config,
        providers: new ProviderRegistry(config.accounts, tags),
        tags,
    };
}

/**
 * The whole program: validate config, then instantiate every enabled concern.
 * Returns the stack outputs (undefined entries are concerns that are off).
 */
export function deployAll(rawConfig: Record<string, unknown>, stack: string = pulumi.getStack()): Record<string, unknown> {
    const ctx = createContext(rawConfig, stack);
    return {
        securityEvents: deploySecurityEvents(ctx),
        msk: deployMskStreaming(ctx),
        lambdaLayers: deployLambdaLayers(ctx),
        containerPipelines: deployContainerPipelines(ctx),
        snsFanout: deploySnsFanout(ctx),
        batchMonitor: deployBatchMonitor(ctx),
        macDev: deployMacDev(ctx),
        outpostFleet: deployOutpostFleet(ctx),
        flinkEks: deployFlinkEks(ctx),
    };
}
