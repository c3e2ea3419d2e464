import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { readStackFile } from "../lib/config/load";
import { PlanReport, plan } from "../lib/plan/cli";
import { estimateCost } from "../lib/plan/cost";
import { diffPlans, inputDiff, maskSecrets } from "../lib/plan/diff";
import { planAtRef, renderReview, reviewMarker } from "../lib/plan/review";
import { withConfig } from "../lib/plan/recorder";
import { REPLACE_ON_CHANGE, replacingPath } from "../lib/support/replacements";
import { GLOBAL_PRICES, HOURS_PER_MONTH, REGIONAL_PRICES } from "../lib/support/prices";

/* eslint-disable @typescript-eslint/no-explicit-any */

const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "review-"));
const reportOf = async (stack: string, config?: Record<string, unknown>): Promise<PlanReport> => {
    const r = await plan(stack, { config, outDir });
    assert.ok(r.report, r.text);
    return r.report;
};

describe("offline review: changes against a base", () => {
    let dev: PlanReport;
    before(async () => {
        dev = await reportOf("dev");
    });

    it("the plan records every resource with its inputs, secrets masked", () => {
        assert.strictEqual(dev.resources!.length, dev.totals.resources);
        const secret = dev.resources!.find((r) => r.type === "aws:secretsmanager/secretVersion:SecretVersion" && r.name === "mac-dev-admin-secret-value")!;
        assert.strictEqual(secret.inputs.secretString, "[secret]");
        assert.ok(!JSON.stringify(dev.resources).includes("mock-Password-123!"), "no secret value anywhere in the plan");
        assert.deepStrictEqual(maskSecrets({ a: [{ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: "x" }] }), { a: ["[secret]"] });
    });

    it("a config change that adds a Region adds that Region's resources and changes nothing else", async () => {
        const raw = withConfig(readStackFile("dev"), "batchMonitor", (c) => ({ ...c, regions: [...c.regions, "eu-west-1"] }));
        const { changes, renames } = diffPlans(dev, await reportOf("dev", raw));
        assert.ok(changes.length > 5);
        assert.deepStrictEqual([...new Set(changes.map((c) => c.kind))], ["+"], JSON.stringify(changes.filter((c) => c.kind !== "+")).slice(0, 600));
        assert.ok(changes.every((c) => c.region === "eu-west-1" || c.type === "pulumi:providers:aws" || c.type.startsWith("awsarch:")), JSON.stringify(changes.map((c) => [c.region, c.name])));
        assert.deepStrictEqual(renames, []);
    });

    it("an input change is `~` with the input path and old -> new value", async () => {
        const raw = withConfig(readStackFile("dev"), "batchMonitor", (c) => ({ ...c, thresholdMinutes: 45 }));
        const { changes } = diffPlans(dev, await reportOf("dev", raw));
        const fn = changes.find((c) => c.name === "batch-monitor-us-east-1-fn-fn")!;
        assert.strictEqual(fn.kind, "~");
        const threshold = fn.inputs!.find((i) => /THRESHOLD/.test(i.path))!;
        assert.match(threshold.path, /^environment\.variables\.\w*THRESHOLD\w*$/);
        assert.strictEqual(String(threshold.new), "45");
        assert.ok(changes.every((c) => c.kind === "~"));
    });

    it("renaming the hub bus forces replacement (+-) of the bus: `name` is replace-on-change", async () => {
        const raw = withConfig(readStackFile("dev"), "securityEvents", (c) => ({ ...c, hub: { ...c.hub, busName: "SecurityEventBus2" } }));
        const { changes } = diffPlans(dev, await reportOf("dev", raw));
        const bus = changes.find((c) => c.name === "security-hub-bus")!;
        assert.strictEqual(bus.kind, "+-");
        assert.deepStrictEqual(bus.inputs, [{ path: "name", old: "SecurityEventBus", new: "SecurityEventBus2", replaces: "name" }]);
        assert.strictEqual(replacingPath("aws:cloudwatch/eventBus:EventBus", "name"), "name");
        assert.strictEqual(replacingPath("aws:msk/cluster:Cluster", "brokerNodeGroupInfo.clientSubnets[2]"), "brokerNodeGroupInfo.clientSubnets");
        assert.strictEqual(replacingPath("aws:msk/cluster:Cluster", "numberOfBrokerNodes"), undefined, "brokers are added in place");
    });

    it("renaming a source (its logical names) is called out as probable renames that need aliases", async () => {
        const raw = withConfig(readStackFile("dev"), "securityEvents", (c) => ({ ...c, sources: c.sources.map((s: any, i: number) => (i === 1 ? { ...s, name: "use1-orders" } : s)) }));
        const { changes, renames } = diffPlans(dev, await reportOf("dev", raw));
        assert.ok(changes.some((c) => c.kind === "-" && c.name === "security-source-use1-custom-rule"));
        const rule = renames.find((r) => r.type === "aws:cloudwatch/eventRule:EventRule")!;
        assert.match(rule.from, /security-source-use1-custom-rule$/);
        assert.match(rule.to, /security-source-use1-orders-rule$/);
        assert.match(renderReview({ ...dev, base: { ref: "main", changes: { changes, renames } } }), /\*\*Probable renames\*\* \(Pulumi would delete and recreate these; add an alias/);
    });

    it("compares with a saved plan (--base-plan) and with a git ref planned from a temporary checkout (--base)", async () => {
        const saved = path.join(outDir, "saved-dev.json");
        fs.writeFileSync(saved, JSON.stringify(dev));
        const r = await plan("dev", { outDir, basePlan: saved });
        assert.strictEqual(r.code, 0);
        assert.deepStrictEqual(r.report!.base!.changes.changes, [], "the same tree: no changes");
        const atHead = planAtRef("HEAD", "dev")!;
        assert.ok(atHead.config!.valid && atHead.totals!.resources > 200, "HEAD's tree planned with this tree's dependencies");
        assert.strictEqual(planAtRef("HEAD", "no-such-stack"), undefined, "a stack the base does not have: everything is new");
        assert.throws(() => planAtRef("no-such-ref-xyz", "dev"), /--base no-such-ref-xyz:/);
        // An older plan format (regions only) still diffs by Region, component, type and name.
        const legacy = { regions: dev.regions };
        const d = diffPlans(legacy, dev);
        assert.deepStrictEqual([d.changes.length, d.inputsUnknown], [0, true]);
    });

    it("inputDiff compares JSON text as data and reports leaf paths", () => {
        assert.deepStrictEqual(inputDiff({ policy: '{"a":1}' }, { policy: '{"a": 1}' }), []);
        assert.deepStrictEqual(inputDiff({ a: { b: [1, 2] } }, { a: { b: [1, 3] } }), [{ path: "a.b[1]", old: 2, new: 3 }]);
        assert.ok(Object.keys(REPLACE_ON_CHANGE).length >= 35);
    });

    it("every replace-on-change path starts with an input the installed SDK declares for that type", () => {
        // The mocks accept any input name; the packages' own `<Name>Args` declarations do not.
        const missing: string[] = [];
        for (const [type, paths] of Object.entries(REPLACE_ON_CHANGE)) {
            const [pkg, mod, name] = type.split(":");
            const dir = mod === "index" ? "" : mod.includes("/") && pkg === "aws" ? mod.split("/")[0] : mod;
            const file = path.join(__dirname, "..", "node_modules", "@pulumi", pkg, dir, `${name[0].toLowerCase()}${name.slice(1)}.d.ts`);
            const text = fs.readFileSync(file, "utf8");
            const body = text.slice(text.indexOf(`export interface ${name}Args {`)).split("\n}")[0];
            const declared = new Set([...body.matchAll(/^\s+(?:readonly )?(\w+)\??:/gm)].map((m) => m[1]));
            assert.ok(declared.size > 0, `${name}Args in ${file}`);
            missing.push(...paths.filter((p) => !declared.has(p.split(".")[0])).map((p) => `${type} ${p}`));
        }
        assert.deepStrictEqual(missing, []);
    });
});

describe("offline review: monthly cost", () => {
    let prod: PlanReport;
    before(async () => {
        prod = await reportOf("prod");
    });

    it("prices MSK brokers, broker storage and the NAT gateways per AZ as price x quantity x 730 h (lines computed by hand)", () => {
        const lines = prod.cost!.lines;
        const broker = lines.find((l) => l.item === "msk.broker.kafka.m5.large")!;
        assert.deepStrictEqual([broker.quantity, broker.unitUsd, broker.monthlyUsd], [3, 0.21, 459.9]); // 3 x 0.21 x 730
        const storage = lines.find((l) => l.item === "msk.storage")!;
        assert.deepStrictEqual([storage.quantity, storage.monthlyUsd], [3000, 300]); // 3 brokers x 1000 GiB x 0.10
        const nat = lines.find((l) => l.item === "vpc.natGateway" && l.resource === "awsx:ec2:Vpc msk-vpc")!;
        assert.deepStrictEqual([nat.quantity, nat.monthlyUsd], [3, 98.55]); // OnePerAz over 3 AZs x 0.045 x 730
        const host = lines.filter((l) => l.item === "ec2.host.mac2.metal");
        assert.deepStrictEqual(host.map((l) => l.monthlyUsd), [474.5, 474.5]); // 0.65 x 730 each
        assert.strictEqual(lines.find((l) => l.item === "acmpca.ca.GENERAL_PURPOSE")!.monthlyUsd, 400);
        assert.strictEqual(lines.find((l) => l.item === "eks.cluster")!.monthlyUsd, 73); // 1.35: standard support
    });

    it("totals by component and Region add up; usage-priced kinds are listed, not guessed", () => {
        const c = prod.cost!;
        const sum = Object.values(c.byComponent).flatMap((r) => Object.values(r)).reduce((a, b) => a + b, 0);
        assert.ok(Math.abs(sum - c.totalUsd) < 0.05, `${sum} vs ${c.totalUsd}`);
        assert.ok(c.usagePriced["Lambda (requests, GB-seconds)"] >= 5);
        assert.ok(c.usagePriced["EC2 Spot node groups (market price, at most on-demand)"] >= 1);
        // One flow log per VPC: msk, flink-eks, mac-dev and the OpenSearch VPC.
        assert.strictEqual(c.usagePriced["VPC Flow Logs (vended GB delivered)"], 4);
        assert.deepStrictEqual(c.unpriced, []);
        assert.ok(!c.lines.some((l) => l.item.includes("Fleet")));
    });

    it("an EKS version in extended support is priced at the extended rate", () => {
        const r = estimateCost([{ urn: "u", type: "eks:index:Cluster", name: "c", region: "us-west-2", component: "x", protect: false, inputs: { version: "1.33" } }]);
        assert.strictEqual(r.lines[0].item, "eks.cluster.extended");
        assert.strictEqual(r.totalUsd, 0.6 * HOURS_PER_MONTH);
    });

    it("every price names its source and every table its check date", () => {
        for (const t of [GLOBAL_PRICES, ...Object.values(REGIONAL_PRICES)]) {
            assert.match(t.checked, /^\d{4}-\d{2}-\d{2}$/);
            for (const [k, p] of Object.entries(t.items)) {
                assert.match(p.source, /^https:\/\/aws\.amazon\.com\//, k);
                assert.ok(p.usd > 0, k);
            }
        }
    });
});

describe("offline review: diagram and markdown", () => {
    let prod: PlanReport;
    before(async () => {
        prod = await reportOf("prod");
    });

    it("groups accounts and Regions and draws the cross-Region, cross-account and data-path edges", () => {
        const d = prod.diagram!;
        assert.match(d, /^flowchart LR$/m);
        assert.strictEqual((d.match(/subgraph n\d+\["account \d{12}"\]/g) ?? []).length, 3, "security, workloadsUs, workloadsEu");
        assert.strictEqual((d.match(/-->\|"events"\|/g) ?? []).length, 3, "three sources to the hub");
        assert.strictEqual((d.match(/-->\|"publish"\|/g) ?? []).length, 4, "the layer pipeline to its four Regions");
        assert.strictEqual((d.match(/-->\|"sqs"\|/g) ?? []).length, 2);
        assert.match(d, /\("SNS sns-fanout-topic"\)/);
        const ids = (label: string) => new RegExp(`(n\\d+)\\("${label}"\\)`).exec(d)![1];
        assert.ok(d.includes(`${ids("Cluster msk-cluster")} --> ${ids("Lambda msk-consumer")}`));
        assert.ok(d.includes(`${ids("Lambda msk-consumer")} --> ${ids("DynamoDB msk-factors-table")}`));
        assert.ok(d.includes(`${ids("Flink job \\(IRSA\\)")} --> ${ids("Kinesis flink-app-stream")}`));
    });

    it("plan/<stack>.md holds config, resources, policies, cost and diagram, behind the comment marker", () => {
        const md = fs.readFileSync(path.join(outDir, "prod.md"), "utf8");
        assert.ok(md.startsWith(reviewMarker("prod")));
        for (const h of ["## Offline plan: `prod`", "### Resources by Region", "### Policies", "### Monthly cost estimate", "### Diagram", "```mermaid"]) {
            assert.ok(md.includes(h), h);
        }
        const total = JSON.parse(fs.readFileSync(path.join(outDir, "prod.json"), "utf8")).totals.resources;
        assert.ok(md.includes(`Config: **valid**. ${total} resources`), `${total} resources`);
    });
});
