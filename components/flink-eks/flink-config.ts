import { minorOf } from "../../lib/config/flink-eks";

/**
 * The Flink side of the Flink on EKS concern as plain data and text: the names, the configuration
 * file (`config.yaml` / `flink-conf.yaml`) and the console logging, for the version of the image.
 * No resources here: the platform stack exports these inputs, the workloads stack renders them.
 */

/** Pod resources and Flink process memory. */
export interface FlinkPodResources {
    /** CPU request and limit, cores. */
    cpu: number;
    /** Process memory and container request/limit, MiB. */
    memoryMb: number;
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

/** The restricted-pod-security container context of both Flink containers (user flink, 9999). */
export const containerSecurity = {
    runAsNonRoot: true,
    runAsUser: 9999,
    runAsGroup: 9999,
    allowPrivilegeEscalation: false,
    capabilities: { drop: ["ALL"] },
    seccompProfile: { type: "RuntimeDefault" },
};

/** Requests equal to limits (guaranteed QoS) from the pod resources. */
export function podResourceLimits(r: FlinkPodResources) {
    const res = { cpu: String(r.cpu), memory: `${r.memoryMb}Mi` };
    return { requests: res, limits: res };
}

