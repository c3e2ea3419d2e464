import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { CAPACITY_TYPE_LABEL } from "./cluster";
import { irsaTrustPolicy } from "./irsa";
import { keyPolicy, rotatingKey } from "../../lib/aws/kms";
import { secureBucket } from "../../lib/aws/bucket";
import { secureRepository } from "../../lib/aws/ecr";
import { minorOf } from "../../lib/config/flink-eks";

/** Pod resources and Flink process memory. */
export interface FlinkPodResources {
    /** CPU request and limit, cores. */
    cpu: number;
    /** Process memory and container request/limit, MiB. */
    memoryMb: number;
}

/** Inputs of {@link FlinkApplication}. */
export interface FlinkApplicationArgs {
    /** Provider of the workload account in the cluster's Region. */
    provider: aws.Provider;
    /** Kubernetes provider of the cluster: every Kubernetes object uses it. */
    k8sProvider: k8s.Provider;
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
    /** Flink version of the job image (`1.15`-`1.20`, with the patch for the built-in S3 plugin): selects the configuration file and keys. */
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
    /** Name of the job bucket (globally unique). */
    bucketName: string;
    /** Kinesis input stream name. */
    streamName: string;
    /** Shards of the input stream. */
    streamShards: number;
    /** Retention of the input stream, hours. */
    streamRetentionHours: number;
    /** Resources the workloads wait for (node groups, metrics server). */
    dependsOn?: pulumi.Input<pulumi.Resource>[];
    /** Protect the data key, bucket, stream and image repository (prod). */
    protect: boolean;
}

/** Name of the JobManager and TaskManager Deployments, Services and ConfigMap. */
export const FLINK_NAMES = {
    config: "flink-config",
    jobManager: "flink-jobmanager",
    jobManagerRest: "flink-jobmanager-rest",
    taskManager: "flink-taskmanager",
    clusterId: "flink-app",
} as const;

/** Flink's exponential-delay restart strategy (`restart-strategy.exponential-delay.*`). */
export interface RestartBackoff {
    initialBackoffSeconds: number;
    maxBackoffSeconds: number;
    backoffMultiplier: number;
    resetBackoffThresholdMinutes: number;
    jitterFactor: number;
}

/** Inputs of {@link flinkConf}. */
export interface FlinkConfInput {
    /** Flink version of the image (`1.15`-`1.20`, optionally with a patch). */
    flinkVersion: string;
    bucket: string;
    namespace: string;
    taskSlots: number;
    jobManagerMemoryMb: number;
    taskManagerMemoryMb: number;
    checkpointIntervalSeconds: number;
    restart: RestartBackoff;
}

/**
 * The configuration file the version reads from `/opt/flink/conf`: Flink 1.19 introduced
 * `config.yaml` (standard YAML, FLIP-366) and reads `flink-conf.yaml` only as a deprecated fallback;
 * 2.x reads only `config.yaml`.
 */
export function flinkConfigFileName(flinkVersion: string): "config.yaml" | "flink-conf.yaml" {
    return minorOf(flinkVersion) >= 19 ? "config.yaml" : "flink-conf.yaml";
}

/** The S3 filesystem plugin jar of the official image (`/opt/flink/opt`), for `ENABLE_BUILT_IN_PLUGINS`. */
export function s3PluginJar(flinkVersion: string): string {
    return `flink-s3-fs-hadoop-${flinkVersion}.jar`;
}

/** Factory class of Kubernetes HA (Flink 1.15 does not know the `kubernetes` shorthand, added in 1.16 by FLINK-27808). */
export const KUBERNETES_HA_FACTORY = "org.apache.flink.kubernetes.highavailability.KubernetesHaServicesFactory";

/**
 * The Flink configuration as the post runs it: reactive scheduler (the HPA
 * changes the TaskManager count, the job rescales to it), Kubernetes HA with
 * its storage on S3, S3 checkpoints, exponential-delay restarts; S3
 * credentials come from the pod's IRSA web identity. Every line is also valid
 * standard YAML (flattened keys), so the same text serves as `config.yaml`
 * (1.19+) and `flink-conf.yaml` (see {@link flinkConfigFileName}).
 *
 * Restarts: reactive mode restarts the job whenever it loses a TaskManager
 * (a Spot reclaim, an HPA scale-down), and a restart strategy with a bounded
 * number of attempts (fixed-delay 10) fails the job for good after that many
 * reclaims, after which application mode shuts the cluster down. The
 * exponential-delay strategy has no attempt limit (its
 * `attempts-before-reset-backoff` defaults to unbounded), backs off while
 * failures repeat quickly (a crash loop does not hammer S3 and Kinesis) and
 * resets after a stable period, so the restart after a reclaim hours later
 * starts at the initial backoff again (Flink docs, Task Failure Recovery).
 *
 * The keys follow the Flink version (1.15-1.20; 2.x is refused by config
 * validation): 1.17 renamed `high-availability`, `state.backend` and
 * `restart-strategy` to `*.type`; 1.20 moved the checkpoint directory,
 * savepoint directory and incremental flag under `execution.checkpointing.*`.
 * Older keys keep working as deprecated aliases, newer keys are unknown to
 * older releases, so each version gets its own.
 */
export function flinkConf(c: FlinkConfInput): string {
    const minor = minorOf(c.flinkVersion);
    if (!(minor >= 15 && minor <= 20)) {
        throw new Error(`flinkConf: Flink ${c.flinkVersion} is not supported (1.15-1.20)`);
    }
    const ha: [string, string] =
        minor >= 17 ? ["high-availability.type", "kubernetes"] : ["high-availability", minor === 16 ? "kubernetes" : KUBERNETES_HA_FACTORY];
    const typeKey = (key: string) => (minor >= 17 ? `${key}.type` : key);
    const checkpointing: [string, string][] =
        minor >= 20
            ? [
                  ["execution.checkpointing.incremental", "true"],
                  ["execution.checkpointing.dir", `s3://${c.bucket}/checkpoints`],
                  ["execution.checkpointing.savepoint-dir", `s3://${c.bucket}/savepoints`],
              ]
            : [
                  ["state.backend.incremental", "true"],
                  ["state.checkpoints.dir", `s3://${c.bucket}/checkpoints`],
                  ["state.savepoints.dir", `s3://${c.bucket}/savepoints`],
              ];
    const lines: [string, string | number][] = [
        ["jobmanager.rpc.address", FLINK_NAMES.jobManager],
        ["jobmanager.rpc.port", 6123],
        ["blob.server.port", 6124],
        ["taskmanager.rpc.port", 6122],
        ["rest.port", 8081],
        ["jobmanager.memory.process.size", `${c.jobManagerMemoryMb}m`],
        ["taskmanager.memory.process.size", `${c.taskManagerMemoryMb}m`],
        ["taskmanager.numberOfTaskSlots", c.taskSlots],
        ["scheduler-mode", "reactive"],
        ["kubernetes.cluster-id", FLINK_NAMES.clusterId],
        ["kubernetes.namespace", c.namespace],
        ha,
        ["high-availability.storageDir", `s3://${c.bucket}/ha`],
        [typeKey("state.backend"), "rocksdb"],
        ...checkpointing,
        ["execution.checkpointing.interval", `${c.checkpointIntervalSeconds}s`],
        ["execution.checkpointing.mode", "EXACTLY_ONCE"],
        [typeKey("restart-strategy"), "exponential-delay"],
        ["restart-strategy.exponential-delay.initial-backoff", `${c.restart.initialBackoffSeconds} s`],
        ["restart-strategy.exponential-delay.max-backoff", `${c.restart.maxBackoffSeconds} s`],
        ["restart-strategy.exponential-delay.backoff-multiplier", c.restart.backoffMultiplier],
        ["restart-strategy.exponential-delay.reset-backoff-threshold", `${c.restart.resetBackoffThresholdMinutes} min`],
        ["restart-strategy.exponential-delay.jitter-factor", c.restart.jitterFactor],
        ["fs.s3a.aws.credentials.provider", "com.amazonaws.auth.WebIdentityTokenCredentialsProvider"],
    ];
    return lines.map(([k, v]) => `${k}: ${v}`).join("\n") + "\n";
}

/**
 * Console logging for both processes (`kubectl logs`). Flink 1.18 replaced Akka with Pekko
 * (FLINK-32468): its loggers are `org.apache.pekko`, as in the distribution's log4j-console.properties.
 */
export function log4jConsole(flinkVersion: string): string {
    const minor = minorOf(flinkVersion);
    const rpc = minor >= 18 ? ["logger.pekko.name = org.apache.pekko", "logger.pekko.level = INFO"] : ["logger.akka.name = akka", "logger.akka.level = INFO"];
    const netty =
        minor >= 18
            ? ["logger.netty.name = org.jboss.netty.channel.DefaultChannelPipeline", "logger.netty.level = OFF"]
            : ["logger.netty.name = org.apache.flink.shaded.akka.org.jboss.netty.channel.DefaultChannelPipeline", "logger.netty.level = OFF"];
    return [...LOG4J_HEAD, ...rpc, ...LOG4J_TAIL, ...netty, ""].join("\n");
}

const LOG4J_HEAD = ["rootLogger.level = INFO", "rootLogger.appenderRef.console.ref = ConsoleAppender"];
const LOG4J_TAIL = [
    "logger.kafka.name= org.apache.kafka",
    "logger.kafka.level = INFO",
    "logger.hadoop.name = org.apache.hadoop",
    "logger.hadoop.level = INFO",
    "logger.zookeeper.name = org.apache.zookeeper",
    "logger.zookeeper.level = INFO",
    "appender.console.name = ConsoleAppender",
    "appender.console.type = CONSOLE",
    "appender.console.layout.type = PatternLayout",
    "appender.console.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n",
];

/** Restarts of a crashing JobManager pod before its Job fails (Kubernetes' default is 6). */
export const JOB_MANAGER_BACKOFF_LIMIT = 100;

const CONTAINER_SECURITY = {
    runAsNonRoot: true,
    runAsUser: 9999,
    runAsGroup: 9999,
    allowPrivilegeEscalation: false,
    capabilities: { drop: ["ALL"] },
    seccompProfile: { type: "RuntimeDefault" },
};

function resources(r: FlinkPodResources) {
    const res = { cpu: String(r.cpu), memory: `${r.memoryMb}Mi` };
    return { requests: res, limits: res };
}

/**
 * The Flink application in application mode: its data (Kinesis input stream,
 * S3 bucket for HA metadata, checkpoints and output, both KMS-encrypted), the
 * ECR repository of the job image, an IRSA role limited to that bucket and
 * stream, and the Kubernetes objects: namespace, service account and HA RBAC,
 * ConfigMap, JobManager on ON_DEMAND nodes, TaskManagers on SPOT nodes,
 * Services and the TaskManager HorizontalPodAutoscaler.
 *
 * The workloads (both Deployments, their Services and the HPA) exist only
 * once an image is named (`imageTag` in this repository, or an external
 * `image`): the repository is created by this same program, and the
 * Kubernetes provider waits for Deployments to become ready, so deploying
 * them before the image is pushed would fail the first `pulumi up`. Until
 * then {@link FlinkApplication.nextStep} says what to do.
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
    /** `flink-config`. */
    public readonly configMap: k8s.core.v1.ConfigMap;
    /** The JobManager, a `batch/v1` Job as Flink's application-mode manifests run it (ON_DEMAND); undefined until an image is configured. */
    public readonly jobManager?: k8s.batch.v1.Job;
    /** The TaskManager Deployment (SPOT); undefined until an image is configured. */
    public readonly taskManager?: k8s.apps.v1.Deployment;
    /** The TaskManager autoscaler; undefined until an image is configured. */
    public readonly hpa?: k8s.autoscaling.v2.HorizontalPodAutoscaler;

    constructor(name: string, args: FlinkApplicationArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super("awsarch:flinkEks:FlinkApplication", name, {}, opts);
        const provider = args.provider;
        const child = { parent: this, provider };
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
                            Sid: "ReadInputStream",
                            Effect: "Allow",
                            Action: [
                                "kinesis:DescribeStream",
                                "kinesis:DescribeStreamSummary",
                                "kinesis:GetRecords",
                                "kinesis:GetShardIterator",
                                "kinesis:ListShards",
                                "kinesis:SubscribeToShard",
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

        // --- Kubernetes objects, all through the cluster's provider ---
        const k8sChild = { parent: this, provider: args.k8sProvider };
        const namespace = new k8s.core.v1.Namespace(
            `${name}-ns`,
            { metadata: { name: ns, labels: { "pod-security.kubernetes.io/enforce": "restricted" } } },
            { ...k8sChild, dependsOn: args.dependsOn },
        );
        const inNs = { ...k8sChild, dependsOn: [namespace] };

        const serviceAccount = new k8s.core.v1.ServiceAccount(
            `${name}-sa`,
            { metadata: { name: sa, namespace: ns, annotations: { "eks.amazonaws.com/role-arn": this.role.arn } } },
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
                    [flinkConfigFileName(args.flinkVersion)]: this.bucket.bucket.apply((bucket) =>
                        flinkConf({
                            flinkVersion: args.flinkVersion,
                            bucket,
                            namespace: ns,
                            taskSlots: args.taskSlots,
                            jobManagerMemoryMb: args.jobManager.memoryMb,
                            taskManagerMemoryMb: args.taskManager.memoryMb,
                            checkpointIntervalSeconds: args.checkpointIntervalSeconds,
                            restart: args.restart,
                        }),
                    ),
                    "log4j-console.properties": log4jConsole(args.flinkVersion),
                },
            },
            inNs,
        );
        if (this.image !== undefined) {
            const workloads = this.workloads(name, args, this.image, k8sChild, [namespace, this.configMap, binding]);
            this.jobManager = workloads.jobManager;
            this.taskManager = workloads.taskManager;
            this.hpa = workloads.hpa;
        }

        this.registerOutputs({
            bucketName: this.bucket.bucket,
            streamArn: this.stream.arn,
            repositoryUrl: this.repository.repositoryUrl,
            roleArn: this.role.arn,
            nextStep: this.nextStep,
        });
    }

    /** JobManager and TaskManager Deployments, their Services and the TaskManager HPA, all running `image`. */
    private workloads(
        name: string,
        args: FlinkApplicationArgs,
        image: pulumi.Output<string>,
        k8sChild: { parent: pulumi.Resource; provider: k8s.Provider },
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
                        resources: resources(podResources),
                        securityContext: CONTAINER_SECURITY,
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
