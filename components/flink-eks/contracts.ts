import { AccessContract } from "../../functions/shared/contract";

/**
 * What the in-VPC deployer's build (deployer-buildspec.yml) calls with its role itself: nothing
 * beyond what CodeBuild does for it (wirings.ts: source download, the PULUMI_ACCESS_TOKEN secret,
 * logs, VPC interfaces). `pulumi up` of the workloads stack reaches the cluster through its EKS
 * access entry with a token from `aws eks get-token`, which presigns sts:GetCallerIdentity (needs
 * no permission).
 */
export const DEPLOYER: AccessContract = { handler: "flink-deployer", calls: [] };

/**
 * What the Flink job calls through IRSA (flink-app-role): checkpoints and savepoints in the job
 * bucket (Flink "Amazon S3" filesystem: list, read, write, delete, abort multipart uploads), and the
 * Kinesis source (Flink Kinesis connector, polling consumer: DescribeStream(Summary), ListShards,
 * GetShardIterator, GetRecords).
 */
export const FLINK_JOB: AccessContract = {
    handler: "flink-job",
    calls: [
        { action: "s3:ListBucket", resource: { env: "STATE_BUCKET" }, why: "lists checkpoint and savepoint directories" },
        { action: "s3:GetBucketLocation", resource: { env: "STATE_BUCKET" }, why: "the S3 filesystem resolves the bucket's Region" },
        ...["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"].map((action) => ({
            action,
            resource: { env: "STATE_BUCKET", path: "/checkpoints/chk-1/_metadata" },
            why: "writes, reads and expires checkpoints (large state in multipart uploads)",
        })),
        ...["kinesis:DescribeStream", "kinesis:DescribeStreamSummary", "kinesis:ListShards", "kinesis:GetShardIterator", "kinesis:GetRecords"].map((action) => ({
            action,
            resource: { env: "INPUT_STREAM" },
            why: "the Kinesis source (polling consumer)",
        })),
    ],
};

/** The Cluster Autoscaler's discovery calls (no resource type: granted on `*`); the role policy grants exactly these. */
export const AUTOSCALER_DISCOVERY_ACTIONS = [
    "autoscaling:DescribeAutoScalingGroups",
    "autoscaling:DescribeAutoScalingInstances",
    "autoscaling:DescribeLaunchConfigurations",
    "autoscaling:DescribeScalingActivities",
    "autoscaling:DescribeTags",
    "ec2:DescribeImages",
    "ec2:DescribeInstanceTypes",
    "ec2:DescribeLaunchTemplateVersions",
    "ec2:GetInstanceTypesFromInstanceRequirements",
];

/**
 * What the Cluster Autoscaler calls through IRSA: kubernetes/autoscaler
 * cluster-autoscaler/cloudprovider/aws/README.md, "Full Cluster Autoscaler Features Policy
 * (Recommended)". Scaling actions are limited to node groups tagged for this cluster, which EKS
 * does for managed node groups' Auto Scaling groups (EKS User Guide, "managed-node-groups":
 * `k8s.io/cluster-autoscaler/<cluster>` = `owned`).
 */
export const CLUSTER_AUTOSCALER: AccessContract = {
    handler: "cluster-autoscaler",
    calls: [
        ...AUTOSCALER_DISCOVERY_ACTIONS.map((action) => ({ action, resource: "*" as const, why: "discovers node groups and their instance types (the action supports only *)" })),
        { action: "eks:DescribeNodegroup", resource: { env: "NODEGROUP_ARN" }, why: "reads a node group's labels and taints to scale it from zero" },
        { action: "autoscaling:SetDesiredCapacity", resource: { env: "ASG_ARN" }, why: "scales a node group up" },
        { action: "autoscaling:TerminateInstanceInAutoScalingGroup", resource: { env: "ASG_ARN" }, why: "removes an idle node" },
    ],
};
