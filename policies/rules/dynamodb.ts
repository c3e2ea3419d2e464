import { environmentOf, isTrue, obj, resourceRule } from "./util";

export const dynamoPitr = resourceRule({
    name: "dynamodb-2-pitr",
    service: "DynamoDB",
    controls: ["DynamoDB.2", "CKV_AWS_28", "AwsSolutions-DDB3", "NIST.800.53.R5-DynamoDBPITREnabled", "HIPAA.Security-DynamoDBPITREnabled"],
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
    controls: ["CKV_AWS_119", "awsguard:dynamodb-table-encryption-enabled"],
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

export const rules = [dynamoPitr, dynamoKms, dynamoDeletionProtection];
