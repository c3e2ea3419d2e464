import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

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
    /** ARN of the KMS key objects are encrypted with by default. */
    kmsKeyArn: pulumi.Input<string>;
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
}

/** The bucket-policy statement denying every request not made over TLS. */
export function denyInsecureTransportStatement(bucket: aws.s3.Bucket): object {
    return {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [bucket.arn, pulumi.interpolate`${bucket.arn}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
    };
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
    const bucket = new aws.s3.Bucket(name, { forceDestroy: false, ...args.bucketArgs }, { ...opts, protect: args.protect });
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
            rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: args.kmsKeyArn }, bucketKeyEnabled: true }],
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
    const policy = new aws.s3.BucketPolicy(
        `${name}-policy`,
        { bucket: bucket.id, policy: pulumi.jsonStringify({ Version: "2012-10-17", Statement: [denyInsecureTransportStatement(bucket)] }) },
        { ...opts, dependsOn: [publicAccessBlock] },
    );
    return { bucket, versioning, encryption, publicAccessBlock, ownership, lifecycle, policy };
}
