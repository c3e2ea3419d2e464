import { isTrue, linked, obj, ofTypes, resourceRule, stackRule } from "./util";

export const efsEncrypted = resourceRule({
    name: "efs-1-encrypted",
    service: "EFS",
    controls: ["EFS.1", "CKV_AWS_42", "CKV_AWS_184", "AwsSolutions-EFS1", "NIST.800.53.R5-EFSEncrypted", "HIPAA.Security-EFSEncrypted", "awsguard:efs-encrypted"],
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
    controls: ["EFS.2", "NIST.800.53.R5-EFSInBackupPlan", "HIPAA.Security-EFSInBackupPlan"],
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

export const rules = [efsEncrypted, efsBackup];
