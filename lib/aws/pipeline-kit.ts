import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { keyPolicy, logsKeyStatement, messagingKeyStatement, rotatingKey } from "./kms";
import { secureBucket } from "./bucket";
import { serviceTrustPolicy } from "./iam";
import { LambdaResourceNames, retainedLogGroup } from "./lambda";

/**
 * Building blocks shared by the pipeline concerns (layers in pipeline mode,
 * container-image pipelines, the Flink deployer): the KMS key, the artifact bucket, the EventBridge
 * rule that starts a pipeline, and a Lambda function with its log group, tracing
 * and error alarm. Plain functions: the caller's component is the parent.
 */

/** Where the building blocks are created. */
export interface KitScope {
    /** The component that owns the resources. */
    parent: pulumi.Resource;
    /** Region of that provider (for ARNs and service principals). */
    region: string;
    /** Account ID of that provider. */
    accountId: string;
    /** Protect stateful resources (prod). */
    protect: boolean;
    /** The (account, Region)'s server access log bucket (its name). */
    accessLogBucket: pulumi.Input<string>;
}

/** Resources of the kit are children of the scope's component and inherit its provider. */
const opts = (s: KitScope): pulumi.CustomResourceOptions => ({ parent: s.parent });
const statefulOpts = (s: KitScope): pulumi.CustomResourceOptions => ({ ...opts(s), protect: s.protect });

/** ARN of a log group by name. */
export function logGroupArn(s: KitScope, name: string): string {
    return `arn:aws:logs:${s.region}:${s.accountId}:log-group:${name}`;
}

/**
 * A customer-managed key for one pipeline concern: artifacts, images, log groups
 * and the alarm topic. IAM policies grant use to the roles; the key policy adds
 * CloudWatch Logs (for `logGroupNames` only) and CloudWatch alarms (for SNS).
 */
export function pipelineKey(name: string, s: KitScope, description: string, logGroupNames: string[]): aws.kms.Key {
    return rotatingKey(
        name,
        {
            description,
            policy: keyPolicy(s.accountId, [
                logsKeyStatement(
                    "CloudWatchLogsUse",
                    s.region,
                    logGroupNames.map((n) => logGroupArn(s, n)),
                ),
                messagingKeyStatement("CloudWatchAlarmsToEncryptedTopic", "cloudwatch.amazonaws.com", s.accountId),
            ]),
        },
        statefulOpts(s),
    );
}

/** The artifact bucket of a pipeline and its guard resources. */
export interface ArtifactBucket {
    bucket: aws.s3.Bucket;
    encryption: aws.s3.BucketServerSideEncryptionConfiguration;
    versioning: aws.s3.BucketVersioning;
    publicAccessBlock: aws.s3.BucketPublicAccessBlock;
    policy: aws.s3.BucketPolicy;
}

/**
 * A pipeline artifact bucket: SSE-KMS with the concern's key (bucket key on),
 * versioned, every public access block on, owner-enforced, TLS-only policy, and a
 * lifecycle that expires old artifacts (they are rebuilt on every run).
 */
export function artifactBucket(name: string, s: KitScope, key: aws.kms.Key, expireDays = 90): ArtifactBucket {
    const { bucket, encryption, versioning, publicAccessBlock, policy } = secureBucket(
        name,
        {
            kmsKeyArn: key.arn,
            accessLogs: { bucket: s.accessLogBucket, prefix: `${name}/` },
            protect: s.protect,
            ownerEnforced: true,
            publicAccessBlockSuffix: "-public-access-block",
            lifecycleRules: [
                {
                    id: "expire-old-artifacts",
                    status: "Enabled",
                    filter: {},
                    expiration: { days: expireDays },
                    noncurrentVersionExpiration: { noncurrentDays: 30 },
                    abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
                },
            ],
        },
        opts(s),
    );
    return { bucket, encryption, versioning, publicAccessBlock, policy };
}

/** An IAM role a service assumes, with one inline policy. */
export function serviceRole(
    name: string,
    s: KitScope,
    service: string,
    statements: pulumi.Input<unknown>[],
): { role: aws.iam.Role; policy: aws.iam.RolePolicy } {
    const role = new aws.iam.Role(
        name,
        {
            assumeRolePolicy: serviceTrustPolicy(service, s.accountId),
        },
        opts(s),
    );
    const policy = new aws.iam.RolePolicy(
        `${name}-policy`,
        { role: role.id, policy: pulumi.jsonStringify({ Version: "2012-10-17", Statement: statements }) },
        opts(s),
    );
    return { role, policy };
}

/**
 * The role of a CodeBuild project: write to its own log group `logGroupName`,
 * plus the caller's statements.
 */
export function codeBuildRole(
    name: string,
    s: KitScope,
    logGroupName: string,
    statements: pulumi.Input<unknown>[],
): { role: aws.iam.Role; policy: aws.iam.RolePolicy } {
    return serviceRole(name, s, "codebuild.amazonaws.com", [
        { Sid: "BuildLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${logGroupArn(s, logGroupName)}:*` },
        ...statements,
    ]);
}

/**
 * The role of a pipeline: read and write its artifacts, run its source action,
 * start and watch the CodeBuild project `projectArn` (statement `runSid`), plus
 * the caller's extra statements.
 */
export function pipelineRole(
    name: string,
    s: KitScope,
    a: { bucket: aws.s3.Bucket; key: aws.kms.Key; source: PipelineSource; runSid: string; projectArn: pulumi.Input<string>; extra?: pulumi.Input<unknown>[] },
): { role: aws.iam.Role; policy: aws.iam.RolePolicy } {
    return serviceRole(name, s, "codepipeline.amazonaws.com", [
        ...artifactAccess(a.bucket, a.key, "codepipeline", true),
        ...a.source.statements,
        { Sid: a.runSid, Effect: "Allow", Action: ["codebuild:StartBuild", "codebuild:BatchGetBuilds"], Resource: a.projectArn },
        ...(a.extra ?? []),
    ]);
}

/** Inputs of {@link pipelineBuildProject}. */
export interface PipelineBuildProjectArgs {
    /** Project name. */
    projectName: pulumi.Input<string>;
    description: pulumi.Input<string>;
    /** The project's role (see {@link codeBuildRole}); the project waits for its policy. */
    role: { role: aws.iam.Role; policy: aws.iam.RolePolicy };
    /** Key of the build artifacts. */
    key: aws.kms.Key;
    /** Timeout in minutes. */
    buildTimeout: number;
    /** Buildspec path in the source or inline buildspec. */
    buildspec: pulumi.Input<string>;
    /** Build environment (image, compute, privileged mode, variables). */
    environment: aws.types.input.codebuild.ProjectEnvironment;
    /** The project's log group. */
    logGroup: aws.cloudwatch.LogGroup;
    tags?: Record<string, string>;
}

/** A CodeBuild project run by a pipeline (CODEPIPELINE source and artifacts), logging to its own group. */
export function pipelineBuildProject(name: string, s: KitScope, a: PipelineBuildProjectArgs): aws.codebuild.Project {
    return new aws.codebuild.Project(
        name,
        {
            name: a.projectName,
            description: a.description,
            serviceRole: a.role.role.arn,
            encryptionKey: a.key.arn,
            buildTimeout: a.buildTimeout,
            source: { type: "CODEPIPELINE", buildspec: a.buildspec },
            artifacts: { type: "CODEPIPELINE" },
            environment: a.environment,
            logsConfig: { cloudwatchLogs: { status: "ENABLED", groupName: a.logGroup.name } },
            ...(a.tags === undefined ? {} : { tags: a.tags }),
        },
        { ...opts(s), dependsOn: [a.role.policy] },
    );
}

/** The EventBridge rule (default bus) that starts a pipeline, its role and target. */
export interface PipelineStarter {
    rule: aws.cloudwatch.EventRule;
    role: aws.iam.Role;
    rolePolicy: aws.iam.RolePolicy;
    target: aws.cloudwatch.EventTarget;
}

/** Inputs of {@link queuedPipeline}. */
export interface QueuedPipelineArgs {
    /** Physical pipeline name. */
    pipelineName: string;
    /** The pipeline's service role and its policy (see {@link pipelineRole}). */
    role: { role: aws.iam.Role; policy: aws.iam.RolePolicy };
    /** The artifact store (see {@link artifactBucket}). */
    store: ArtifactBucket;
    /** The concern's key: encrypts the artifacts. */
    key: aws.kms.Key;
    /** The stages, Source first. */
    stages: pulumi.Input<aws.types.input.codepipeline.PipelineStage>[];
    /** What the stages need to exist besides the role policy and the bucket policy (e.g. an invoked function). */
    dependsOn?: pulumi.Resource[];
}

/**
 * A CodePipeline V2 pipeline in `QUEUED` mode (runs never supersede each other)
 * with its KMS-encrypted S3 artifact store, created after its role policy and
 * the artifact bucket policy.
 */
export function queuedPipeline(name: string, s: KitScope, a: QueuedPipelineArgs): aws.codepipeline.Pipeline {
    return new aws.codepipeline.Pipeline(
        name,
        {
            name: a.pipelineName,
            pipelineType: "V2",
            executionMode: "QUEUED",
            roleArn: a.role.role.arn,
            artifactStores: [{ type: "S3", location: a.store.bucket.bucket, encryptionKey: { type: "KMS", id: a.key.arn } }],
            stages: a.stages,
        },
        { ...opts(s), dependsOn: [a.role.policy, a.store.policy, ...(a.dependsOn ?? [])] },
    );
}

/**
 * An EventBridge rule matching `pattern` on the default bus whose only target is
 * `pipelineArn`, through a role that can do nothing but
 * `codepipeline:StartPipelineExecution` on that pipeline.
 */
export function pipelineStarter(
    name: string,
    s: KitScope,
    args: { description: string; pattern: pulumi.Input<unknown>; pipelineArn: pulumi.Input<string> },
): PipelineStarter {
    const rule = new aws.cloudwatch.EventRule(
        name,
        { description: args.description, eventPattern: pulumi.jsonStringify(args.pattern), state: "ENABLED" },
        opts(s),
    );
    const { role, policy: rolePolicy } = serviceRole(`${name}-role`, s, "events.amazonaws.com", [
        { Sid: "StartOnlyThisPipeline", Effect: "Allow", Action: "codepipeline:StartPipelineExecution", Resource: args.pipelineArn },
    ]);
    const target = new aws.cloudwatch.EventTarget(
        `${name}-target`,
        { rule: rule.name, arn: args.pipelineArn, roleArn: role.arn, targetId: "StartPipeline" },
        { ...opts(s), dependsOn: [rolePolicy] },
    );
    return { rule, role, rolePolicy, target };
}

/**
 * Logical names of the pipeline concerns' functions (built with `lambdaFunction`): the function is
 * `name` itself and its policy `<name>-role-policy`, as before the builder existed, so their URNs
 * stay.
 */
export function pipelineFunctionNames(name: string): LambdaResourceNames {
    return { logGroup: `${name}-logs`, role: `${name}-role`, policy: `${name}-role-policy`, function: name, errorAlarm: `${name}-errors` };
}

/** A KMS-encrypted log group with retention (CodeBuild projects). */
export function logGroup(name: string, s: KitScope, logGroupName: string, retentionDays: number, key: aws.kms.Key): aws.cloudwatch.LogGroup {
    return retainedLogGroup(name, { logGroupName, retentionInDays: retentionDays, kmsKeyId: key.arn }, opts(s));
}

/**
 * Statements letting a pipeline's role (`codepipeline`) or a build's role (`codebuild`) read, and
 * when `write`, write pipeline artifacts in `bucket` under `key`. Bucket actions per caller:
 * CodePipeline's minimum service role policy (CodePipeline User Guide, "how-to-custom-role":
 * GetBucketVersioning, GetBucketAcl, GetBucketLocation) and CodeBuild's (CodeBuild User Guide,
 * "setting-up-service-role": GetBucketAcl, GetBucketLocation); no ListBucket. Artifacts are S3
 * SSE-KMS objects: GenerateDataKey to write, Decrypt to read (S3 User Guide, "UsingKMSEncryption").
 * CodeBuild's key statement for its role ("setting-up-kms") also lists DescribeKey, which stays for
 * builds (lib/plan/wirings.ts, EXPLAINED); Encrypt, ReEncrypt* and key pairs are not granted.
 */
export function artifactAccess(bucket: aws.s3.Bucket, key: aws.kms.Key, caller: "codepipeline" | "codebuild", write: boolean): pulumi.Input<unknown>[] {
    return [
        {
            Sid: "PipelineArtifacts",
            Effect: "Allow",
            Action: write ? ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"] : ["s3:GetObject", "s3:GetObjectVersion"],
            Resource: pulumi.interpolate`${bucket.arn}/*`,
        },
        {
            Sid: "PipelineArtifactBucket",
            Effect: "Allow",
            Action: caller === "codepipeline" ? ["s3:GetBucketAcl", "s3:GetBucketLocation", "s3:GetBucketVersioning"] : ["s3:GetBucketAcl", "s3:GetBucketLocation"],
            Resource: bucket.arn,
        },
        {
            Sid: "PipelineArtifactKey",
            Effect: "Allow",
            Action: [...(write ? ["kms:Decrypt", "kms:GenerateDataKey"] : ["kms:Decrypt"]), ...(caller === "codebuild" ? ["kms:DescribeKey"] : [])],
            Resource: key.arn,
        },
    ];
}

/** Source settings shared by both pipeline concerns (see `pipelineSourceSchema`). */
export type SourceConfig =
    | { type: "codeCommit"; repositoryName: string; branch: string; createRepository: boolean }
    | { type: "codeStarConnection"; fullRepositoryId: string; branch: string; connectionArn?: string };

/** The source stage of a pipeline and what it needs. */
export interface PipelineSource {
    /** The Source action (output artifact `source_output`). */
    action: aws.types.input.codepipeline.PipelineStageAction;
    /** Statements the pipeline role needs to run the action. */
    statements: pulumi.Input<unknown>[];
    /** The CodeCommit repository, when the program created it. */
    repository?: aws.codecommit.Repository;
    /** The CodeStar connection, when the program created it (pending until its handshake is completed). */
    connection?: aws.codestarconnections.Connection;
    /** ARN of the CodeCommit repository or the connection. */
    sourceArn: pulumi.Input<string>;
    /** EventBridge pattern of a push to the branch (CodeCommit only; connections detect changes themselves). */
    changePattern?: unknown;
}

/** Name of every source action's output artifact. */
export const SOURCE_ARTIFACT = "source_output";

/**
 * The Source action for `cfg`. `detectChanges: false` gives a source that only
 * runs when something else starts the pipeline (pipeline 2 of the container concern);
 * `reuse` is another pipeline's source on the same repository (nothing is created again).
 */
export function pipelineSource(name: string, s: KitScope, cfg: SourceConfig, detectChanges: boolean, reuse?: PipelineSource): PipelineSource {
    const create = reuse === undefined;
    if (cfg.type === "codeCommit") {
        const repoArn = `arn:aws:codecommit:${s.region}:${s.accountId}:${cfg.repositoryName}`;
        const repository =
            cfg.createRepository && create
                ? new aws.codecommit.Repository(name, { repositoryName: cfg.repositoryName, defaultBranch: cfg.branch }, statefulOpts(s))
                : undefined;
        return {
            action: {
                name: "Source",
                category: "Source",
                owner: "AWS",
                provider: "CodeCommit",
                version: "1",
                outputArtifacts: [SOURCE_ARTIFACT],
                // Change detection goes through EventBridge (changePattern), not polling.
                configuration: { RepositoryName: cfg.repositoryName, BranchName: cfg.branch, PollForSourceChanges: "false", OutputArtifactFormat: "CODE_ZIP" },
                runOrder: 1,
            },
            statements: [
                {
                    Sid: "ReadSourceRepository",
                    Effect: "Allow",
                    Action: [
                        "codecommit:GetBranch",
                        "codecommit:GetCommit",
                        "codecommit:GetRepository",
                        "codecommit:UploadArchive",
                        "codecommit:GetUploadArchiveStatus",
                        "codecommit:CancelUploadArchive",
                    ],
                    Resource: repoArn,
                },
            ],
            repository,
            sourceArn: repoArn,
            changePattern: detectChanges
                ? {
                      source: ["aws.codecommit"],
                      "detail-type": ["CodeCommit Repository State Change"],
                      resources: [repoArn],
                      detail: { event: ["referenceCreated", "referenceUpdated"], referenceType: ["branch"], referenceName: [cfg.branch] },
                  }
                : undefined,
        };
    }
    const connection =
        cfg.connectionArn || !create
            ? undefined
            : new aws.codestarconnections.Connection(name, { name: name.slice(0, 32), providerType: "GitHub" }, opts(s));
    const connectionArn: pulumi.Input<string> = cfg.connectionArn ?? connection?.arn ?? reuse!.sourceArn;
    return {
        action: {
            name: "Source",
            category: "Source",
            owner: "AWS",
            provider: "CodeStarSourceConnection",
            version: "1",
            outputArtifacts: [SOURCE_ARTIFACT],
            configuration: {
                ConnectionArn: connectionArn,
                FullRepositoryId: cfg.fullRepositoryId,
                BranchName: cfg.branch,
                DetectChanges: String(detectChanges),
                OutputArtifactFormat: "CODE_ZIP",
            },
            runOrder: 1,
        },
        statements: [
            // The provider creates the connection through the codestar-connections API, so its ARN is
            // arn:aws:codestar-connections:...; codeconnections:UseConnection acts only on codeconnections ARNs
            // (Service Authorization Reference) and would grant nothing here.
            { Sid: "UseSourceConnection", Effect: "Allow", Action: ["codestar-connections:UseConnection"], Resource: connectionArn },
        ],
        connection,
        sourceArn: connectionArn,
    };
}
