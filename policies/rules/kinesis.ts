import { isTrue, obj, resourceRule } from "./util";

export const kinesisEncryption = resourceRule({
    name: "kinesis-1-encryption",
    service: "Kinesis",
    controls: ["Kinesis.1", "CKV_AWS_43", "AwsSolutions-KDS1"],
    level: "mandatory",
    description: "Kinesis data streams use encryptionType KMS.",
    types: ["aws:kinesis/stream:Stream"],
    check: (p, _r, report) => {
        if (p.encryptionType !== "KMS" || !p.kmsKeyId) {
            report(`encryptionType is ${p.encryptionType ?? "NONE"}${p.kmsKeyId ? "" : " and kmsKeyId is not set"}; use KMS`);
        }
    },
});

export const firehoseSse = resourceRule({
    name: "datafirehose-1-sse",
    service: "Firehose",
    controls: ["DataFirehose.1", "CKV_AWS_240", "AwsSolutions-KDF1"],
    level: "mandatory",
    description: "Firehose delivery streams enable server-side encryption (streams fed by Kinesis or MSK inherit the source's encryption).",
    types: ["aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream"],
    check: (p, _r, report) => {
        if (p.kinesisSourceConfiguration || p.mskSourceConfiguration) {
            return;
        }
        if (!isTrue(obj(p.serverSideEncryption)?.enabled)) {
            report("serverSideEncryption.enabled is not true");
        }
    },
});

export const rules = [kinesisEncryption, firehoseSse];
