import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { bundleFunction, LAMBDA_RUNTIME } from "../../lib/bundle";
import { DeployContext } from "../../lib/context";
import { PROJECT_ROOT, buildLayerArchive, offlineBuild } from "./build";
import { LayerDistribution } from "./direct";
import { LayerPipeline } from "./pipeline";

export { LayerDistribution, LayerDistributionArgs, LAYER_SHARE_STATEMENT_ID } from "./direct";
export { LayerPipeline, LayerPipelineArgs, DistributeUserParameters, LAYER_ARTIFACT } from "./pipeline";
export { buildLayerArchive, offlineBuild } from "./build";

/** Stack outputs of the Lambda layers concern. */
export interface LambdaLayersOutputs {
    /** `direct` or `pipeline`. */
    mode: string;
    /** Direct mode: the layer version ARN per Region. */
    layerVersionArns?: Record<string, pulumi.Output<string>>;
    /** Pipeline mode: the (unversioned) layer ARN per Region; versions come from pipeline runs. */
    layerArns?: Record<string, string>;
    /** Pipeline mode: pipeline name, artifact bucket and distributor. */
    pipelineName?: pulumi.Output<string>;
    artifactBucket?: pulumi.Output<string>;
    distributorArn?: pulumi.Output<string>;
}

/** The distributor handler's entry file. */
export const DISTRIBUTOR_ENTRY = path.join(PROJECT_ROOT, "functions", "layer-distributor", "index.ts");
/** The layer build's buildspec. */
export const LAYER_BUILDSPEC = path.join(PROJECT_ROOT, "layers", "buildspec.yml");

/** SPEC concern 3: the layer in every configured Region, directly or through the post's pipeline. */
export function deployLambdaLayers(ctx: DeployContext): LambdaLayersOutputs | undefined {
    const cfg = ctx.config.lambdaLayers;
    if (!cfg || !cfg.enabled) {
        return undefined;
    }
    const accountId = ctx.providers.accountId(cfg.account);
    const principal = cfg.principal ?? accountId;

    if (cfg.mode === "direct") {
        const build = buildLayerArchive(cfg.sourceDir, { install: !offlineBuild() });
        const layer = new LayerDistribution("lambda-layer", {
            targets: cfg.regions.map((region) => ({ region, provider: ctx.providers.get(cfg.account, region) })),
            layerName: cfg.layerName,
            code: build.archive,
            compatibleRuntimes: cfg.compatibleRuntimes,
            license: cfg.license,
            description: cfg.description,
            principal,
            organizationId: cfg.organizationId,
            retainOldVersions: cfg.retainOldVersions,
        });
        return { mode: "direct", layerVersionArns: layer.layerVersionArns };
    }

    const p = cfg.pipeline;
    const pipeline = new LayerPipeline("layer-pipeline", {
        region: p.region,
        accountId,
        pipelineName: p.name,
        source: p.source,
        buildspec: fs.readFileSync(LAYER_BUILDSPEC, "utf8"),
        buildImage: p.buildImage,
        distributorCode: bundleFunction(DISTRIBUTOR_ENTRY),
        distributorRuntime: LAMBDA_RUNTIME,
        regions: cfg.regions,
        layerName: cfg.layerName,
        compatibleRuntimes: cfg.compatibleRuntimes,
        license: cfg.license,
        description: cfg.description,
        principal,
        organizationId: cfg.organizationId,
        logRetentionDays: p.logRetentionDays,
        alarmEmail: p.alarmEmail,
        accessLogBucket: ctx.accessLogs.bucketFor(cfg.account, p.region),
        protect: ctx.isProd,
    }, { provider: ctx.providers.get(cfg.account, p.region) });
    return {
        mode: "pipeline",
        layerArns: Object.fromEntries(cfg.regions.map((r) => [r, `arn:aws:lambda:${r}:${accountId}:layer:${cfg.layerName}`])),
        pipelineName: pipeline.pipeline.name,
        artifactBucket: pipeline.artifactBucket.bucket,
        distributorArn: pipeline.distributor.arn,
    };
}
