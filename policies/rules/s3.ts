import { PolicyResource } from "@pulumi/policy";
import { ACCESS_LOG_BUCKET_NAME, LOG_DESTINATION_TAG } from "../../lib/support/buckets";
import { asList, deniesInsecureTransport, isTrue, known, linked, obj, ofTypes, parseJson, resourceRule, stackRule, tagsOf, withoutTlsOnlyPolicy } from "./util";

/* eslint-disable @typescript-eslint/no-explicit-any */

const BUCKETS = ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"];
/** Both encryption configuration types: @pulumi/aws 7.x still ships the deprecated V2 one (same inputs). */
export const SSE_CONFIGS = [
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
];
const service = "S3";

/** Bucket tag that marks a bucket as holding no data worth versioning (scratch, caches). */
export const EPHEMERAL_TAG = { key: "data-class", value: "ephemeral" };

export const s3PublicAccessBlock = resourceRule({
    name: "s3-8-public-access-block",
    service,
    controls: ["S3.8", "CKV_AWS_53", "CKV_AWS_54", "CKV_AWS_55", "CKV_AWS_56", "AwsSolutions-S2", "NIST.800.53.R5-S3BucketLevelPublicAccessProhibited", "HIPAA.Security-S3BucketLevelPublicAccessProhibited"],
    level: "mandatory",
    description: "A bucket public access block sets blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets to true.",
    types: ["aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"],
    check: (p, _r, report) => {
        const off = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"].filter((k) => !isTrue(p[k]));
        if (off.length > 0) {
            report(`public access block leaves ${off.join(", ")} off; set all four to true`);
        }
    },
});

export const s3BucketHasPublicAccessBlock = stackRule({
    name: "s3-8-bucket-public-access-block-attached",
    service,
    controls: ["S3.8", "CKV2_AWS_6"],
    level: "mandatory",
    description: "Every bucket has a BucketPublicAccessBlock.",
    check: (resources, _env, report) => {
        const pabs = ofTypes(resources, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock");
        for (const b of ofTypes(resources, ...BUCKETS)) {
            if (linked(b, pabs, "bucket").length === 0) {
                report(`bucket ${b.name} has no BucketPublicAccessBlock`, b.urn);
            }
        }
    },
});

export const s3KmsEncryption = resourceRule({
    name: "s3-17-kms-encryption",
    service,
    controls: ["S3.17", "CKV_AWS_145", "NIST.800.53.R5-S3DefaultEncryptionKMS", "HIPAA.Security-S3DefaultEncryptionKMS"],
    level: "mandatory",
    description:
        "A bucket encryption configuration (BucketServerSideEncryptionConfiguration or its V2) uses SSE-KMS (aws:kms or aws:kms:dsse) by default. Exemption: the access-log bucket of an (account, Region) (`access-logs-<account>-<region>-sse`) uses SSE-S3, the only encryption S3 delivers server access logs to (S3 User Guide, enable-server-access-logging).",
    types: SSE_CONFIGS,
    check: (p, r, report) => {
        const rules = asList<any>(parseJson(p.rules));
        const algos = rules.map((r) => obj(r?.applyServerSideEncryptionByDefault)?.sseAlgorithm);
        if (ACCESS_LOG_BUCKET_NAME.test(r.name.replace(/-sse$/, "")) && algos.length > 0 && algos.every((a) => a === "AES256")) {
            return;
        }
        if (algos.length === 0 || !algos.every((a) => a === "aws:kms" || a === "aws:kms:dsse")) {
            report(`default encryption is ${algos.join(", ") || "not set"}; use aws:kms with a customer managed key`);
        }
    },
});

export const s3AccessLogging = stackRule({
    name: "s3-9-access-logging",
    service,
    controls: ["S3.9", "AwsSolutions-S1", "NIST.800.53.R5-S3BucketLoggingEnabled", "HIPAA.Security-S3BucketLoggingEnabled", "awsguard:s3-bucket-logging-enabled", "CKV_AWS_18"],
    level: "mandatory",
    description:
        "Every bucket has server access logging (a BucketLogging naming it) to another bucket. Exemption: a log destination (tag purpose=s3-access-logs) does not log into itself.",
    check: (resources, _env, report) => {
        const loggings = ofTypes(resources, "aws:s3/bucketLogging:BucketLogging", "aws:s3/bucketLoggingV2:BucketLoggingV2");
        for (const b of ofTypes(resources, ...BUCKETS)) {
            if (known(() => tagsOf(b.props ?? {})[LOG_DESTINATION_TAG.key] === LOG_DESTINATION_TAG.value, false)) {
                continue;
            }
            if (linked(b, loggings, "bucket").length === 0 && !known(() => !!obj(b.props?.logging)?.targetBucket, false)) {
                report(`bucket ${b.name} has no server access logging`, b.urn);
            }
        }
    },
});

export const s3BucketHasEncryption = stackRule({
    name: "s3-17-bucket-encryption-attached",
    service,
    controls: ["S3.17", "CKV_AWS_19"],
    level: "mandatory",
    description: "Every bucket has a BucketServerSideEncryptionConfiguration (or its V2).",
    check: (resources, _env, report) => {
        const confs = ofTypes(resources, ...SSE_CONFIGS);
        for (const b of ofTypes(resources, ...BUCKETS)) {
            if (linked(b, confs, "bucket").length === 0 && !b.props?.serverSideEncryptionConfiguration) {
                report(`bucket ${b.name} has no server-side encryption configuration`, b.urn);
            }
        }
    },
});

export const s3TlsOnly = stackRule({
    name: "s3-5-tls-only-policy",
    service,
    controls: ["S3.5", "AwsSolutions-S10", "NIST.800.53.R5-S3BucketSSLRequestsOnly", "HIPAA.Security-S3BucketSSLRequestsOnly"],
    level: "mandatory",
    description: "Every bucket has a BucketPolicy that denies requests where aws:SecureTransport is false.",
    check: (resources, _env, report) => {
        const attached = (p: PolicyResource, b: PolicyResource) => linked(b, [p], "bucket").length > 0;
        const without = withoutTlsOnlyPolicy(ofTypes(resources, ...BUCKETS), ofTypes(resources, "aws:s3/bucketPolicy:BucketPolicy"), attached);
        // A legacy bucket may also carry its policy inline (`policy`).
        for (const b of without.filter((x) => !known(() => deniesInsecureTransport(x.props?.policy), false))) {
            report(`bucket ${b.name} has no policy denying aws:SecureTransport=false`, b.urn);
        }
    },
});

export const s3Versioning = stackRule({
    name: "s3-14-versioning",
    service,
    controls: ["S3.14", "CKV_AWS_21", "NIST.800.53.R5-S3BucketVersioningEnabled", "HIPAA.Security-S3BucketVersioningEnabled"],
    level: "mandatory",
    description: `Every bucket has BucketVersioning with status Enabled, unless tagged ${EPHEMERAL_TAG.key}=${EPHEMERAL_TAG.value}.`,
    check: (resources, _env, report) => {
        const vers = ofTypes(resources, "aws:s3/bucketVersioning:BucketVersioning", "aws:s3/bucketVersioningV2:BucketVersioningV2");
        for (const b of ofTypes(resources, ...BUCKETS)) {
            if (tagsOf(b.props ?? {})[EPHEMERAL_TAG.key] === EPHEMERAL_TAG.value) {
                continue;
            }
            const ok = linked(b, vers, "bucket").some((v) => obj(v.props?.versioningConfiguration)?.status === "Enabled");
            if (!ok) {
                report(`bucket ${b.name} has no versioning Enabled (tag it ${EPHEMERAL_TAG.key}=${EPHEMERAL_TAG.value} if it holds no data)`, b.urn);
            }
        }
    },
});

const PUBLIC_ACLS = ["public-read", "public-read-write", "authenticated-read"];

export const s3NoPublicAcl = resourceRule({
    name: "s3-2-no-public-acl",
    service,
    controls: ["S3.2", "S3.3", "CKV_AWS_20", "CKV_AWS_57", "NIST.800.53.R5-S3BucketPublicReadProhibited", "HIPAA.Security-S3BucketPublicReadProhibited", "NIST.800.53.R5-S3BucketPublicWriteProhibited", "HIPAA.Security-S3BucketPublicWriteProhibited"],
    level: "mandatory",
    description: "No bucket or BucketAcl grants a public canned ACL (public-read, public-read-write, authenticated-read).",
    types: [...BUCKETS, "aws:s3/bucketAcl:BucketAcl", "aws:s3/bucketAclV2:BucketAclV2"],
    check: (p, _r, report) => {
        if (PUBLIC_ACLS.includes(p.acl)) {
            report(`canned ACL ${p.acl} makes the bucket public`);
        }
        const grants = asList<any>(obj(p.accessControlPolicy)?.grants);
        if (grants.some((g) => /AllUsers|AuthenticatedUsers/.test(obj(g?.grantee)?.uri ?? ""))) {
            report("an ACL grant is given to AllUsers/AuthenticatedUsers");
        }
    },
});

export const rules = [s3PublicAccessBlock, s3BucketHasPublicAccessBlock, s3KmsEncryption, s3BucketHasEncryption, s3TlsOnly, s3Versioning, s3NoPublicAcl, s3AccessLogging];
