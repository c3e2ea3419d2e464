import { isTrue, resourceRule } from "./util";

export const kmsRotation = resourceRule({
    name: "kms-4-key-rotation",
    service: "KMS",
    controls: ["KMS.4", "CKV_AWS_7", "AwsSolutions-KMS5", "NIST.800.53.R5-KMSBackingKeyRotationEnabled", "HIPAA.Security-KMSBackingKeyRotationEnabled", "awsguard:cmk-backing-key-rotation-enabled"],
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

export const rules = [kmsRotation];
