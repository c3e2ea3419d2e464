import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { CAPACITY_TYPE_LABEL, CLUSTER_AUTOSCALER_NAMESPACE, CLUSTER_AUTOSCALER_SERVICE_ACCOUNT } from "./cluster";
import {
    FLINK_NAMES,
    FlinkPodResources,
    JOB_MANAGER_BACKOFF_LIMIT,
    RestartBackoff,
    containerSecurity,
    flinkConf,
    flinkConfigFileName,
    log4jConsole,
    podResourceLimits,
    s3PluginJar,
} from "./flink-config";

/**
 * The Kubernetes half of the Flink on EKS concern (the workloads stack). The platform stack exports
 * a {@link FlinkWorkloadSpec} (`flinkEks.workloads`); the workloads stack reads it through a
 * StackReference and renders it here, from inside the VPC (the in-VPC deployer), through a
 * Kubernetes provider whose token is the deployer's.
 */

/** The Flink job as the workloads stack deploys it: plain values the platform stack exports. */
export interface FlinkJobSpec {
    /** Namespace of the application. */
    namespace: string;
    /** Service account of the JobManager and TaskManagers (named in the IRSA trust policy). */
    serviceAccountName: string;
    /** IRSA role of the Flink pods. */
    roleArn: string;
    /** The job bucket (HA metadata, checkpoints, savepoints, output). */
    bucket: string;
    /** The image the pods run; absent until one is pushed and configured (then only the namespace, RBAC and config exist). */
    image?: string;
    /** Flink version of the image. */
    flinkVersion: string;
    /** `builtIn`: enable the image's `flink-s3-fs-hadoop-<flinkVersion>.jar` on both pods; `bundled`: the image has an S3 plugin. */
    s3Plugin: "builtIn" | "bundled";
    /** The job's main class. */
    jobClass: string;
    /** Arguments of the job's main method. */
    jobArgs: string[];
    /** `taskmanager.numberOfTaskSlots`. */
    taskSlots: number;
    /** JobManager resources. */
    jobManager: FlinkPodResources;
    /** TaskManager resources. */
    taskManager: FlinkPodResources;
    /** Checkpoint interval, seconds. */
    checkpointIntervalSeconds: number;
    /** Exponential-delay restart strategy (unbounded attempts). */
    restart: RestartBackoff;
    /** TaskManager autoscaling bounds, CPU target and the gentle scale-down. */
    hpa: {
        minReplicas: number;
        maxReplicas: number;
        targetCpuPercent: number;
        /** Scale-down stabilization window, seconds. */
        scaleDownStabilizationSeconds: number;
        /** TaskManagers removed at most per period. */
        scaleDownPodsPerPeriod: number;
        /** Period of the scale-down policy, seconds. */
        scaleDownPeriodSeconds: number;
    };
}

/** What the platform stack exports for the workloads stack (`flinkEks.workloads`). */
export interface FlinkWorkloadSpec {
    /** The cluster the Kubernetes provider talks to (the token is the caller's: the deployer's role). */
    cluster: { name: string; region: string; endpoint: string; certificateAuthorityData: string };
    /** Cluster Autoscaler and metrics server. */
    addons: {
        clusterAutoscalerChartVersion: string;
        clusterAutoscalerImageTag: string;
        clusterAutoscalerRoleArn: string;
        metricsServerChartVersion: string;
    };
    /** The Flink job. */
    flink: FlinkJobSpec;
}

/**
 * A kubeconfig for `cluster` whose token comes from `aws eks get-token` as the caller (in the
 * workloads stack: the in-VPC deployer's role, which has an admin access entry), or as `roleArn`.
 * Shaped like pulumi-eks' generateKubeconfig (nodejs/eks/cluster/cluster.ts).
 */
export function execKubeconfig(cluster: FlinkWorkloadSpec["cluster"], roleArn?: string): string {
    const args = ["--region", cluster.region, "eks", "get-token", "--cluster-name", cluster.name, "--output", "json", ...(roleArn ? ["--role", roleArn] : [])];
    return JSON.stringify({
        apiVersion: "v1",
        kind: "Config",
        clusters: [{ name: "kubernetes", cluster: { server: cluster.endpoint, "certificate-authority-data": cluster.certificateAuthorityData } }],
        contexts: [{ name: "aws", context: { cluster: "kubernetes", user: "aws" } }],
        "current-context": "aws",
        users: [{ name: "aws", user: { exec: { apiVersion: "client.authentication.k8s.io/v1beta1", command: "aws", args } } }],
    });
}

/** Inputs of {@link ClusterAddons}. */
export interface ClusterAddonsArgs {
    /** The EKS cluster's name (the autoscaler's auto-discovery tag). */
    clusterName: string;
    /** The cluster's Region (the autoscaler's `awsRegion`). */
    region: string;
    /** Chart versions, the autoscaler image tag and its IRSA role. */
    addons: FlinkWorkloadSpec["addons"];
}

/** Cluster Autoscaler (IRSA, auto-discovery, on ON_DEMAND nodes) and the metrics server, as Helm releases. */
export class ClusterAddons extends pulumi.ComponentResource {
    /** Releases that must be ready before workloads that scale. */
    public readonly releases: k8s.helm.v3.Release[];

    constructor(name: string, args: ClusterAddonsArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super("awsarch:flinkEks:ClusterAddons", name, {}, opts);
        // Children inherit the Kubernetes provider the component is given.
        const k8sOpts = { parent: this };
        const autoscaler = new k8s.helm.v3.Release(
            `${name}-cluster-autoscaler`,
            {
                name: "cluster-autoscaler",
                namespace: CLUSTER_AUTOSCALER_NAMESPACE,
                chart: "cluster-autoscaler",
                version: args.addons.clusterAutoscalerChartVersion,
                repositoryOpts: { repo: "https://kubernetes.github.io/autoscaler" },
                values: {
                    // The autoscaler's minor must match the cluster's Kubernetes minor, whatever the chart defaults to.
                    image: { tag: args.addons.clusterAutoscalerImageTag },
                    cloudProvider: "aws",
                    awsRegion: args.region,
                    autoDiscovery: { clusterName: args.clusterName },
                    rbac: {
                        serviceAccount: {
                            create: true,
                            name: CLUSTER_AUTOSCALER_SERVICE_ACCOUNT,
                            annotations: { "eks.amazonaws.com/role-arn": args.addons.clusterAutoscalerRoleArn },
                        },
                    },
                    extraArgs: { "balance-similar-node-groups": true, "skip-nodes-with-system-pods": false, expander: "least-waste" },
                    // The autoscaler must not run on the Spot capacity it scales.
                    nodeSelector: { [CAPACITY_TYPE_LABEL]: "ON_DEMAND" },
                },
            },
            k8sOpts,
        );
        const metricsServer = new k8s.helm.v3.Release(
            `${name}-metrics-server`,
            {
                name: "metrics-server",
                namespace: "kube-system",
                chart: "metrics-server",
                version: args.addons.metricsServerChartVersion,
                repositoryOpts: { repo: "https://kubernetes-sigs.github.io/metrics-server/" },
                values: { nodeSelector: { [CAPACITY_TYPE_LABEL]: "ON_DEMAND" } },
            },
            k8sOpts,
        );
        this.releases = [autoscaler, metricsServer];
        this.registerOutputs({});
    }
}

/** Inputs of {@link FlinkWorkloads}. */
export interface FlinkWorkloadsArgs {
    /** The job. */
    spec: FlinkJobSpec;
    /** What the namespace waits for (the add-ons: the HPA needs the metrics server). */
    dependsOn?: pulumi.Resource[];
}

/**
 * The Flink application's Kubernetes objects: namespace (restricted pod security), service account
 * (IRSA) and HA RBAC, the ConfigMap, and once an image is named the JobManager on ON_DEMAND nodes,
 * TaskManagers on SPOT nodes, Services and the TaskManager HorizontalPodAutoscaler.
 */
export class FlinkWorkloads extends pulumi.ComponentResource {
    /** `flink-config`. */
    public readonly configMap: k8s.core.v1.ConfigMap;
    /** The JobManager, a `batch/v1` Job as Flink's application-mode manifests run it (ON_DEMAND); undefined until an image is configured. */
    public readonly jobManager?: k8s.batch.v1.Job;
    /** The TaskManager Deployment (SPOT); undefined until an image is configured. */
    public readonly taskManager?: k8s.apps.v1.Deployment;
    /** The TaskManager autoscaler; undefined until an image is configured. */
    public readonly hpa?: k8s.autoscaling.v2.HorizontalPodAutoscaler;

    constructor(name: string, args: FlinkWorkloadsArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super("awsarch:flinkEks:FlinkWorkloads", name, {}, opts);
        const spec = args.spec;
        const ns = spec.namespace;
        const sa = spec.serviceAccountName;
        // Children inherit the Kubernetes provider the component is given.
        const k8sChild = { parent: this };
        const namespace = new k8s.core.v1.Namespace(
            `${name}-ns`,
            { metadata: { name: ns, labels: { "pod-security.kubernetes.io/enforce": "restricted" } } },
            { ...k8sChild, dependsOn: args.dependsOn ?? [] },
        );
        const inNs = { ...k8sChild, dependsOn: [namespace] };

        const serviceAccount = new k8s.core.v1.ServiceAccount(
            `${name}-sa`,
            { metadata: { name: sa, namespace: ns, annotations: { "eks.amazonaws.com/role-arn": spec.roleArn } } },
            inNs,
        );
        // Kubernetes HA: leader election and job metadata live in ConfigMaps of this namespace.
        const role = new k8s.rbac.v1.Role(
            `${name}-ha-role`,
            {
                metadata: { name: "flink-ha", namespace: ns },
                rules: [
                    // Kubernetes HA deletes its ConfigMaps with a collection delete when the job ends (deletecollection).
                    { apiGroups: [""], resources: ["configmaps"], verbs: ["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"] },
                    { apiGroups: [""], resources: ["pods"], verbs: ["get", "list", "watch"] },
                ],
            },
            inNs,
        );
        const binding = new k8s.rbac.v1.RoleBinding(
            `${name}-ha-binding`,
            {
                metadata: { name: "flink-ha", namespace: ns },
                roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "flink-ha" },
                subjects: [{ kind: "ServiceAccount", name: sa, namespace: ns }],
            },
            { ...inNs, dependsOn: [namespace, role, serviceAccount] },
        );

        this.configMap = new k8s.core.v1.ConfigMap(
            `${name}-config`,
            {
                metadata: { name: FLINK_NAMES.config, namespace: ns, labels: { app: "flink" } },
                data: {
                    [flinkConfigFileName(spec.flinkVersion)]: flinkConf({
                        flinkVersion: spec.flinkVersion,
                        bucket: spec.bucket,
                        namespace: ns,
                        taskSlots: spec.taskSlots,
                        jobManagerMemoryMb: spec.jobManager.memoryMb,
                        taskManagerMemoryMb: spec.taskManager.memoryMb,
                        checkpointIntervalSeconds: spec.checkpointIntervalSeconds,
                        restart: spec.restart,
                    }),
                    "log4j-console.properties": log4jConsole(spec.flinkVersion),
                },
            },
            inNs,
        );
        if (spec.image !== undefined) {
            const workloads = this.workloads(name, spec, spec.image, k8sChild, [namespace, this.configMap, binding]);
            this.jobManager = workloads.jobManager;
            this.taskManager = workloads.taskManager;
            this.hpa = workloads.hpa;
        }

        this.registerOutputs({});
    }

    /** The JobManager Job, the TaskManager Deployment, their Services and the TaskManager HPA, all running `image`. */
    private workloads(
        name: string,
        args: FlinkJobSpec,
        image: string,
        k8sChild: { parent: pulumi.Resource },
        deps: pulumi.Resource[],
    ): { jobManager: k8s.batch.v1.Job; taskManager: k8s.apps.v1.Deployment; hpa: k8s.autoscaling.v2.HorizontalPodAutoscaler } {
        const ns = args.namespace;
        const sa = args.serviceAccountName;
        const labels = (component: string) => ({ app: "flink", component });
        const inNs = { ...k8sChild, dependsOn: [deps[0]] };
        const confFile = flinkConfigFileName(args.flinkVersion);
        const configVolume = {
            name: "flink-config-volume",
            configMap: {
                name: FLINK_NAMES.config,
                items: [
                    { key: confFile, path: confFile },
                    { key: "log4j-console.properties", path: "log4j-console.properties" },
                ],
            },
        };
        // The official image keeps the S3 filesystems in /opt/flink/opt; its entrypoint links the ones
        // ENABLE_BUILT_IN_PLUGINS names into /opt/flink/plugins (apache/flink-docker docker-entrypoint.sh,
        // copy_plugins_if_required). Without it the JobManager fails: no file system for scheme "s3".
        const pluginEnv: k8s.types.input.core.v1.EnvVar[] = args.s3Plugin === "builtIn" ? [{ name: "ENABLE_BUILT_IN_PLUGINS", value: s3PluginJar(args.flinkVersion) }] : [];
        /**
         * The pod template of a Flink component: its service account, pinned to one
         * capacity type, config volume mounted, liveness on the first (rpc) port.
         */
        const flinkPod = (
            component: "jobmanager" | "taskmanager",
            capacityType: "ON_DEMAND" | "SPOT",
            podResources: FlinkPodResources,
            podExtra: Partial<k8s.types.input.core.v1.PodSpec>,
            container: { args: pulumi.Input<string>[]; ports: { containerPort: number; name: string }[]; env?: k8s.types.input.core.v1.EnvVar[] },
        ): k8s.types.input.core.v1.PodTemplateSpec => ({
            metadata: { labels: labels(component) },
            spec: {
                serviceAccountName: sa,
                nodeSelector: { [CAPACITY_TYPE_LABEL]: capacityType },
                ...podExtra,
                securityContext: { fsGroup: 9999 },
                containers: [
                    {
                        name: component,
                        image,
                        ...container,
                        env: [...pluginEnv, ...(container.env ?? [])],
                        livenessProbe: { tcpSocket: { port: container.ports[0].containerPort }, initialDelaySeconds: 30, periodSeconds: 60 },
                        resources: podResourceLimits(podResources),
                        securityContext: containerSecurity,
                        volumeMounts: [{ name: "flink-config-volume", mountPath: "/opt/flink/conf" }],
                    },
                ],
                volumes: [configVolume],
            },
        });
        const podDeps = { ...inNs, dependsOn: deps };

        // Application mode as Flink documents it (jobmanager-application-ha.yaml): a batch/v1 Job whose pod
        // restarts in place on failure. A Deployment would restart a job that finished or was cancelled
        // forever (CrashLoopBackOff). Pulumi does not wait for this Job to complete (a streaming job never
        // does); its pod template is immutable, so a new image replaces it (delete first: the name is
        // fixed) and the new JobManager resumes from the HA metadata and the latest checkpoint.
        const jobManager = new k8s.batch.v1.Job(
            `${name}-jobmanager`,
            {
                metadata: { name: FLINK_NAMES.jobManager, namespace: ns, labels: labels("jobmanager"), annotations: { "pulumi.com/skipAwait": "true" } },
                spec: {
                    parallelism: 1,
                    completions: 1,
                    // JobManager process crashes (job failures are Flink's restart strategy's, inside the process).
                    backoffLimit: JOB_MANAGER_BACKOFF_LIMIT,
                    template: flinkPod("jobmanager", "ON_DEMAND", args.jobManager, { restartPolicy: "OnFailure" }, {
                        env: [{ name: "POD_IP", valueFrom: { fieldRef: { apiVersion: "v1", fieldPath: "status.podIP" } } }],
                        args: ["standalone-job", "--host", "$(POD_IP)", "--job-classname", args.jobClass, ...args.jobArgs],
                        ports: [
                            { containerPort: 6123, name: "rpc" },
                            { containerPort: 6124, name: "blob-server" },
                            { containerPort: 8081, name: "webui" },
                        ],
                    }),
                },
            },
            { ...podDeps, deleteBeforeReplace: true },
        );

        const taskManager = new k8s.apps.v1.Deployment(
            `${name}-taskmanager`,
            {
                metadata: { name: FLINK_NAMES.taskManager, namespace: ns, labels: labels("taskmanager") },
                spec: {
                    // No `replicas`: the HPA owns the count (with server-side apply, setting it here would fight the HPA).
                    selector: { matchLabels: labels("taskmanager") },
                    template: flinkPod(
                        "taskmanager",
                        "SPOT",
                        args.taskManager,
                        // Spot gives two minutes' notice: leave time for the in-flight checkpoint state to be released.
                        { terminationGracePeriodSeconds: 90 },
                        {
                            args: ["taskmanager"],
                            ports: [
                                { containerPort: 6122, name: "rpc" },
                                { containerPort: 6125, name: "query-state" },
                            ],
                        },
                    ),
                },
            },
            podDeps,
        );

        new k8s.core.v1.Service(
            `${name}-jobmanager-svc`,
            {
                metadata: { name: FLINK_NAMES.jobManager, namespace: ns, labels: labels("jobmanager") },
                spec: {
                    type: "ClusterIP",
                    selector: labels("jobmanager"),
                    ports: [
                        { name: "rpc", port: 6123 },
                        { name: "blob-server", port: 6124 },
                        { name: "webui", port: 8081 },
                    ],
                },
            },
            inNs,
        );
        // REST/UI inside the cluster only: reach it with `kubectl port-forward`.
        new k8s.core.v1.Service(
            `${name}-jobmanager-rest-svc`,
            {
                metadata: { name: FLINK_NAMES.jobManagerRest, namespace: ns, labels: labels("jobmanager") },
                spec: { type: "ClusterIP", selector: labels("jobmanager"), ports: [{ name: "rest", port: 8081, targetPort: 8081 }] },
            },
            inNs,
        );

        const hpa = new k8s.autoscaling.v2.HorizontalPodAutoscaler(
            `${name}-taskmanager-hpa`,
            {
                metadata: { name: FLINK_NAMES.taskManager, namespace: ns },
                spec: {
                    scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: FLINK_NAMES.taskManager },
                    minReplicas: args.hpa.minReplicas,
                    maxReplicas: args.hpa.maxReplicas,
                    // Every TaskManager removed restarts the job (reactive mode): scale down one step at a time,
                    // and only after the load has stayed low for the stabilization window.
                    behavior: {
                        scaleDown: {
                            stabilizationWindowSeconds: args.hpa.scaleDownStabilizationSeconds,
                            selectPolicy: "Min",
                            policies: [{ type: "Pods", value: args.hpa.scaleDownPodsPerPeriod, periodSeconds: args.hpa.scaleDownPeriodSeconds }],
                        },
                    },
                    metrics: [
                        {
                            type: "Resource",
                            resource: { name: "cpu", target: { type: "Utilization", averageUtilization: args.hpa.targetCpuPercent } },
                        },
                    ],
                },
            },
            { ...inNs, dependsOn: [deps[0], taskManager] },
        );

        return { jobManager, taskManager, hpa };
    }
}
