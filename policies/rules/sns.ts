import { resourceRule } from "./util";

export const snsKms = resourceRule({
    name: "sns-1-kms-encryption",
    service: "SNS",
    controls: ["SNS.1", "CKV_AWS_26"],
    level: "mandatory",
    description: "SNS topics are encrypted with a KMS key (kmsMasterKeyId).",
    types: ["aws:sns/topic:Topic"],
    check: (p, _r, report) => {
        if (!p.kmsMasterKeyId) {
            report("topic has no kmsMasterKeyId");
        }
    },
});

export const rules = [snsKms];
