import { resourceRule } from "./util";

export const secretKms = resourceRule({
    name: "ckv-aws-149-secret-kms",
    service: "Secrets Manager",
    controls: ["CKV_AWS_149", "NIST.800.53.R5-SecretsManagerUsingKMSKey", "HIPAA.Security-SecretsManagerUsingKMSKey"],
    level: "mandatory",
    description: "Secrets Manager secrets are encrypted with a customer managed KMS key (kmsKeyId).",
    types: ["aws:secretsmanager/secret:Secret"],
    check: (p, _r, report) => {
        if (!p.kmsKeyId) {
            report("secret has no kmsKeyId (uses aws/secretsmanager)");
        }
    },
});

export const rules = [secretKms];
