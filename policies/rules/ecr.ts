import { asList, conditionKeys, isPublicPrincipal, isTrue, obj, resourceRule, statementsOf } from "./util";

/* eslint-disable @typescript-eslint/no-explicit-any */

export const ecrScanOnPush = resourceRule({
    name: "ecr-1-scan-on-push",
    service: "ECR",
    controls: ["ECR.1", "CKV_AWS_163"],
    level: "mandatory",
    description: "ECR repositories scan images on push.",
    types: ["aws:ecr/repository:Repository"],
    check: (p, _r, report) => {
        if (!isTrue(obj(p.imageScanningConfiguration)?.scanOnPush)) {
            report("imageScanningConfiguration.scanOnPush is not true");
        }
    },
});

export const ecrImmutable = resourceRule({
    name: "ecr-2-immutable-tags",
    service: "ECR",
    controls: ["ECR.2", "CKV_AWS_51"],
    level: "mandatory",
    description: "ECR repositories use immutable image tags.",
    types: ["aws:ecr/repository:Repository"],
    check: (p, _r, report) => {
        if (!String(p.imageTagMutability ?? "MUTABLE").startsWith("IMMUTABLE")) {
            report(`imageTagMutability is ${p.imageTagMutability ?? "MUTABLE (default)"}; use IMMUTABLE`);
        }
    },
});

export const ecrKms = resourceRule({
    name: "ckv-aws-136-ecr-kms",
    service: "ECR",
    controls: ["CKV_AWS_136"],
    level: "mandatory",
    description: "ECR repositories encrypt images with KMS (encryptionConfigurations encryptionType KMS).",
    types: ["aws:ecr/repository:Repository"],
    check: (p, _r, report) => {
        const enc = asList<any>(p.encryptionConfigurations);
        if (!enc.some((e) => e?.encryptionType === "KMS" || e?.encryptionType === "KMS_DSSE")) {
            report("encryptionConfigurations does not use KMS (AES256 default)");
        }
    },
});

export const ecrNoPublicPolicy = resourceRule({
    name: "ecr-no-public-policy",
    service: "ECR",
    controls: ["AwsSolutions-ECR1"],
    level: "mandatory",
    description: "A repository policy admits no public principal (`*`) without a condition that scopes it (aws:SourceArn, aws:SourceAccount, aws:PrincipalOrgID).",
    types: ["aws:ecr/repositoryPolicy:RepositoryPolicy"],
    check: (p, _r, report) => {
        const scoping = ["aws:sourcearn", "aws:sourceaccount", "aws:principalorgid", "aws:principalaccount"];
        for (const st of statementsOf(p.policy).filter((s: any) => s?.Effect === "Allow" && isPublicPrincipal(s.Principal))) {
            if (!conditionKeys(st).some((k) => scoping.includes(k))) {
                report(`statement ${st.Sid ?? ""} admits every principal`.replace("  ", " "));
            }
        }
    },
});

export const rules = [ecrScanOnPush, ecrImmutable, ecrKms, ecrNoPublicPolicy];
