/**
 * Names and tags of the server access log buckets, shared by the program (lib/aws/bucket.ts) and
 * the policy pack (which cannot load @pulumi/aws). Dependency-free.
 */

/** Logical name of the access-log bucket of an (account, Region): `access-logs-<account>-<region>`. */
export const ACCESS_LOG_BUCKET_NAME = /^access-logs-\d{12}-[a-z]{2}(-[a-z]+)+-\d$/;

/** Tag of the buckets that receive server access logs: SSE-S3 (S3's requirement) and not logged themselves. */
export const LOG_DESTINATION_TAG = { key: "purpose", value: "s3-access-logs" };
