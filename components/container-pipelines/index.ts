import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { DeployContext } from "../../lib/context";
import { ContainerImagePipelines } from "./pipelines";

export { ContainerImagePipelines, ContainerImagePipelinesArgs, PRIVILEGED_REASON, pipelineSucceededPattern } from "./pipelines";

/** Pipeline 2's buildspec (inline in its CodeBuild project). */
export const DEPLOY_BUILDSPEC = path.join(__dirname, "deploy-buildspec.yml");

/** Stack outputs of the container-image pipelines concern. */
export interface ContainerPipelinesOutputs {
    repositoryUrl: pulumi.Output<string>;
    buildPipelineName: pulumi.Output<string>;
    deployPipelineName: pulumi.Output<string>;
    /** Present once `function.imageUri` is set and the function exists. */
    functionArn?: pulumi.Output<string>;
    /** HTTPS clone URL of the CodeCommit source, when the program created it. */
    sourceCloneUrlHttp?: pulumi.Output<string>;
    /** The CodeStar connection to activate in the console, when the program created it. */
    sourceConnectionArn?: pulumi.Output<string>;
}

/** SPEC concern 4: ECR, the image build pipeline, the function deploy pipeline, and the function. */
export function deployContainerPipelines(ctx: DeployContext): ContainerPipelinesOutputs | undefined {
    const cfg = ctx.config.containerPipelines;
    if (!cfg || !cfg.enabled) {
        return undefined;
    }
    const c = new ContainerImagePipelines("container-pipelines", {
        region: cfg.region,
        accountId: ctx.providers.accountId(cfg.account),
        repositoryName: cfg.repositoryName,
        source: cfg.source,
        buildspecPath: cfg.buildspecPath,
        imageTagFrom: cfg.imageTagFrom,
        buildPipelineName: cfg.buildPipelineName,
        deployPipelineName: cfg.deployPipelineName,
        deployBuildspec: fs.readFileSync(DEPLOY_BUILDSPEC, "utf8"),
        untaggedImageExpiryDays: cfg.untaggedImageExpiryDays,
        maxImageCount: cfg.maxImageCount,
        logRetentionDays: cfg.logRetentionDays,
        alarmEmail: cfg.alarmEmail,
        function: cfg.function,
        accessLogBucket: ctx.accessLogs.bucketFor(cfg.account, cfg.region),
        protect: ctx.isProd,
    }, { provider: ctx.providers.get(cfg.account, cfg.region) });
    return {
        repositoryUrl: c.repository.repositoryUrl,
        buildPipelineName: c.buildPipeline.name,
        deployPipelineName: c.deployPipeline.name,
        functionArn: c.fn?.arn,
        sourceCloneUrlHttp: c.sourceRepository?.cloneUrlHttp,
        sourceConnectionArn: c.sourceConnection?.arn,
    };
}
