import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { findSuppression, loadSettings, parseSettings, useSettings } from "../policies/config";
import { allRules, packPolicies, ResourceRule, suppressionReport } from "../policies/rules";
import { runPolicies } from "../lib/plan/policy-runner";
import { ProgramRun, RecordedResource, runProgram } from "../lib/plan/recorder";
import { resourceArgs, violations } from "./policies-fixtures";

/* eslint-disable @typescript-eslint/no-explicit-any */

const KEY = "arn:aws:kms:eu-west-1:111111111111:key/0";

function rec(stack: string, type: string, name: string, inputs: Record<string, any>, extra: Partial<RecordedResource> = {}): RecordedResource {
    return {
        urn: `urn:pulumi:${stack}::awsarch::${type}::${name}`,
        type,
        name,
        custom: !type.startsWith("awsarch:"),
        remote: false,
        inputs,
        state: {},
        providers: {},
        protect: false,
        retainOnDelete: false,
        dependencies: [],
        aliases: [],
        ignoreChanges: [],
        ...extra,
    };
}

/** A recorded run with one pinned provider (inputs as JSON text, like the recorder stores them) and `rest`. */
function fakeRun(stack: string, rest: (providerUrn: string) => RecordedResource[]): ProgramRun {
    const provider = rec(stack, "pulumi:providers:aws", "aws-main-eu-west-1", {
        region: "eu-west-1",
        allowedAccountIds: JSON.stringify(["111111111111"]),
        defaultTags: JSON.stringify({ tags: { project: "awsarch", stack, owner: "o", "cost-centre": "c" } }),
    }, { region: "eu-west-1", accountId: "111111111111" });
    return { stack, resources: [provider, ...rest(provider.urn)], outputs: {} };
}

const table = (stack: string, provider: string | undefined, protect: boolean) =>
    rec(stack, "aws:dynamodb/table:Table", "orders", { hashKey: "pk", pointInTimeRecovery: { enabled: true }, serverSideEncryption: { enabled: true, kmsKeyArn: KEY }, deletionProtectionEnabled: true }, { provider, protect, region: provider ? "eu-west-1" : undefined });

describe("offline policy runner", () => {
    it("fails a stack with a resource on a default provider", async () => {
        const run = fakeRun("dev", (p) => [table("dev", p, false), { ...table("dev", undefined, false), name: "stray", urn: "urn:pulumi:dev::awsarch::aws:dynamodb/table:Table::stray" }]);
        const findings = (await runPolicies(run, { environment: "dev" })).filter((f) => f.level === "mandatory");
        assert.deepStrictEqual(findings.map((f) => [f.rule, f.resourceName]), [["no-default-provider", "stray"]]);
    });

    it("fails a prod stack with an unprotected table, with resource type and Region", async () => {
        const run = fakeRun("prod", (p) => [table("prod", p, false)]);
        const findings = await runPolicies(run, { environment: "prod" });
        assert.deepStrictEqual(findings.map((f) => ({ rule: f.rule, level: f.level, name: f.resourceName, type: f.resourceType, region: f.region })), [
            { rule: "prod-stateful-protected", level: "mandatory", name: "orders", type: "aws:dynamodb/table:Table", region: "eu-west-1" },
        ]);
        const ok = fakeRun("prod", (p) => [table("prod", p, true)]);
        assert.deepStrictEqual(await runPolicies(ok, { environment: "prod" }), []);
    });

    it("passes the recorded provider's inputs as the rule's provider (Region from provider, JSON-text accounts)", async () => {
        const run = fakeRun("dev", (p) => [
            rec("dev", "aws:cloudwatch/eventTarget:EventTarget", "same", { rule: "r", arn: "arn:aws:events:eu-west-1:111111111111:event-bus/b" }, { provider: p }),
            rec("dev", "aws:cloudwatch/eventTarget:EventTarget", "cross", { rule: "r", arn: "arn:aws:events:us-east-1:111111111111:event-bus/b" }, { provider: p }),
        ]);
        const findings = await runPolicies(run, { environment: "dev" });
        assert.deepStrictEqual(findings.map((f) => [f.rule, f.resourceName]), [["eventbridge-cross-bus-target-role", "cross"]]);
        assert.match(findings[0].message, /Region us-east-1/);
    });

    it("checks remote components on their inputs, with the providers map's aws provider", async () => {
        const run = fakeRun("prod", (p) => [
            rec("prod", "eks:index:Cluster", "flink", { endpointPublicAccess: true, enabledClusterLogTypes: ["api"] }, { remote: true, custom: false, providers: { aws: p } }),
        ]);
        const findings = await runPolicies(run, { environment: "prod" });
        assert.deepStrictEqual(findings.map((f) => f.rule).sort(), ["eks-1-no-public-endpoint-prod", "eks-3-secrets-encryption", "eks-8-control-plane-logs"]);
        // remote components are not flagged as "no provider"
        assert.ok(!findings.some((f) => f.rule === "no-default-provider"));
    });

    it("marks suppressed findings with their reason instead of dropping them", async () => {
        const run = fakeRun("prod", (p) => [table("prod", p, false)]);
        const findings = await runPolicies(run, {
            environment: "prod",
            settings: { levels: {}, suppressions: [{ rule: "prod-stateful-protected", resource: "orders", reason: "scratch table, recreated nightly" }] },
        });
        assert.strictEqual(findings.length, 1);
        assert.strictEqual(findings[0].suppressedReason, "scratch table, recreated nightly");
    });

    it("applies configured levels (advisory, disabled)", async () => {
        const run = fakeRun("prod", (p) => [table("prod", p, false)]);
        const adv = await runPolicies(run, { environment: "prod", settings: { levels: { "prod-stateful-protected": "advisory" }, suppressions: [] } });
        assert.strictEqual(adv[0].level, "advisory");
        const off = await runPolicies(run, { environment: "prod", settings: { levels: { "prod-stateful-protected": "disabled" }, suppressions: [] } });
        assert.deepStrictEqual(off, []);
    });
});

describe("pack settings (policies/suppressions.json)", () => {
    it("requires rule, resource and reason on every suppression", () => {
        assert.throws(() => parseSettings({ suppressions: [{ rule: "s3-14-versioning", resource: "logs" }] }), /suppressions\[0\]\.reason is required/);
        assert.throws(() => parseSettings({ suppressions: [{ resource: "logs", reason: "r" }] }), /suppressions\[0\]\.rule is required/);
        assert.throws(() => parseSettings({ levels: { x: "loud" } }), /levels\.x must be/);
        assert.deepStrictEqual(parseSettings({ suppressions: [{ rule: "a", resource: "b", reason: "c" }] }).suppressions, [{ rule: "a", resource: "b", reason: "c" }]);
    });

    it("the committed file is valid and only names existing rules", () => {
        const s = loadSettings();
        const names = new Set(allRules.map((r) => r.name));
        for (const sup of s.suppressions) {
            assert.ok(names.has(sup.rule), `unknown rule ${sup.rule}`);
        }
        for (const r of Object.keys(s.levels)) {
            assert.ok(names.has(r), `unknown rule ${r}`);
        }
    });

    it("reads a settings file from disk", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pol-"));
        const file = path.join(dir, "s.json");
        fs.writeFileSync(file, JSON.stringify({ suppressions: [{ rule: "sns-1-kms-encryption", resource: "t", reason: "public dataset" }] }));
        assert.strictEqual(loadSettings(file).suppressions[0].reason, "public dataset");
        assert.deepStrictEqual(loadSettings(path.join(dir, "missing.json")), { levels: {}, suppressions: [] });
    });

    it("the CrossGuard callback drops a suppressed violation (file or pack config), matching URN or name", async () => {
        const rule = allRules.find((r) => r.name === "sns-1-kms-encryption") as ResourceRule;
        const args = resourceArgs("aws:sns/topic:Topic", {}, "public-feed");
        assert.strictEqual((await violations(rule, args)).length, 1);
        const prev = useSettings({ levels: {}, suppressions: [{ rule: "sns-1-kms-encryption", resource: args.urn, reason: "public dataset" }] });
        try {
            assert.deepStrictEqual(await violations(rule, args), []);
            assert.strictEqual(findSuppression("sns-1-kms-encryption", undefined, "public-feed"), undefined);
        } finally {
            useSettings(prev);
        }
        const viaConfig = resourceArgs("aws:sns/topic:Topic", {}, "public-feed", { config: { suppressions: [{ resource: "public-feed", reason: "public dataset" }] } });
        assert.deepStrictEqual(await violations(rule, viaConfig), []);
        // a suppression for another rule does not silence this one
        const other = resourceArgs("aws:sns/topic:Topic", {}, "public-feed");
        const prev2 = useSettings({ levels: {}, suppressions: [{ rule: "sqs-1-kms-encryption", resource: "public-feed", reason: "x" }] });
        try {
            assert.strictEqual((await violations(rule, other)).length, 1);
        } finally {
            useSettings(prev2);
        }
    });
});

describe("both stacks pass every mandatory rule", () => {
    for (const stack of ["dev", "prod"]) {
        it(`${stack}: zero mandatory violations`, async () => {
            const run = await runProgram(stack);
            const findings = await runPolicies(run);
            const mandatory = findings.filter((f) => f.level === "mandatory" && !f.suppressedReason);
            assert.deepStrictEqual(mandatory.map((f) => `${f.rule} ${f.resourceType} ${f.resourceName}: ${f.message}`), []);
            // the run really was checked: providers and stateful resources exist
            assert.ok(run.resources.some((r) => r.type === "pulumi:providers:aws"));
        });

        it(`${stack}: advisory findings are cost notices only (no security advisory left open)`, async () => {
            const findings = await runPolicies(await runProgram(stack));
            const advisory = findings.filter((f) => f.level === "advisory" && !f.suppressedReason);
            assert.deepStrictEqual(
                advisory.filter((f) => !f.rule.startsWith("cost-")).map((f) => `${f.rule} ${f.resourceName}`),
                [],
            );
            // the Mac hosts' 24-hour minimum is always reported: the filter above had something to look at
            assert.ok(advisory.some((f) => f.rule === "cost-mac-dedicated-host"));
        });
    }

    it("prod: removing protection from the audit log group is caught", async () => {
        const run = await runProgram("prod");
        const lg = run.resources.find((r) => r.type === "aws:cloudwatch/logGroup:LogGroup" && String(r.inputs.name).startsWith("/aws/events/"))!;
        const tampered: ProgramRun = { ...run, resources: run.resources.map((r) => (r === lg ? { ...r, protect: false } : r)) };
        const key = (f: { rule: string; urn?: string }) => `${f.rule} ${f.urn}`;
        const before = new Set((await runPolicies(run)).map(key));
        const added = (await runPolicies(tampered)).filter((f) => !before.has(key(f)));
        assert.deepStrictEqual(added.map((f) => [f.rule, f.level, f.resourceName]), [["prod-stateful-protected", "mandatory", lg.name]]);
    });
});

describe("suppression report in the pack", () => {
    it("lists each suppression that matches a stack resource, with its reason, as advisory", async () => {
        assert.ok(packPolicies.includes(suppressionReport));
        assert.strictEqual(suppressionReport.enforcementLevel, "advisory");
        const prev = useSettings({ levels: {}, suppressions: [{ rule: "sns-1-kms-encryption", resource: "public-feed", reason: "public dataset" }, { rule: "x", resource: "absent", reason: "r" }] });
        const out: { message: string; urn?: string }[] = [];
        try {
            const topic = resourceArgs("aws:sns/topic:Topic", {}, "public-feed");
            await suppressionReport.validateStack(
                { resources: [{ ...topic, dependencies: [], propertyDependencies: {} } as any], stackTags: new Map(), getConfig: () => ({}) as any, notApplicable: () => { throw new Error(); } },
                (message, urn) => out.push({ message, urn }),
            );
        } finally {
            useSettings(prev);
        }
        assert.deepStrictEqual(out, [{ message: "SUPPRESSED sns-1-kms-encryption on public-feed: public dataset", urn: "urn:pulumi:dev::awsarch::aws:sns/topic:Topic::public-feed" }]);
    });
});

describe("rule metadata and docs", () => {
    it("has at least 35 rules, each named, described, with controls and a valid level", () => {
        assert.ok(allRules.length >= 35, `${allRules.length} rules`);
        for (const r of allRules) {
            assert.match(r.name, /^[a-z0-9-]+$/);
            assert.ok(r.description.length > 10 && r.controls.length > 0 && r.service, r.name);
            assert.ok(["mandatory", "advisory"].includes(r.level), r.name);
            assert.strictEqual(r.enforcementLevel, r.level);
        }
        assert.deepStrictEqual(allRules.filter((r) => r.level === "advisory" && r.service === "Cost").length, 3);
    });

    it("policies/README.md carries the current generated table", () => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { policyTable, replaceTable } = require("../scripts/policy-table");
        const readme = fs.readFileSync(path.join(__dirname, "..", "policies", "README.md"), "utf8");
        assert.strictEqual(readme, replaceTable(readme), "run: npm run policy-table");
        const root = fs.readFileSync(path.join(__dirname, "..", "README.md"), "utf8");
        assert.ok(root.includes("<!-- policy-table:start -->"), "README.md has the table markers");
        assert.strictEqual(root, replaceTable(root), "README.md's rules table is stale: run npm run policy-table");
        assert.match(policyTable(), /\| `ckv-aws-79-imdsv2` \| EC2 \| EC2\.8, EC2\.170, CKV_AWS_79 \| mandatory \| resource \|/);
    });

    it("policies/index.ts is the only place that constructs the PolicyPack", () => {
        const root = path.join(__dirname, "..", "policies");
        const files = [path.join(root, "index.ts"), path.join(root, "config.ts"), ...fs.readdirSync(path.join(root, "rules")).map((f) => path.join(root, "rules", f))];
        const constructing = files.filter((f) => /new PolicyPack\(/.test(fs.readFileSync(f, "utf8"))).map((f) => path.relative(root, f));
        assert.deepStrictEqual(constructing, ["index.ts"]);
        const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
        const rootPkg = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "package.json"), "utf8"));
        assert.match(pkg.version, /^\d+\.\d+\.\d+$/);
        assert.strictEqual(pkg.dependencies["@pulumi/policy"], rootPkg.dependencies["@pulumi/policy"]);
        assert.strictEqual(pkg.dependencies["@pulumi/pulumi"], rootPkg.dependencies["@pulumi/pulumi"]);
    });
});
