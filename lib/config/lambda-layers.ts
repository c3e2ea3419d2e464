import { z } from "zod";
import { LAMBDA_RUNTIMES } from "../support";
import { accountId, accountRef, addDuplicateIssues, email, logRetentionDays, region, supportRefinement } from "./common";

/** CodePipeline's limit on one action configuration value (the Distribute action's `UserParameters`). */
export const USER_PARAMETERS_MAX = 1000;

/** Lambda runtimes a Node.js layer can declare compatibility with. */
export const NODE_LAYER_RUNTIMES = ["nodejs22.x", "nodejs24.x"] as const;

/** A Lambda layer name (letters, digits, `-`, `_`; 1-64 characters). */
export const layerName = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, { message: "must be 1-64 letters, digits, - or _" });

/** A CodeCommit repository name. */
const codeCommitRepoName = z.string().regex(/^[\w.-]{1,100}$/, { message: "must be 1-100 letters, digits, . _ -" });

/** A Git branch name. */
const branch = z.string().regex(/^[\w./-]{1,255}$/, { message: "is not a valid branch name" });

/** An AWS Organization ID. */
const organizationId = z.string().regex(/^o-[a-z0-9]{10,32}$/, { message: "is not an AWS Organization ID" });

/**
 * Where a pipeline reads its source from: a CodeCommit repository (as in the
 * posts) or a GitHub repository through an AWS CodeStar connection.
 */
export const pipelineSourceSchema = z.discriminatedUnion("type", [
    z
        .object({
            /** CodeCommit repository as the source. */
            type: z.literal("codeCommit"),
            /** Repository name. */
            repositoryName: codeCommitRepoName,
            /** Branch whose commits start the pipeline. */
            branch: branch.default("main"),
            /** Create the repository (true) or use an existing one of that name (false). */
            createRepository: z.boolean().default(true),
        })
        .strict(),
    z
        .object({
            /** GitHub (or GitLab/Bitbucket) repository through an AWS CodeStar connection. */
            type: z.literal("codeStarConnection"),
            /** `owner/repository`. */
            fullRepositoryId: z.string().regex(/^[\w.-]+\/[\w.-]+$/, { message: "must be owner/repository" }),
            /** Branch whose commits start the pipeline. */
            branch: branch.default("main"),
            /** An existing connection's ARN; when omitted the program creates a GitHub connection (complete its handshake once in the console). */
            connectionArn: z
                .string()
                .regex(/^arn:aws[a-z-]*:(codestar-connections|codeconnections):[a-z0-9-]+:\d{12}:connection\/[\w-]+$/, {
                    message: "is not a CodeStar/CodeConnections connection ARN",
                })
                .optional(),
        })
        .strict(),
]);
export type PipelineSourceConfig = z.infer<typeof pipelineSourceSchema>;

const DEFAULT_REGIONS = ["eu-central-1", "eu-west-1", "us-west-1", "us-east-1"];

/** Config of the Lambda layers concern (`awsarch:lambdaLayers`, SPEC concern 3). */
export const lambdaLayersSchema = z
    .object({
        /** Deploy this concern. */
        enabled: z.boolean().default(true),
        /** Key in `accounts` of the account that owns the layer (and the pipeline). */
        account: accountRef,
        /**
         * `direct`: the program builds the archive and publishes one layer version per Region.
         * `pipeline`: the post's design, CodePipeline builds the layer and a Lambda distributes it.
         */
        mode: z.enum(["direct", "pipeline"]).default("direct"),
        /** Name of the layer in every Region. */
        layerName: layerName.default("common-sdk"),
        /** Folder (relative to the project root) with the layer's `package.json` and `package-lock.json`. */
        sourceDir: z.string().min(1).default("layers/common-sdk"),
        /** Regions the layer is published in. */
        regions: z.array(region).min(1, { message: "must list at least one Region" }).default(DEFAULT_REGIONS),
        /** Runtimes the layer declares as compatible. */
        compatibleRuntimes: z.array(z.enum(NODE_LAYER_RUNTIMES).superRefine(supportRefinement(LAMBDA_RUNTIMES))).min(1).max(15).default(["nodejs22.x", "nodejs24.x"]),
        /** SPDX identifier or URL of the layer's license (`licenseInfo`, at most 512 characters). */
        license: z.string().min(1).max(512).default("Apache-2.0"),
        /** Description of each layer version. */
        description: z.string().max(256).default("Pinned AWS SDK v3 clients and the AWS X-Ray SDK"),
        /**
         * Who may use the layer versions (`lambda:GetLayerVersion`): a 12-digit account ID,
         * or `*` together with `organizationId` (every account of the organization), or `*`
         * alone (public) only with `allowPublic: true`. Default: the owning account only.
         */
        principal: z.union([accountId, z.literal("*")]).optional(),
        /** Share with every account of this AWS Organization (requires `principal: "*"`). */
        organizationId: organizationId.optional(),
        /** Must be true to share the layer publicly (`principal: "*"` without an organization). */
        allowPublic: z.boolean().default(false),
        /** Keep old layer versions when a new one is published (functions pinned to them keep working). */
        retainOldVersions: z.boolean().default(true),
        /** Pipeline mode settings. */
        pipeline: z
            .object({
                /** Region of the pipeline, its artifact bucket and the distributor function. */
                region: region.default("us-east-1"),
                /** Name of the CodePipeline pipeline. */
                name: z.string().regex(/^[A-Za-z0-9.@_-]{1,100}$/, { message: "must be 1-100 of A-Z a-z 0-9 . @ _ -" }).default("LambdaLayerBuilderPipeline"),
                /** Where the layer's package.json lives. */
                source: pipelineSourceSchema.default({ type: "codeCommit", repositoryName: "lambda-layer-source", branch: "main", createRepository: true }),
                /** CodeBuild image for the layer build. */
                buildImage: z.string().min(1).default("aws/codebuild/amazonlinux-x86_64-standard:5.0"),
                /** Retention of the build and distributor log groups. */
                logRetentionDays: logRetentionDays.default(90),
                /** E-mail notified by the distributor's error alarm (optional). */
                alarmEmail: email.optional(),
            })
            .strict()
            .prefault({}),
    })
    .strict()
    .superRefine((c, ctx) => {
        addDuplicateIssues(c.regions, "regions", ctx);
        if (c.organizationId && c.principal !== "*") {
            ctx.addIssue({ code: "custom", path: ["principal"], message: 'must be "*" when organizationId is set (AWS shares with an organization through principal "*")' });
        }
        if (c.principal === "*" && !c.organizationId && !c.allowPublic) {
            ctx.addIssue({
                code: "custom",
                path: ["principal"],
                message: '"*" without organizationId makes the layer public; set allowPublic: true to confirm',
            });
        }
        if (c.allowPublic && c.principal !== "*") {
            ctx.addIssue({ code: "custom", path: ["allowPublic"], message: 'only applies with principal "*"' });
        }
        if (c.mode === "pipeline") {
            // Each Distribute action carries these fields as its UserParameters JSON, and
            // CodePipeline caps an action configuration value at 1,000 characters.
            const longest = Math.max(
                ...c.regions.map(
                    (r) =>
                        JSON.stringify({
                            region: r,
                            layerName: c.layerName,
                            runtimes: c.compatibleRuntimes,
                            license: c.license,
                            description: c.description,
                            principal: c.principal ?? "000000000000",
                            organizationId: c.organizationId,
                        }).length,
                ),
            );
            if (longest > USER_PARAMETERS_MAX) {
                ctx.addIssue({
                    code: "custom",
                    path: ["description"],
                    message: `with license and the other layer settings makes a Distribute action's UserParameters ${longest} characters; CodePipeline allows ${USER_PARAMETERS_MAX}: shorten description or license`,
                });
            }
        }
    });

export type LambdaLayersConfig = z.infer<typeof lambdaLayersSchema>;
