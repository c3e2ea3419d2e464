import * as pulumi from "@pulumi/pulumi";
import { readStackFile } from "../config/load";
import { PROJECT } from "../config/schema";
import { deployAll } from "../program";
import { mockCall, mockState } from "./mock-outputs";

/* eslint-disable @typescript-eslint/no-explicit-any */

/** Everything the recording mock captured about one registered resource. */
export interface RecordedResource {
    urn: string;
    type: string;
    name: string;
    /** True for provider-managed (custom) resources, false for components. */
    custom: boolean;
    /** True for multi-language (remote) components such as `awsx:ec2:Vpc` or `eks:index:Cluster`. */
    remote: boolean;
    /** The resource's inputs as the program passed them. */
    inputs: Record<string, any>;
    /** The state the mock returned (inputs plus generated ids, ARNs and remote outputs). */
    state: Record<string, any>;
    /** URN of the parent resource, if any. */
    parent?: string;
    /** URN of the explicit provider (custom resources). */
    provider?: string;
    /** The `providers` map (package → provider URN), as remote components receive it. */
    providers: Record<string, string>;
    protect: boolean;
    retainOnDelete: boolean;
    dependencies: string[];
    /** Input property → URNs it depends on (what CrossGuard hands policies as `propertyDependencies`). */
    propertyDependencies?: Record<string, string[]>;
    /** Properties whose changes the engine ignores (`ignoreChanges`). */
    ignoreChanges: string[];
    aliases: unknown[];
    /** The AWS Region this resource is managed in, read from its provider (undefined when none applies). */
    region?: string;
    /** The AWS account ID its provider is pinned to. */
    accountId?: string;
}

/** The result of running the program under the recording mock. */
export interface ProgramRun {
    stack: string;
    resources: RecordedResource[];
    outputs: Record<string, unknown>;
}

function providerUrn(ref: string | undefined): string | undefined {
    if (!ref) {
        return undefined;
    }
    const i = ref.lastIndexOf("::");
    return i > 0 ? ref.slice(0, i) : ref;
}

/**
 * A Pulumi mock that records every registration, including what
 * `MockResourceArgs` does not carry (parent, `providers` map, protect, aliases).
 */
export class Recorder implements pulumi.runtime.Mocks {
    readonly resources: RecordedResource[] = [];
    private readonly byUrn = new Map<string, RecordedResource>();
    private pending: { type: string; name: string; record: RecordedResource }[] = [];

    /** Provider URN → { region, accountId } from its recorded inputs. */
    providerInfo(urn: string | undefined): { region?: string; accountId?: string } {
        const p = urn ? this.byUrn.get(urn) : undefined;
        if (!p) {
            return {};
        }
        const allowed = p.inputs.allowedAccountIds;
        const ids = typeof allowed === "string" ? (JSON.parse(allowed) as string[]) : (allowed as string[] | undefined);
        return { region: p.inputs.region, accountId: ids?.[0] };
    }

    newResource(args: pulumi.runtime.MockResourceArgs): { id: string; state: Record<string, any> } {
        const rec = this.pending.find((p) => p.type === args.type && p.name === args.name)?.record;
        const info = this.providerInfo(providerUrn(args.provider) ?? rec?.providers.aws);
        const { id, state } = mockState(args.type, args.name, args.inputs ?? {}, info.region ?? "us-east-1", info.accountId ?? "123456789012");
        return { id, state };
    }

    call(args: pulumi.runtime.MockCallArgs): Record<string, any> {
        const info = this.providerInfo(providerUrn(args.provider));
        return mockCall(args.token, args.inputs ?? {}, info.region ?? "us-east-1", info.accountId ?? "123456789012");
    }

    /** Wraps the mock monitor so each registration request is recorded in full. */
    install(): void {
        const monitor = pulumi.runtime.getMonitor() as any;
        const original = monitor.registerResource.bind(monitor);
        monitor.registerResource = (req: any, callback: (err: unknown, resp: any) => void) => {
            const providersMap: Record<string, string> = {};
            req.getProvidersMap().forEach((v: string, k: string) => {
                providersMap[k] = providerUrn(v) ?? v;
            });
            const propertyDependencies: Record<string, string[]> = {};
            req.getPropertydependenciesMap().forEach((v: any, k: string) => {
                propertyDependencies[k] = v.getUrnsList();
            });
            const record: RecordedResource = {
                urn: "",
                type: req.getType(),
                name: req.getName(),
                custom: req.getCustom(),
                remote: req.getRemote(),
                inputs: pulumi.runtime.deserializeProperties(req.getObject()),
                state: {},
                parent: req.getParent() || undefined,
                provider: providerUrn(req.getProvider()) || undefined,
                providers: providersMap,
                protect: req.getProtect() === true,
                retainOnDelete: req.getRetainondelete() === true,
                dependencies: req.getDependenciesList(),
                propertyDependencies,
                ignoreChanges: req.getIgnorechangesList(),
                aliases: req.getAliasesList().map((a: any) => a.toObject()),
            };
            const entry = { type: record.type, name: record.name, record };
            this.pending.push(entry);
            original(req, (err: unknown, resp: any) => {
                this.pending = this.pending.filter((p) => p !== entry);
                if (!err && resp) {
                    record.urn = resp.getUrn();
                    record.state = resp.getObject()?.toJavaScript() ?? {};
                    if (record.type === "pulumi:providers:aws") {
                        this.byUrn.set(record.urn, record);
                    }
                    const info = this.providerInfo(record.type === "pulumi:providers:aws" ? record.urn : (record.provider ?? record.providers.aws));
                    record.region = info.region;
                    record.accountId = info.accountId;
                    this.resources.push(record);
                    this.byUrn.set(record.urn, record);
                }
                callback(err, resp);
            });
        };
    }
}

async function settle(): Promise<void> {
    const rt = pulumi.runtime as unknown as { waitForRPCs?: () => Promise<void> };
    for (let i = 0; i < 3; i++) {
        if (rt.waitForRPCs) {
            await rt.waitForRPCs();
        }
        await new Promise((r) => setImmediate(r));
    }
}

function resolveAll(value: unknown): Promise<unknown> {
    return new Promise((resolve) => {
        (pulumi.output(value) as pulumi.Output<unknown>).apply((v: unknown) => {
            resolve(v);
            return v;
        });
    });
}

/**
 * Runs the whole program for `stack` under the recording mock: reads
 * `Pulumi.<stack>.yaml` (or takes `config`, Pulumi's flat `project:key` map),
 * validates it and registers every resource. Throws `ConfigError` when the
 * config is invalid, before anything is registered.
 */
export function runProgram(stack: string, config?: Record<string, unknown>): Promise<ProgramRun> {
    if (config !== undefined) {
        return runProgramOnce(stack, config);
    }
    // The committed stack files do not change during a process: run each once and share
    // the (read-only) result between specs.
    let run = stackRuns.get(stack);
    if (!run) {
        run = runProgramOnce(stack);
        stackRuns.set(stack, run);
        run.catch(() => stackRuns.delete(stack));
    }
    return run;
}

const stackRuns = new Map<string, Promise<ProgramRun>>();

async function runProgramOnce(stack: string, config?: Record<string, unknown>): Promise<ProgramRun> {
    const raw = config ?? readStackFile(stack);
    // Offline: build steps that need the network (layer dependency installs) are skipped.
    process.env.AWSARCH_OFFLINE_BUILD = "1";
    const recorder = new Recorder();
    await pulumi.runtime.setMocks(recorder, PROJECT, stack, false);
    recorder.install();
    const flat: Record<string, string> = {};
    for (const [k, v] of Object.entries(raw)) {
        flat[k] = typeof v === "string" ? v : JSON.stringify(v);
    }
    pulumi.runtime.setAllConfig(flat);
    let outputs: Record<string, unknown>;
    try {
        // Exactly what the CLI hands the program (`pulumi.runtime.allConfig()`): strings, JSON for structures.
        outputs = deployAll(flat, stack);
    } catch (err) {
        await settle();
        // Lets callers prove that a rejected config registered nothing.
        (err as { registeredResources?: number }).registeredResources = recorder.resources.length;
        throw err;
    }
    const resolved = (await resolveAll(outputs)) as Record<string, unknown>;
    await settle();
    return { stack, resources: recorder.resources, outputs: resolved };
}

/** Returns a deep copy of a stack's flat config with `key` (without the project prefix) replaced by `update(old)`. */
export function withConfig(
    raw: Record<string, unknown>,
    key: string,
    update: (old: any) => unknown,
): Record<string, unknown> {
    const copy = JSON.parse(JSON.stringify(raw)) as Record<string, unknown>;
    const full = `${PROJECT}:${key}`;
    const next = update(copy[full]);
    if (next === undefined) {
        delete copy[full];
    } else {
        copy[full] = next;
    }
    return copy;
}
