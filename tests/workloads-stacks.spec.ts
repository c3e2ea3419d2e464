import * as assert from "assert";
import { ConfigError, readStackFile } from "../lib/config/load";
import { ProgramRun, runProgram } from "../lib/plan/recorder";
import { runPolicies } from "../lib/plan/policy-runner";
import { assertUrnsPinned, byName } from "./helpers";

/**
 * The workloads stacks (`dev-workloads`, `prod-workloads`): the Kubernetes half of the Flink
 * concern, run by the in-VPC deployer, deploying what the platform stack exports.
 */


for (const env of ["dev", "prod"] as const) {
    const stack = `${env}-workloads`;
    describe(`${stack} stack under mocks`, () => {
        let run: ProgramRun;
        before(async () => {
            run = await runProgram(stack);
        });

        it("names its platform stack and nothing else; disables default providers", () => {
            const raw = readStackFile(stack);
            assert.deepStrictEqual(Object.keys(raw).sort(), ["awsarch:environment", "awsarch:layer", "awsarch:platformStack", "pulumi:disable-default-providers"]);
            assert.strictEqual(raw["awsarch:platformStack"], `organization/awsarch/${env}`);
            assert.strictEqual(raw["awsarch:environment"], env);
        });

        it("holds only Kubernetes objects, all through one explicit Kubernetes provider, and no AWS resource", () => {
            const provider = byName(run, "flink-eks-k8s", "pulumi:providers:kubernetes");
            const custom = run.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"));
            assert.ok(custom.length >= 6, `${custom.length} objects`);
            for (const r of custom) {
                assert.ok(r.type.startsWith("kubernetes:"), r.type);
                assert.strictEqual(r.provider, provider.urn, r.name);
            }
            assert.deepStrictEqual(run.resources.filter((r) => r.type.startsWith("pulumi:providers:")).map((r) => r.type), ["pulumi:providers:kubernetes"]);
        });

        it("deploys the add-ons and the Flink namespace, RBAC and config; the job waits for an image in the platform stack", () => {
            for (const n of ["flink-eks-cluster-autoscaler", "flink-eks-metrics-server", "flink-app-ns", "flink-app-sa", "flink-app-ha-role", "flink-app-config"]) {
                byName(run, n);
            }
            assert.ok(!run.resources.some((r) => r.name === "flink-app-jobmanager"), "no image in the committed platform stack yet");
            assert.match(String((run.outputs.flinkEks as { waitingForImage?: string }).waitingForImage), /push it, set flinkEks\.flink\.imageTag/);
        });

        it("passes every mandatory policy", async () => {
            const findings = await runPolicies(run, { environment: env });
            assert.deepStrictEqual(findings.filter((f) => f.level === "mandatory" && !f.suppressedReason), []);
        });

        it("keeps every resource URN (UPDATE_URNS=1 to accept a change)", () => {
            assertUrnsPinned(run, stack);
        });
    });
}

describe("workloads stack config", () => {
    it("refuses platform keys, a malformed platformStack, and a platform stack without the flinkEks output", async () => {
        const bad = { ...readStackFile("prod-workloads"), "awsarch:platformStack": "prod", "awsarch:owner": "x" };
        await assert.rejects(runProgram("prod-workloads", bad), (err: unknown) => {
            assert.ok(err instanceof ConfigError);
            assert.deepStrictEqual(err.problems.map((p) => p.path).sort(), ["owner", "platformStack"]);
            return true;
        });
        await assert.rejects(runProgram("prod-workloads", readStackFile("prod-workloads"), { stackReferences: {} }), /organization\/awsarch\/prod has no flinkEks\.workloads output: deploy the platform stack/);
    });
});
