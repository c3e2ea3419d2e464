import * as fs from "fs";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { DEPLOYER_SOURCE_KEY } from "./deployer";
import { ClusterAddons, FlinkWorkloadSpec, FlinkWorkloads, execKubeconfig } from "./workloads";
import { defaultClusterAutoscalerImageTag, flinkEksEnvironmentChecks } from "../../lib/config/flink-eks";
import { ConfigError } from "../../lib/config/load";
import { DeployContext, zonesOf } from "../../lib/context";
import { FlinkApplication } from "./app";
import { FlinkEksCluster } from "./cluster";

export { FlinkApplication, FlinkApplicationArgs } from "./app";
export {
    FLINK_NAMES,
    FlinkPodResources,
    JOB_MANAGER_BACKOFF_LIMIT,
    KUBERNETES_HA_FACTORY,
    RestartBackoff,
    flinkConf,
    flinkConfigFileName,
    log4jConsole,
    s3PluginJar,
} from "./flink-config";
export { ClusterDeployer, ClusterDeployerArgs, DEPLOYER_BUILDSPEC_FILE, DEPLOYER_SOURCE_KEY } from "./deployer";
export { ClusterAddons, FlinkJobSpec, FlinkWorkloadSpec, FlinkWorkloads, execKubeconfig } from "./workloads";
export {
    CAPACITY_TYPE_LABEL,
    CLUSTER_AUTOSCALER_NAMESPACE,
    CLUSTER_AUTOSCALER_SERVICE_ACCOUNT,
    FlinkEksCluster,
    FlinkEksClusterArgs,
    WORKER_NODE_POLICIES,
    clusterAutoscalerPolicy,
} from "./cluster";
export { irsaTrustPolicy } from "./irsa";

/** Stack outputs of the Flink on EKS concern. */
export interface FlinkEksOutputs {
    clusterName: string;
    region: string;
    /** kubeconfig (JSON) of the cluster: a secret output. */
    kubeconfig: pulumi.Output<string>;
    oidcProviderArn: pulumi.Output<string>;
    vpcId: pulumi.Output<string>;
    bucketName: pulumi.Output<string>;
    streamName: pulumi.Output<string>;
    streamArn: pulumi.Output<string>;
    repositoryUrl: pulumi.Output<string>;
    /** The image the Flink pods run; absent until `flink.imageTag` or `flink.image` is set. */
    image?: pulumi.Output<string>;
    /** Present while no image is configured: push the image, set `flink.imageTag`, `pulumi up` again. */
    nextStep?: pulumi.Output<string>;
    flinkRoleArn: pulumi.Output<string>;
    autoscalerRoleArn: pulumi.Output<string>;
    /** The in-VPC deployer CI starts for the workloads stack. */
    deployer: { projectName: pulumi.Output<string>; sourceBucket: pulumi.Output<string>; sourceKey: string; tokenSecretArn: pulumi.Output<string>; workloadsStack: string };
    /** Everything the workloads stack deploys (read through a StackReference). */
    workloads: pulumi.Output<FlinkWorkloadSpec>;
}

/** SPEC concern 9: Apache Flink (application mode, reactive) on EKS with Spot managed node groups. */
export function deployFlinkEks(ctx: DeployContext): FlinkEksOutputs | undefined {
    const cfg = ctx.config.flinkEks;
    if (!cfg || !cfg.enabled) {
        return undefined;
    }
    // Normally reported by config validation with every other problem; kept here so a public prod endpoint can never deploy.
    const envProblems = flinkEksEnvironmentChecks({ environment: ctx.config.environment, flinkEks: cfg });
    if (envProblems.length > 0) {
        throw new ConfigError(envProblems);
    }
    const provider = ctx.providers.get(cfg.account, cfg.region);
    const accountId = ctx.providers.accountId(cfg.account);
    const workloadsStack = cfg.workloadsStack ?? `${pulumi.getOrganization()}/${ctx.project}/${ctx.stack}-workloads`;

    const logs = ctx.accessLogs.bucketFor(cfg.account, cfg.region);
    const platform = new FlinkEksCluster("flink-eks", {
        region: cfg.region,
        accountId,
        vpcCidr: cfg.vpc.cidrBlock,
        availabilityZones: zonesOf(ctx, "flinkEks"),
        natGateways: cfg.vpc.natGateways,
        flowLogRetentionDays: cfg.vpc.flowLogRetentionDays,
        clusterName: cfg.cluster.name,
        version: cfg.cluster.version,
        endpointPublicAccess: cfg.cluster.endpointPublicAccess,
        endpointPrivateAccess: cfg.cluster.endpointPrivateAccess,
        publicAccessCidrs: cfg.cluster.publicAccessCidrs,
        adminRoleArns: cfg.cluster.adminRoleArns,
        kubeconfigRoleArn: ctx.config.accounts[cfg.account]?.deploymentRoleArn,
        workloadsStack,
        pulumiVersion: PULUMI_SDK_VERSION,
        logRetentionDays: cfg.cluster.logRetentionDays,
        amiType: cfg.amiType,
        nodeDiskSizeGb: cfg.nodeDiskSizeGb,
        onDemand: cfg.onDemand,
        spotGroups: cfg.spotGroups,
        accessLogBucket: logs,
        protect: ctx.isProd,
    }, { providers: [provider, ctx.providers.awsx(), ctx.providers.eks()] });

    const f = cfg.flink;
    const app = new FlinkApplication("flink-app", {
        region: cfg.region,
        accountId,
        oidcProviderArn: platform.oidcProviderArn,
        oidcProviderUrl: platform.oidcProviderUrl,
        namespace: f.namespace,
        serviceAccountName: f.serviceAccountName,
        repositoryName: f.repositoryName,
        imageTag: f.imageTag,
        image: f.image,
        flinkVersion: f.flinkVersion,
        bucketName: f.bucketName ?? `${cfg.cluster.name}-flink-${accountId}-${cfg.region}`,
        streamName: f.streamName,
        streamShards: f.streamShards,
        streamRetentionHours: f.streamRetentionHours,
        accessLogBucket: logs,
        protect: ctx.isProd,
    }, { provider });

    const eksCluster = platform.cluster.eksCluster;
    const workloads: pulumi.Output<FlinkWorkloadSpec> = pulumi
        .all([eksCluster.endpoint, eksCluster.certificateAuthority, platform.autoscalerRole.arn, app.role.arn, app.bucket.bucket, app.image])
        .apply(([endpoint, ca, autoscalerRoleArn, roleArn, bucket, image]) => ({
            cluster: { name: cfg.cluster.name, region: cfg.region, endpoint, certificateAuthorityData: ca.data },
            addons: {
                clusterAutoscalerChartVersion: cfg.addons.clusterAutoscalerChartVersion,
                clusterAutoscalerImageTag: cfg.addons.clusterAutoscalerImageTag ?? defaultClusterAutoscalerImageTag(cfg.cluster.version),
                clusterAutoscalerRoleArn: autoscalerRoleArn,
                metricsServerChartVersion: cfg.addons.metricsServerChartVersion,
            },
            flink: {
                namespace: f.namespace,
                serviceAccountName: f.serviceAccountName,
                roleArn,
                bucket,
                ...(image === undefined ? {} : { image }),
                flinkVersion: f.flinkVersion,
                s3Plugin: f.s3Plugin,
                jobClass: f.jobClass,
                jobArgs: f.jobArgs,
                taskSlots: f.taskSlots,
                jobManager: f.jobManager,
                taskManager: f.taskManager,
                checkpointIntervalSeconds: f.checkpointIntervalSeconds,
                restart: f.restart,
                hpa: f.hpa,
            },
        }));

    return {
        clusterName: cfg.cluster.name,
        region: cfg.region,
        kubeconfig: platform.kubeconfig,
        oidcProviderArn: platform.oidcProviderArn,
        vpcId: platform.vpc.vpcId,
        bucketName: app.bucket.bucket,
        streamName: app.stream.name,
        streamArn: app.stream.arn,
        repositoryUrl: app.repository.repositoryUrl,
        image: app.image,
        nextStep: app.nextStep,
        flinkRoleArn: app.role.arn,
        autoscalerRoleArn: platform.autoscalerRole.arn,
        deployer: {
            projectName: platform.deployer.project.name,
            sourceBucket: platform.deployer.sourceBucket.bucket,
            sourceKey: DEPLOYER_SOURCE_KEY,
            tokenSecretArn: platform.deployer.tokenSecret.arn,
            workloadsStack,
        },
        workloads,
    };
}

/** The version of `@pulumi/pulumi` this program runs with: the deployer installs the same CLI release. */
export const PULUMI_SDK_VERSION: string = (JSON.parse(fs.readFileSync(require.resolve("@pulumi/pulumi/package.json"), "utf8")) as { version: string }).version;

/** Outputs of the workloads stack. */
export interface FlinkEksWorkloadsOutputs {
    clusterName: string;
    namespace: string;
    /** Present while no image is configured in the platform stack. */
    waitingForImage?: string;
}

/**
 * The workloads stack: the Kubernetes half of concern 9, deployed from inside the VPC by the
 * platform stack's in-VPC deployer. `spec` is the platform stack's `flinkEks.workloads` output,
 * read through a StackReference; the Kubernetes provider's token is the caller's (the deployer's
 * role, cluster admin through its access entry).
 */
export function deployFlinkEksWorkloads(spec: FlinkWorkloadSpec): FlinkEksWorkloadsOutputs {
    const k8sProvider = new k8s.Provider("flink-eks-k8s", { kubeconfig: execKubeconfig(spec.cluster), enableServerSideApply: true, deleteUnreachable: false });
    const addons = new ClusterAddons("flink-eks", { clusterName: spec.cluster.name, region: spec.cluster.region, addons: spec.addons }, { provider: k8sProvider });
    new FlinkWorkloads("flink-app", { spec: spec.flink, dependsOn: addons.releases }, { provider: k8sProvider });
    return {
        clusterName: spec.cluster.name,
        namespace: spec.flink.namespace,
        ...(spec.flink.image === undefined ? { waitingForImage: "The platform stack names no job image yet: push it, set flinkEks.flink.imageTag there, pulumi up the platform stack, then run the deployer again." } : {}),
    };
}
