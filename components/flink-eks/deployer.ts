import * as fs from "fs";
import * as path from "path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { secureBucket } from "../../lib/aws/bucket";
import { keyPolicy, logsKeyStatement, rotatingKey } from "../../lib/aws/kms";
import { sgEgress, sgIngress } from "../../lib/aws/network";
import { codeBuildRole, KitScope, logGroup, logGroupArn } from "../../lib/aws/pipeline-kit";

/** Where the workflow uploads the program for a deploy (`git archive --format=zip`), in the source bucket. */
export const DEPLOYER_SOURCE_KEY = "source/awsarch.zip";

/** The buildspec the deployer runs (committed beside this file, inlined into the project). */
export const DEPLOYER_BUILDSPEC_FILE = path.join(__dirname, "deployer-buildspec.yml");

/** Inputs of {@link ClusterDeployer}. */
export interface ClusterDeployerArgs {
    region: string;
    accountId: string;
    /** EKS cluster name (names the project, bucket, secret and log group). */
    clusterName: string;
    /** VPC of the cluster. */
    vpcId: pulumi.Input<string>;
    /** Private subnets the builds run in (NAT for Pulumi Cloud, npm and the Pulumi CLI download). */
    privateSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** The cluster security group (EKS attaches it to the control-plane ENIs): the builds reach the API on 443 through it. */
    clusterSecurityGroupId: pulumi.Input<string>;
    /** The workloads stack the builds run, `<org>/<project>/<stack>`. */
    workloadsStack: string;
    /** Retention of the build logs. */
    logRetentionDays: number;
    /** Pulumi CLI version the build installs (the SDK's, so CLI and SDK match). */
    pulumiVersion: string;
    /** The (account, Region)'s server access log bucket (its name): every bucket of the component logs there. */
    accessLogBucket: pulumi.Input<string>;
    /** Protect the key and the token secret (prod). */
    protect: boolean;
}

/**
 * The in-VPC deployer of the Kubernetes half. The API endpoint of the cluster can be private (prod)
 * or restricted to office CIDRs (dev), so neither a GitHub-hosted runner nor any machine outside the
 * VPC can run `pulumi up` for the Kubernetes objects, and no runner can sit inside a VPC that the
 * same `up` creates. So the platform stack (this one, AWS APIs only) creates, next to the cluster, a
 * CodeBuild project in the cluster's private subnets; CI uploads the program to its source bucket
 * and starts a build, which runs `pulumi up` of the workloads stack (the Kubernetes objects, reading
 * this stack's outputs through a StackReference) against the private endpoint. Its role is cluster
 * admin through an access entry and may read only the source bucket, the Pulumi token secret and
 * its own key; its security group may only leave on 443.
 */
export class ClusterDeployer extends pulumi.ComponentResource {
    /** The project CI starts (`aws codebuild start-build`). */
    public readonly project: aws.codebuild.Project;
    /** Its role (the cluster grants it admin through an access entry). */
    public readonly role: aws.iam.Role;
    /** Where CI uploads the program (`DEPLOYER_SOURCE_KEY`). */
    public readonly sourceBucket: aws.s3.Bucket;
    /** The Pulumi access token the build logs in with: created empty, its value is put once by an operator. */
    public readonly tokenSecret: aws.secretsmanager.Secret;
    /** The builds' security group. */
    public readonly securityGroup: aws.ec2.SecurityGroup;

    constructor(name: string, args: ClusterDeployerArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super("awsarch:flinkEks:ClusterDeployer", name, {}, opts);
        const child = { parent: this };
        const cn = args.clusterName;
        const logGroupName = `/aws/codebuild/${cn}-workloads`;
        const scope: KitScope = { parent: this, region: args.region, accountId: args.accountId, protect: args.protect, accessLogBucket: args.accessLogBucket };

        const key = rotatingKey(
            `${name}-key`,
            {
                description: `Deployer of ${cn}: source bucket, Pulumi token secret, build logs and artifacts`,
                policy: keyPolicy(args.accountId, [logsKeyStatement("BuildLogs", args.region, logGroupArn(scope, logGroupName))]),
            },
            { ...child, protect: args.protect },
        );
        const buildLogs = logGroup(`${name}-logs`, scope, logGroupName, args.logRetentionDays, key);

        // Uploaded program archives: replaced on every deploy, kept a week.
        this.sourceBucket = secureBucket(
            `${name}-source`,
            {
                bucketArgs: { bucket: `${cn}-deployer-${args.accountId}-${args.region}`, tags: { "data-class": "ephemeral" } },
                kmsKeyArn: key.arn,
                accessLogs: { bucket: args.accessLogBucket, prefix: `${cn}-deployer/` },
                protect: false,
                lifecycleRules: [
                    {
                        id: "expire-old-sources",
                        status: "Enabled",
                        filter: {},
                        expiration: { days: 7 },
                        noncurrentVersionExpiration: { noncurrentDays: 1 },
                        abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
                    },
                ],
            },
            child,
        ).bucket;

        this.tokenSecret = new aws.secretsmanager.Secret(
            `${name}-pulumi-token`,
            {
                name: `${cn}/deployer/pulumi-access-token`,
                description: `Pulumi access token the ${cn} deployer logs in with (put its value once: aws secretsmanager put-secret-value)`,
                kmsKeyId: key.arn,
            },
            { ...child, protect: args.protect },
        );

        this.securityGroup = new aws.ec2.SecurityGroup(
            `${name}-sg`,
            { vpcId: args.vpcId, name: `${cn}-deployer`, description: `Deploy builds of ${cn}: HTTPS out only`, tags: { Name: `${cn}-deployer` } },
            child,
        );
        sgEgress(`${name}-https-out`, { securityGroupId: this.securityGroup.id, peer: { cidrIpv4: "0.0.0.0/0" }, port: 443, description: "Kubernetes API, Pulumi Cloud, npm, Pulumi CLI download" }, child);
        sgIngress(
            `${name}-to-api`,
            { securityGroupId: args.clusterSecurityGroupId, peer: { referencedSecurityGroupId: this.securityGroup.id }, port: 443, description: "Deploy builds reach the private API endpoint" },
            child,
        );

        const subnetArns = pulumi.output(args.privateSubnetIds).apply((ids) => ids.map((id) => `arn:aws:ec2:${args.region}:${args.accountId}:subnet/${id}`));
        const { role, policy } = codeBuildRole(`${name}-role`, scope, logGroupName, [
            { Sid: "ReadSource", Effect: "Allow", Action: ["s3:GetObject", "s3:GetObjectVersion"], Resource: pulumi.interpolate`${this.sourceBucket.arn}/*` },
            { Sid: "SourceBucket", Effect: "Allow", Action: ["s3:GetBucketLocation", "s3:GetBucketAcl"], Resource: this.sourceBucket.arn },
            { Sid: "PulumiToken", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: this.tokenSecret.arn },
            // Decrypt only: it reads the SSE-KMS source and the token secret, and writes no artifact
            // (lib/plan/wirings.ts, CodeBuild; S3 "UsingKMSEncryption", Secrets Manager "security-encryption").
            { Sid: "UseKey", Effect: "Allow", Action: "kms:Decrypt", Resource: key.arn },
            // CodeBuild in a VPC (CodeBuild user guide, "Use CodeBuild with Amazon VPC"): CodeBuild
            // documents these on Resource "*" (the Describe calls support only "*"; it does not say which
            // interface or subnet ARNs it creates ENIs with); the ENI permission is scoped.
            {
                Sid: "VpcNetworkInterfaces",
                Effect: "Allow",
                Action: [
                    "ec2:CreateNetworkInterface",
                    "ec2:DescribeDhcpOptions",
                    "ec2:DescribeNetworkInterfaces",
                    "ec2:DeleteNetworkInterface",
                    "ec2:DescribeSubnets",
                    "ec2:DescribeSecurityGroups",
                    "ec2:DescribeVpcs",
                ],
                Resource: "*",
            },
            {
                Sid: "VpcNetworkInterfacePermission",
                Effect: "Allow",
                Action: "ec2:CreateNetworkInterfacePermission",
                Resource: `arn:aws:ec2:${args.region}:${args.accountId}:network-interface/*`,
                Condition: { StringEquals: { "ec2:AuthorizedService": "codebuild.amazonaws.com" }, ArnEquals: { "ec2:Subnet": subnetArns } },
            },
        ]);
        this.role = role;

        this.project = new aws.codebuild.Project(
            `${name}-project`,
            {
                name: `${cn}-workloads`,
                description: `Runs pulumi up of ${args.workloadsStack} inside the VPC of ${cn}`,
                serviceRole: this.role.arn,
                encryptionKey: key.arn,
                buildTimeout: 60,
                source: { type: "S3", location: pulumi.interpolate`${this.sourceBucket.bucket}/${DEPLOYER_SOURCE_KEY}`, buildspec: fs.readFileSync(DEPLOYER_BUILDSPEC_FILE, "utf8") },
                artifacts: { type: "NO_ARTIFACTS" },
                environment: {
                    type: "LINUX_CONTAINER",
                    computeType: "BUILD_GENERAL1_MEDIUM",
                    image: "aws/codebuild/amazonlinux-x86_64-standard:5.0",
                    imagePullCredentialsType: "CODEBUILD",
                    privilegedMode: false,
                    environmentVariables: [
                        { name: "WORKLOADS_STACK", value: args.workloadsStack, type: "PLAINTEXT" },
                        { name: "PULUMI_VERSION", value: args.pulumiVersion, type: "PLAINTEXT" },
                        { name: "PULUMI_ACCESS_TOKEN", value: this.tokenSecret.arn, type: "SECRETS_MANAGER" },
                    ],
                },
                vpcConfig: { vpcId: args.vpcId, subnets: args.privateSubnetIds, securityGroupIds: [this.securityGroup.id] },
                logsConfig: { cloudwatchLogs: { status: "ENABLED", groupName: buildLogs.name } },
            },
            { ...child, dependsOn: [policy] },
        );

        this.registerOutputs({ projectName: this.project.name, sourceBucket: this.sourceBucket.bucket, tokenSecretArn: this.tokenSecret.arn, roleArn: this.role.arn });
    }
}
