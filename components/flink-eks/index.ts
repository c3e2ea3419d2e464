import * as pulumi from "@pulumi/pulumi";
import { defaultClusterAutoscalerImageTag, flinkEksEnvironmentChecks } from "../../lib/config/flink-eks";
import { ConfigError } from "../../lib/config/load";
import { DeployContext, zonesOf } from "../../lib/context";
import { FlinkApplication } from "./app";
import { FlinkEksCluster } from "./cluster";

export {
    FlinkApplication,
    FlinkApplicationArgs,
    FlinkPodResources,
    FLINK_NAMES,
    JOB_MANAGER_BACKOFF_LIMIT,
    KUBERNETES_HA_FACTORY,
    RestartBackoff,
    flinkConf,
    flinkConfigFileName,
    log4jConsole,
    s3PluginJar,
} from "./app";
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

    const platform = new FlinkEksCluster("flink-eks", {
        provider,
        awsxProvider: ctx.providers.awsx(),
        eksProvider: ctx.providers.eks(),
        region: cfg.region,
        accountId,
        vpcCidr: cfg.vpc.cidrBlock,
        availabilityZones: zonesOf(ctx, "flinkEks"),
        natGateways: cfg.vpc.natGateways,
        clusterName: cfg.cluster.name,
        version: cfg.cluster.version,
        endpointPublicAccess: cfg.cluster.endpointPublicAccess,
        endpointPrivateAccess: cfg.cluster.endpointPrivateAccess,
        publicAccessCidrs: cfg.cluster.publicAccessCidrs,
        adminRoleArns: cfg.cluster.adminRoleArns,
        logRetentionDays: cfg.cluster.logRetentionDays,
        amiType: cfg.amiType,
        nodeDiskSizeGb: cfg.nodeDiskSizeGb,
        onDemand: cfg.onDemand,
        spotGroups: cfg.spotGroups,
        clusterAutoscalerChartVersion: cfg.addons.clusterAutoscalerChartVersion,
        clusterAutoscalerImageTag: cfg.addons.clusterAutoscalerImageTag ?? defaultClusterAutoscalerImageTag(cfg.cluster.version),
        metricsServerChartVersion: cfg.addons.metricsServerChartVersion,
        protect: ctx.isProd,
    });

    const f = cfg.flink;
    const app = new FlinkApplication("flink-app", {
        provider,
        k8sProvider: platform.k8sProvider,
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
        jobClass: f.jobClass,
        jobArgs: f.jobArgs,
        taskSlots: f.taskSlots,
        jobManager: f.jobManager,
        taskManager: f.taskManager,
        checkpointIntervalSeconds: f.checkpointIntervalSeconds,
        restart: f.restart,
        s3Plugin: f.s3Plugin,
        hpa: f.hpa,
        bucketName: f.bucketName ?? `${cfg.cluster.name}-flink-${accountId}-${cfg.region}`,
        streamName: f.streamName,
        streamShards: f.streamShards,
        streamRetentionHours: f.streamRetentionHours,
        dependsOn: [platform.onDemandGroup, ...Object.values(platform.spotGroups), ...platform.addons],
        protect: ctx.isProd,
    });

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
    };
}
