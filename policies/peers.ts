/**
 * The peer packs' rules that apply to resource types the stacks create, and how this pack answers
 * each: a rule of this pack whose `controls` name the peer ID (an equivalent), or an exemption
 * here with its reason. Read from the packs' sources:
 * - cdk-nag (cdklabs/cdk-nag at ca6d1b54, 2026-06-29): src/packs/aws-solutions.ts, nist-800-53-r5.ts,
 *   hipaa-security.ts — IDs `AwsSolutions-<suffix>`, `NIST.800.53.R5-<Rule>`, `HIPAA.Security-<Rule>`;
 * - @pulumi/awsguard (pulumi/pulumi-policy-aws at 4355f3be, 2024-06-20): src/*.ts — IDs `awsguard:<name>`.
 * A peer rule applies when one of the resource types it inspects is one the stacks create
 * (Lambda, S3, SQS, SNS, KMS, IAM, EC2 instances, security groups and VPCs, EFS, EKS, MSK,
 * OpenSearch, DynamoDB, Kinesis, Firehose, CodeBuild, CloudWatch, Secrets Manager, ECR, EventBridge).
 * Not applicable (no such resource type here): API Gateway, ELB, RDS/Aurora, Redshift, DocumentDB,
 * Neptune, ElastiCache, SageMaker, EMR, Glue, CloudFront, Cognito, Step Functions, ECS, Elastic
 * Beanstalk, Auto Scaling groups and launch configurations (EKS creates the node groups' own),
 * Network ACLs, CloudTrail (the organization trail lives outside the stacks), WAF, IAM users and
 * groups, ACM certificates, standalone EBS volumes.
 */

/** Both NIST 800-53 R5 and HIPAA Security IDs of a cdk-nag rule that the two packs share. */
const both = (...rules: string[]) => rules.flatMap((r) => [`NIST.800.53.R5-${r}`, `HIPAA.Security-${r}`]);

/** Every applicable peer rule. */
export const PEER_RULES: readonly string[] = [
    // cdk-nag AwsSolutions
    ...["EC23", "EC26", "EC27", "EC28", "EC29", "ECR1", "EKS1", "EKS2", "S1", "S2", "S10", "EFS1", "DDB3", "VPC7", "KDF1", "KDS1", "KDS3"].map((s) => `AwsSolutions-${s}`),
    ...["MSK2", "MSK3", "MSK6", "OS1", "OS2", "OS3", "OS4", "OS5", "OS7", "OS8", "OS9", "IAM4", "IAM5", "KMS5", "SMG4", "EVB1", "SNS3", "SQS2", "SQS3", "SQS4", "CB4", "CB5", "L1"].map((s) => `AwsSolutions-${s}`),
    // cdk-nag NIST 800-53 R5 and HIPAA Security (same rule names)
    ...both(
        "CloudWatchAlarmAction",
        "CloudWatchLogGroupEncrypted",
        "CloudWatchLogGroupRetentionPeriod",
        "DynamoDBAutoScalingEnabled",
        "DynamoDBInBackupPlan",
        "DynamoDBPITREnabled",
        "EC2EBSInBackupPlan",
        "EC2EBSOptimizedInstance",
        "EC2IMDSv2Enabled",
        "EC2InstanceNoPublicIp",
        "EC2InstanceProfileAttached",
        "EC2InstancesInVPC",
        "EC2RestrictedCommonPorts",
        "EC2RestrictedSSH",
        "EFSInBackupPlan",
        "EFSEncrypted",
        "IAMNoInlinePolicy",
        "IAMPolicyNoStatementsWithAdminAccess",
        "IAMPolicyNoStatementsWithFullAccess",
        "KMSBackingKeyRotationEnabled",
        "LambdaConcurrency",
        "LambdaDLQ",
        "LambdaFunctionPublicAccessProhibited",
        "LambdaInsideVPC",
        "OpenSearchEncryptedAtRest",
        "OpenSearchInVPCOnly",
        "OpenSearchErrorLogsToCloudWatch",
        "OpenSearchNodeToNodeEncryption",
        "S3BucketLevelPublicAccessProhibited",
        "S3BucketLoggingEnabled",
        "S3BucketPublicReadProhibited",
        "S3BucketPublicWriteProhibited",
        "S3BucketReplicationEnabled",
        "S3BucketSSLRequestsOnly",
        "S3BucketVersioningEnabled",
        "S3DefaultEncryptionKMS",
        "SecretsManagerRotationEnabled",
        "SecretsManagerUsingKMSKey",
        "SNSEncryptedKMS",
        "VPCDefaultSecurityGroupClosed",
        "VPCFlowLogsEnabled",
        "VPCNoUnrestrictedRouteToIGW",
        "VPCSubnetAutoAssignPublicIpDisabled",
    ),
    // HIPAA only
    "HIPAA.Security-CodeBuildProjectEnvVarAwsCred",
    "HIPAA.Security-CodeBuildProjectSourceRepoUrl",
    "HIPAA.Security-EC2InstanceDetailedMonitoringEnabled",
    // @pulumi/awsguard
    ...[
        "cmk-backing-key-rotation-enabled",
        "dynamodb-table-encryption-enabled",
        "ec2-instance-detailed-monitoring-enabled",
        "ec2-instance-no-public-ip",
        "efs-encrypted",
        "elasticsearch-encrypted-at-rest",
        "elasticsearch-in-vpc-only",
        "encrypted-volumes",
        "iam-role-no-policy-management-conflicts",
        "s3-bucket-logging-enabled",
        "security-group-no-rule-management-conflicts",
    ].map((n) => `awsguard:${n}`),
];

const DETAILED_MONITORING =
    "Decision: no. The instances are a bastion, a Windows management host and Mac hosts; 5-minute basic metrics are enough to alarm on, and detailed monitoring bills per metric per instance (USD 2.10/instance/month for 7 metrics).";
const IAM_INLINE =
    "Decision: inline policies per role, no customer managed policies: each role's policy is written for that role only and held to the calls it makes (lib/plan/access.ts: 0 denied, 0 unexplained grants), which a shared managed policy would loosen. AWS managed policies are attached only where AWS maintains the service's needs: SSM on instance roles (AmazonSSMManagedInstanceCore, AmazonSSMDirectoryServiceAccess) and the EKS node role (AmazonEKSWorkerNodePolicy, AmazonEKS_CNI_Policy, AmazonEC2ContainerRegistryReadOnly).";
const BACKUP_DYNAMODB =
    "Decision: no AWS Backup plan for the factors table: point-in-time recovery (35 days, dynamodb-2-pitr) and deletion protection in prod cover accidental writes and deletes; the table is derived data the consumer can rebuild from the topic.";
const REPLICATION =
    "Decision: no S3 replication: the buckets hold pipeline artifacts (rebuilt on the next run), Flink checkpoints (Region-bound with the cluster) and an archive of logs that also reach OpenSearch; a second Region would double storage for no recovery objective of the SPEC.";
const ROTATION =
    "Exempt: the secrets are a private-CA client certificate (re-issued, not rotated by Secrets Manager: its expiry is alarmed by acmpca-client-cert-expiry-alarm), the Managed AD admin password (used once to join hosts; rotating it needs a rotation function with directory access the stacks do not otherwise run) and a Pulumi access token (rotated in Pulumi Cloud).";
const VPC_LAMBDA =
    "Exempt: only functions that reach private resources run in a VPC (the MSK consumer and producer; the OpenSearch indexer in prod). The others call public AWS APIs only; a VPC would add NAT gateways or endpoints (cost) and no isolation for them.";
const PUBLIC_SUBNETS =
    "Exempt: awsx public subnets route 0.0.0.0/0 to the internet gateway and auto-assign public IPs by design (NAT gateways and the bastion live there); no other instance gets a public IP (ec2-9-no-public-ip) and everything else runs in private or isolated subnets.";

/** Peer rules this pack answers by exemption (or a decision not to), each with its reason. */
export const PEER_EXEMPTIONS: Readonly<Record<string, string>> = {
    "AwsSolutions-EC23":
        "Exempt: the only world-reachable ingress is SSH to the bastion when macDev.bastion.allowOpenBastion is set on purpose; SSH and RDP from 0.0.0.0/0 are otherwise refused (ec2-13-no-world-ssh, ec2-14-no-world-rdp) and no other group admits the internet.",
    "AwsSolutions-EC28": DETAILED_MONITORING,
    "HIPAA.Security-EC2InstanceDetailedMonitoringEnabled": DETAILED_MONITORING,
    "awsguard:ec2-instance-detailed-monitoring-enabled": DETAILED_MONITORING,
    "AwsSolutions-EC29":
        "Decision: no termination protection: instances are replaceable (the Macs' home directories live on EFS, the bastion and management host hold no data), and the stacks protect the hosts and data stores with Pulumi `protect` in prod (prod-stateful-protected), which stops a destroy before EC2 would.",
    "AwsSolutions-KDS3":
        "Exempt: the stream uses a customer managed key (kinesis-1-encryption) so its key policy and rotation are the stack's; the aws/kinesis key cannot be scoped to the Flink role.",
    "AwsSolutions-OS3":
        "Exempt: access is by signed requests of one IAM role (opensearch-no-anonymous-access, fine-grained access control with that role as master user) and, in prod, from inside the VPC only; an IP allow-list would add nothing for a Lambda caller.",
    "AwsSolutions-OS4":
        "Exempt: two data nodes (prod) with zone awareness; dedicated master nodes are recommended from three data nodes on and would add three instances (about USD 380/month for r6g.large.search).",
    "AwsSolutions-IAM4": IAM_INLINE,
    ...Object.fromEntries(both("IAMNoInlinePolicy").map((id) => [id, IAM_INLINE])),
    "AwsSolutions-SMG4": ROTATION,
    ...Object.fromEntries(both("SecretsManagerRotationEnabled").map((id) => [id, ROTATION])),
    ...Object.fromEntries(
        both("DynamoDBAutoScalingEnabled").map((id) => [id, "Not applicable as written: the table is on-demand (PAY_PER_REQUEST), which scales without auto scaling policies."]),
    ),
    ...Object.fromEntries(both("DynamoDBInBackupPlan").map((id) => [id, BACKUP_DYNAMODB])),
    ...Object.fromEntries(
        both("EC2EBSInBackupPlan").map((id) => [id, "Decision: no AWS Backup plan for instance volumes: the instances keep no data on EBS (Mac home directories are on EFS, which efs-2-backup-policy backs up)."]),
    ),
    ...Object.fromEntries(
        both("EC2EBSOptimizedInstance").map((id) => [id, "Not needed: every instance type the stacks use (t3, mac2.metal and the fleet's current-generation types) is EBS-optimized by default and cannot turn it off."]),
    ),
    ...Object.fromEntries(
        both("LambdaConcurrency").map((id) => [
            id,
            "Decision: no reserved concurrency: the functions are fed by event source mappings and schedules whose batch sizes bound them (SQS, MSK), and reserving concurrency would take it from the account pool and throttle the MSK consumer behind OffsetLag; the MSK and SQS alarms watch backlog instead.",
        ]),
    ),
    ...Object.fromEntries(both("LambdaInsideVPC").map((id) => [id, VPC_LAMBDA])),
    ...Object.fromEntries(both("S3BucketReplicationEnabled").map((id) => [id, REPLICATION])),
    ...Object.fromEntries(both("VPCNoUnrestrictedRouteToIGW", "VPCSubnetAutoAssignPublicIpDisabled").map((id) => [id, PUBLIC_SUBNETS])),
};
