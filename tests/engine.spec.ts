import * as assert from "assert";
import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";
import * as eks from "@pulumi/eks";
import { readStackFile } from "../lib/config/load";
import { EngineError, packageOf, ProgramRun, recordProgram, runProgram } from "../lib/plan/recorder";
import { remoteComponentOptions } from "../lib/providers";

/**
 * The recording mock enforces what the Pulumi engine enforces about providers when
 * `pulumi:disable-default-providers` is set (pulumi/pulumi source_eval.go `shouldDenyRequest`):
 * a custom resource, remote component or invoke without an explicit provider of its own
 * package fails the run. The mocks of the SDK alone accept all of them.
 */

const DISABLED = { "pulumi:disable-default-providers": ["*"] };

async function engineErrorOf(raw: Record<string, unknown>, program: () => Record<string, unknown>): Promise<EngineError | undefined> {
    try {
        await recordProgram("dev", raw, program);
        return undefined;
    } catch (err) {
        assert.ok(err instanceof EngineError, `expected EngineError, got ${String(err)}`);
        return err;
    }
}

const awsProvider = () => new aws.Provider("aws-test", { region: "us-east-1", allowedAccountIds: ["111111111111"] });

describe("engine-faithful harness: explicit providers per package", () => {
    it("refuses an awsx Vpc that only gets providers: { aws } (the defect of the three VPCs)", async () => {
        const err = await engineErrorOf(DISABLED, () => {
            new awsx.ec2.Vpc("vpc", { cidrBlock: "10.0.0.0/16" }, { providers: { aws: awsProvider() } });
            return {};
        });
        assert.ok(err, "the engine refuses it");
        assert.match(err.message, /Default provider for 'awsx' disabled\. 'urn:pulumi:dev::awsarch::awsx:ec2:Vpc::vpc' must use an explicit provider/);
    });

    it("refuses eks Cluster and ManagedNodeGroup without an eks provider", async () => {
        const err = await engineErrorOf(DISABLED, () => {
            const p = awsProvider();
            const cluster = new eks.Cluster("c", { skipDefaultNodeGroup: true }, { providers: { aws: p } });
            new eks.ManagedNodeGroup("ng", { cluster, nodeRoleArn: "arn:aws:iam::111111111111:role/n" }, { providers: { aws: p } });
            return {};
        });
        assert.ok(err);
        assert.deepStrictEqual(
            err.problems.map((p) => /'(urn:[^']+)'/.exec(p)?.[1]),
            ["urn:pulumi:dev::awsarch::eks:index:Cluster::c", "urn:pulumi:dev::awsarch::eks:index:ManagedNodeGroup::ng"],
        );
        assert.ok(err.problems.every((p) => p.startsWith("Default provider for 'eks' disabled.")));
    });

    it("refuses a custom resource and an invoke without a provider, and a provider of another package", async () => {
        const err = await engineErrorOf(DISABLED, () => {
            new aws.s3.Bucket("b");
            aws.getRegionOutput();
            new aws.sns.Topic("t", {}, { provider: new awsx.Provider("awsx") as unknown as aws.Provider });
            return {};
        });
        assert.ok(err);
        assert.ok(err.problems.some((p) => p === "Default provider for 'aws' disabled. 'urn:pulumi:dev::awsarch::aws:s3/bucket:Bucket::b' must use an explicit provider."));
        assert.ok(err.problems.some((p) => p.startsWith("Invoke: Default provider for 'aws' disabled. 'aws:index/getRegion:getRegion'")));
        assert.ok(err.problems.some((p) => /aws:sns\/topic:Topic::t' \(package aws\) names a pulumi:providers:awsx provider/.test(p)));
    });

    it("denies only the listed packages, and nothing when the setting is absent", async () => {
        const onlyAws = await engineErrorOf({ "pulumi:disable-default-providers": '["aws"]' }, () => {
            new awsx.ec2.Vpc("vpc", { cidrBlock: "10.0.0.0/16" }, { providers: { aws: awsProvider() } });
            new aws.s3.Bucket("b");
            return {};
        });
        assert.ok(onlyAws);
        assert.strictEqual(onlyAws.problems.length, 1);
        assert.match(onlyAws.problems[0], /'aws' disabled.*Bucket::b/);
        assert.strictEqual(await engineErrorOf({}, () => (new aws.s3.Bucket("b"), {})), undefined);
    });

    it("accepts remoteComponentOptions: own-package provider plus providers.aws, Region from the aws provider", async () => {
        const run = await recordProgram("dev", DISABLED, () => {
            const p = new aws.Provider("aws-west", { region: "us-west-2", allowedAccountIds: ["111111111111"] });
            new awsx.ec2.Vpc("vpc", { cidrBlock: "10.0.0.0/16" }, remoteComponentOptions(new awsx.Provider("awsx"), p));
            return {};
        });
        const vpc = run.resources.find((r) => r.type === "awsx:ec2:Vpc")!;
        assert.strictEqual(vpc.provider, "urn:pulumi:dev::awsarch::pulumi:providers:awsx::awsx");
        assert.strictEqual(vpc.providers.aws, "urn:pulumi:dev::awsarch::pulumi:providers:aws::aws-west");
        assert.strictEqual(vpc.region, "us-west-2");
    });
});

describe("both stacks under the engine-faithful harness", () => {
    for (const stack of ["dev", "prod", "dev-workloads", "prod-workloads"]) {
        it(`${stack}: disables every default provider, and every custom resource and remote component names a provider of its own package`, async () => {
            assert.deepStrictEqual(readStackFile(stack)["pulumi:disable-default-providers"], ["*"]);
            const run: ProgramRun = await runProgram(stack);
            const byUrn = new Map(run.resources.map((r) => [r.urn, r]));
            const offenders = run.resources
                .filter((r) => (r.custom || r.remote) && !r.type.startsWith("pulumi:providers:"))
                .filter((r) => !r.provider || packageOf(byUrn.get(r.provider)?.type ?? "") !== r.type.split(":")[0])
                .map((r) => r.urn);
            assert.deepStrictEqual(offenders, []);
            const remotes = run.resources.filter((r) => r.remote);
            const expectedRemotes = stack.endsWith("-workloads") ? [] : ["awsx:ec2:Vpc", "eks:index:Cluster", "eks:index:ManagedNodeGroup"];
            assert.deepStrictEqual([...new Set(remotes.map((r) => r.type))].sort(), expectedRemotes);
            for (const r of remotes) {
                assert.ok(r.providers.aws?.includes("pulumi:providers:aws::"), `${r.urn} hands its plugin an aws provider`);
            }
            // One provider per package beyond aws (created once, shared).
            for (const pkg of ["awsx", "eks", "tls", "random", "kubernetes"]) {
                const n = run.resources.filter((r) => r.type === `pulumi:providers:${pkg}`).length;
                assert.ok(n <= 1, `${pkg}: ${n} providers`);
            }
        });
    }
});
