import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { irsaTrustPolicy } from "./irsa";
import { keyPolicy, rotatingKey } from "../../lib/aws/kms";
import { secureBucket } from "../../lib/aws/bucket";
import { secureRepository } from "../../lib/aws/ecr";

/** Inputs of {@link FlinkApplication}. */
export interface FlinkApplicationArgs {
    /** The Region. */
    region: string;
    /** The workload account's ID. */
    accountId: string;
    /** The cluster's IAM OIDC provider ARN. */
    oidcProviderArn: pulumi.Input<string>;
    /** The cluster's OIDC issuer without `https://`. */
    oidcProviderUrl: pulumi.Input<string>;
    /** Namespace of the application. */
    namespace: string;
    /** Service account of the JobManager and TaskManagers. */
    serviceAccountName: string;
    /** ECR repository name for the job image. */
    repositoryName: string;
    /**
     * Tag of the job image in that repository. Without it (and without `image`) the Flink workloads are not
     * created and {@link FlinkApplication.nextStep} says what to do.
     */
    imageTag?: string;
    /** A full image reference outside the repository; not together with `imageTag`. */
    image?: string;
    /** Flink version of the job image (named in the next-step hint). */
    flinkVersion: string;
    /** Name of the job bucket (globally unique). */
    bucketName: string;
    /** Kinesis input stream name. */
    streamName: string;
    /** Shards of the input stream. */
    streamShards: number;
    /** Retention of the input stream, hours. */
    streamRetentionHours: number;
    /** The (account, Region)'s server access log bucket (its name): every bucket of the component logs there. */
    accessLogBucket: pulumi.Input<string>;
    /** Protect the data key, bucket, stream and image repository (prod). */
    protect: boolean;
}

/**
 * The AWS side of the Flink application (platform stack): its data (Kinesis
 * input stream, S3 bucket for HA metadata, checkpoints and output, both
 * KMS-encrypted), the ECR repository of the job image and an IRSA role limited
 * to that bucket and stream. The Kubernetes objects are the workloads stack's
 * (`FlinkWorkloads`, run from inside the VPC by the `ClusterDeployer`).
 *
 * The JobManager and TaskManagers run only once an image is named (`imageTag`
 * in this repository, or an external `image`): the repository is created by
 * this same program, so until the image is pushed {@link FlinkApplication.nextStep}
 * says what to do.
 */
export class FlinkApplication extends pulumi.ComponentResource {
    /** KMS key of the bucket, the stream and the repository. */
    public readonly dataKey: aws.kms.Key;
    /** Bucket for HA metadata, checkpoints, savepoints and job output. */
    public readonly bucket: aws.s3.Bucket;
    /** The Kinesis input stream. */
    public readonly stream: aws.kinesis.Stream;
    /** ECR repository of the job image. */
    public readonly repository: aws.ecr.Repository;
    /** IRSA role of the Flink pods. */
    public readonly role: aws.iam.Role;
    /** The image the pods run; undefined until one is configured. */
    public readonly image?: pulumi.Output<string>;
    /** What to do before the workloads can be deployed (push the image, set `imageTag`); undefined once they are. */
    public readonly nextStep?: pulumi.Output<string>;

    constructor(name: string, args: FlinkApplicationArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super("awsarch:flinkEks:FlinkApplication", name, {}, opts);
        // Children (and invokes) inherit the provider the component is given.
        const child = { parent: this };
        const stateful = { ...child, protect: args.protect };
        const ns = args.namespace;
        const sa = args.serviceAccountName;

        this.dataKey = rotatingKey(
            `${name}-data-key`,
            { description: "Encrypts the Flink bucket, input stream and job image repository", policy: keyPolicy(args.accountId) },
            stateful,
        );
        new aws.kms.Alias(`${name}-data-key-alias`, { name: `alias/${args.repositoryName.replace(/[^a-zA-Z0-9_-]/g, "-")}-data`, targetKeyId: this.dataKey.keyId }, child);

        // --- S3: HA storage, checkpoints, savepoints, output ---
        this.bucket = secureBucket(
            `${name}-bucket`,
            {
                bucketArgs: { bucket: args.bucketName },
                kmsKeyArn: this.dataKey.arn,
                accessLogs: { bucket: args.accessLogBucket, prefix: `${args.bucketName}/` },
                protect: args.protect,
                lifecycleRules: [
                    {
                        id: "expire-old-checkpoint-versions",
                        status: "Enabled",
                        filter: {},
                        noncurrentVersionExpiration: { noncurrentDays: 30 },
                        abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
                    },
                ],
            },
            child,
        ).bucket;

        // --- Kinesis input stream ---
        this.stream = new aws.kinesis.Stream(
            `${name}-stream`,
            {
                name: args.streamName,
                shardCount: args.streamShards,
                retentionPeriod: args.streamRetentionHours,
                streamModeDetails: { streamMode: "PROVISIONED" },
                encryptionType: "KMS",
                kmsKeyId: this.dataKey.arn,
            },
            stateful,
        );

        // --- ECR repository for the job image ---
        this.repository = secureRepository(`${name}-repo`, { name: args.repositoryName, kmsKeyArn: this.dataKey.arn }, stateful);
        if (args.image !== undefined && args.imageTag !== undefined) {
            throw new Error(`${name}: set either image or imageTag, not both`);
        }
        if (args.image !== undefined) {
            this.image = pulumi.output(args.image);
        } else if (args.imageTag !== undefined) {
            this.image = pulumi.interpolate`${this.repository.repositoryUrl}:${args.imageTag}`;
        } else {
            const registry = this.repository.repositoryUrl.apply((u) => u.split("/")[0]);
            this.nextStep = pulumi.interpolate`No job image is configured, so the Flink JobManager and TaskManagers are not deployed yet. Build the job image on Flink ${args.flinkVersion} and push it: aws ecr get-login-password --region ${args.region} | docker login --username AWS --password-stdin ${registry} && docker push ${this.repository.repositoryUrl}:<tag> (tags are immutable). Then run pulumi config set --path flinkEks.flink.imageTag <tag> and pulumi up again.`;
        }

        // --- IRSA role: this bucket, this stream, this key ---
        this.role = new aws.iam.Role(
            `${name}-role`,
            {
                description: `Flink pods (${ns}/${sa}, IRSA): job bucket and input stream`,
                assumeRolePolicy: irsaTrustPolicy(args.oidcProviderArn, args.oidcProviderUrl, ns, sa),
            },
            child,
        );
        new aws.iam.RolePolicy(
            `${name}-role-policy`,
            {
                role: this.role.id,
                policy: pulumi.jsonStringify({
                    Version: "2012-10-17",
                    Statement: [
                        { Sid: "ListJobBucket", Effect: "Allow", Action: ["s3:ListBucket", "s3:GetBucketLocation"], Resource: this.bucket.arn },
                        {
                            Sid: "JobBucketObjects",
                            Effect: "Allow",
                            Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"],
                            Resource: pulumi.interpolate`${this.bucket.arn}/*`,
                        },
                        {
                            // Polling reads (the connector's default). kinesis:SubscribeToShard acts on a stream
                            // *consumer* ARN (enhanced fan-out), which this program registers none of.
                            Sid: "ReadInputStream",
                            Effect: "Allow",
                            Action: [
                                "kinesis:DescribeStream",
                                "kinesis:DescribeStreamSummary",
                                "kinesis:GetRecords",
                                "kinesis:GetShardIterator",
                                "kinesis:ListShards",
                            ],
                            Resource: this.stream.arn,
                        },
                        {
                            Sid: "UseDataKey",
                            Effect: "Allow",
                            Action: ["kms:Decrypt", "kms:GenerateDataKey"],
                            Resource: this.dataKey.arn,
                        },
                    ],
                }),
            },
            child,
        );

        this.registerOutputs({
            bucketName: this.bucket.bucket,
            streamArn: this.stream.arn,
            repositoryUrl: this.repository.repositoryUrl,
            roleArn: this.role.arn,
            nextStep: this.nextStep,
        });
    }

}
