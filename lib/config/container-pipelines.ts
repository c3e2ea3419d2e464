import { z } from "zod";
import { accountRef, email, logRetentionDays, positiveInt, region } from "./common";
import { pipelineSourceSchema } from "./lambda-layers";

/** An ECR repository name. */
const ecrRepoName = z.string().regex(/^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/, {
    message: "must be lower-case letters, digits and . _ - / (ECR repository name)",
});

/** A Lambda function name. */
const functionName = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, { message: "must be 1-64 letters, digits, - or _" });

/** A CodePipeline pipeline name. */
const pipelineName = z.string().regex(/^[A-Za-z0-9.@_-]{1,100}$/, { message: "must be 1-100 of A-Z a-z 0-9 . @ _ -" });

/** Config of the container-image Lambda pipelines concern (`awsarch:containerPipelines`, SPEC concern 4). */
export const containerPipelinesSchema = z
    .object({
        /** Deploy this concern. */
        enabled: z.boolean().default(true),
        /** Key in `accounts` of the account that owns the pipelines, the repository and the function. */
        account: accountRef,
        /** Region of everything in this concern. */
        region: region.default("us-east-1"),
        /** ECR repository of the function's image. */
        repositoryName: ecrRepoName.default("container-app"),
        /** The application's source repository (the example app lives in `examples/container-app/`). */
        source: pipelineSourceSchema.default({ type: "codeCommit", repositoryName: "container-app-source", branch: "main", createRepository: true }),
        /** Path of the image build's buildspec inside the source repository. */
        buildspecPath: z.string().min(1).default("buildspec.yml"),
        /** Where pipeline 1 takes the image tag from: the `VERSION` file of the source, or the commit ID. */
        imageTagFrom: z.enum(["versionFile", "commit"]).default("versionFile"),
        /** Pipeline 1: builds and pushes the image. */
        buildPipelineName: pipelineName.default("lambda-container-image-deployment-pipeline"),
        /** Pipeline 2: moves the function onto the newest image. */
        deployPipelineName: pipelineName.default("lambda-container-function-deployment-pipeline"),
        /** ECR lifecycle: untagged images expire after this many days. */
        untaggedImageExpiryDays: positiveInt.default(7),
        /** ECR lifecycle: keep at most this many images in total (oldest expire first). */
        maxImageCount: positiveInt.max(10000).default(50),
        /** Retention of the build and function log groups. */
        logRetentionDays: logRetentionDays.default(90),
        /** E-mail notified by the function's error alarm (optional). */
        alarmEmail: email.optional(),
        /** The image-based Lambda function. */
        function: z
            .object({
                /** Function name (pipeline 2 updates this function). */
                name: functionName.default("container-app"),
                /**
                 * The image the program creates the function from. Leave unset on the first
                 * deploy (the repository is still empty); after pipeline 1 pushed an image, set it
                 * (e.g. `<account>.dkr.ecr.us-east-1.amazonaws.com/container-app:1.0.0`). Later
                 * image changes come from pipeline 2 and are not reverted by the program.
                 */
                imageUri: z
                    .string()
                    .regex(/^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com\/[a-z0-9._\/-]+(:[\w.-]{1,128}|@sha256:[a-f0-9]{64})$/, {
                        message: "must be an ECR image URI with a tag or digest",
                    })
                    .optional(),
                /** Memory in MB. */
                memorySize: z.number().int().min(128).max(10240).default(512),
                /** Timeout in seconds. */
                timeout: z.number().int().min(1).max(900).default(30),
                /** Instruction set of the image. */
                architecture: z.enum(["x86_64", "arm64"]).default("x86_64"),
            })
            .strict()
            .prefault({}),
    })
    .strict()
    .superRefine((c, ctx) => {
        if (c.buildPipelineName === c.deployPipelineName) {
            ctx.addIssue({ code: "custom", path: ["deployPipelineName"], message: "must differ from buildPipelineName" });
        }
        const uri = c.function.imageUri;
        if (uri) {
            const m = /^\d{12}\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com\/([^:@]+)/.exec(uri);
            if (m && m[1] !== c.region) {
                ctx.addIssue({ code: "custom", path: ["function", "imageUri"], message: `is in ${m[1]}, but the function is in ${c.region} (Lambda pulls images from its own Region)` });
            }
        }
    });

export type ContainerPipelinesConfig = z.infer<typeof containerPipelinesSchema>;
