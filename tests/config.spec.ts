import * as pulumi from "@pulumi/pulumi";
import * as assert from "assert";
import { ConfigError, parseStackConfig, projectConfigObject, readStackFile } from "../lib/config/load";
import { runProgram, withConfig } from "../lib/plan/recorder";
import { json, rejectedConfig } from "./helpers";

/* eslint-disable @typescript-eslint/no-explicit-any */

type Mutation = (raw: Record<string, unknown>) => Record<string, unknown>;

async function rejects(raw: Record<string, unknown>): Promise<ConfigError> {
    return rejectedConfig("dev", raw);
}

const se = (f: (c: any) => any): Mutation => (raw) => withConfig(raw, "securityEvents", f);
const src = (i: number, patch: Record<string, unknown>): Mutation =>
    se((c) => ({ ...c, sources: c.sources.map((s: any, j: number) => (j === i ? { ...s, ...patch } : s)) }));

const cases: { name: string; mutate: Mutation; path: string; message: RegExp }[] = [
    { name: "unknown Region", mutate: src(1, { region: "eu-centrl-1" }), path: "securityEvents.sources[1].region", message: /"eu-centrl-1" is not an AWS Region/ },
    { name: "hub Region typo", mutate: se((c) => ({ ...c, hub: { ...c.hub, region: "ap-southeast-9" } })), path: "securityEvents.hub.region", message: /is not an AWS Region/ },
    { name: "malformed account ID", mutate: (raw) => withConfig(raw, "accounts", (a) => ({ ...a, sandbox: { id: "12345" } })), path: "accounts.sandbox.id", message: /12-digit/ },
    { name: "account reference that does not exist", mutate: src(0, { account: "nobody" }), path: "securityEvents.sources[0].account", message: /"nobody" is not a key of accounts/ },
    { name: "missing environment", mutate: (raw) => withConfig(raw, "environment", () => undefined), path: "environment", message: /required/ },
    { name: "bad environment", mutate: (raw) => withConfig(raw, "environment", () => "staging"), path: "environment", message: /dev|prod/ },
    { name: "empty owner", mutate: (raw) => withConfig(raw, "owner", () => ""), path: "owner", message: /must not be empty/ },
    { name: "unknown top-level key", mutate: (raw) => ({ ...raw, "awsarch:securityEvent": {} }), path: "securityEvent", message: /not a known config key/ },
    { name: "unknown nested key", mutate: se((c) => ({ ...c, hub: { ...c.hub, retention: 30 } })), path: "securityEvents.hub.retention", message: /not a known config key/ },
    { name: "invalid log retention", mutate: se((c) => ({ ...c, hub: { ...c.hub, logRetentionDays: 45 } })), path: "securityEvents.hub.logRetentionDays", message: /not a CloudWatch Logs retention value/ },
    { name: "custom bus without event sources", mutate: src(1, { eventSources: undefined }), path: "securityEvents.sources[1].eventSources", message: /required for a custom bus/ },
    { name: "duplicate source name", mutate: src(2, { name: "use1-default" }), path: "securityEvents.sources[2].name", message: /already used by sources\[0\]/ },
    { name: "malformed deployment role ARN", mutate: (raw) => withConfig(raw, "accounts", (a) => ({ ...a, sandbox: { ...a.sandbox, deploymentRoleArn: "role/deployer" } })), path: "accounts.sandbox.deploymentRoleArn", message: /IAM role ARN/ },
    { name: "no sources", mutate: se((c) => ({ ...c, sources: [] })), path: "securityEvents.sources", message: /at least one source/ },
    { name: "bad organization ID", mutate: se((c) => ({ ...c, hub: { ...c.hub, organizationId: "org-1" } })), path: "securityEvents.hub.organizationId", message: /Organization ID/ },
    { name: "reserved bus name", mutate: src(1, { bus: "aws.partner" }), path: "securityEvents.sources[1].bus", message: /reserved/ },
    {
        name: "a custom bus forwarded by two sources",
        mutate: se((c) => ({ ...c, sources: c.sources.map((s: any, i: number) => (i === 2 ? { ...s, region: c.sources[1].region, account: c.sources[1].account, bus: c.sources[1].bus } : s)) })),
        path: "securityEvents.sources[2].bus",
        message: /is already forwarded by sources\[1\]/,
    },
    {
        name: "a default bus forwarded by two sources (one bus policy each would overwrite the other)",
        mutate: se((c) => ({ ...c, sources: [...c.sources, { ...c.sources[0], name: "use1-default-again" }] })),
        path: "securityEvents.sources[3].bus",
        message: /bus "default" of account \w+ in us-east-1 is already forwarded by sources\[0\]/,
    },
];

describe("stack config validation", () => {
    it("both stack files are valid", () => {
        assert.strictEqual(parseStackConfig(readStackFile("dev")).environment, "dev");
        assert.strictEqual(parseStackConfig(readStackFile("prod")).environment, "prod");
    });

    for (const c of cases) {
        it(`rejects ${c.name} naming ${c.path}, before any resource`, async () => {
            const err = await rejects(c.mutate(readStackFile("dev")));
            const hit = err.problems.find((p) => p.path === c.path);
            assert.ok(hit, `no problem at ${c.path}; got ${JSON.stringify(err.problems)}`);
            assert.match(hit.message, c.message);
            assert.ok(err.message.includes(`awsarch:${c.path}: `), "the message names the config key");
        });
    }

    it("reads config as the CLI hands it over (all strings, JSON for structures): a numeric cost centre stays a string", async () => {
        const run = await runProgram("dev", withConfig(readStackFile("dev"), "costCentre", () => 4711));
        const provider = run.resources.find((r) => r.type === "pulumi:providers:aws")!;
        const tags = json(provider.inputs.defaultTags);
        assert.strictEqual(tags.tags["cost-centre"], "4711");
        // structures still arrive as JSON text and are parsed
        assert.deepStrictEqual(projectConfigObject({ "awsarch:costCentre": "4711", "awsarch:accounts": '{"a":{"id":"111111111111"}}' }), {
            costCentre: "4711",
            accounts: { a: { id: "111111111111" } },
        });
    });

    it("reports every problem at once", async () => {
        const raw = src(0, { region: "mars-1", account: "ghost" })(withConfig(readStackFile("dev"), "owner", () => ""));
        const err = await rejects(raw);
        assert.deepStrictEqual(
            err.problems.map((p) => p.path).sort(),
            ["owner", "securityEvents.sources[0].account", "securityEvents.sources[0].region"],
        );
    });

    it("in prod, refuses a source in the security account", async () => {
        const raw = withConfig(readStackFile("prod"), "securityEvents", (c) => ({
            ...c,
            sources: c.sources.map((s: any, i: number) => (i === 1 ? { ...s, account: "security" } : s)),
        }));
        assert.throws(() => parseStackConfig(raw), (err: ConfigError) =>
            err.problems.some((p) => p.path === "securityEvents.sources[1].account" && /separate from the security account/.test(p.message)),
        );
    });

    it("the error is a RunError so the CLI prints it without a stack trace", () => {
        const raw = withConfig(readStackFile("dev"), "owner", () => "");
        // pulumi.RunError is what the CLI prints as a plain message (no stack trace)
        assert.throws(() => parseStackConfig(raw), (err: Error) => err instanceof pulumi.RunError && err instanceof ConfigError);
    });
});
