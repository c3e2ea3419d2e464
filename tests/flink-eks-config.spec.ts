import * as assert from "assert";
import { amiArchitecture, flinkEksAccessProblems, flinkEksEnvironmentChecks, instanceShape } from "../lib/config/flink-eks";
import { ConfigError, parseStackConfig, readStackFile } from "../lib/config/load";
import { runProgram, withConfig } from "../lib/plan/recorder";
import { rejectedConfig } from "./helpers";

/* eslint-disable @typescript-eslint/no-explicit-any */

type Mutation = (raw: Record<string, unknown>) => Record<string, unknown>;
const fe = (f: (c: any) => any): Mutation => (raw) => withConfig(raw, "flinkEks", f);
const spot = (i: number, patch: Record<string, unknown>): Mutation =>
    fe((c) => ({ ...c, spotGroups: c.spotGroups.map((g: any, j: number) => (j === i ? { ...g, ...patch } : g)) }));
const flink = (patch: Record<string, unknown>): Mutation => fe((c) => ({ ...c, flink: { ...c.flink, ...patch } }));
const cluster = (patch: Record<string, unknown>): Mutation => fe((c) => ({ ...c, cluster: { ...c.cluster, ...patch } }));
const addons = (patch: Record<string, unknown>): Mutation => fe((c) => ({ ...c, addons: { ...c.addons, ...patch } }));

function problemsOf(stack: "dev" | "prod", mutate: Mutation): { path: string; message: string }[] {
    try {
        parseStackConfig(mutate(readStackFile(stack)));
    } catch (err) {
        assert.ok(err instanceof ConfigError, `expected ConfigError, got ${String(err)}`);
        return err.problems;
    }
    return [];
}

const cases: { name: string; mutate: Mutation; path: string; message: RegExp }[] = [
    { name: "a Spot group with one instance type", mutate: spot(0, { instanceTypes: ["m5.xlarge"] }), path: "flinkEks.spotGroups[0].instanceTypes", message: /at least two instance types/ },
    {
        name: "Spot instance types of different sizes",
        mutate: spot(0, { instanceTypes: ["m5.xlarge", "m5a.xlarge", "m5.2xlarge"] }),
        path: "flinkEks.spotGroups[0].instanceTypes[2]",
        message: /m5\.2xlarge \(8 vCPU\/32 GiB\) differs from m5\.xlarge \(4 vCPU\/16 GiB\)/,
    },
    {
        name: "Spot instance types with the same vCPUs but different memory",
        mutate: spot(0, { instanceTypes: ["m5.xlarge", "c5.xlarge"] }),
        path: "flinkEks.spotGroups[0].instanceTypes[1]",
        message: /c5\.xlarge \(4 vCPU\/8 GiB\) differs/,
    },
    { name: "an unknown instance type", mutate: spot(0, { instanceTypes: ["m5.xlarge", "m5.huge"] }), path: "flinkEks.spotGroups[0].instanceTypes[1]", message: /"m5\.huge" is not a known instance type/ },
    { name: "Graviton Spot types on an x86 AMI", mutate: spot(0, { instanceTypes: ["m6g.xlarge", "m7g.xlarge"] }), path: "flinkEks.spotGroups[0].instanceTypes[0]", message: /m6g\.xlarge is arm64 but amiType AL2023_x86_64_STANDARD boots x86_64/ },
    { name: "x86 on-demand types on an ARM AMI", mutate: fe((c) => ({ ...c, amiType: "AL2023_ARM_64_STANDARD", spotGroups: [{ ...c.spotGroups[0], instanceTypes: ["m6g.xlarge", "m7g.xlarge"] }] })), path: "flinkEks.onDemand.instanceTypes[0]", message: /m5\.large is x86_64 but amiType AL2023_ARM_64_STANDARD/ },
    { name: "an unknown AMI type", mutate: fe((c) => ({ ...c, amiType: "AL2_x86_64" })), path: "flinkEks.amiType", message: /AL2023_x86_64_STANDARD/ },
    { name: "desired below min", mutate: spot(0, { minSize: 2, desiredSize: 1 }), path: "flinkEks.spotGroups[0].desiredSize", message: /1 is below minSize 2/ },
    { name: "desired above max", mutate: spot(0, { desiredSize: 9, maxSize: 5 }), path: "flinkEks.spotGroups[0].desiredSize", message: /9 is above maxSize 5/ },
    { name: "on-demand min above max", mutate: fe((c) => ({ ...c, onDemand: { ...c.onDemand, minSize: 3, desiredSize: 3, maxSize: 2 } })), path: "flinkEks.onDemand.minSize", message: /3 is above maxSize 2/ },
    { name: "zero max size", mutate: spot(0, { minSize: 0, desiredSize: 0, maxSize: 0 }), path: "flinkEks.spotGroups[0].maxSize", message: /positive/ },
    { name: "no Spot groups", mutate: fe((c) => ({ ...c, spotGroups: [] })), path: "flinkEks.spotGroups", message: /at least one Spot group/ },
    { name: "duplicate Spot group names", mutate: fe((c) => ({ ...c, spotGroups: [c.spotGroups[0], c.spotGroups[0]] })), path: "flinkEks.spotGroups[1].name", message: /used by another Spot group/ },
    { name: "HPA min above max", mutate: flink({ hpa: { minReplicas: 6, maxReplicas: 5, targetCpuPercent: 35 } }), path: "flinkEks.flink.hpa.minReplicas", message: /6 is above maxReplicas 5/ },
    { name: "HPA min of zero", mutate: flink({ hpa: { minReplicas: 0, maxReplicas: 5, targetCpuPercent: 35 } }), path: "flinkEks.flink.hpa.minReplicas", message: /at least 1/ },
    { name: "HPA target above 100%", mutate: flink({ hpa: { minReplicas: 1, maxReplicas: 5, targetCpuPercent: 120 } }), path: "flinkEks.flink.hpa.targetCpuPercent", message: /1-100/ },
    { name: "HPA target of 0%", mutate: flink({ hpa: { minReplicas: 1, maxReplicas: 5, targetCpuPercent: 0 } }), path: "flinkEks.flink.hpa.targetCpuPercent", message: /1-100/ },
    { name: "an unsupported Kubernetes version", mutate: cluster({ version: "1.22" }), path: "flinkEks.cluster.version", message: /1\.22 is not a known EKS Kubernetes version; supported on .*1\.35/ },
    { name: "a public endpoint without allowed CIDRs", mutate: cluster({ endpointPublicAccess: true, publicAccessCidrs: [] }), path: "flinkEks.cluster.publicAccessCidrs", message: /must list the CIDRs/ },
    { name: "a public endpoint open to the internet", mutate: cluster({ endpointPublicAccess: true, publicAccessCidrs: ["0.0.0.0/0"] }), path: "flinkEks.cluster.publicAccessCidrs[0]", message: /opens the API endpoint to the internet/ },
    { name: "an unreachable endpoint", mutate: cluster({ endpointPublicAccess: false, endpointPrivateAccess: false }), path: "flinkEks.cluster.endpointPrivateAccess", message: /must be reachable/ },
    { name: "an unknown Region", mutate: fe((c) => ({ ...c, region: "us-west-3" })), path: "flinkEks.region", message: /is not an AWS Region/ },
    { name: "an unknown account", mutate: fe((c) => ({ ...c, account: "nobody" })), path: "flinkEks.account", message: /not a key of accounts/ },
    { name: "a malformed VPC CIDR", mutate: fe((c) => ({ ...c, vpc: { ...c.vpc, cidrBlock: "10.60.0.1/16" } })), path: "flinkEks.vpc.cidrBlock", message: /not a valid IPv4 CIDR/ },
    { name: "a missing job class", mutate: flink({ jobClass: undefined }), path: "flinkEks.flink.jobClass", message: /required/ },
    { name: "a malformed job class", mutate: flink({ jobClass: "com.example.1Job" }), path: "flinkEks.flink.jobClass", message: /Java class name/ },
    { name: "an unknown key", mutate: flink({ parallelism: 4 }), path: "flinkEks.flink.parallelism", message: /not a known config key/ },
    { name: "too little TaskManager memory", mutate: flink({ taskManager: { cpu: 1, memoryMb: 256 } }), path: "flinkEks.flink.taskManager.memoryMb", message: /at least 768/ },
    { name: "Flink 2.x", mutate: flink({ flinkVersion: "2.0" }), path: "flinkEks.flink.flinkVersion", message: /Flink 2\.0 is not supported: Flink 2\.x reads conf\/config\.yaml.*use 1\.20/ },
    { name: "Flink older than 1.15", mutate: flink({ flinkVersion: "1.14" }), path: "flinkEks.flink.flinkVersion", message: /1\.14 is not a known Apache Flink version; supported on \d{4}-\d\d-\d\d: 1\.20 / },
    { name: "a Flink minor past community support", mutate: flink({ flinkVersion: "1.18.1" }), path: "flinkEks.flink.flinkVersion", message: /Apache Flink version 1\.18 reached end of support on 2024-08-02/ },
    { name: "an EKS version past extended support", mutate: cluster({ version: "1.31" }), path: "flinkEks.cluster.version", message: /EKS Kubernetes version 1\.31 reached end of support on 2026-11-26; supported on \d{4}-\d\d-\d\d: .*1\.35/ },
    { name: "a malformed Flink version", mutate: flink({ flinkVersion: "1.x" }), path: "flinkEks.flink.flinkVersion", message: /not a Flink version/ },
    { name: "a Flink version without its patch while the built-in S3 plugin is used", mutate: flink({ flinkVersion: "1.20" }), path: "flinkEks.flink.flinkVersion", message: /no patch version: the built-in S3 plugin is \/opt\/flink\/opt\/flink-s3-fs-hadoop-<major\.minor\.patch>\.jar/ },
    { name: "a restart backoff whose maximum is below its start", mutate: flink({ restart: { initialBackoffSeconds: 120, maxBackoffSeconds: 60 } }), path: "flinkEks.flink.restart.maxBackoffSeconds", message: /below initialBackoffSeconds 120/ },
    { name: "the removed fixed-delay attempts", mutate: flink({ restartAttempts: 10 }), path: "flinkEks.flink.restartAttempts", message: /not a known config key/ },
    { name: "a missing Flink version", mutate: flink({ flinkVersion: undefined }), path: "flinkEks.flink.flinkVersion", message: /required/ },
    { name: "both an external image and an imageTag", mutate: flink({ image: "public.ecr.aws/acme/flink-job:1", imageTag: "v1" }), path: "flinkEks.flink.image", message: /either image .* or imageTag/ },
    { name: "a malformed image reference", mutate: flink({ image: "has space:1" }), path: "flinkEks.flink.image", message: /not an image reference/ },
    {
        name: "an autoscaler image of another Kubernetes minor",
        mutate: addons({ clusterAutoscalerImageTag: "v1.30.0" }),
        path: "flinkEks.addons.clusterAutoscalerImageTag",
        message: /v1\.30\.0 does not match Kubernetes 1\.35: .*minor must equal the cluster's \(e\.g\. v1\.35\.2\)/,
    },
    { name: "a malformed autoscaler image tag", mutate: addons({ clusterAutoscalerImageTag: "1.31.0" }), path: "flinkEks.addons.clusterAutoscalerImageTag", message: /not a Cluster Autoscaler image tag/ },
    { name: "a malformed admin role", mutate: cluster({ adminRoleArns: ["admin"] }), path: "flinkEks.cluster.adminRoleArns[0]", message: /IAM role ARN/ },
];

describe("Flink on EKS config validation (concern 9)", () => {
    it("both stack files are valid and use us-west-2", () => {
        for (const stack of ["dev", "prod"]) {
            const cfg = parseStackConfig(readStackFile(stack)).flinkEks!;
            assert.strictEqual(cfg.region, "us-west-2");
            assert.strictEqual(cfg.enabled, true);
        }
    });

    for (const c of cases) {
        it(`rejects ${c.name} naming ${c.path}`, () => {
            const problems = problemsOf("dev", c.mutate);
            const hit = problems.find((p) => p.path === c.path);
            assert.ok(hit, `no problem at ${c.path}; got ${JSON.stringify(problems)}`);
            assert.match(hit!.message, c.message);
        });
    }

    it("reports every problem at once", () => {
        const problems = problemsOf("dev", (raw) => spot(0, { instanceTypes: ["m5.xlarge"] })(flink({ hpa: { minReplicas: 3, maxReplicas: 2, targetCpuPercent: 35 } })(raw)));
        assert.deepStrictEqual(problems.map((p) => p.path).sort(), ["flinkEks.flink.hpa.minReplicas", "flinkEks.spotGroups[0].instanceTypes"]);
    });

    it("a bad Flink config registers nothing", async () => {
        await rejectedConfig("dev", spot(0, { instanceTypes: ["m5.xlarge", "m5.2xlarge"] })(readStackFile("dev")));
    });

    it("defaults: post's HPA bounds (1/25/35%), private endpoint, x86 AL2023, supported version", () => {
        const raw = withConfig(readStackFile("dev"), "flinkEks", (c) => ({
            account: c.account,
            vpc: c.vpc,
            spotGroups: c.spotGroups,
            flink: { jobClass: c.flink.jobClass, flinkVersion: c.flink.flinkVersion },
        }));
        const cfg = parseStackConfig(raw).flinkEks!;
        assert.deepStrictEqual(cfg.flink.hpa, { minReplicas: 1, maxReplicas: 25, targetCpuPercent: 35, scaleDownStabilizationSeconds: 600, scaleDownPodsPerPeriod: 1, scaleDownPeriodSeconds: 300 });
        assert.deepStrictEqual(cfg.flink.restart, { initialBackoffSeconds: 1, maxBackoffSeconds: 60, backoffMultiplier: 2, resetBackoffThresholdMinutes: 10, jitterFactor: 0.1 });
        assert.strictEqual(cfg.flink.s3Plugin, "builtIn");
        assert.strictEqual(cfg.region, "us-west-2");
        assert.strictEqual(cfg.cluster.endpointPublicAccess, false);
        assert.strictEqual(cfg.cluster.endpointPrivateAccess, true);
        assert.strictEqual(cfg.amiType, "AL2023_x86_64_STANDARD");
        assert.strictEqual(cfg.cluster.version, "1.35");
        assert.strictEqual(cfg.flink.streamName, "ExampleInputStream");
        assert.strictEqual(cfg.flink.imageTag, undefined, "no image until one is pushed");
        assert.strictEqual(cfg.flink.image, undefined);
        assert.strictEqual(cfg.addons.clusterAutoscalerImageTag, undefined, "derived from cluster.version");
    });

    it("both stack files name the Flink version and no image (first deploy creates the repository)", () => {
        for (const stack of ["dev", "prod"]) {
            const f = parseStackConfig(readStackFile(stack)).flinkEks!.flink;
            assert.strictEqual(f.flinkVersion, "1.20.4", `${stack}: the exact image version names the S3 plugin jar`);
            assert.strictEqual(f.imageTag, undefined, stack);
            assert.strictEqual(f.image, undefined, stack);
        }
    });

    it("accepts a patch Flink version, an external image, and an autoscaler patch of the cluster's minor", () => {
        const raw = addons({ clusterAutoscalerImageTag: "v1.35.1" })(flink({ flinkVersion: "1.20.1", image: "public.ecr.aws/acme/flink-job:1.20" })(readStackFile("dev")));
        const cfg = parseStackConfig(raw).flinkEks!;
        assert.strictEqual(cfg.flink.flinkVersion, "1.20.1");
        assert.strictEqual(cfg.flink.image, "public.ecr.aws/acme/flink-job:1.20");
        assert.strictEqual(cfg.addons.clusterAutoscalerImageTag, "v1.35.1");
    });

    it("an autoscaler tag checked against the configured cluster version, not the default", () => {
        const problems = problemsOf("dev", (raw) => addons({ clusterAutoscalerImageTag: "v1.31.0" })(cluster({ version: "1.33" })(raw)));
        assert.deepStrictEqual(problems.map((p) => p.path), ["flinkEks.addons.clusterAutoscalerImageTag"]);
        assert.deepStrictEqual(problemsOf("dev", (raw) => addons({ clusterAutoscalerImageTag: "v1.33.0" })(cluster({ version: "1.33" })(raw))), []);
    });

    it("refuses an admin access entry for the principal that creates the cluster (its deployment role): a second entry fails with 409", () => {
        const prod = readStackFile("prod");
        const deployer = (prod["awsarch:accounts"] as any).workloadsUs.deploymentRoleArn;
        const problems = problemsOf("prod", (raw) => cluster({ adminRoleArns: ["arn:aws:iam::333333333333:role/platform-admins", deployer] })(raw));
        assert.deepStrictEqual(problems.map((p) => p.path), ["flinkEks.cluster.adminRoleArns[1]"]);
        assert.match(problems[0].message, /is accounts\.workloadsUs\.deploymentRoleArn, the principal that creates the cluster: EKS already makes it cluster admin .* 409 ResourceInUseException/);
        assert.deepStrictEqual(flinkEksAccessProblems({ accounts: { a: {} }, flinkEks: { account: "a", cluster: { adminRoleArns: [deployer] } } }), [], "no deployment role: the ambient caller creates it");
    });

    describe("prod endpoint is private only", () => {
        const publicProd = cluster({ endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.0/24"] });

        it("the environment check names flinkEks.cluster.endpointPublicAccess in prod, not in dev", () => {
            const prodRaw = { environment: "prod", flinkEks: { cluster: { endpointPublicAccess: true } } };
            assert.deepStrictEqual(flinkEksEnvironmentChecks(prodRaw), [
                { path: "flinkEks.cluster.endpointPublicAccess", message: "must be false in prod (private API endpoint only)" },
            ]);
            assert.deepStrictEqual(flinkEksEnvironmentChecks({ ...prodRaw, environment: "dev" }), []);
            assert.deepStrictEqual(flinkEksEnvironmentChecks({ environment: "prod", flinkEks: { cluster: { endpointPublicAccess: false } } }), []);
        });

        it("a public prod endpoint stops the program before any Flink resource", async () => {
            try {
                await runProgram("prod", publicProd(readStackFile("prod")));
            } catch (err) {
                assert.ok(err instanceof ConfigError, String(err));
                assert.deepStrictEqual(err.problems.map((p) => p.path), ["flinkEks.cluster.endpointPublicAccess"]);
                return;
            }
            assert.fail("a public prod endpoint was accepted");
        });
    });

    describe("instance shape table", () => {
        it("the post's 4 vCPU/16 GiB family shares one shape", () => {
            for (const t of ["m5.xlarge", "m5a.xlarge", "m5d.xlarge", "m6i.xlarge", "m4.xlarge"]) {
                assert.deepStrictEqual(instanceShape(t), { vcpu: 4, memoryGiB: 16, arch: "x86_64" }, t);
            }
            assert.deepStrictEqual(instanceShape("c5.large"), { vcpu: 2, memoryGiB: 4, arch: "x86_64" });
            assert.deepStrictEqual(instanceShape("m7g.2xlarge"), { vcpu: 8, memoryGiB: 32, arch: "arm64" });
            assert.strictEqual(instanceShape("t3.micro"), undefined);
            assert.strictEqual(instanceShape("m5.xlarge.extra"), undefined);
        });

        it("AMI types map to architectures", () => {
            assert.strictEqual(amiArchitecture("AL2023_x86_64_STANDARD"), "x86_64");
            assert.strictEqual(amiArchitecture("AL2023_ARM_64_STANDARD"), "arm64");
        });
    });
});
