import * as aws from "@pulumi/aws";
import { lambdaFunction } from "../../lib/aws/lambda";
import * as pulumi from "@pulumi/pulumi";
import { alarmTopic } from "../../lib/aws/sns";
import { secureRepository } from "../../lib/aws/ecr";
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
    pipelineRole,
    pipelineSource,
    queuedPipeline,
    pipelineStarter,
} from "../../lib/aws/pipeline-kit";

/** Why the image build is the one privileged CodeBuild project (the policy pack reads this tag). */
export const PRIVILEGED_REASON = "docker-build-of-lambda-container-image";

/** Inputs of {@link ContainerImagePipelines}. */
export interface ContainerImagePipelinesArgs {
    /** The Region. */
    region: string;
    /** The owning account's ID. */
    accountId: string;
    /** ECR repository name. */
    repositoryName: string;
    /** The application's source repository. */
    source: SourceConfig;
    /** Path of pipeline 1's buildspec in the source. */
    buildspecPath: string;
    /** `versionFile` or `commit`. */
    imageTagFrom: "versionFile" | "commit";
    /** Pipeline 1 (build and push). */
    buildPipelineName: string;
    /** Pipeline 2 (update the function). */
    deployPipelineName: string;
    /** Content of pipeline 2's buildspec. */
    deployBuildspec: string;
    /** ECR lifecycle: untagged images expire after these days. */
    untaggedImageExpiryDays: number;
    /** ECR lifecycle: keep at most this many images. */
    maxImageCount: number;
    /** Log retention. */
    logRetentionDays: number;
    /** E-mail for the error alarm. */
    alarmEmail?: string;
    /** The image function. */
    function: { name: string; imageUri?: string; memorySize: number; timeout: number; architecture: "x86_64" | "arm64" };
    /** The (account, Region)'s server access log bucket (its name): every bucket of the component logs there. */
    accessLogBucket: pulumi.Input<string>;
    /** Protect the key, repositories and bucket (prod). */
    protect: boolean;
}

/** The EventBridge pattern of "pipeline `name` (at `arn`) SUCCEEDED". */
export function pipelineSucceededPattern(name: pulumi.Input<string>, arn: pulumi.Input<string>): unknown {
    return {
        source: ["aws.codepipeline"],
        "detail-type": ["CodePipeline Pipeline Execution State Change"],
        resources: [arn],
        detail: { pipeline: [name], state: ["SUCCEEDED"] },
    };
}

/**
 * SPEC concern 4, the post's two pipelines: pipeline 1 builds the image from the
 * source (privileged CodeBuild, Docker) and pushes it to a KMS-encrypted ECR
 * repository with immutable tags; its SUCCEEDED event starts pipeline 2, whose
 * non-privileged CodeBuild step moves the function onto the newest image with
 * `aws lambda update-function-code`. The function is created only once an image
 * exists (`function.imageUri`), and the program never reverts the pipeline's
 * image updates (`ignoreChanges: ["imageUri"]`).
 */
export class ContainerImagePipelines extends pulumi.ComponentResource {
    /** ECR repository of the image (scan on push, immutable tags, KMS, lifecycle). */
    public readonly repository: aws.ecr.Repository;
    /** Pipeline 1: builds and pushes the image. */
    public readonly buildPipeline: aws.codepipeline.Pipeline;
    /** Pipeline 2: moves the function onto the newest image. */
    public readonly deployPipeline: aws.codepipeline.Pipeline;
    /** Pipeline 1's privileged CodeBuild project (Docker). */
    public readonly imageBuild: aws.codebuild.Project;
    /** Pipeline 2's unprivileged CodeBuild project. */
    public readonly functionUpdate: aws.codebuild.Project;
    /** Artifact store of both pipelines. */
    public readonly artifactBucket: aws.s3.Bucket;
    /** The concern's key: artifacts, image, logs, alarm topic. */
    public readonly key: aws.kms.Key;
    /** The image function, when `function.imageUri` is set. */
    public readonly fn?: aws.lambda.Function;
    /** The rule that starts pipeline 2 when pipeline 1 succeeds. */
    public readonly onBuildSucceeded: aws.cloudwatch.EventRule;
    /** The CodeCommit repository, when the program created it. */
    public readonly sourceRepository?: aws.codecommit.Repository;
    /** The CodeStar connection, when the program created it. */
    public readonly sourceConnection?: aws.codestarconnections.Connection;

    constructor(name: string, args: ContainerImagePipelinesArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super("awsarch:containerPipelines:ContainerImagePipelines", name, {}, opts);
        const s: KitScope = { parent: this, region: args.region, accountId: args.accountId, protect: args.protect, accessLogBucket: args.accessLogBucket };
        const child = { parent: this };
        const fnName = args.function.name;
        const fnArn = `arn:aws:lambda:${args.region}:${args.accountId}:function:${fnName}`;
        const repoArn = `arn:aws:ecr:${args.region}:${args.accountId}:repository/${args.repositoryName}`;
        const imageBuildLogs = `/aws/codebuild/${args.buildPipelineName}-image-build`;
        const updateLogs = `/aws/codebuild/${args.deployPipelineName}-function-update`;

        this.key = pipelineKey(`${name}-key`, s, "Encrypts the container pipelines' images, artifacts and logs", [
            imageBuildLogs,
            updateLogs,
            `/aws/lambda/${fnName}`,
        ]);

        // --- ECR ---
        this.repository = secureRepository(
            `${name}-repository`,
            { name: args.repositoryName, kmsKeyArn: this.key.arn, forceDelete: false },
            { ...child, protect: args.protect },
        );
        new aws.ecr.LifecyclePolicy(
            `${name}-repository-lifecycle`,
            {
                repository: this.repository.name,
                policy: JSON.stringify({
                    rules: [
                        {
                            rulePriority: 1,
                            description: `Expire untagged images after ${args.untaggedImageExpiryDays} days`,
                            selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: args.untaggedImageExpiryDays },
                            action: { type: "expire" },
                        },
                        {
                            rulePriority: 2,
                            description: `Keep the newest ${args.maxImageCount} images`,
                            selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: args.maxImageCount },
                            action: { type: "expire" },
                        },
                    ],
                }),
            },
            child,
        );
        const repositoryPolicy = new aws.ecr.RepositoryPolicy(
            `${name}-repository-policy`,
            {
                repository: this.repository.name,
                policy: JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Sid: "LambdaPullForThisFunction",
                            Effect: "Allow",
                            Principal: { Service: "lambda.amazonaws.com" },
                            Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
                            // The function, and its published versions and aliases (`:<qualifier>`).
                            Condition: { ArnLike: { "aws:sourceArn": [fnArn, `${fnArn}:*`] } },
                        },
                    ],
                }),
            },
            child,
        );

        const store = artifactBucket(`${name}-artifacts`, s, this.key);
        this.artifactBucket = store.bucket;
        const source1 = pipelineSource(`${name}-source`, s, args.source, true);
        this.sourceRepository = source1.repository;
        this.sourceConnection = source1.connection;
        // Pipeline 2 reads the same source but never starts on a commit: only pipeline 1's success starts it.
        const source2 = pipelineSource(`${name}-source`, s, args.source, false, source1);
        const repositoryUrl = this.repository.repositoryUrl;

        // --- Pipeline 1: image build (the only privileged CodeBuild project) ---
        const buildLogGroup = logGroup(`${name}-image-build-logs`, s, imageBuildLogs, args.logRetentionDays, this.key);
        const buildRole = codeBuildRole(`${name}-image-build-role`, s, imageBuildLogs, [
            ...artifactAccess(store.bucket, this.key, "codebuild", true),
            // ECR login has no resource-level permission: "*" is the only valid resource.
            { Sid: "EcrLogin", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
            // What the buildspec and `docker push` call (contracts.ts, IMAGE_BUILD). No KMS grant for the
            // image layers: ECR encrypts them through the grant it creates with the repository (ECR User
            // Guide, "encryption-at-rest"); the artifact statements already cover the artifacts' key use.
            {
                Sid: "PushToThisRepository",
                Effect: "Allow",
                Action: ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:CompleteLayerUpload", "ecr:DescribeImages", "ecr:InitiateLayerUpload", "ecr:PutImage", "ecr:UploadLayerPart"],
                Resource: repoArn,
            },
        ]);
        this.imageBuild = pipelineBuildProject(`${name}-image-build`, s, {
            projectName: `${args.buildPipelineName}-image-build`,
            description: "Builds the Lambda container image with Docker and pushes it to ECR",
            role: buildRole,
            key: this.key,
            buildTimeout: 30,
            buildspec: args.buildspecPath,
            environment: {
                type: args.function.architecture === "arm64" ? "ARM_CONTAINER" : "LINUX_CONTAINER",
                computeType: "BUILD_GENERAL1_SMALL",
                image: args.function.architecture === "arm64" ? "aws/codebuild/amazonlinux-aarch64-standard:3.0" : "aws/codebuild/amazonlinux-x86_64-standard:5.0",
                // Docker-in-Docker needs it; only this project has it.
                privilegedMode: true,
                environmentVariables: [
                    { name: "REPOSITORY_URI", value: repositoryUrl },
                    { name: "REPOSITORY_NAME", value: args.repositoryName },
                    { name: "IMAGE_TAG_FROM", value: args.imageTagFrom },
                ],
            },
            logGroup: buildLogGroup,
            tags: { "privileged-reason": PRIVILEGED_REASON },
        });

        const buildProjectArn = `arn:aws:codebuild:${args.region}:${args.accountId}:project/${args.buildPipelineName}-image-build`;
        const pipeline1Role = pipelineRole(`${name}-build-pipeline-role`, s, {
            bucket: store.bucket,
            key: this.key,
            source: source1,
            runSid: "RunImageBuild",
            projectArn: buildProjectArn,
        });
        this.buildPipeline = queuedPipeline(`${name}-build-pipeline`, s, {
            pipelineName: args.buildPipelineName,
            role: pipeline1Role,
            store,
            key: this.key,
            stages: [
                { name: "Source", actions: [{ ...source1.action, namespace: "SourceVariables" }] },
                {
                    name: "Build",
                    actions: [
                        {
                            name: "BuildAndPushImage",
                            category: "Build",
                            owner: "AWS",
                            provider: "CodeBuild",
                            version: "1",
                            inputArtifacts: [SOURCE_ARTIFACT],
                            outputArtifacts: ["image_detail"],
                            configuration: {
                                ProjectName: this.imageBuild.name,
                                EnvironmentVariables: JSON.stringify([{ name: "COMMIT_ID", value: "#{SourceVariables.CommitId}", type: "PLAINTEXT" }]),
                            },
                            runOrder: 1,
                        },
                    ],
                },
            ],
        });
        if (source1.changePattern) {
            pipelineStarter(`${name}-on-commit`, s, {
                description: `Starts ${args.buildPipelineName} on a push to the source branch`,
                pattern: source1.changePattern,
                pipelineArn: this.buildPipeline.arn,
            });
        }

        // --- Pipeline 2: move the function onto the new image ---
        const updateLogGroup = logGroup(`${name}-function-update-logs`, s, updateLogs, args.logRetentionDays, this.key);
        const updateRole = codeBuildRole(`${name}-function-update-role`, s, updateLogs, [
            ...artifactAccess(store.bucket, this.key, "codebuild", false),
            // DescribeImages finds the newest digest. The pull actions stay: the caller of
            // UpdateFunctionCode needs ECR access to the image itself ("For a function defined as a
            // container image, the user permission to access the image must be configured in Amazon
            // ECR", docs.aws.amazon.com/lambda/latest/dg/permissions-user-function.html).
            { Sid: "FindNewestImage", Effect: "Allow", Action: ["ecr:DescribeImages", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"], Resource: repoArn },
            {
                Sid: "UpdateOnlyThisFunction",
                Effect: "Allow",
                Action: ["lambda:UpdateFunctionCode", "lambda:GetFunction", "lambda:GetFunctionConfiguration"],
                Resource: fnArn,
            },
        ]);
        this.functionUpdate = pipelineBuildProject(`${name}-function-update`, s, {
            projectName: `${args.deployPipelineName}-function-update`,
            description: `Moves ${fnName} onto the newest image of ${args.repositoryName}`,
            role: updateRole,
            key: this.key,
            buildTimeout: 15,
            buildspec: args.deployBuildspec,
            environment: {
                type: "LINUX_CONTAINER",
                computeType: "BUILD_GENERAL1_SMALL",
                image: "aws/codebuild/amazonlinux-x86_64-standard:5.0",
                privilegedMode: false,
                environmentVariables: [
                    { name: "REPOSITORY_URI", value: repositoryUrl },
                    { name: "REPOSITORY_NAME", value: args.repositoryName },
                    { name: "FUNCTION_NAME", value: fnName },
                ],
            },
            logGroup: updateLogGroup,
        });
        const updateProjectArn = `arn:aws:codebuild:${args.region}:${args.accountId}:project/${args.deployPipelineName}-function-update`;
        const pipeline2Role = pipelineRole(`${name}-deploy-pipeline-role`, s, {
            bucket: store.bucket,
            key: this.key,
            source: source2,
            runSid: "RunFunctionUpdate",
            projectArn: updateProjectArn,
        });
        this.deployPipeline = queuedPipeline(`${name}-deploy-pipeline`, s, {
            pipelineName: args.deployPipelineName,
            role: pipeline2Role,
            store,
            key: this.key,
            stages: [
                { name: "Source", actions: [source2.action] },
                {
                    name: "Deploy",
                    actions: [
                        {
                            name: "UpdateFunctionImage",
                            category: "Build",
                            owner: "AWS",
                            provider: "CodeBuild",
                            version: "1",
                            inputArtifacts: [SOURCE_ARTIFACT],
                            configuration: { ProjectName: this.functionUpdate.name },
                            runOrder: 1,
                        },
                    ],
                },
            ],
        });

        const starter = pipelineStarter(`${name}-on-image-pushed`, s, {
            description: `Starts ${args.deployPipelineName} when ${args.buildPipelineName} succeeds`,
            pattern: pipelineSucceededPattern(this.buildPipeline.name, this.buildPipeline.arn),
            pipelineArn: this.deployPipeline.arn,
        });
        this.onBuildSucceeded = starter.rule;

        // --- The function, once an image exists ---
        if (args.function.imageUri) {
            const topic = alarmTopic(`${name}-alarms`, { kmsKeyArn: this.key.arn, accountId: args.accountId, email: args.alarmEmail }, child);
            const f = lambdaFunction(
                `${name}-function`,
                {
                    accountId: args.accountId,
                    region: args.region,
                    functionName: fnName,
                    description: "Container-image function; its image is updated by pipeline 2",
                    code: { imageUri: args.function.imageUri, architecture: args.function.architecture },
                    memoryMb: args.function.memorySize,
                    timeoutSeconds: args.function.timeout,
                    logGroupName: `/aws/lambda/${fnName}`,
                    logRetentionDays: args.logRetentionDays,
                    logKmsKeyArn: this.key.arn,
                    protect: args.protect,
                    alarmActions: [topic.arn],
                    statements: [],
                    names: pipelineFunctionNames(`${name}-function`),
                    // Pipeline 2 owns the image from now on: the program does not revert it. CreateFunction
                    // pulls the image with the repository policy's grant, so it waits for both.
                    functionOpts: { ignoreChanges: ["imageUri"], dependsOn: [this.repository, repositoryPolicy] },
                },
                child,
            );
            this.fn = f.fn;
        }
        this.registerOutputs({
            repositoryUrl,
            buildPipeline: this.buildPipeline.name,
            deployPipeline: this.deployPipeline.name,
            functionArn: this.fn?.arn,
        });
    }
}
