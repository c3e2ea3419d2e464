import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { LOG_DESTINATION_TAG } from "../support/buckets";
import { denyInsecureTransport } from "./iam";
import type { ProviderRegistry } from "../providers";

/**
 * The secure S3 bucket every component of this program uses: a bucket (v2
 * shape) with separate versioning, SSE-KMS (bucket key on), public access
 * block, TLS-only bucket policy and lifecycle resources. A plain function, not
 * a component: every resource gets the caller's options, so parents and URNs
 * stay those of the caller.
 */

/** Inputs of {@link secureBucket}. */
export interface SecureBucketArgs {
    /** Arguments of the bucket itself (`bucket` or `bucketPrefix`); `forceDestroy` defaults to false. */
    bucketArgs?: aws.s3.BucketArgs;
    /**
     * ARN of the KMS key objects are encrypted with by default. Only a server access log
     * destination (`logDestination`) has none: S3 delivers access logs only to SSE-S3 buckets.
     */
    kmsKeyArn?: pulumi.Input<string>;
    /**
     * Where S3 writes this bucket's server access logs (Security Hub S3.9, cdk-nag AwsSolutions-S1):
     * the (account, Region)'s access-log bucket (`AccessLogBuckets`), under `prefix`.
     * Required but for a log destination itself.
     */
    accessLogs?: { bucket: pulumi.Input<string>; prefix: string };
    /** This bucket receives the server access logs of the account's buckets (S3's log delivery may write to it). */
    logDestination?: { accountId: string };
    /** Lifecycle rules (the lifecycle configuration is created after versioning). */
    lifecycleRules: pulumi.Input<aws.types.input.s3.BucketLifecycleConfigurationRule>[];
    /** Protect the bucket (prod); its guard resources are never protected. */
    protect: boolean;
    /** Also enforce bucket-owner object ownership (ACLs disabled) with a `-ownership` resource. */
    ownerEnforced?: boolean;
    /** Suffix of the public access block's logical name (default `-pab`). */
    publicAccessBlockSuffix?: string;
}

/** The bucket and its guard resources. */
export interface SecureBucket {
    bucket: aws.s3.Bucket;
    versioning: aws.s3.BucketVersioning;
    encryption: aws.s3.BucketServerSideEncryptionConfiguration;
    publicAccessBlock: aws.s3.BucketPublicAccessBlock;
    ownership?: aws.s3.BucketOwnershipControls;
    lifecycle: aws.s3.BucketLifecycleConfiguration;
    policy: aws.s3.BucketPolicy;
    /** Where its server access logs go (none for a log destination). */
    logging?: aws.s3.BucketLogging;
}

export { ACCESS_LOG_BUCKET_NAME, LOG_DESTINATION_TAG } from "../support/buckets";

/** The bucket-policy statement denying every request not made over TLS (the bucket and its objects). */
export function denyInsecureTransportStatement(bucket: aws.s3.Bucket): object {
    return denyInsecureTransport("s3:*", [bucket.arn, pulumi.interpolate`${bucket.arn}/*`]);
}

/**
 * A bucket named `name` with `<name>-versioning` (enabled), `<name>-sse`
 * (SSE-KMS with `kmsKeyArn`, bucket key on), `<name>-pab` (all four public
 * access blocks), optionally `<name>-ownership` (BucketOwnerEnforced),
 * `<name>-lifecycle` (the given rules, after versioning) and `<name>-policy`
 * (TLS-only, after the public access block). All are created with `opts`; the
 * bucket also with `protect`.
 */
export function secureBucket(name: string, args: SecureBucketArgs, opts: pulumi.CustomResourceOptions): SecureBucket {
    if (!args.logDestination && (args.kmsKeyArn === undefined || args.accessLogs === undefined)) {
        throw new Error(`${name}: a bucket needs a KMS key and an access-log destination (only a log destination itself has neither)`);
    }
    const tags = args.logDestination ? { ...(args.bucketArgs?.tags as Record<string, string> | undefined), [LOG_DESTINATION_TAG.key]: LOG_DESTINATION_TAG.value } : args.bucketArgs?.tags;
    const bucket = new aws.s3.Bucket(name, { forceDestroy: false, ...args.bucketArgs, ...(tags ? { tags } : {}) }, { ...opts, protect: args.protect });
    const publicAccessBlock = new aws.s3.BucketPublicAccessBlock(
        `${name}${args.publicAccessBlockSuffix ?? "-pab"}`,
        { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
        opts,
    );
    const versioning = new aws.s3.BucketVersioning(`${name}-versioning`, { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } }, opts);
    const encryption = new aws.s3.BucketServerSideEncryptionConfiguration(
        `${name}-sse`,
        {
            bucket: bucket.id,
            rules: [
                args.logDestination
                    ? // S3 User Guide, "enable-server-access-logging": the destination bucket may use SSE-S3 only.
                      { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }
                    : { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: args.kmsKeyArn }, bucketKeyEnabled: true },
            ],
        },
        opts,
    );
    const ownership = args.ownerEnforced
        ? new aws.s3.BucketOwnershipControls(`${name}-ownership`, { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } }, opts)
        : undefined;
    const lifecycle = new aws.s3.BucketLifecycleConfiguration(
        `${name}-lifecycle`,
        { bucket: bucket.id, rules: args.lifecycleRules },
        { ...opts, dependsOn: [versioning] },
    );
    const delivery = args.logDestination
        ? [
              {
                  // S3 User Guide, "enable-server-access-logging" (grant the logging service principal): only
                  // for this account's buckets (aws:SourceAccount); object ownership is BucketOwnerEnforced.
                  Sid: "S3ServerAccessLogDelivery",
                  Effect: "Allow",
                  Principal: { Service: "logging.s3.amazonaws.com" },
                  Action: "s3:PutObject",
                  Resource: pulumi.interpolate`${bucket.arn}/*`,
                  Condition: { StringEquals: { "aws:SourceAccount": args.logDestination.accountId } },
              },
          ]
        : [];
    const policy = new aws.s3.BucketPolicy(
        `${name}-policy`,
        { bucket: bucket.id, policy: pulumi.jsonStringify({ Version: "2012-10-17", Statement: [...delivery, denyInsecureTransportStatement(bucket)] }) },
        { ...opts, dependsOn: [publicAccessBlock] },
    );
    const logging = args.accessLogs
        ? new aws.s3.BucketLogging(`${name}-access-logs`, { bucket: bucket.id, targetBucket: args.accessLogs.bucket, targetPrefix: args.accessLogs.prefix }, opts)
        : undefined;
    return { bucket, versioning, encryption, publicAccessBlock, ownership, lifecycle, policy, logging };
}

/**
 * The server access log bucket of one (account, Region): protected in prod, SSE-S3, versioned,
 * TLS-only, objects expire after `expireDays` (noncurrent versions after 30 days), S3's log
 * delivery admitted for the account's own buckets. A platform component (`awsarch:platform:*`):
 * the concerns of that (account, Region) share it.
 */
export class AccessLogBucket extends pulumi.ComponentResource {
    /** The bucket. */
    public readonly bucket: aws.s3.Bucket;

    constructor(name: string, args: { bucketName: string; accountId: string; protect: boolean; expireDays: number }, opts: pulumi.ComponentResourceOptions) {
        super("awsarch:platform:AccessLogBucket", name, {}, opts);
        this.bucket = secureBucket(
            name,
            {
                bucketArgs: { bucket: args.bucketName },
                logDestination: { accountId: args.accountId },
                protect: args.protect,
                ownerEnforced: true,
                lifecycleRules: [
                    {
                        id: "expire-access-logs",
                        status: "Enabled",
                        filter: {},
                        expiration: { days: args.expireDays },
                        noncurrentVersionExpiration: { noncurrentDays: 30 },
                        abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
                    },
                ],
            },
            { parent: this },
        ).bucket;
        this.registerOutputs({ bucket: this.bucket.bucket });
    }
}

/** One {@link AccessLogBucket} per (account, Region) the stack writes buckets in, created on first use with that (account, Region)'s provider. */
export class AccessLogBuckets {
    private readonly buckets = new Map<string, aws.s3.Bucket>();

    constructor(
        private readonly namePrefix: string,
        private readonly protect: boolean,
        private readonly providers: Pick<ProviderRegistry, "get" | "accountId">,
        private readonly expireDays = 365,
    ) {}

    /** The name of the access-log bucket of `account` (a key of the stack's `accounts`) in `region`, created the first time. */
    bucketFor(account: string, region: string): pulumi.Output<string> {
        const accountId = this.providers.accountId(account);
        const key = `${accountId}-${region}`;
        let bucket = this.buckets.get(key);
        if (!bucket) {
            bucket = new AccessLogBucket(
                `access-logs-${key}`,
                { bucketName: `${this.namePrefix}-access-logs-${key}`, accountId, protect: this.protect, expireDays: this.expireDays },
                { provider: this.providers.get(account, region) },
            ).bucket;
            this.buckets.set(key, bucket);
        }
        return bucket.bucket;
    }
}
