import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";
import * as eks from "@pulumi/eks";
import * as pulumi from "@pulumi/pulumi";
import { AmiType } from "../../lib/config/flink-eks";
import { ClusterDeployer } from "./deployer";
import { irsaTrustPolicy } from "./irsa";
import { keyPolicy, logsKeyStatement, rotatingKey } from "../../lib/aws/kms";
import { vpcGuardrails } from "../../lib/aws/network";
import { remoteChildOptions } from "../../lib/providers";
import { AUTOSCALER_DISCOVERY_ACTIONS } from "./contracts";
import { retainedLogGroup } from "../../lib/aws/lambda";

/** Label and value that select the on-demand nodes (set by EKS on every managed node). */
export const CAPACITY_TYPE_LABEL = "eks.amazonaws.com/capacityType";

/** The managed policies every EKS worker node role needs. */
export const WORKER_NODE_POLICIES = [
    "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
    "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
    "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
];

/** Namespace and service account of the Cluster Autoscaler (named in its IRSA trust policy). */
export const CLUSTER_AUTOSCALER_NAMESPACE = "kube-system";
export const CLUSTER_AUTOSCALER_SERVICE_ACCOUNT = "cluster-autoscaler";

/** Scaling bounds of a managed node group. */
export interface NodeGroupScaling {
    /** Minimum node count. */
    minSize: number;
    /** Node count at creation (the Cluster Autoscaler changes it afterwards). */
    desiredSize: number;
    /** Maximum node count. */
    maxSize: number;
}

/** A Spot managed node group. */
export interface SpotGroupSpec extends NodeGroupScaling {
    /** Stable logical name of the group. */
    name: string;
    /** Diversified instance types of one vCPU/memory shape. */
    instanceTypes: string[];
}

/** Inputs of {@link FlinkEksCluster}. */
export interface FlinkEksClusterArgs {
    /** The Region (the provider's Region; used in ARNs and the autoscaler's `awsRegion`). */
    region: string;
    /** The workload account's ID. */
    accountId: string;
    /** VPC CIDR block. */
    vpcCidr: string;
    /** Availability Zone names (2 or 3), chosen by zone ID: EKS refuses some zone IDs for its control plane (see lib/aws/zones). */
    availabilityZones: string[];
    /** `single` NAT gateway or one per AZ. */
    natGateways: "single" | "onePerAz";
    /** Retention of the VPC's flow log group, in days. */
    flowLogRetentionDays: number;
    /** EKS cluster name. */
    clusterName: string;
    /** Kubernetes version. */
    version: string;
    /** Public API endpoint (restricted to `publicAccessCidrs`). */
    endpointPublicAccess: boolean;
    /** Private API endpoint inside the VPC. */
    endpointPrivateAccess: boolean;
    /** CIDRs allowed to the public endpoint. */
    publicAccessCidrs: string[];
    /** Retention of the control-plane log group. */
    logRetentionDays: number;
    /** AMI type of every node group. */
    amiType: AmiType;
    /** Root volume size of every node, GiB. */
    nodeDiskSizeGb: number;
    /** The on-demand group (JobManager, add-ons). */
    onDemand: NodeGroupScaling & { instanceTypes: string[] };
    /** The Spot groups (TaskManagers). */
    spotGroups: SpotGroupSpec[];
    /**
     * The role the AWS provider of this account assumes (`deploymentRoleArn`), if any: the kubeconfig
     * runs `aws eks get-token --role <it>` (pulumi-eks `providerCredentialOpts`), so kubectl and the
     * deploy get a token as the principal EKS made cluster admin, not as the ambient identity.
     */
    kubeconfigRoleArn?: string;
    /** Roles granted cluster admin through access entries; never the creator (see `flinkEksAccessProblems`). */
    adminRoleArns: string[];
    /** The workloads stack the in-VPC deployer runs (`<org>/<project>/<stack>`). */
    workloadsStack: string;
    /** Pulumi CLI version the deployer installs. */
    pulumiVersion: string;
    /** The (account, Region)'s server access log bucket (its name): every bucket of the component logs there. */
    accessLogBucket: pulumi.Input<string>;
    /** Protect the secrets key and the control-plane log group (prod). */
    protect: boolean;
}

/**
 * The EKS side of the Flink post: a VPC with private worker subnets, an EKS
 * cluster (API authentication mode, KMS secrets encryption, control-plane
 * logs, OIDC provider), one on-demand and several Spot managed node groups,
 * a Kubernetes provider built from the cluster's kubeconfig, the Cluster
 * Autoscaler (IRSA, auto-discovery) and the metrics server.
 *
 * Auto-discovery tags: EKS itself tags the Auto Scaling group of every managed
 * node group with `k8s.io/cluster-autoscaler/enabled` and
 * `k8s.io/cluster-autoscaler/<cluster>` ("Amazon EKS tags managed node group
 * resources so that they are configured to use the Kubernetes Cluster
 * Autoscaler"). Tags set on a managed node group stay on the node group and
 * never reach its Auto Scaling group (eksctl #1571, containers-roadmap #608),
 * so this component sets none. Scale from zero: the autoscaler (1.24+) reads a
 * managed group's labels and capacity type with `eks:DescribeNodegroup`.
 */
export class FlinkEksCluster extends pulumi.ComponentResource {
    /** The VPC. */
    public readonly vpc: awsx.ec2.Vpc;
    /** The EKS cluster component. */
    public readonly cluster: eks.Cluster;
    /** KMS key encrypting Kubernetes secrets and the control-plane logs. */
    public readonly secretsKey: aws.kms.Key;
    /** Role of every worker node. */
    public readonly nodeRole: aws.iam.Role;
    /** The on-demand node group. */
    public readonly onDemandGroup: eks.ManagedNodeGroup;
    /** The Spot node groups by name. */
    public readonly spotGroups: Record<string, eks.ManagedNodeGroup>;
    /** The in-VPC deployer (CodeBuild) that runs the workloads stack against the cluster's endpoint. */
    public readonly deployer: ClusterDeployer;
    /** IRSA role of the Cluster Autoscaler. */
    public readonly autoscalerRole: aws.iam.Role;
    /** The cluster's kubeconfig (JSON; secret). */
    public readonly kubeconfig: pulumi.Output<string>;
    /** IAM OIDC provider ARN (for IRSA trust policies). */
    public readonly oidcProviderArn: pulumi.Output<string>;
    /** OIDC issuer host and path, without `https://`. */
    public readonly oidcProviderUrl: pulumi.Output<string>;

    constructor(name: string, args: FlinkEksClusterArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super("awsarch:flinkEks:FlinkEksCluster", name, {}, opts);
        // Children inherit the providers the component is given (aws, awsx, eks: `providers: [...]`);
        // the remote ones (VPC, cluster, node groups) get theirs explicitly.
        const child = { parent: this };
        const stateful = { ...child, protect: args.protect };
        const awsxOpts = remoteChildOptions(this, "awsx");
        const eksOpts = remoteChildOptions(this, "eks");
        const cn = args.clusterName;
        const logGroupName = `/aws/eks/${cn}/cluster`;
        const logGroupArn = `arn:aws:logs:${args.region}:${args.accountId}:log-group:${logGroupName}`;

        this.vpc = new awsx.ec2.Vpc(
            `${name}-vpc`,
            {
                cidrBlock: args.vpcCidr,
                availabilityZoneNames: args.availabilityZones,
                enableDnsHostnames: true,
                enableDnsSupport: true,
                natGateways: { strategy: args.natGateways === "single" ? "Single" : "OnePerAz" },
                subnetStrategy: "Auto",
                subnetSpecs: [
                    // Load balancers only; nodes never get public IPs.
                    { type: "Public", tags: { "kubernetes.io/role/elb": "1", [`kubernetes.io/cluster/${cn}`]: "shared" } },
                    { type: "Private", tags: { "kubernetes.io/role/internal-elb": "1", [`kubernetes.io/cluster/${cn}`]: "shared" } },
                ],
                tags: { Name: `${cn}-vpc` },
            },
            awsxOpts,
        );

        const flowLogGroupName = `/aws/vpc/${cn}/flow-logs`;
        const flowLogGroupArn = `arn:aws:logs:${args.region}:${args.accountId}:log-group:${flowLogGroupName}`;
        this.secretsKey = rotatingKey(
            `${name}-secrets-key`,
            {
                description: `Encrypts Kubernetes secrets and control-plane logs of EKS cluster ${cn}`,
                policy: keyPolicy(args.accountId, [logsKeyStatement("ControlPlaneLogs", args.region, [logGroupArn, flowLogGroupArn])]),
            },
            stateful,
        );
        vpcGuardrails(
            `${name}-vpc`,
            { vpcId: this.vpc.vpcId, accountId: args.accountId, region: args.region, logGroupName: flowLogGroupName, retentionDays: args.flowLogRetentionDays, kmsKeyArn: this.secretsKey.arn, protect: args.protect, nameTag: cn },
            child,
        );
        new aws.kms.Alias(`${name}-secrets-key-alias`, { name: `alias/${cn}-eks`, targetKeyId: this.secretsKey.keyId }, child);

        // EKS writes control-plane logs here; created first so it has retention and encryption.
        const logGroup = retainedLogGroup(`${name}-control-plane-logs`, { logGroupName, retentionInDays: args.logRetentionDays, kmsKeyId: this.secretsKey.arn }, stateful);

        // Cluster admins. The creator (the principal of this account's AWS provider) is cluster admin through
        // EKS's bootstrap entry: pulumi-eks always sets accessConfig.bootstrapClusterCreatorAdminPermissions:
        // true (nodejs/eks/cluster/cluster.ts, it deploys charts itself), so it gets no entry here; a second
        // entry for the same principal fails with 409 ResourceInUseException, and config validation refuses
        // adminRoleArns that name it (flinkEksAccessProblems). The in-VPC deployer gets its own entry below.
        const accessEntries: Record<string, eks.types.input.AccessEntryArgs> = {};
        args.adminRoleArns.forEach((arn, i) => {
            accessEntries[`admin-${i}`] = {
                principalArn: arn,
                type: "STANDARD",
                accessPolicies: {
                    admin: {
                        policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
                        accessScope: { type: "cluster" },
                    },
                },
            };
        });

        this.cluster = new eks.Cluster(
            `${name}-cluster`,
            {
                name: cn,
                version: args.version,
                vpcId: this.vpc.vpcId,
                privateSubnetIds: this.vpc.privateSubnetIds,
                publicSubnetIds: this.vpc.publicSubnetIds,
                nodeAssociatePublicIpAddress: false,
                skipDefaultNodeGroup: true,
                authenticationMode: "API",
                accessEntries,
                encryptionConfigKeyArn: this.secretsKey.arn,
                enabledClusterLogTypes: ["api", "audit", "authenticator", "controllerManager", "scheduler"],
                createOidcProvider: true,
                // The token of the kubeconfig (and of pulumi-eks' own provider) as the deployment role.
                providerCredentialOpts: args.kubeconfigRoleArn ? { roleArn: args.kubeconfigRoleArn } : undefined,
                endpointPublicAccess: args.endpointPublicAccess,
                endpointPrivateAccess: args.endpointPrivateAccess,
                publicAccessCidrs: args.endpointPublicAccess ? args.publicAccessCidrs : undefined,
                tags: { Name: cn },
            },
            { ...eksOpts, dependsOn: [logGroup] },
        );
        this.kubeconfig = pulumi.secret(this.cluster.kubeconfigJson);
        this.oidcProviderArn = this.cluster.oidcProviderArn;
        this.oidcProviderUrl = this.cluster.oidcProviderUrl;

        // One node role for every managed group; EKS creates the EC2_LINUX access entry for it.
        // No aws:SourceAccount guard: EC2 assumes an instance profile's role for the instance an
        // iam:PassRole holder launched, and does not pass aws:SourceAccount/SourceArn in that request
        // (prowler-cloud/prowler#2810 and #7021: EC2 trusts excluded from the confused-deputy check), so
        // a guard would only stop the instance getting credentials. PassRole is the control here.
        this.nodeRole = new aws.iam.Role(
            `${name}-node-role`,
            {
                description: `Worker nodes of EKS cluster ${cn}`,
                assumeRolePolicy: JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
                }),
            },
            child,
        );
        const attachments = WORKER_NODE_POLICIES.map(
            (policyArn) =>
                new aws.iam.RolePolicyAttachment(`${name}-node-${policyArn.split("/").pop()}`, { role: this.nodeRole.name, policyArn }, child),
        );

        // IMDSv2 only (hop limit 2 for pods that still need it) and encrypted root volumes.
        const launchTemplate = new aws.ec2.LaunchTemplate(
            `${name}-node-lt`,
            {
                description: `Managed node groups of ${cn}: IMDSv2, encrypted gp3 root volume`,
                metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 2 },
                blockDeviceMappings: [
                    { deviceName: "/dev/xvda", ebs: { volumeSize: args.nodeDiskSizeGb, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" } },
                ],
                updateDefaultVersion: true,
            },
            child,
        );
        // A new template version rolls the node groups; a template always has at least version 1.
        const lt = { id: launchTemplate.id, version: launchTemplate.latestVersion.apply((v) => String(v ?? 1)) };

        const group = (groupName: string, capacityType: "ON_DEMAND" | "SPOT", spec: NodeGroupScaling & { instanceTypes: string[] }, role: string) =>
            new eks.ManagedNodeGroup(
                `${name}-ng-${groupName}`,
                {
                    cluster: this.cluster,
                    nodeGroupName: `${cn}-${groupName}`,
                    version: args.version,
                    nodeRoleArn: this.nodeRole.arn,
                    subnetIds: this.vpc.privateSubnetIds,
                    amiType: args.amiType,
                    capacityType,
                    instanceTypes: spec.instanceTypes,
                    scalingConfig: { minSize: spec.minSize, desiredSize: spec.desiredSize, maxSize: spec.maxSize },
                    // The Cluster Autoscaler owns the desired size once the group exists.
                    ignoreScalingChanges: true,
                    launchTemplate: lt,
                    // Seen by the Cluster Autoscaler through eks:DescribeNodegroup when the group is at zero nodes.
                    labels: { capacity: capacityType, "flink-role": role },
                    // No k8s.io/cluster-autoscaler/* tags: node group tags do not propagate to the Auto Scaling
                    // group, and EKS already puts the auto-discovery tags on it.
                },
                { ...eksOpts, dependsOn: attachments },
            );
        this.onDemandGroup = group("ondemand", "ON_DEMAND", args.onDemand, "jobmanager");
        this.spotGroups = {};
        for (const g of args.spotGroups) {
            this.spotGroups[g.name] = group(`spot-${g.name}`, "SPOT", g, "taskmanager");
        }

        // Cluster Autoscaler: IRSA role limited to the autoscaling calls it makes.
        this.autoscalerRole = new aws.iam.Role(
            `${name}-autoscaler-role`,
            {
                description: `Cluster Autoscaler of EKS cluster ${cn} (IRSA)`,
                assumeRolePolicy: irsaTrustPolicy(this.oidcProviderArn, this.oidcProviderUrl, CLUSTER_AUTOSCALER_NAMESPACE, CLUSTER_AUTOSCALER_SERVICE_ACCOUNT),
            },
            child,
        );
        new aws.iam.RolePolicy(
            `${name}-autoscaler-policy`,
            {
                role: this.autoscalerRole.id,
                policy: JSON.stringify(clusterAutoscalerPolicy(args.region, args.accountId, cn)),
            },
            child,
        );
        // The in-VPC deployer of the Kubernetes half (the API endpoint may be private).
        this.deployer = new ClusterDeployer(
            `${name}-deployer`,
            {
                region: args.region,
                accountId: args.accountId,
                clusterName: cn,
                vpcId: this.vpc.vpcId,
                privateSubnetIds: this.vpc.privateSubnetIds,
                clusterSecurityGroupId: this.cluster.eksCluster.vpcConfig.clusterSecurityGroupId,
                workloadsStack: args.workloadsStack,
                logRetentionDays: args.logRetentionDays,
                pulumiVersion: args.pulumiVersion,
                accessLogBucket: args.accessLogBucket,
                protect: args.protect,
            },
            { parent: this },
        );
        new aws.eks.AccessEntry(`${name}-deployer-access`, { clusterName: this.cluster.eksCluster.name, principalArn: this.deployer.role.arn, type: "STANDARD" }, child);
        new aws.eks.AccessPolicyAssociation(
            `${name}-deployer-admin`,
            {
                clusterName: this.cluster.eksCluster.name,
                principalArn: this.deployer.role.arn,
                policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
                accessScope: { type: "cluster" },
            },
            child,
        );

        this.registerOutputs({
            clusterName: cn,
            kubeconfig: this.kubeconfig,
            oidcProviderArn: this.oidcProviderArn,
            vpcId: this.vpc.vpcId,
            autoscalerRoleArn: this.autoscalerRole.arn,
        });
    }
}

/**
 * The Cluster Autoscaler's policy: read-only discovery calls (which IAM only
 * allows on `*`), `eks:DescribeNodegroup` on this cluster's node groups (labels
 * and capacity type of a group at zero nodes, for scale from zero), and the two
 * mutating calls only on Auto Scaling groups carrying the
 * `k8s.io/cluster-autoscaler/<cluster>=owned` tag EKS puts on managed groups.
 */
export function clusterAutoscalerPolicy(region: string, accountId: string, clusterName: string): object {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "Discovery",
                Effect: "Allow",
                Action: AUTOSCALER_DISCOVERY_ACTIONS,
                Resource: "*",
            },
            {
                Sid: "DescribeOwnNodegroups",
                Effect: "Allow",
                Action: ["eks:DescribeNodegroup"],
                Resource: `arn:aws:eks:${region}:${accountId}:nodegroup/${clusterName}/*`,
            },
            {
                Sid: "ScaleOwnedGroups",
                Effect: "Allow",
                Action: ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"],
                Resource: `arn:aws:autoscaling:${region}:${accountId}:autoScalingGroup:*:autoScalingGroupName/*`,
                Condition: { StringEquals: { [`aws:ResourceTag/k8s.io/cluster-autoscaler/${clusterName}`]: "owned" } },
            },
        ],
    };
}
