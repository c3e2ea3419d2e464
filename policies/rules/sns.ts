import { PolicyResource } from "@pulumi/policy";
import { linked, ofTypes, resourceRule, stackRule, withoutTlsOnlyPolicy } from "./util";

export const snsKms = resourceRule({
    name: "sns-1-kms-encryption",
    service: "SNS",
    controls: ["SNS.1", "CKV_AWS_26", "NIST.800.53.R5-SNSEncryptedKMS", "HIPAA.Security-SNSEncryptedKMS"],
    level: "mandatory",
    description: "SNS topics are encrypted with a KMS key (kmsMasterKeyId).",
    types: ["aws:sns/topic:Topic"],
    check: (p, _r, report) => {
        if (!p.kmsMasterKeyId) {
            report("topic has no kmsMasterKeyId");
        }
    },
});

export const snsTlsOnly = stackRule({
    name: "sns-tls-only",
    service: "SNS",
    controls: ["AwsSolutions-SNS3"],
    level: "mandatory",
    description: "Every SNS topic has a topic policy denying sns:Publish without TLS (aws:SecureTransport false).",
    check: (resources, _env, report) => {
        const attached = (p: PolicyResource, t: PolicyResource) => linked(t, [p], "arn").length > 0;
        for (const t of withoutTlsOnlyPolicy(ofTypes(resources, "aws:sns/topic:Topic"), ofTypes(resources, "aws:sns/topicPolicy:TopicPolicy"), attached)) {
            report(`topic ${t.name} has no policy denying publishes without TLS`, t.urn);
        }
    },
});

export const rules = [snsKms, snsTlsOnly];
