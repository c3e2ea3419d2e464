import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
    applyPackConfig,
    clearPackConfigSuppressions,
    findSuppression,
    loadPackConfig,
    loadSettings,
    packConfigSuppressions,
    parsePackConfig,
    parseSettings,
    settings,
    suppressionStatus,
    useSettings,
} from "../policies/config";
import { allRules, packPolicies, ResourceRule, StackRule, suppressionReport } from "../policies/rules";
import { buildReport, parseArgs, renderReport } from "../lib/plan/cli";
import { activeSuppressions, runPolicies } from "../lib/plan/policy-runner";
import { ProgramRun, RecordedResource, runProgram } from "../lib/plan/recorder";
import { policyResource, resourceArgs, stackViolations, violations } from "./policies-fixtures";

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

    it("checks remote components on their inputs, with the provider of their own package the engine records", async () => {
        const eksProvider = rec("prod", "pulumi:providers:eks", "eks", {});
        const cluster = (provider?: string) =>
            rec("prod", "eks:index:Cluster", "flink", { endpointPublicAccess: true, enabledClusterLogTypes: ["api"] }, { remote: true, custom: false, provider, providers: { aws: "urn:pulumi:prod::awsarch::pulumi:providers:aws::aws-main-eu-west-1" } });
        const findings = await runPolicies(fakeRun("prod", () => [eksProvider, cluster(eksProvider.urn)]), { environment: "prod" });
        assert.deepStrictEqual(findings.map((f) => f.rule).sort(), ["eks-1-no-public-endpoint-prod", "eks-3-secrets-encryption", "eks-8-control-plane-logs"]);
        // A remote component with only providers.aws would get the default eks provider: flagged.
        const bare = await runPolicies(fakeRun("prod", () => [cluster(undefined)]), { environment: "prod" });
        assert.deepStrictEqual(bare.filter((f) => f.rule === "no-default-provider").map((f) => f.resourceName), ["flink"]);
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
            // property dependencies are recorded, as CrossGuard passes them: a queue's redrivePolicy depends on its DLQ
            const queues = run.resources.filter((r) => r.type === "aws:sqs/queue:Queue");
            const withRedrive = queues.find((q) => q.inputs.redrivePolicy)!;
            const dlqUrn = withRedrive.propertyDependencies?.redrivePolicy?.[0];
            assert.ok(dlqUrn && queues.some((q) => q.urn === dlqUrn && q.urn !== withRedrive.urn), "redrivePolicy depends on the DLQ queue");
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

/** Runs the `policy-suppressions` report over `resources` like CrossGuard does. */
async function reportOn(resources: any[]): Promise<{ message: string; urn?: string }[]> {
    const out: { message: string; urn?: string }[] = [];
    await suppressionReport.validateStack(
        { resources, stackTags: new Map(), getConfig: () => ({}) as any, notApplicable: () => { throw new Error(); } },
        (message, urn) => out.push({ message, urn }),
    );
    return out;
}

const asStackResource = (a: ReturnType<typeof resourceArgs>) => ({ ...a, dependencies: [], propertyDependencies: {} });

describe("suppression report in the pack", () => {
    beforeEach(() => clearPackConfigSuppressions());
    after(() => clearPackConfigSuppressions());

    it("lists each suppression that matches a stack resource, with its reason and source, as advisory", async () => {
        assert.ok(packPolicies.includes(suppressionReport));
        assert.strictEqual(packPolicies[packPolicies.length - 1], suppressionReport, "the report runs after every rule");
        assert.strictEqual(suppressionReport.enforcementLevel, "advisory");
        const prev = useSettings({ levels: {}, suppressions: [{ rule: "sns-1-kms-encryption", resource: "public-feed", reason: "public dataset" }, { rule: "x", resource: "absent", reason: "r" }] });
        let out: { message: string; urn?: string }[];
        try {
            out = await reportOn([asStackResource(resourceArgs("aws:sns/topic:Topic", {}, "public-feed"))]);
        } finally {
            useSettings(prev);
        }
        assert.deepStrictEqual(out, [
            { message: "SUPPRESSED sns-1-kms-encryption on public-feed: public dataset (policies/suppressions.json)", urn: "urn:pulumi:dev::awsarch::aws:sns/topic:Topic::public-feed" },
        ]);
    });

    it("lists suppressions that come only from --policy-pack-config (resource and stack rules)", async () => {
        const sns = allRules.find((r) => r.name === "sns-1-kms-encryption") as ResourceRule;
        const sqsDlq = allRules.find((r) => r.name === "sqs-dead-letter-queue") as StackRule;
        const topic = resourceArgs("aws:sns/topic:Topic", {}, "public-feed", { config: { suppressions: [{ resource: "public-feed", reason: "public dataset" }] } });
        const queue = policyResource("aws:sqs/queue:Queue", { kmsMasterKeyId: "k" }, "scratch-queue");
        // the rules honour their pack config...
        assert.deepStrictEqual(await violations(sns, topic), []);
        assert.deepStrictEqual(await stackViolations(sqsDlq, [queue], { suppressions: [{ resource: queue.urn, reason: "drained by hand" }] }), []);
        // ...and a resource of another type still lets a rule note its config, since every resource reaches every policy
        await violations(sns, resourceArgs("aws:s3/bucket:Bucket", {}, "b", { config: { suppressions: [{ resource: "other-topic", reason: "legacy" }] } }));
        assert.deepStrictEqual(packConfigSuppressions().map((x) => [x.rule, x.resource, x.source]), [
            ["sns-1-kms-encryption", "other-topic", "pack config"],
            ["sqs-dead-letter-queue", queue.urn, "pack config"],
        ]);
        await violations(sns, topic);
        const out = await reportOn([asStackResource(topic), queue]);
        assert.deepStrictEqual(out, [
            { message: "SUPPRESSED sns-1-kms-encryption on public-feed: public dataset (pack config)", urn: topic.urn },
            { message: "SUPPRESSED sqs-dead-letter-queue on scratch-queue: drained by hand (pack config)", urn: queue.urn },
        ]);
    });

    it("warns when a name-based suppression matches several resources; a URN matches exactly one", async () => {
        const a = policyResource("aws:s3/bucketV2:BucketV2", {}, "logs", { parentType: "awsarch:snsFanout:SnsFanout" });
        const b = policyResource("aws:s3/bucketV2:BucketV2", {}, "logs", { parentType: "awsarch:batchMonitor:BatchMonitor" });
        assert.notStrictEqual(a.urn, b.urn);
        const prev = useSettings({
            levels: {},
            suppressions: [
                { rule: "s3-14-versioning", resource: "logs", reason: "access logs" },
                { rule: "s3-5-tls-only-policy", resource: b.urn, reason: "log delivery only" },
            ],
        });
        let out: { message: string; urn?: string }[];
        try {
            out = await reportOn([a, b]);
        } finally {
            useSettings(prev);
        }
        assert.deepStrictEqual(out.map((x) => [x.message.split(":")[0], x.urn]), [
            ["SUPPRESSED s3-14-versioning on logs", a.urn],
            ["SUPPRESSED s3-14-versioning on logs", b.urn],
            ["WARNING suppression of s3-14-versioning by name \"logs\" (policies/suppressions.json) matches 2 resources and silences all of them", undefined],
            ["SUPPRESSED s3-5-tls-only-policy on logs", b.urn],
        ]);
        assert.match(out[2].message, /give the URN to suppress only one/);
    });

    it("a URN suppression silences the rule on that resource only (CrossGuard callbacks)", async () => {
        const rule = allRules.find((r) => r.name === "sqs-dead-letter-queue") as StackRule;
        const a = policyResource("aws:sqs/queue:Queue", { kmsMasterKeyId: "k" }, "jobs", { parentType: "awsarch:a:A" });
        const b = policyResource("aws:sqs/queue:Queue", { kmsMasterKeyId: "k" }, "jobs", { parentType: "awsarch:b:B" });
        const byUrn = await stackViolations(rule, [a, b], { suppressions: [{ resource: a.urn, reason: "r" }] });
        assert.deepStrictEqual(byUrn.map((v) => v.urn), [b.urn]);
        const byName = await stackViolations(rule, [a, b], { suppressions: [{ resource: "jobs", reason: "r" }] });
        assert.deepStrictEqual(byName, []);
        const sns = allRules.find((r) => r.name === "sns-1-kms-encryption") as ResourceRule;
        const t = resourceArgs("aws:sns/topic:Topic", {}, "feed");
        const prev = useSettings({ levels: {}, suppressions: [{ rule: "sns-1-kms-encryption", resource: t.urn.replace("::feed", "::other"), reason: "r" }] });
        try {
            assert.strictEqual((await violations(sns, t)).length, 1);
        } finally {
            useSettings(prev);
        }
    });

    it("suppressionStatus deduplicates and keeps unmatched suppressions with no match", () => {
        const sup = { rule: "r", resource: "n", reason: "why" };
        const st = suppressionStatus([{ urn: "urn:pulumi:dev::awsarch::t::x", name: "x" }], [sup, sup]);
        assert.deepStrictEqual(st, [{ ...sup, source: "policies/suppressions.json", matches: [] }]);
    });
});

describe("pack config (--policy-pack-config) for the offline runner", () => {
    it("parses the CLI's shape: all, level strings, objects with enforcementLevel, suppressions and environment", () => {
        const pc = parsePackConfig({
            all: "advisory",
            "cost-nat-per-az-dev": "disabled",
            "s3-14-versioning": { enforcementLevel: "remediate", suppressions: [{ resource: "scratch", reason: "cache only" }] },
            "prod-stateful-protected": { environment: "prod" },
        });
        assert.strictEqual(pc.all, "advisory");
        assert.deepStrictEqual(pc.levels, { "cost-nat-per-az-dev": "disabled", "s3-14-versioning": "mandatory" });
        assert.deepStrictEqual(pc.suppressions, [{ rule: "s3-14-versioning", resource: "scratch", reason: "cache only", source: "pack config" }]);
        assert.deepStrictEqual(pc.config["prod-stateful-protected"], { environment: "prod" });
        assert.throws(() => parsePackConfig({ x: "loud" }), /x must be advisory, mandatory, remediate or disabled/);
        assert.throws(() => parsePackConfig({ x: { suppressions: [{ resource: "r" }] } }), /x\.suppressions\[0\]\.reason is required/);
        assert.throws(() => parsePackConfig({ x: { suppressions: "r" } }), /x\.suppressions must be a list/);
        assert.throws(() => parsePackConfig([]), /must be a JSON object/);
    });

    it("applies levels like the CLI (policy entry > all > settings file) and rejects unknown policy names", () => {
        const base = { levels: { a: "disabled" as const, b: "advisory" as const }, suppressions: [{ rule: "a", resource: "x", reason: "y" }] };
        const merged = applyPackConfig(base, parsePackConfig({ all: "mandatory", c: "advisory", b: { suppressions: [{ resource: "z", reason: "w" }] } }), ["a", "b", "c"]);
        assert.deepStrictEqual(merged.levels, { a: "mandatory", b: "mandatory", c: "advisory" });
        assert.deepStrictEqual(merged.suppressions.map((x) => `${x.rule}/${x.resource}/${x.source ?? "file"}`), ["a/x/file", "b/z/pack config"]);
        assert.throws(() => applyPackConfig(base, parsePackConfig({ "s3-14-versionin": "advisory" }), ["a"]), /names no policy of this pack: s3-14-versionin/);
    });

    it("runPolicies applies pack-config levels, suppressions (with source) and environment", async () => {
        const run = fakeRun("prod", (p) => [table("prod", p, false)]);
        const adv = await runPolicies(run, { environment: "prod", settings: { levels: {}, suppressions: [] }, packConfig: parsePackConfig({ all: "advisory" }) });
        assert.deepStrictEqual(adv.map((f) => [f.rule, f.level]), [["prod-stateful-protected", "advisory"]]);
        const off = await runPolicies(run, { environment: "prod", settings: { levels: {}, suppressions: [] }, packConfig: parsePackConfig({ all: "advisory", "prod-stateful-protected": "disabled" }) });
        assert.deepStrictEqual(off, []);
        const sup = await runPolicies(run, {
            environment: "prod",
            settings: { levels: {}, suppressions: [] },
            packConfig: parsePackConfig({ "prod-stateful-protected": { suppressions: [{ resource: "orders", reason: "rebuilt nightly" }] } }),
        });
        assert.deepStrictEqual(sup.map((f) => [f.rule, f.suppressedReason]), [["prod-stateful-protected", "rebuilt nightly"]]);
        // the rule's own environment from pack config wins over the stack's
        const dev = await runPolicies(run, { environment: "prod", settings: { levels: {}, suppressions: [] }, packConfig: parsePackConfig({ "prod-stateful-protected": { environment: "dev" } }) });
        assert.deepStrictEqual(dev, []);
        // and the settings in effect are restored afterwards
        assert.deepStrictEqual(settings(), loadSettings());
    });

    it("the plan report lists every active suppression with its source and warns on ambiguous names", async () => {
        const run = fakeRun("dev", (p) => [
            rec("dev", "aws:sqs/queue:Queue", "jobs", { kmsMasterKeyId: KEY, name: "a-jobs" }, { provider: p, region: "eu-west-1", urn: "urn:pulumi:dev::awsarch::awsarch:a:A$aws:sqs/queue:Queue::jobs" }),
            rec("dev", "aws:sqs/queue:Queue", "jobs", { kmsMasterKeyId: KEY, name: "b-jobs" }, { provider: p, region: "eu-west-1", urn: "urn:pulumi:dev::awsarch::awsarch:b:B$aws:sqs/queue:Queue::jobs" }),
        ]);
        const opts = {
            settings: { levels: {}, suppressions: [{ rule: "sqs-dead-letter-queue", resource: "jobs", reason: "drained by a cron" }] },
            packConfig: parsePackConfig({ "sqs-1-kms-encryption": { suppressions: [{ resource: "urn:pulumi:dev::awsarch::awsarch:b:B$aws:sqs/queue:Queue::jobs", reason: "test key" }] } }),
        };
        // (The two bare queues also lack a TLS-only policy: sqs-4-tls-only's findings are not the point here.)
        const findings = (await runPolicies(run, { environment: "dev", ...opts })).filter((f) => f.rule !== "sqs-4-tls-only");
        assert.deepStrictEqual(findings.map((f) => [f.rule, f.suppressedReason]), [
            ["sqs-dead-letter-queue", "drained by a cron"],
            ["sqs-dead-letter-queue", "drained by a cron"],
        ]);
        const statuses = activeSuppressions(run, opts);
        assert.deepStrictEqual(statuses.map((x) => [x.rule, x.source, x.matches.length, !!x.warning]), [
            ["sqs-dead-letter-queue", "policies/suppressions.json", 2, true],
            ["sqs-1-kms-encryption", "pack config", 1, false],
        ]);
        const report = buildReport(run, findings, statuses, "cfg.json");
        assert.strictEqual(report.policies.suppressed, 2);
        const text = renderReport(report);
        assert.match(text, /Suppressions in effect \(pack config cfg\.json\):/);
        assert.match(text, /sqs-1-kms-encryption on urn:pulumi:dev::awsarch::awsarch:b:B\$aws:sqs\/queue:Queue::jobs \[pack config\]: test key/);
        assert.match(text, /WARNING suppression of sqs-dead-letter-queue by name "jobs" .* matches 2 resources/);
    });

    it("reads the file and the plan CLI's --policy-pack-config argument", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ppc-"));
        const file = path.join(dir, "pc.json");
        fs.writeFileSync(file, JSON.stringify({ "cost-nat-per-az-dev": "disabled" }));
        assert.deepStrictEqual(loadPackConfig(file).levels, { "cost-nat-per-az-dev": "disabled" });
        fs.writeFileSync(file, "{ nope");
        assert.throws(() => loadPackConfig(file), /not valid JSON/);
        assert.deepStrictEqual(parseArgs(["prod"]), { stack: "prod", policyPackConfig: undefined });
        assert.deepStrictEqual(parseArgs(["prod", "--policy-pack-config", "pc.json"]), { stack: "prod", policyPackConfig: "pc.json" });
        assert.deepStrictEqual(parseArgs(["--policy-pack-config=pc.json", "dev"]), { stack: "dev", policyPackConfig: "pc.json" });
        assert.throws(() => parseArgs(["prod", "--policy-pack-config"]), /needs a file/);
        assert.throws(() => parseArgs(["prod", "--policy-pack"]), /unknown option --policy-pack/);
        assert.throws(() => parseArgs([]), /no stack given/);
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
        assert.deepStrictEqual(allRules.filter((r) => r.level === "advisory" && r.service === "Cost").length, 4);
    });

    it("policies/README.md carries the current generated table", () => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { policyTable, replaceTable } = require("../scripts/policy-table");
        const readme = fs.readFileSync(path.join(__dirname, "..", "policies", "README.md"), "utf8");
        assert.strictEqual(readme, replaceTable(readme), "run: npm run policy-table");
        const root = fs.readFileSync(path.join(__dirname, "..", "README.md"), "utf8");
        assert.ok(root.includes("<!-- policy-table:start -->"), "README.md has the table markers");
        assert.strictEqual(root, replaceTable(root), "README.md's rules table is stale: run npm run policy-table");
        assert.match(policyTable(), /\| `ckv-aws-79-imdsv2` \| EC2 \| EC2\.8, EC2\.170, CKV_AWS_79, NIST\.800\.53\.R5-EC2IMDSv2Enabled, HIPAA\.Security-EC2IMDSv2Enabled \| mandatory \| resource \|/);
    });

    it("every applicable peer rule is answered exactly once: by one rule's controls or by an exemption with its reason", () => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { PEER_EXEMPTIONS, PEER_RULES } = require("../policies/peers");
        const problems: string[] = [];
        for (const id of PEER_RULES as string[]) {
            const rules = allRules.filter((r) => r.controls.includes(id)).map((r) => r.name);
            const exempt = id in PEER_EXEMPTIONS;
            if (rules.length + (exempt ? 1 : 0) !== 1) {
                problems.push(`${id}: rules [${rules.join(", ")}]${exempt ? " and an exemption" : ""}`);
            }
        }
        for (const id of Object.keys(PEER_EXEMPTIONS)) {
            if (!(PEER_RULES as string[]).includes(id)) {
                problems.push(`${id}: exempt but not listed as applicable`);
            }
            if ((PEER_EXEMPTIONS as Record<string, string>)[id].length < 60) {
                problems.push(`${id}: the reason is too short to be one`);
            }
        }
        // Peer IDs in controls must be listed as applicable (no claim of an unknown peer rule).
        for (const r of allRules) {
            for (const c of r.controls.filter((x) => /^(AwsSolutions-|NIST\.800\.53\.R5-|HIPAA\.Security-|awsguard:)/.test(x))) {
                if (!(PEER_RULES as string[]).includes(c)) {
                    problems.push(`${r.name} claims ${c}, which policies/peers.ts does not list`);
                }
            }
        }
        assert.deepStrictEqual(problems, []);
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
