import * as assert from "assert";
import { parseStackConfig, readStackFile } from "../lib/config/load";
import { CONCERN_KEYS } from "../lib/config/schema";
import { ProgramRun, RecordedResource, runProgram } from "../lib/plan/recorder";
import { assertUrnsPinned, json, statements } from "./helpers";

/** Every Region named anywhere in a stack's config (`region`, `regions`, `*Region`). */
function configRegions(value: unknown, out = new Set<string>()): Set<string> {
    if (Array.isArray(value)) {
        value.forEach((v) => configRegions(v, out));
    } else if (value && typeof value === "object") {
        for (const [k, v] of Object.entries(value)) {
            if ((k === "region" || /Region$/.test(k)) && typeof v === "string") {
                out.add(v);
            } else if (k === "regions" && Array.isArray(v)) {
                v.forEach((r) => typeof r === "string" && out.add(r));
            } else {
                configRegions(v, out);
            }
        }
    }
    return out;
}


for (const stack of ["dev", "prod"] as const) {
    describe(`${stack} stack under mocks`, () => {
        let run: ProgramRun;
        before(async () => {
            run = await runProgram(stack);
        });

        it("registers resources, and AWS resources for every concern the stack config enables", () => {
            assert.ok(run.resources.filter((r) => r.custom).length > 20);
            const config = parseStackConfig(readStackFile(stack)) as unknown as Record<string, { enabled?: boolean } | undefined>;
            const enabled = CONCERN_KEYS.filter((k) => config[k] !== undefined && config[k]?.enabled !== false);
            // A concern's resources sit under its component, whose type token is awsarch:<config key>:<Name>.
            const deployed = enabled.filter((k) => run.resources.some((r) => r.custom && r.type.startsWith("aws:") && r.urn.includes(`::awsarch:${k}:`)));
            assert.deepStrictEqual(deployed, enabled);
        });

        it("has zero AWS resources on a default provider", () => {
            const offenders = run.resources.filter(
                (r) => r.custom && r.type.startsWith("aws:") && (!r.provider || !r.provider.includes("::pulumi:providers:aws::")),
            );
            assert.deepStrictEqual(offenders.map((r) => `${r.type} ${r.name}`), []);
            const remote = run.resources.filter((r) => r.remote && !r.providers.aws);
            assert.deepStrictEqual(remote.map((r) => `${r.type} ${r.name}`), [], "remote components need providers.aws");
        });

        it("has no custom resource without an explicit provider at all", () => {
            const offenders = run.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:") && !r.provider);
            assert.deepStrictEqual(offenders.map((r) => `${r.type} ${r.name}`), []);
        });

        it("puts every AWS resource in a Region its own concern's config names, through its provider", () => {
            const raw = readStackFile(stack);
            // the concern of a resource is the first awsarch component in its URN's type chain
            const configKey: Record<string, string> = { mskStreaming: "msk" };
            const checked = new Set<string>();
            const resources = run.resources.filter((x) => (x.custom && x.type.startsWith("aws:")) || (x.remote && x.providers.aws));
            const platform = (r: RecordedResource) => /::awsarch:platform:/.test(r.urn);
            for (const r of resources) {
                assert.ok(r.region, `${r.name} has no Region`);
                const concern = /::awsarch:([A-Za-z]+):/.exec(r.urn)?.[1];
                assert.ok(concern, `${r.type} ${r.name} belongs to no concern component`);
                if (platform(r)) {
                    // Shared platform resources (the access-log buckets) live where some concern of the same account does.
                    assert.ok(resources.some((c) => !platform(c) && c.region === r.region && c.accountId === r.accountId), `${r.type} ${r.name}: no concern in ${r.accountId}/${r.region}`);
                    continue;
                }
                const key = configKey[concern] ?? concern;
                const allowed = configRegions(raw[`awsarch:${key}`]);
                assert.ok(allowed.size > 0, `awsarch:${key} names no Region`);
                assert.ok(allowed.has(r.region), `${r.type} ${r.name} (${key}) is in ${r.region}, not a Region of awsarch:${key} (${[...allowed].join(", ")})`);
                checked.add(key);
            }
            assert.ok(checked.size >= 9, `resources of ${checked.size} concerns checked`);
        });

        it("gives every AWS provider region, allowedAccountIds and the required default tags", () => {
            const providers = run.resources.filter((r) => r.type === "pulumi:providers:aws");
            assert.ok(providers.length > 0);
            for (const p of providers) {
                assert.ok(p.inputs.region, p.name);
                const ids = json(p.inputs.allowedAccountIds);
                assert.strictEqual(ids.length, 1, p.name);
                const dt = json(p.inputs.defaultTags);
                for (const k of ["project", "stack", "owner", "cost-centre"]) {
                    assert.ok(dt.tags[k], `${p.name} lacks default tag ${k}`);
                }
                assert.strictEqual(dt.tags.stack, stack);
            }
        });

        it("shares one provider per (account, Region)", () => {
            const keys = run.resources.filter((r) => r.type === "pulumi:providers:aws").map((p) => `${p.accountId}/${p.region}`);
            assert.strictEqual(new Set(keys).size, keys.length);
        });

        if (stack === "prod") {
            it("assumes each account's deployment role", () => {
                for (const p of run.resources.filter((r) => r.type === "pulumi:providers:aws")) {
                    const roles = json(p.inputs.assumeRoles);
                    assert.match(roles[0].roleArn, new RegExp(`^arn:aws:iam::${p.accountId}:role/`));
                }
            });
        }

        it("gives no two resources of one kind the same physical name where AWS needs it unique (account, Region)", () => {
            // Types whose `name` is unique per account and Region (IAM: per account).
            const unique = new Set([
                "aws:sns/topic:Topic",
                "aws:sqs/queue:Queue",
                "aws:lambda/function:Function",
                "aws:cloudwatch/logGroup:LogGroup",
                "aws:cloudwatch/metricAlarm:MetricAlarm",
                "aws:cloudwatch/eventBus:EventBus",
                "aws:cloudwatch/dashboard:Dashboard",
                "aws:dynamodb/table:Table",
                "aws:kms/alias:Alias",
                "aws:ecr/repository:Repository",
                "aws:secretsmanager/secret:Secret",
                "aws:codebuild/project:Project",
                "aws:codepipeline/pipeline:Pipeline",
                "aws:kinesis/stream:Stream",
                "aws:iam/role:Role",
                "aws:iam/policy:Policy",
            ]);
            const seen = new Map<string, string>();
            const clashes: string[] = [];
            let checked = 0;
            for (const r of run.resources) {
                const name = r.inputs?.name ?? r.inputs?.dashboardName ?? r.inputs?.alarmName;
                if (!r.custom || !unique.has(r.type) || typeof name !== "string") continue;
                checked++;
                const scope = r.type.startsWith("aws:iam/") ? r.accountId : `${r.accountId}/${r.region}`;
                const key = `${r.type} ${scope} ${name}`;
                const other = seen.get(key);
                if (other) clashes.push(`${key}: ${other} and ${r.name}`);
                seen.set(key, r.name);
            }
            assert.deepStrictEqual(clashes, []);
            assert.ok(checked > 40, `only ${checked} named resources checked`);
        });

        it("lets every alarm reach its topic: CloudWatch of the account may publish, and may use the topic's key", () => {
            // first registration wins: a TopicPolicy echoes its topic's ARN as `arn`
            const byArn = new Map<string, (typeof run.resources)[number]>();
            for (const r of run.resources.filter((x) => x.custom && x.state.arn)) if (!byArn.has(r.state.arn)) byArn.set(r.state.arn, r);
            const topics = new Set<string>();
            for (const alarm of run.resources.filter((r) => r.type === "aws:cloudwatch/metricAlarm:MetricAlarm")) {
                for (const arn of alarm.inputs.alarmActions ?? []) {
                    const topic = byArn.get(arn);
                    assert.ok(topic && topic.type === "aws:sns/topic:Topic", `${alarm.name} notifies ${arn}, not a topic of this stack`);
                    topics.add(topic.urn);
                    const policy = run.resources.find((r) => r.type === "aws:sns/topicPolicy:TopicPolicy" && r.inputs.arn === arn);
                    assert.ok(policy, `${topic.name} has a topic policy`);
                    const publish = statements(policy.inputs.policy).find((st) => st.Principal?.Service === "cloudwatch.amazonaws.com");
                    assert.deepStrictEqual(
                        [publish?.Action, publish?.Resource, publish?.Condition],
                        ["sns:Publish", arn, { StringEquals: { "aws:SourceAccount": topic.accountId } }],
                        `${topic.name}: CloudWatch of ${topic.accountId} publishes`,
                    );
                    const key = byArn.get(topic.inputs.kmsMasterKeyId);
                    assert.ok(key && key.type === "aws:kms/key:Key", `${topic.name} is encrypted with a key of this stack`);
                    const use = statements(key.inputs.policy).find((st) => st.Principal?.Service === "cloudwatch.amazonaws.com");
                    assert.ok(use && [use.Action].flat().includes("kms:GenerateDataKey") && [use.Action].flat().includes("kms:Decrypt"), `${key.name} admits CloudWatch`);
                }
            }
            assert.ok(topics.size >= 3, `alarm topics checked: ${topics.size}`);
        });

        it("keeps every resource URN (no accidental rename or replace; UPDATE_URNS=1 to accept a change)", () => {
            assertUrnsPinned(run, stack);
        });
    });
}
