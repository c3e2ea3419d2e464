import { z } from "zod";
import { EKS_VERSIONS, FLINK_VERSIONS, unsupportedReason } from "../support";
import { accountRef, cidr, logRetentionDays, positiveInt, region, roleArn, supportedVersion, zonalVpcSchema } from "./common";

/**
 * Config of SPEC concern 9: Apache Flink (application mode, reactive scaling)
 * on EKS with an on-demand managed node group for the JobManager and Spot
 * managed node groups for the TaskManagers.
 */

/** The default Kubernetes version of the control plane: in EKS standard support (see `EKS_VERSIONS`). */
export const DEFAULT_KUBERNETES_VERSION = "1.35";

/** The minor of a `1.<minor>[.<patch>]` version string (`"1.20.1"` -> 20); NaN when malformed. */
export function minorOf(version: string): number {
    const m = /^1\.(\d+)(\.\d+)?$/.exec(version);
    return m ? Number(m[1]) : NaN;
}

const flinkVersion = z.string().superRefine((v, ctx) => {
    const m = /^(\d+)\.(\d+)(\.\d+)?$/.exec(v);
    if (!m) {
        ctx.addIssue({ code: "custom", message: `"${v}" is not a Flink version (major.minor[.patch], e.g. "1.20")` });
    } else if (Number(m[1]) >= 2) {
        // Flink 2.x reads conf/config.yaml (standard YAML) and removed the deprecated 1.x keys,
        // so it needs a different ConfigMap: refused until implemented.
        ctx.addIssue({
            code: "custom",
            message: `Flink ${v} is not supported: Flink 2.x reads conf/config.yaml and dropped the 1.x configuration keys this program writes (use 1.20, the 1.x long-term support release)`,
        });
    } else {
        const reason = unsupportedReason(FLINK_VERSIONS, `${m[1]}.${m[2]}`);
        if (reason) {
            ctx.addIssue({ code: "custom", message: reason });
        }
    }
});

/**
 * The Cluster Autoscaler image tag for a Kubernetes version: the autoscaler's
 * minor must equal the cluster's (its releases are built against one
 * Kubernetes minor), so the default is the release the `EKS_VERSIONS` row names.
 */
export function defaultClusterAutoscalerImageTag(kubernetesVersion: string): string {
    return EKS_VERSIONS.rows.find((r) => r.version === kubernetesVersion)?.clusterAutoscalerImageTag ?? `v${kubernetesVersion}.0`;
}

/** AMI types a node group may use; the instance architecture must match. */
export const AMI_TYPES = ["AL2023_x86_64_STANDARD", "AL2023_ARM_64_STANDARD"] as const;
export type AmiType = (typeof AMI_TYPES)[number];

/** vCPU / memory / architecture of an EC2 instance type. */
export interface InstanceShape {
    vcpu: number;
    memoryGiB: number;
    arch: "x86_64" | "arm64";
}

/** Families this program knows, with their architecture and GiB of memory per vCPU. */
const FAMILIES: Record<string, { arch: InstanceShape["arch"]; gibPerVcpu: number }> = {
    ...Object.fromEntries(["m4", "m5", "m5a", "m5d", "m5ad", "m5n", "m6i", "m6a", "m6id", "m7i", "m7a"].map((f) => [f, { arch: "x86_64" as const, gibPerVcpu: 4 }])),
    ...Object.fromEntries(["c5", "c5a", "c5d", "c6i", "c6a", "c7i", "c7a"].map((f) => [f, { arch: "x86_64" as const, gibPerVcpu: 2 }])),
    ...Object.fromEntries(["r5", "r5a", "r5d", "r6i", "r6a", "r7i"].map((f) => [f, { arch: "x86_64" as const, gibPerVcpu: 8 }])),
    ...Object.fromEntries(["m6g", "m6gd", "m7g", "m7gd"].map((f) => [f, { arch: "arm64" as const, gibPerVcpu: 4 }])),
    ...Object.fromEntries(["c6g", "c6gd", "c7g"].map((f) => [f, { arch: "arm64" as const, gibPerVcpu: 2 }])),
    ...Object.fromEntries(["r6g", "r6gd", "r7g"].map((f) => [f, { arch: "arm64" as const, gibPerVcpu: 8 }])),
};
const SIZES: Record<string, number> = { large: 2, xlarge: 4, "2xlarge": 8, "4xlarge": 16 };

/**
 * The shape of an instance type (the table eksctl's instance selector would
 * consult: `--instance-selector-vcpus=4 --instance-selector-memory=16` picks
 * m5.xlarge, m5a.xlarge, m5d.xlarge, m6i.xlarge, m4.xlarge, ...), or undefined
 * when the type is not in the table.
 */
export function instanceShape(instanceType: string): InstanceShape | undefined {
    const [family, size] = instanceType.split(".");
    const f = FAMILIES[family];
    const vcpu = SIZES[size];
    if (!f || vcpu === undefined || instanceType.split(".").length !== 2) {
        return undefined;
    }
    return { vcpu, memoryGiB: vcpu * f.gibPerVcpu, arch: f.arch };
}

/** The architecture an AMI type boots. */
export function amiArchitecture(amiType: AmiType): InstanceShape["arch"] {
    return amiType === "AL2023_ARM_64_STANDARD" ? "arm64" : "x86_64";
}

const instanceType = z.string().superRefine((v, ctx) => {
    if (!instanceShape(v)) {
        ctx.addIssue({
            code: "custom",
            message: `"${v}" is not a known instance type (families ${Object.keys(FAMILIES).join(", ")}; sizes ${Object.keys(SIZES).join(", ")})`,
        });
    }
});

/** Scaling bounds shared by every node group. */
const scaling = {
    /** Minimum node count. */
    minSize: z.number().int().min(0, { message: "must be 0 or more" }),
    /** Node count at creation (the Cluster Autoscaler changes it afterwards). */
    desiredSize: z.number().int().min(0, { message: "must be 0 or more" }),
    /** Maximum node count. */
    maxSize: positiveInt,
};

function checkScaling(g: { minSize: number; desiredSize: number; maxSize: number }, ctx: z.RefinementCtx): void {
    if (g.minSize > g.desiredSize) {
        ctx.addIssue({ code: "custom", path: ["desiredSize"], message: `${g.desiredSize} is below minSize ${g.minSize}` });
    }
    if (g.desiredSize > g.maxSize) {
        ctx.addIssue({ code: "custom", path: ["desiredSize"], message: `${g.desiredSize} is above maxSize ${g.maxSize}` });
    }
    if (g.minSize > g.maxSize) {
        ctx.addIssue({ code: "custom", path: ["minSize"], message: `${g.minSize} is above maxSize ${g.maxSize}` });
    }
}

const onDemandGroupSchema = z
    .object({
        /** Instance types of the on-demand group that runs the JobManager and cluster add-ons. */
        instanceTypes: z.array(instanceType).min(1, { message: "must list at least one instance type" }).default(["m5.large"]),
        ...scaling,
        minSize: scaling.minSize.default(1),
        desiredSize: scaling.desiredSize.default(1),
        maxSize: scaling.maxSize.default(2),
    })
    .strict()
    .superRefine(checkScaling);

const spotGroupSchema = z
    .object({
        /** Stable logical name of the group (used in resource names; never rename it). */
        name: z.string().regex(/^[a-z][a-z0-9-]{0,20}$/, { message: "must be lower-case letters, digits and dashes (1-21)" }),
        /** Diversified instance types, all of one vCPU/memory shape (at least two). */
        instanceTypes: z.array(instanceType).min(2, { message: "a Spot group needs at least two instance types of one size" }),
        ...scaling,
    })
    .strict()
    .superRefine((g, ctx) => {
        checkScaling(g, ctx);
        const shapes = g.instanceTypes.map((t) => ({ t, s: instanceShape(t) })).filter((x) => x.s);
        const first = shapes[0];
        for (const x of shapes.slice(1)) {
            if (x.s!.vcpu !== first.s!.vcpu || x.s!.memoryGiB !== first.s!.memoryGiB) {
                ctx.addIssue({
                    code: "custom",
                    path: ["instanceTypes", g.instanceTypes.indexOf(x.t)],
                    message: `${x.t} (${x.s!.vcpu} vCPU/${x.s!.memoryGiB} GiB) differs from ${first.t} (${first.s!.vcpu} vCPU/${first.s!.memoryGiB} GiB): a Spot group's types must share one size`,
                });
            }
        }
    });

const clusterSchema = z
    .object({
        /** EKS cluster name (also in the Cluster Autoscaler discovery tags). Never rename it. */
        name: z.string().regex(/^[a-zA-Z][a-zA-Z0-9-]{0,99}$/, { message: "must start with a letter; letters, digits and dashes (max 100)" }).default("flink-demo"),
        /** Kubernetes version of the control plane and node groups. */
        version: supportedVersion(EKS_VERSIONS).default(DEFAULT_KUBERNETES_VERSION),
        /** Expose the API endpoint publicly (only to `publicAccessCidrs`). Must be false in prod. */
        endpointPublicAccess: z.boolean().default(false),
        /** Expose the API endpoint inside the VPC. */
        endpointPrivateAccess: z.boolean().default(true),
        /** CIDRs allowed to reach a public endpoint (required when it is public; never 0.0.0.0/0). */
        publicAccessCidrs: z.array(cidr).default([]),
        /** IAM roles granted cluster admin through access entries (API authentication mode). */
        adminRoleArns: z.array(roleArn).default([]),
        /** Retention of the control-plane log group `/aws/eks/<name>/cluster`. */
        logRetentionDays: logRetentionDays.default(90),
    })
    .strict()
    .superRefine((c, ctx) => {
        if (!c.endpointPublicAccess && !c.endpointPrivateAccess) {
            ctx.addIssue({ code: "custom", path: ["endpointPrivateAccess"], message: "the API endpoint must be reachable: enable private (or public) access" });
        }
        if (c.endpointPublicAccess && c.publicAccessCidrs.length === 0) {
            ctx.addIssue({ code: "custom", path: ["publicAccessCidrs"], message: "must list the CIDRs allowed to reach the public endpoint" });
        }
        c.publicAccessCidrs.forEach((p, i) => {
            if (p.endsWith("/0")) {
                ctx.addIssue({ code: "custom", path: ["publicAccessCidrs", i], message: `${p} opens the API endpoint to the internet` });
            }
        });
    });

const hpaSchema = z
    .object({
        /** Fewest TaskManagers (post: 1). */
        minReplicas: z.number().int().min(1, { message: "must be at least 1" }).default(1),
        /** Most TaskManagers (post: 25). */
        maxReplicas: z.number().int().min(1, { message: "must be at least 1" }).default(25),
        /** Target average CPU utilisation of the TaskManagers, percent of requests (post: 35). */
        targetCpuPercent: z.number().int().min(1, { message: "must be 1-100" }).max(100, { message: "must be 1-100" }).default(35),
        /**
         * Scale-down stabilization window, seconds: the HPA acts on the highest recommendation of this
         * window, so a short CPU dip removes nothing (every removed TaskManager restarts the job).
         */
        scaleDownStabilizationSeconds: z.number().int().min(0).max(3600, { message: "must be 0-3600" }).default(600),
        /** TaskManagers removed at most per `scaleDownPeriodSeconds`. */
        scaleDownPodsPerPeriod: positiveInt.default(1),
        /** Period of the scale-down policy, seconds (Kubernetes allows 1-1800). */
        scaleDownPeriodSeconds: z.number().int().min(1).max(1800, { message: "must be 1-1800" }).default(300),
    })
    .strict()
    .superRefine((h, ctx) => {
        if (h.minReplicas > h.maxReplicas) {
            ctx.addIssue({ code: "custom", path: ["minReplicas"], message: `${h.minReplicas} is above maxReplicas ${h.maxReplicas}` });
        }
    });

const podResources = (cpu: number, memoryMb: number) =>
    z
        .object({
            /** CPU request and limit (cores). */
            cpu: z.number().positive({ message: "must be positive" }).default(cpu),
            /** Flink process memory (`*.memory.process.size`) and the container's request/limit, in MiB. */
            memoryMb: z.number().int().min(768, { message: "must be at least 768 MiB" }).default(memoryMb),
        })
        .strict();

const flinkSchema = z
    .object({
        /** Namespace of the Flink application. */
        namespace: z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, { message: "is not a Kubernetes namespace name" }).default("flink"),
        /** Service account of the JobManager and TaskManagers (named in the IRSA trust policy). */
        serviceAccountName: z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, { message: "is not a Kubernetes name" }).default("flink-service-account"),
        /** ECR repository for the job image (created here). */
        repositoryName: z.string().regex(/^[a-z0-9][a-z0-9._\/-]{1,255}$/, { message: "is not an ECR repository name" }).default("flink-demo"),
        /**
         * Tag of the job image in that repository (tags are immutable: bump it per release). Leave it unset
         * until the image is pushed: without `imageTag` or `image` the program creates everything except the
         * Flink workloads (JobManager, TaskManagers, their Services and HPA) and outputs `nextStep`.
         */
        imageTag: z.string().regex(/^[\w][\w.-]{0,127}$/, { message: "is not an image tag" }).optional(),
        /** A full image reference outside this program's repository (another registry, or a digest); deploys at once. Not with `imageTag`. */
        image: z.string().regex(/^[^\s:@/][^\s]*$/, { message: "is not an image reference" }).optional(),
        /** Flink version of the job image (`major.minor.patch`, or `major.minor` with `s3Plugin: bundled`): selects the configuration file and keys. */
        flinkVersion: flinkVersion,
        /** The job's main class (application mode: `standalone-job --job-classname`). */
        jobClass: z.string().regex(/^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/, { message: "is not a Java class name" }),
        /** Arguments passed to the job's main method. */
        jobArgs: z.array(z.string()).default([]),
        /** `taskmanager.numberOfTaskSlots`. */
        taskSlots: positiveInt.default(2),
        /** JobManager pod resources and memory. */
        jobManager: podResources(1, 1600).prefault({}),
        /** TaskManager pod resources and memory. */
        taskManager: podResources(1, 1728).prefault({}),
        /** `execution.checkpointing.interval`, in seconds. */
        checkpointIntervalSeconds: positiveInt.default(10),
        /**
         * Exponential-delay restart strategy. Reactive mode restarts the job for every TaskManager it
         * loses (a Spot reclaim, an HPA scale-down), so attempts are unbounded (Flink's default for
         * exponential-delay); the backoff grows from `initialBackoffSeconds` to `maxBackoffSeconds` while
         * failures come quickly and resets after `resetBackoffThresholdMinutes` of stable running.
         */
        restart: z
            .object({
                initialBackoffSeconds: positiveInt.default(1),
                maxBackoffSeconds: positiveInt.default(60),
                backoffMultiplier: z.number().min(1, { message: "must be at least 1" }).default(2),
                resetBackoffThresholdMinutes: positiveInt.default(10),
                jitterFactor: z.number().min(0, { message: "must be 0-1" }).max(1, { message: "must be 0-1" }).default(0.1),
            })
            .strict()
            .superRefine((r, ctx) => {
                if (r.maxBackoffSeconds < r.initialBackoffSeconds) {
                    ctx.addIssue({ code: "custom", path: ["maxBackoffSeconds"], message: `${r.maxBackoffSeconds} is below initialBackoffSeconds ${r.initialBackoffSeconds}` });
                }
            })
            .prefault({}),
        /**
         * Where the S3 filesystem (`s3://` for HA storage, checkpoints, savepoints, output) comes from:
         * `builtIn` enables the official image's `/opt/flink/opt/flink-s3-fs-hadoop-<flinkVersion>.jar`
         * with `ENABLE_BUILT_IN_PLUGINS` (apache/flink-docker docker-entrypoint.sh), which needs the exact
         * patch version in `flinkVersion`; `bundled` when the job image already has it in `/opt/flink/plugins`.
         */
        s3Plugin: z.enum(["builtIn", "bundled"]).default("builtIn"),
        /** Horizontal Pod Autoscaler on TaskManager CPU. */
        hpa: hpaSchema.prefault({}),
        /** Name of the job bucket (HA metadata, checkpoints, output); default `<cluster>-flink-<account ID>-<Region>`. */
        bucketName: z
            .string()
            .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { message: "is not an S3 bucket name (3-63 lower-case letters, digits, dots, dashes)" })
            .optional(),
        /** Name of the Kinesis input stream (created here). */
        streamName: z.string().regex(/^[a-zA-Z0-9_.-]{1,128}$/, { message: "is not a Kinesis stream name" }).default("ExampleInputStream"),
        /** Shards of the input stream. */
        streamShards: positiveInt.default(1),
        /** Retention of the input stream, in hours (24-8760). */
        streamRetentionHours: z.number().int().min(24, { message: "must be 24-8760" }).max(8760, { message: "must be 24-8760" }).default(24),
    })
    .strict()
    .superRefine((f, ctx) => {
        if (f.image !== undefined && f.imageTag !== undefined) {
            ctx.addIssue({ code: "custom", path: ["image"], message: "set either image (an external reference) or imageTag (this program's repository), not both" });
        }
        if (f.s3Plugin === "builtIn" && !/^\d+\.\d+\.\d+$/.test(f.flinkVersion)) {
            ctx.addIssue({
                code: "custom",
                path: ["flinkVersion"],
                message: `"${f.flinkVersion}" has no patch version: the built-in S3 plugin is /opt/flink/opt/flink-s3-fs-hadoop-<major.minor.patch>.jar, so name the image's exact Flink version (e.g. 1.20.4), or set s3Plugin: bundled`,
            });
        }
    });

const addonsSchema = z
    .object({
        /** Version of the `cluster-autoscaler` chart (https://kubernetes.github.io/autoscaler); the image it runs is `clusterAutoscalerImageTag`. */
        clusterAutoscalerChartVersion: z.string().regex(/^\d+\.\d+\.\d+$/, { message: "is not a chart version" }).default("9.43.2"),
        /**
         * Cluster Autoscaler image tag (Helm `image.tag`), `v1.<minor>.<patch>`; its minor must equal
         * `cluster.version`'s. Default `v<cluster.version>.0`.
         */
        clusterAutoscalerImageTag: z.string().regex(/^v1\.\d+\.\d+$/, { message: "is not a Cluster Autoscaler image tag (v1.<minor>.<patch>)" }).optional(),
        /** Version of the `metrics-server` chart (https://kubernetes-sigs.github.io/metrics-server/). */
        metricsServerChartVersion: z.string().regex(/^\d+\.\d+\.\d+$/, { message: "is not a chart version" }).default("3.12.2"),
    })
    .strict();

export const flinkEksSchema = z
    .object({
        /** Deploy this concern. */
        enabled: z.boolean().default(true),
        /** Key in `accounts` of the workload account. */
        account: accountRef,
        /** Region (Oregon by default). */
        region: region.default("us-west-2"),
        /** The cluster's VPC: workers in private subnets, load balancers in public ones. */
        vpc: zonalVpcSchema,
        /** The EKS control plane. */
        cluster: clusterSchema.default(clusterSchema.parse({})),
        /** AMI type of every node group; every instance type must have its architecture. */
        amiType: z.enum(AMI_TYPES).default("AL2023_x86_64_STANDARD"),
        /** Root volume of every node, GiB (encrypted gp3). */
        nodeDiskSizeGb: z.number().int().min(20, { message: "must be at least 20" }).max(1000, { message: "must be at most 1000" }).default(50),
        /** The on-demand group (JobManager, add-ons). */
        onDemand: onDemandGroupSchema.default(onDemandGroupSchema.parse({})),
        /** The Spot groups (TaskManagers); diversify across groups of different sizes as the post does. */
        spotGroups: z.array(spotGroupSchema).min(1, { message: "must define at least one Spot group" }),
        /** Cluster add-ons installed with Helm. */
        addons: addonsSchema.default(addonsSchema.parse({})),
        /** The Flink application. */
        flink: flinkSchema,
        /**
         * The workloads stack (`<org>/<project>/<stack>`) the in-VPC deployer runs: the Kubernetes half
         * (add-ons and the Flink objects). Default: `<org>/awsarch/<this stack>-workloads`.
         */
        workloadsStack: z.string().regex(/^[\w.-]+\/[\w.-]+\/[\w.-]+$/, { message: "must be <organization>/<project>/<stack>" }).optional(),
    })
    .strict()
    .superRefine((c, ctx) => {
        const arch = amiArchitecture(c.amiType);
        const check = (types: string[], path: PropertyKey[]) =>
            types.forEach((t, i) => {
                const s = instanceShape(t);
                if (s && s.arch !== arch) {
                    ctx.addIssue({ code: "custom", path: [...path, i], message: `${t} is ${s.arch} but amiType ${c.amiType} boots ${arch}` });
                }
            });
        check(c.onDemand.instanceTypes, ["onDemand", "instanceTypes"]);
        c.spotGroups.forEach((g, i) => check(g.instanceTypes, ["spotGroups", i, "instanceTypes"]));
        const caTag = c.addons.clusterAutoscalerImageTag;
        if (caTag !== undefined && minorOf(caTag.slice(1)) !== minorOf(c.cluster.version)) {
            ctx.addIssue({
                code: "custom",
                path: ["addons", "clusterAutoscalerImageTag"],
                message: `${caTag} does not match Kubernetes ${c.cluster.version}: the autoscaler's minor must equal the cluster's (e.g. ${defaultClusterAutoscalerImageTag(c.cluster.version)})`,
            });
        }
        const seen = new Set<string>();
        c.spotGroups.forEach((g, i) => {
            if (seen.has(g.name)) {
                ctx.addIssue({ code: "custom", path: ["spotGroups", i, "name"], message: `"${g.name}" is used by another Spot group` });
            }
            seen.add(g.name);
        });
    });

export type FlinkEksConfig = z.infer<typeof flinkEksSchema>;

/**
 * Checks that need the stack's environment: in prod the API endpoint is
 * private only. Takes the raw project config (as `crossChecks` in
 * `lib/config/schema.ts` does) and returns one problem per violation.
 */
export function flinkEksEnvironmentChecks(raw: Record<string, unknown>): { path: string; message: string }[] {
    const fe = raw.flinkEks as { enabled?: unknown; cluster?: { endpointPublicAccess?: unknown } } | undefined;
    if (raw.environment !== "prod" || !fe || typeof fe !== "object" || fe.enabled === false) {
        return [];
    }
    if (fe.cluster && fe.cluster.endpointPublicAccess === true) {
        return [{ path: "flinkEks.cluster.endpointPublicAccess", message: "must be false in prod (private API endpoint only)" }];
    }
    return [];
}

/**
 * The principal that creates the cluster is its admin already: EKS's bootstrap access entry, which
 * pulumi-eks always requests (`bootstrapClusterCreatorAdminPermissions: true`). When the account is
 * reached through `deploymentRoleArn`, that role is the creator, and listing it in
 * `cluster.adminRoleArns` would create a second access entry for it: 409 ResourceInUseException
 * (terraform-aws-modules/terraform-aws-eks#3293). Takes the raw project config.
 */
export function flinkEksAccessProblems(raw: Record<string, unknown>): { path: string; message: string }[] {
    const fe = raw.flinkEks as { enabled?: unknown; account?: unknown; cluster?: { adminRoleArns?: unknown } } | undefined;
    const accounts = (raw.accounts ?? {}) as Record<string, { deploymentRoleArn?: unknown } | undefined>;
    if (!fe || typeof fe !== "object" || fe.enabled === false || typeof fe.account !== "string") {
        return [];
    }
    const creator = accounts[fe.account]?.deploymentRoleArn;
    const admins = Array.isArray(fe.cluster?.adminRoleArns) ? fe.cluster!.adminRoleArns : [];
    return admins.flatMap((arn, i) =>
        typeof creator === "string" && arn === creator
            ? [
                  {
                      path: `flinkEks.cluster.adminRoleArns[${i}]`,
                      message: `is accounts.${fe.account}.deploymentRoleArn, the principal that creates the cluster: EKS already makes it cluster admin (bootstrap access entry), and a second entry fails with 409 ResourceInUseException; remove it`,
                  },
              ]
            : [],
    );
}
