import { asList, isTrue, obj, resourceRule, tagsOf } from "./util";

/* eslint-disable @typescript-eslint/no-explicit-any */

/** Tag a CodeBuild project must carry to run privileged (e.g. Docker image builds). */
export const PRIVILEGED_REASON_TAG = "privileged-reason";

export const codebuildPrivileged = resourceRule({
    name: "codebuild-5-privileged-reason",
    service: "CodeBuild",
    controls: ["CodeBuild.5", "CKV_AWS_316"],
    level: "mandatory",
    description: `CodeBuild projects run privileged only when tagged ${PRIVILEGED_REASON_TAG} with the reason.`,
    types: ["aws:codebuild/project:Project"],
    check: (p, _r, report) => {
        if (isTrue(obj(p.environment)?.privilegedMode) && !tagsOf(p)[PRIVILEGED_REASON_TAG]) {
            report(`privilegedMode is on without a ${PRIVILEGED_REASON_TAG} tag`);
        }
    },
});

export const codebuildKms = resourceRule({
    name: "ckv-aws-147-codebuild-kms",
    service: "CodeBuild",
    controls: ["CKV_AWS_147", "AwsSolutions-CB4"],
    level: "mandatory",
    description: "CodeBuild projects encrypt build output with a customer managed KMS key (encryptionKey).",
    types: ["aws:codebuild/project:Project"],
    check: (p, _r, report) => {
        if (!p.encryptionKey) {
            report("encryptionKey is not set (uses the aws/s3 managed key)");
        }
    },
});

export const codepipelineKms = resourceRule({
    name: "ckv-aws-219-codepipeline-kms",
    service: "CodePipeline",
    controls: ["CKV_AWS_219"],
    level: "mandatory",
    description: "CodePipeline artifact stores are encrypted with a customer managed KMS key.",
    types: ["aws:codepipeline/pipeline:Pipeline"],
    check: (p, _r, report) => {
        const stores = asList<any>(p.artifactStores);
        if (stores.length === 0 || stores.some((s) => !obj(s?.encryptionKey)?.id)) {
            report("an artifact store has no encryptionKey");
        }
    },
});

export const codebuildManagedImage = resourceRule({
    name: "codebuild-managed-image",
    service: "CodeBuild",
    controls: ["AwsSolutions-CB5"],
    level: "mandatory",
    description: "CodeBuild projects build in an AWS-managed image (`aws/codebuild/...`), which AWS patches.",
    types: ["aws:codebuild/project:Project"],
    check: (p, _r, report) => {
        const image = String(obj(p.environment)?.image ?? "");
        if (!image.startsWith("aws/codebuild/")) {
            report(`build image ${image || "(none)"} is not an AWS-managed CodeBuild image`);
        }
    },
});

export const codebuildNoCredentials = resourceRule({
    name: "codebuild-no-credentials",
    service: "CodeBuild",
    controls: ["HIPAA.Security-CodeBuildProjectEnvVarAwsCred", "HIPAA.Security-CodeBuildProjectSourceRepoUrl", "CodeBuild.1", "CodeBuild.2"],
    level: "mandatory",
    description: "No AWS access key in a plaintext environment variable and no credentials in a source URL: builds use their service role and Secrets Manager variables.",
    types: ["aws:codebuild/project:Project"],
    check: (p, _r, report) => {
        for (const v of asList<any>(obj(p.environment)?.environmentVariables)) {
            if ((v?.type ?? "PLAINTEXT") === "PLAINTEXT" && /^(AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY)$/.test(String(v?.name))) {
                report(`environment variable ${v.name} holds an AWS credential in plaintext`);
            }
        }
        const location = String(obj(p.source)?.location ?? "");
        if (/^https?:\/\/[^/@]+@/.test(location)) {
            report("the source URL carries credentials");
        }
    },
});

export const rules = [codebuildPrivileged, codebuildKms, codepipelineKms, codebuildManagedImage, codebuildNoCredentials];
