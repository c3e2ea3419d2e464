import * as pulumi from "@pulumi/pulumi";
import { readStackFile } from "../config/load";
import { CONCERN_KEYS, ConcernKey, PROJECT } from "../config/schema";
import * as path from "path";
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

/** The organization the recording mock runs stacks in (`pulumi.getOrganization()`). */
export const MOCK_ORGANIZATION = "organization";

/** The package of a resource type token or provider type (`aws:s3/bucket:Bucket` → `aws`, `pulumi:providers:eks` → `eks`). */
export function packageOf(type: string): string {
    return type.startsWith("pulumi:providers:") ? type.slice("pulumi:providers:".length) : type.split(":")[0];
}

/**
 * The packages whose default providers the stack disables, from `pulumi:disable-default-providers`
 * (a list, or the JSON text the CLI hands the program; `*` means every package).
 */
export function disabledDefaultProviders(rawConfig: Record<string, unknown>): string[] {
    let v = rawConfig["pulumi:disable-default-providers"];
    if (typeof v === "string") {
        try {
            v = v.trim() === "" ? [] : JSON.parse(v);
        } catch {
            v = [v];
        }
    }
    return Array.isArray(v) ? v.map((x) => String(x).trim()) : [];
}

/**
 * Raised at the end of a run when a registration or invoke broke a rule the Pulumi engine
 * enforces (and the mocks alone would not): one message per offence, worded as the engine's.
 */
export class EngineError extends Error {
    constructor(public readonly problems: string[]) {
        super(`The Pulumi engine would refuse this program (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n${problems.map((p) => `  - ${p}`).join("\n")}`);
        this.name = "EngineError";
    }
}

/** Replaces the mock's answer to an invoke (token → result for its inputs, Region and account); tests use it to play an account's facts. */
export type CallOverrides = Record<string, (inputs: Record<string, any>, region: string, account: string) => Record<string, any>>;

/** Options of {@link recordProgram}. */
export interface RecordOptions {
    /** Invoke answers that differ from `mockCall`'s. */
    calls?: CallOverrides;
    /**
     * Outputs of the stacks a `pulumi.StackReference` names (`<org>/<project>/<stack>` → outputs).
     * `runProgram` fills it for a workloads stack from the recorded run of its platform stack.
     */
    stackReferences?: Record<string, Record<string, unknown>>;
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
 * `MockResourceArgs` does not carry (parent, `providers` map, protect, aliases),
 * and checks what the engine checks that the SDK's mocks do not: with
 * `pulumi:disable-default-providers`, every custom resource, remote component and
 * invoke of a listed package (`*`: every package but `pulumi`) must name an explicit
 * provider *of its own package*, or the engine fails it with "Default provider for
 * '<pkg>' disabled. '<urn>' must use an explicit provider." (pulumi/pulumi
 * pkg/resource/deploy/source_eval.go: `shouldDenyRequest`, applied in `RegisterResource`
 * to custom and remote registrations and in `Invoke`). A provider of another package
 * cannot serve the resource either (its plugin does not know the type). Offences are
 * collected in {@link engineErrors}; `runProgram` fails with an {@link EngineError}.
 */
export class Recorder implements pulumi.runtime.Mocks {
    readonly resources: RecordedResource[] = [];
    /** What the engine would refuse, one message each (see the class comment). */
    readonly engineErrors: string[] = [];
    private readonly byUrn = new Map<string, RecordedResource>();
    private pending: { type: string; name: string; record: RecordedResource }[] = [];

    /** @param disabledDefaults packages of `pulumi:disable-default-providers` (see {@link disabledDefaultProviders}). */
    constructor(
        private readonly disabledDefaults: readonly string[] = [],
        private readonly calls: CallOverrides = {},
        private readonly stackReferences: Record<string, Record<string, unknown>> = {},
    ) {}

    private defaultDenied(pkg: string): boolean {
        return pkg !== "pulumi" && this.disabledDefaults.some((d) => d === "*" || d === pkg);
    }

    /** The engine's provider check for one registration or invoke of `token` with provider reference `ref`. */
    private checkProvider(kind: "resource" | "invoke", token: string, label: string, ref: string | undefined): void {
        // Provider resources are of package `pulumi` (`pulumi:providers:aws`), which is never denied.
        const pkg = token.split(":")[0];
        if (!ref) {
            if (this.defaultDenied(pkg)) {
                this.engineErrors.push(`${kind === "invoke" ? "Invoke: " : ""}Default provider for '${pkg}' disabled. '${label}' must use an explicit provider.`);
            }
            return;
        }
        const providerType = this.byUrn.get(ref)?.type ?? /::(pulumi:providers:[^:]+)::/.exec(ref)?.[1];
        if (providerType && packageOf(providerType) !== pkg) {
            this.engineErrors.push(`'${label}' (package ${pkg}) names a ${providerType} provider, which cannot manage it`);
        }
    }

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
        if (args.type === "pulumi:pulumi:StackReference") {
            // As the engine reads a stack reference: the named stack's outputs (none when it has no run).
            const name = String(args.inputs?.name ?? args.name);
            return { id: name, state: { name, outputs: this.stackReferences[name] ?? {}, secretOutputNames: [] } };
        }
        const rec = this.pending.find((p) => p.type === args.type && p.name === args.name)?.record;
        // A remote component's own provider is of its package (awsx, eks); its AWS placement is `providers.aws`.
        const info = this.providerInfo(rec?.remote ? rec.providers.aws : (providerUrn(args.provider) ?? rec?.providers.aws));
        const { id, state } = mockState(args.type, args.name, args.inputs ?? {}, info.region ?? "us-east-1", info.accountId ?? "123456789012");
        return { id, state };
    }

    call(args: pulumi.runtime.MockCallArgs): Record<string, any> {
        this.checkProvider("invoke", args.token, args.token, providerUrn(args.provider));
        const info = this.providerInfo(providerUrn(args.provider));
        const override = this.calls[args.token];
        const region = info.region ?? "us-east-1";
        const account = info.accountId ?? "123456789012";
        return override ? override(args.inputs ?? {}, region, account) : mockCall(args.token, args.inputs ?? {}, region, account);
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
                    if (record.custom || record.remote) {
                        this.checkProvider("resource", record.type, record.urn, record.provider);
                    }
                    record.state = resp.getObject()?.toJavaScript() ?? {};
                    if (record.type === "pulumi:providers:aws") {
                        this.byUrn.set(record.urn, record);
                    }
                    const info = this.providerInfo(
                        record.type === "pulumi:providers:aws" ? record.urn : record.remote ? record.providers.aws : (record.provider ?? record.providers.aws),
                    );
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
export function runProgram(stack: string, config?: Record<string, unknown>, options?: RecordOptions): Promise<ProgramRun> {
    if (config !== undefined || options !== undefined) {
        return runProgramOnce(stack, config, options);
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

async function runProgramOnce(stack: string, config?: Record<string, unknown>, options: RecordOptions = {}): Promise<ProgramRun> {
    const raw = config ?? readStackFile(stack);
    const platformStack = raw[`${PROJECT}:platformStack`];
    if (raw[`${PROJECT}:layer`] === "workloads" && typeof platformStack === "string" && !options.stackReferences) {
        // A workloads stack reads its platform stack's outputs: plan that stack's committed file first.
        const platform = await runProgram(platformStack.split("/").pop()!);
        options = { ...options, stackReferences: { [platformStack]: platform.outputs } };
    }
    // Exactly what the CLI hands the program (`pulumi.runtime.allConfig()`): strings, JSON for structures.
    return recordProgram(stack, raw, () => programEntry()(), options);
}

/**
 * The program as the Pulumi CLI runs it: the project's entry point (`index.ts`, which reads the
 * config and stack the recording mock sets), loaded on first use. The offline plan runs the
 * program; it does not import the composition of concerns, which sits above `lib`.
 */
function programEntry(): () => Promise<Record<string, unknown>> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(path.join(__dirname, "..", "..", "index")) as () => Promise<Record<string, unknown>>;
}

/**
 * Runs `program` under the recording mock with the stack config `raw` (Pulumi's flat
 * `project:key` map; `pulumi:disable-default-providers` in it turns on the engine's provider
 * check) and returns what it registered. `program` receives the config as the CLI hands it
 * (strings, JSON text for structures). Throws what the program throws (with
 * `registeredResources` set) or, after the run, an {@link EngineError}.
 */
export async function recordProgram(
    stack: string,
    raw: Record<string, unknown>,
    program: (flatConfig: Record<string, string>) => Record<string, unknown> | Promise<Record<string, unknown>>,
    options: RecordOptions = {},
): Promise<ProgramRun> {
    // Offline: build steps that need the network (layer dependency installs) are skipped.
    process.env.AWSARCH_OFFLINE_BUILD = "1";
    const recorder = new Recorder(disabledDefaultProviders(raw), options.calls, options.stackReferences);
    // Pulumi Cloud's default organization name, as the stack files' platformStack references assume.
    await pulumi.runtime.setMocks(recorder, PROJECT, stack, false, MOCK_ORGANIZATION);
    recorder.install();
    const flat: Record<string, string> = {};
    for (const [k, v] of Object.entries(raw)) {
        flat[k] = typeof v === "string" ? v : JSON.stringify(v);
    }
    pulumi.runtime.setAllConfig(flat);
    // Every resource constructor captures its full stack for the engine's source positions
    // (@pulumi/pulumi Resource.callsites, Error.stackTraceLimit = Infinity); under ts-node each
    // capture goes through source-map-support's prepareStackTrace, which was half of a stack's
    // run time. The mock has no use for source positions: V8's own formatting while recording.
    const errors = Error as { prepareStackTrace?: typeof Error.prepareStackTrace };
    const mapped = errors.prepareStackTrace;
    errors.prepareStackTrace = undefined;
    let outputs: Record<string, unknown>;
    let resolved: Record<string, unknown>;
    try {
        try {
            outputs = await program(flat);
        } catch (err) {
            await settle();
            // Lets callers prove that a rejected config registered nothing.
            (err as { registeredResources?: number }).registeredResources = recorder.resources.length;
            (err as { registeredTypes?: string[] }).registeredTypes = recorder.resources.map((r) => r.type);
            throw err;
        }
        resolved = (await resolveAll(outputs)) as Record<string, unknown>;
        await settle();
    } finally {
        errors.prepareStackTrace = mapped;
    }
    if (recorder.engineErrors.length > 0) {
        throw new EngineError(recorder.engineErrors);
    }
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

/**
 * `raw` with every concern but `key` removed: the per-concern harness. The program runs as it
 * does for the whole stack (same validation, providers, zone choice and engine-faithful mock), with
 * one concern enabled, so a spec about one concern does not pay for the other nine.
 */
export function onlyConcern(raw: Record<string, unknown>, key: ConcernKey): Record<string, unknown> {
    const others = new Set(CONCERN_KEYS.filter((k) => k !== key).map((k) => `${PROJECT}:${k}`));
    return Object.fromEntries(Object.entries(raw).filter(([k]) => !others.has(k)));
}

/** Runs `stack` (or `raw`, its config) with only concern `key` deployed; see {@link onlyConcern}. */
export function runConcern(stack: string, key: ConcernKey, raw?: Record<string, unknown>, options?: RecordOptions): Promise<ProgramRun> {
    return runProgram(stack, onlyConcern(raw ?? readStackFile(stack), key), options);
}

/** `urn:pulumi:<stack>::<project>::<type chain>::<name>` of a child of `parentUrn` (no parent: the stack's root). */
function urnOf(stack: string, type: string, name: string, parentUrn?: string): string {
    if (!parentUrn) {
        return `urn:pulumi:${stack}::${PROJECT}::${type}::${name}`;
    }
    const [head, project, chain] = parentUrn.split("::");
    return `${head}::${project}::${chain}$${type}::${name}`;
}

/**
 * The URNs a recorded resource also answers to: its own aliases (alias specs: another name, type,
 * or parent) and those it inherits from its ancestors' aliases, as the Node SDK computes them
 * (@pulumi/pulumi resource.js `allAliases` / `inheritedChildAlias`: a child whose name starts
 * with its parent's takes the aliased parent's name too); with alias specs the engine derives
 * the same inherited aliases. Lets URN pins accept a type token that moved with an alias.
 */
export function aliasUrns(run: ProgramRun, r: RecordedResource, memo = new Map<string, string[]>()): string[] {
    const hit = memo.get(r.urn);
    if (hit) {
        return hit;
    }
    const byUrn = new Map(run.resources.map((x) => [x.urn, x]));
    const parent = r.parent ? byUrn.get(r.parent) : undefined;
    const own: string[] = [];
    for (const a of r.aliases as { urn?: string; spec?: { name?: string; type?: string; noparent?: boolean; parenturn?: string } }[]) {
        if (a.urn) {
            own.push(a.urn);
        } else if (a.spec) {
            own.push(urnOf(run.stack, a.spec.type || r.type, a.spec.name || r.name, a.spec.noparent ? undefined : a.spec.parenturn || r.parent));
        }
    }
    const inherited: string[] = [];
    if (parent) {
        for (const parentAlias of aliasUrns(run, parent, memo)) {
            const aliasedParentName = parentAlias.slice(parentAlias.lastIndexOf("::") + 2);
            for (const childUrn of [r.urn, ...own]) {
                const childName = childUrn.slice(childUrn.lastIndexOf("::") + 2);
                const childType = childUrn.split("::")[2].split("$").pop() as string;
                const name = childName.startsWith(parent.name) ? aliasedParentName + childName.slice(parent.name.length) : childName;
                inherited.push(urnOf(run.stack, childType, name, parentAlias));
            }
        }
    }
    const all = [...new Set([...own, ...inherited])];
    memo.set(r.urn, all);
    return all;
}
