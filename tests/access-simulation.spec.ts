import * as assert from "assert";
import { AccessReport, simulateAccess } from "../lib/plan/access";
import { ProgramRun, RecordedResource, runProgram } from "../lib/plan/recorder";
import { WORKLOADS, explainGrant } from "../lib/plan/wirings";
import { json } from "./helpers";

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * Every call the stacks' contracts and wirings state (lib/plan/access.ts, lib/plan/wirings.ts),
 * evaluated offline against the identity, resource, key and trust policies on the ARNs each stack
 * creates (lib/iam/simulate.ts): none may be denied, and every granted action must be needed by a
 * call or carry its reason (`EXPLAINED`). The mutations below show the simulation catches what
 * issue 14 found (a trigger whose broker discovery grants nothing, a queue that refuses its topic,
 * a grant no code path needs).
 */
const describeCall = (d: AccessReport["denied"][number]) => `${JSON.stringify(d.call.principal)} ${d.call.action} on ${d.call.resource}: ${d.reason} (${d.call.from})`;
const describeGrant = (g: AccessReport["excess"][number]) => `${g.role} ${g.sid ?? ""} ${g.action} on ${g.resource}`;

/** A copy of `run` with `edit` applied to the inputs of the resource named `name`. */
function mutate(run: ProgramRun, name: string, edit: (inputs: Record<string, any>) => void): ProgramRun {
    const copy: ProgramRun = { ...run, resources: JSON.parse(JSON.stringify(run.resources)) as RecordedResource[] };
    const r = copy.resources.filter((x) => x.name === name);
    assert.strictEqual(r.length, 1, `one resource named ${name}`);
    edit(r[0].inputs);
    return copy;
}

/** Rewrites the JSON policy document in `inputs[prop]`. */
const editPolicy = (prop: string, edit: (doc: any) => void) => (inputs: Record<string, any>) => {
    const doc = json(inputs[prop]);
    edit(doc);
    inputs[prop] = JSON.stringify(doc);
};

for (const stack of ["dev", "prod"]) {
    describe(`${stack}: access simulation (every stated call against the stack's policies)`, () => {
        let run: ProgramRun;
        let report: AccessReport;
        before(async () => {
            run = await runProgram(stack);
            report = simulateAccess(run, explainGrant);
        });

        it("no call is denied", () => {
            assert.ok(report.calls.length > 250, `${report.calls.length} calls`);
            assert.deepStrictEqual(report.denied.map(describeCall), []);
        });

        it("no identity policy grants an action no call needs, except the explained ones", () => {
            assert.deepStrictEqual(report.excess.map(describeGrant), []);
            for (const g of report.explained) {
                assert.ok(g.explained && g.explained.length > 40, describeGrant(g));
            }
        });

        it("no action wildcard is left in an identity policy", () => {
            assert.deepStrictEqual(report.wildcards, []);
        });

        it("every function, build project and IRSA role runs a workload with a contract", () => {
            const bound = (r: RecordedResource) => WORKLOADS.some((w) => w.type === r.type && w.match.test(r.name));
            const workloads = run.resources.filter(
                (r) =>
                    ["aws:lambda/function:Function", "aws:codebuild/project:Project"].includes(r.type) ||
                    (r.type === "aws:iam/role:Role" && JSON.stringify(r.inputs.assumeRolePolicy).includes("AssumeRoleWithWebIdentity")),
            );
            assert.ok(workloads.length >= 5);
            assert.deepStrictEqual(workloads.filter((r) => !bound(r)).map((r) => r.name), []);
        });

        it("a trigger whose broker discovery is scoped to the cluster is denied (kafka:GetBootstrapBrokers has no resource type)", () => {
            const broken = mutate(run, "msk-consumer-policy", editPolicy("policy", (doc) => {
                const st = doc.Statement.find((s: any) => [s.Action].flat().includes("kafka:GetBootstrapBrokers"));
                st.Resource = doc.Statement.find((s: any) => [s.Action].flat().includes("kafka:DescribeClusterV2")).Resource;
            }));
            const denied = simulateAccess(broken, explainGrant).denied.map((d) => d.call.action);
            assert.deepStrictEqual(denied, ["kafka:GetBootstrapBrokers"]);
        });

        it("a queue whose policy no longer admits its topic refuses SNS delivery", () => {
            const broken = mutate(run, "sns-fanout-indexing-queue-policy", editPolicy("policy", (doc) => {
                doc.Statement = doc.Statement.filter((s: any) => s.Effect === "Deny");
            }));
            const denied = simulateAccess(broken, explainGrant).denied;
            assert.ok(denied.some((d) => d.call.principal.kind === "service" && d.call.action === "sqs:SendMessage"), denied.map(describeCall).join("\n"));
            // Exactly SNS's delivery into that queue, nothing else.
            const queue = run.resources.find((r) => r.name === "sns-fanout-indexing-queue" && r.type === "aws:sqs/queue:Queue")!;
            assert.deepStrictEqual(denied.map((d) => [JSON.stringify(d.call.principal), d.call.action, d.call.resource]), [[JSON.stringify({ kind: "service", service: "sns.amazonaws.com" }), "sqs:SendMessage", queue.state.arn]]);
        });

        it("a grant no code path needs is reported as excess", () => {
            const broader = mutate(run, "msk-consumer-policy", editPolicy("policy", (doc) => {
                const st = doc.Statement.find((s: any) => [s.Action].flat().includes("dynamodb:BatchWriteItem"));
                st.Action = ["dynamodb:BatchWriteItem", "dynamodb:PutItem"];
            }));
            const excess = simulateAccess(broader, explainGrant).excess.map((g) => `${g.role} ${g.action}`);
            assert.deepStrictEqual(excess, ["msk-consumer-role dynamodb:PutItem"]);
        });

        it("a service role whose trust lost its confused-deputy guard value is not assumable", () => {
            const broken = mutate(run, "msk-consumer-role", editPolicy("assumeRolePolicy", (doc) => {
                doc.Statement[0].Condition = { StringEquals: { "aws:SourceAccount": "000000000000" } };
            }));
            const denied = simulateAccess(broken, explainGrant).denied.map((d) => `${d.call.action} ${d.call.resource.split("/").pop()}`);
            assert.deepStrictEqual(denied, [`sts:AssumeRole ${run.resources.find((r) => r.name === "msk-consumer-role")?.state.name}`]);
        });
    });
}

describe("prod: cross-account wiring", () => {
    let run: ProgramRun;
    before(async () => {
        run = await runProgram("prod");
    });

    it("a source bus policy without PutTargets refuses the security account's rule management there", () => {
        const broken = mutate(run, "security-source-use1-custom-bus-policy", editPolicy("policy", (doc) => {
            for (const s of doc.Statement) {
                s.Action = [s.Action].flat().filter((a: string) => a !== "events:PutTargets");
            }
        }));
        const denied = simulateAccess(broken, explainGrant).denied.map((d) => `${d.call.action} ${d.call.resource.split(":")[4]}`);
        assert.deepStrictEqual(denied, ["events:PutTargets 333333333333"]);
    });

    it("a key statement widened to a wildcard, and a bus policy admitting one more account, are reported as unneeded grants", () => {
        let broader = mutate(run, "sns-fanout-key", editPolicy("policy", (doc) => {
            doc.Statement.find((s: any) => s.Sid === "AllowSnsToUseTheKey").Action = ["kms:GenerateDataKey*", "kms:Decrypt"];
        }));
        broader = mutate(broader, "security-source-use1-custom-bus-policy", editPolicy("policy", (doc) => {
            doc.Statement[0].Principal = { AWS: [doc.Statement[0].Principal.AWS, "arn:aws:iam::999999999999:root"].flat() };
        }));
        const excess = simulateAccess(broader, explainGrant).excess.map((g) => `${g.role.replace(/#\d+/, "")} ${g.action}`);
        assert.deepStrictEqual(excess.filter((e) => e.startsWith("sns-fanout-key")).sort(), [
            "sns-fanout-key (sns.amazonaws.com) kms:GenerateDataKeyPair",
            "sns-fanout-key (sns.amazonaws.com) kms:GenerateDataKeyPairWithoutPlaintext",
            "sns-fanout-key (sns.amazonaws.com) kms:GenerateDataKeyWithoutPlaintext",
        ]);
        assert.ok(excess.some((e) => e.startsWith("security-source-use1-custom-bus-policy (arn:aws:iam::999999999999:root) events:PutRule")), excess.join("\n"));
    });

    it("OpenSearch may publish its logs only with the log resource policy, and only for its own domain", () => {
        const published = (r: ProgramRun) => simulateAccess(r, explainGrant).denied.filter((d) => d.call.from.startsWith("OpenSearch sns-fanout-domain"));
        assert.deepStrictEqual(published(run), []);
        const noPolicy = mutate(run, "sns-fanout-opensearch-logs-policy", editPolicy("policyDocument", (doc) => {
            doc.Statement = [];
        }));
        assert.strictEqual(published(noPolicy).length, 8, "4 log types x CreateLogStream, PutLogEvents");
        const otherDomain = mutate(run, "sns-fanout-opensearch-logs-policy", editPolicy("policyDocument", (doc) => {
            doc.Statement[0].Condition.ArnLike["aws:SourceArn"] = "arn:aws:es:us-east-1:333333333333:domain/another";
        }));
        assert.strictEqual(published(otherDomain).length, 8);
    });

    it("an alarm topic key without the CloudWatch statement refuses the alarms' notifications", () => {
        const broken = mutate(run, "msk-alarm-key", editPolicy("policy", (doc) => {
            doc.Statement = doc.Statement.filter((s: any) => JSON.stringify(s.Principal ?? "").indexOf("cloudwatch.amazonaws.com") < 0);
        }));
        const denied = simulateAccess(broken, explainGrant).denied;
        assert.ok(denied.length > 0 && denied.every((d) => d.call.principal.kind === "service" && d.call.principal.service === "cloudwatch.amazonaws.com" && d.call.action.startsWith("kms:")), denied.map(describeCall).join("\n"));
    });
});
