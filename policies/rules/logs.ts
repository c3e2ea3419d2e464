import { resourceRule } from "./util";

export const logRetention = resourceRule({
    name: "ckv-aws-66-log-retention",
    service: "CloudWatch Logs",
    controls: ["CKV_AWS_66", "CloudWatch.16"],
    level: "mandatory",
    description: "Log groups set retentionInDays (never keep logs forever by accident).",
    types: ["aws:cloudwatch/logGroup:LogGroup"],
    check: (p, _r, report) => {
        if (!(Number(p.retentionInDays) > 0)) {
            report("retentionInDays is not set");
        }
    },
});

export const logKms = resourceRule({
    name: "ckv-aws-158-log-group-kms",
    service: "CloudWatch Logs",
    controls: ["CKV_AWS_158"],
    level: "advisory",
    description: "Log groups are encrypted with a customer managed KMS key (kmsKeyId).",
    types: ["aws:cloudwatch/logGroup:LogGroup"],
    check: (p, _r, report) => {
        if (!p.kmsKeyId) {
            report("log group has no kmsKeyId");
        }
    },
});

export const rules = [logRetention, logKms];
