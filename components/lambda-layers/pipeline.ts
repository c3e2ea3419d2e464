import * as aws from "@pulumi/aws";
import { lambdaFunction } from "../../lib/aws/lambda";
import * as pulumi from "@pulumi/pulumi";
import { alarmTopic } from "../../lib/aws/sns";
import {
    KitScope,
    SOURCE_ARTIFACT,
    SourceConfig,
    artifactAccess,
    artifactBucket,
    codeBuildRole,
    logGroup,
    pipelineFunctionNames,
    pipelineBuildProject,
    pipelineKey,
    pipelineRole as pipelineRoleOf,
    pipelineSource,
    queuedPipeline,
    pipelineStarter,
} from "../../lib/aws/pipeline-kit";

/** What the Distribute stage passes to the distributor (its `UserParameters`, as JSON). */
export interface DistributeUserParameters {
    /** Region to publish the layer version in. */
    region: string;
    /** Layer name. */
    layerName: string;
    /** Compatible runtimes. */
    runtimes: string[];
    /** License info. */
    license: string;
    /** Description of the version. */
    description?: string;
    /** Principal of `lambda:GetLayerVersion`. */
    principal: string;
    /** Organization shared with (principal `*`). */
    organizationId?: string;
}

/** Inputs of {@link LayerPipeline}. */
export interface LayerPipelineArgs {
    /** The pipeline's Region. */
    region: string;
    /** The owning account's ID (layer ARNs in the distributor's policy). */
    accountId: string;
    /** Name of the pipeline. */
    pipelineName: string;
    /** Where the layer's package.json lives. */
    source: SourceConfig;
    /** Content of the build's buildspec (`layers/buildspec.yml`). */
    buildspec: string;
    /** CodeBuild image. */
    buildImage: string;
    /** The distributor handler's code archive (`index.js`, handler `index.handler`). */
    distributorCode: pulumi.asset.Archive;
    /** Runtime of the distributor. */
    distributorRuntime: string;
    /** Regions of the Distribute stage, one parallel action each. */
    regions: string[];
    /** Layer name. */
    layerName: string;
    /** Compatible runtimes. */
    compatibleRuntimes: string[];
    /** License info. */
    license: string;
    /** Description of each version. */
    description?: string;
    /** Principal of the sharing permission. */
    principal: string;
    /** Organization shared with. */
    organizationId?: string;
    /** Retention of the log groups. */
    logRetentionDays: number;
    /** E-mail for the distributor's error alarm. */
    alarmEmail?: string;
    /** The (account, Region)'s server access log bucket (its name): every bucket of the component logs there. */
    accessLogBucket: pulumi.Input<string>;
    /** Protect the key, bucket and repository (prod). */
    protect: boolean;
}

/** Name of the Build stage's output artifact (the layer zip). */
export const LAYER_ARTIFACT = "layer_zip";

/**
 * Pipeline mode of SPEC concern 3, the post's design: Source → Build (CodeBuild
 * makes the layer zip) → Distribute (one Lambda-invoke action per Region, all in
 * parallel). The distributor publishes the version in its target Region, adds
 * the sharing permission and reports the job result to CodePipeline.
 */
export class LayerPipeline extends pulumi.ComponentResource {
    /** Source → Build → Distribute. */
    public readonly pipeline: aws.codepipeline.Pipeline;
    /** Artifact store of the pipeline. */
    public readonly artifactBucket: aws.s3.Bucket;
    /** The concern's key: artifacts, logs, alarm topic. */
    public readonly key: aws.kms.Key;
    /** Publishes the layer in one Region per Distribute action. */
    public readonly distributor: aws.lambda.Function;
    /** Builds the layer zip. */
    public readonly buildProject: aws.codebuild.Project;
    /** The distributor's role (publish/share only this layer name). */
    public readonly distributorRole: aws.iam.Role;

    constructor(name: string, args: LayerPipelineArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super("awsarch:lambdaLayers:LayerPipeline", name, {}, opts);
        const s: KitScope = { parent: this, region: args.region, accountId: args.accountId, protect: args.protect, accessLogBucket: args.accessLogBucket };
        const child = { parent: this };
        const distributorName = `${args.pipelineName}-distributor`.slice(0, 64);
        const buildLogGroupName = `/aws/codebuild/${args.pipelineName}-build`;

        this.key = pipelineKey(`${name}-key`, s, `Encrypts ${args.pipelineName} artifacts and logs`, [
            buildLogGroupName,
            `/aws/lambda/${distributorName}`,
        ]);
        const store = artifactBucket(`${name}-artifacts`, s, this.key);
        this.artifactBucket = store.bucket;
        const source = pipelineSource(`${name}-source`, s, args.source, true);

        // --- Build: the layer zip ---
        const buildLogs = logGroup(`${name}-build-logs`, s, buildLogGroupName, args.logRetentionDays, this.key);
        const build = codeBuildRole(`${name}-build-role`, s, buildLogGroupName, artifactAccess(store.bucket, this.key, "codebuild", true));
        this.buildProject = pipelineBuildProject(`${name}-build`, s, {
            projectName: `${args.pipelineName}-build`,
            description: "Builds the Lambda layer zip (nodejs/node_modules) from package.json + package-lock.json",
            role: build,
            key: this.key,
            buildTimeout: 20,
            buildspec: args.buildspec,
            environment: { type: "LINUX_CONTAINER", computeType: "BUILD_GENERAL1_SMALL", image: args.buildImage, privilegedMode: false },
            logGroup: buildLogs,
        });

        // --- Distributor ---
        const topic = alarmTopic(`${name}-alarms`, { kmsKeyArn: this.key.arn, accountId: args.accountId, email: args.alarmEmail }, child);
        // PublishLayerVersion acts on the layer, AddLayerVersionPermission on a version of it
        // (Service Authorization Reference, resource types `layer` and `layerVersion`).
        const layerArns = args.regions.map((r) => `arn:aws:lambda:${r}:${args.accountId}:layer:${args.layerName}`);
        const layerVersionArns = layerArns.map((a) => `${a}:*`);
        const distributor = lambdaFunction(
            `${name}-distributor`,
            {
            accountId: args.accountId,
            region: args.region,
            functionName: distributorName,
            description: `Publishes ${args.layerName} in the Region named by the CodePipeline job`,
            code: { archive: args.distributorCode, handler: "index.handler", runtime: args.distributorRuntime },
            memoryMb: 1024,
            timeoutSeconds: 300,
            logGroupName: `/aws/lambda/${distributorName}`,
            logRetentionDays: args.logRetentionDays,
            logKmsKeyArn: this.key.arn,
            protect: args.protect,
            alarmActions: [topic.arn],
            names: pipelineFunctionNames(`${name}-distributor`),
            statements: [
                // Only this layer name, only in the configured Regions, only what the handler sends
                // (functions/layer-distributor/contract.ts; no GetLayerVersion).
                { Sid: "PublishThisLayer", Effect: "Allow", Action: "lambda:PublishLayerVersion", Resource: layerArns },
                { Sid: "ShareItsVersions", Effect: "Allow", Action: "lambda:AddLayerVersionPermission", Resource: layerVersionArns },
                // No artifact bucket or key access: the distributor downloads the layer zip with the job's
                // own temporary artifactCredentials (functions/layer-distributor), never with this role.
                // CodePipeline job results have no resource-level permissions: "*" is the only valid resource.
                { Sid: "ReportJobResult", Effect: "Allow", Action: ["codepipeline:PutJobSuccessResult", "codepipeline:PutJobFailureResult"], Resource: "*" },
            ],
            },
            child,
        );
        this.distributor = distributor.fn;
        this.distributorRole = distributor.role;

        // --- Pipeline ---
        const projectArn = `arn:aws:codebuild:${args.region}:${args.accountId}:project/${args.pipelineName}-build`;
        const pipelineRole = pipelineRoleOf(`${name}-pipeline-role`, s, {
            bucket: store.bucket,
            key: this.key,
            source,
            runSid: "RunBuild",
            projectArn,
            extra: [{ Sid: "InvokeDistributor", Effect: "Allow", Action: "lambda:InvokeFunction", Resource: `arn:aws:lambda:${args.region}:${args.accountId}:function:${distributorName}` }],
        });
        const distributeActions = args.regions.map((region) => {
            const params: DistributeUserParameters = {
                region,
                layerName: args.layerName,
                runtimes: args.compatibleRuntimes,
                license: args.license,
                description: args.description,
                principal: args.principal,
                organizationId: args.organizationId,
            };
            return {
                name: `distribute-${region}`,
                category: "Invoke",
                owner: "AWS",
                provider: "Lambda",
                version: "1",
                inputArtifacts: [LAYER_ARTIFACT],
                // Same runOrder: the Regions are published in parallel.
                runOrder: 1,
                configuration: { FunctionName: distributorName, UserParameters: JSON.stringify(params) },
            };
        });
        this.pipeline = queuedPipeline(`${name}-pipeline`, s, {
            pipelineName: args.pipelineName,
            role: pipelineRole,
            store,
            key: this.key,
            dependsOn: [distributor.fn],
            stages: [
                { name: "Source", actions: [source.action] },
                {
                    name: "Build",
                    actions: [
                        {
                            name: "BuildLayer",
                            category: "Build",
                            owner: "AWS",
                            provider: "CodeBuild",
                            version: "1",
                            inputArtifacts: [SOURCE_ARTIFACT],
                            outputArtifacts: [LAYER_ARTIFACT],
                            configuration: { ProjectName: this.buildProject.name },
                            runOrder: 1,
                        },
                    ],
                },
                { name: "Distribute", actions: distributeActions },
            ],
        });
        if (source.changePattern) {
            pipelineStarter(`${name}-on-commit`, s, {
                description: `Starts ${args.pipelineName} on a push to the layer source branch`,
                pattern: source.changePattern,
                pipelineArn: this.pipeline.arn,
            });
        }
        this.registerOutputs({ pipelineName: this.pipeline.name, artifactBucket: store.bucket.bucket, distributor: this.distributor.arn });
    }
}
