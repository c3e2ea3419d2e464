import { environmentOf, isTrue, linked, obj, ofTypes, resourceRule, stackRule } from "./util";

/* eslint-disable @typescript-eslint/no-explicit-any */

export const dynamoPitr = resourceRule({
    name: "dynamodb-2-pitr",
    service: "DynamoDB",
    controls: ["DynamoDB.2", "CKV_AWS_28"],
    level: "mandatory",
    description: "DynamoDB tables have point-in-time recovery enabled.",
    types: ["aws:dynamodb/table:Table"],
    check: (p, _r, report) => {
        if (!isTrue(obj(p.pointInTimeRecovery)?.enabled)) {
            report("pointInTimeRecovery.enabled is not true");
        }
    },
});

export const dynamoKms = resourceRule({
    name: "ckv-aws-119-dynamodb-kms",
    service: "DynamoDB",
    controls: ["CKV_AWS_119"],
    level: "mandatory",
    description: "DynamoDB tables use KMS server-side encryption (serverSideEncryption.enabled, customer managed key recommended).",
    types: ["aws:dynamodb/table:Table"],
    check: (p, _r, report) => {
        if (!isTrue(obj(p.serverSideEncryption)?.enabled)) {
            report("serverSideEncryption.enabled is not true (the table uses the AWS owned key)");
        }
    },
});

export const dynamoDeletionProtection = resourceRule({
    name: "dynamodb-6-deletion-protection",
    service: "DynamoDB",
    controls: ["DynamoDB.6"],
    level: "mandatory",
    description: "In prod, DynamoDB tables have deletionProtectionEnabled.",
    types: ["aws:dynamodb/table:Table"],
    check: (p, r, report) => {
        if (environmentOf(r) === "prod" && !isTrue(p.deletionProtectionEnabled)) {
            report("prod table without deletionProtectionEnabled");
        }
    },
});

export const kmsRotation = resourceRule({
    name: "kms-4-key-rotation",
    service: "KMS",
    controls: ["KMS.4", "CKV_AWS_7"],
    level: "mandatory",
    description: "Symmetric encryption KMS keys have automatic rotation enabled.",
    types: ["aws:kms/key:Key"],
    check: (p, _r, report) => {
        const spec = p.customerMasterKeySpec ?? p.keySpec ?? "SYMMETRIC_DEFAULT";
        const usage = p.keyUsage ?? "ENCRYPT_DECRYPT";
        if (spec === "SYMMETRIC_DEFAULT" && usage === "ENCRYPT_DECRYPT" && !isTrue(p.enableKeyRotation)) {
            report("enableKeyRotation is not true");
        }
    },
});

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

export const secretKms = resourceRule({
    name: "ckv-aws-149-secret-kms",
    service: "Secrets Manager",
    controls: ["CKV_AWS_149"],
    level: "mandatory",
    description: "Secrets Manager secrets are encrypted with a customer managed KMS key (kmsKeyId).",
    types: ["aws:secretsmanager/secret:Secret"],
    check: (p, _r, report) => {
        if (!p.kmsKeyId) {
            report("secret has no kmsKeyId (uses aws/secretsmanager)");
        }
    },
});

export const kinesisEncryption = resourceRule({
    name: "kinesis-1-encryption",
    service: "Kinesis",
    controls: ["Kinesis.1", "CKV_AWS_43"],
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
    controls: ["DataFirehose.1", "CKV_AWS_240"],
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

export const efsEncrypted = resourceRule({
    name: "efs-1-encrypted",
    service: "EFS",
    controls: ["EFS.1", "CKV_AWS_42", "CKV_AWS_184"],
    level: "mandatory",
    description: "EFS file systems are encrypted at rest (encrypted with a kmsKeyId).",
    types: ["aws:efs/fileSystem:FileSystem"],
    check: (p, _r, report) => {
        if (!isTrue(p.encrypted)) {
            report("file system is not encrypted");
        } else if (!p.kmsKeyId) {
            report("file system uses the AWS managed key; set kmsKeyId");
        }
    },
});

export const efsBackup = stackRule({
    name: "efs-2-backup-policy",
    service: "EFS",
    controls: ["EFS.2"],
    level: "mandatory",
    description: "Every EFS file system has a BackupPolicy with status ENABLED.",
    check: (resources, _env, report) => {
        const pols = ofTypes(resources, "aws:efs/backupPolicy:BackupPolicy");
        for (const fs of ofTypes(resources, "aws:efs/fileSystem:FileSystem")) {
            const ok = linked(fs, pols, "fileSystemId").some((b) => obj(b.props?.backupPolicy)?.status === "ENABLED");
            if (!ok) {
                report(`file system ${fs.name} has no enabled backup policy`, fs.urn);
            }
        }
    },
});

export const rules = [dynamoPitr, dynamoKms, dynamoDeletionProtection, kmsRotation, logRetention, logKms, secretKms, kinesisEncryption, firehoseSse, efsEncrypted, efsBackup];
