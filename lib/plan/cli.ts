import * as fs from "fs";
import * as path from "path";
import { loadPackConfig, PackConfig, SuppressionStatus } from "../../policies/config";
import { ConfigError, layerOf, parseStackConfig, readStackFile } from "../config/load";
import { Prerequisite, prerequisites } from "./prerequisites";
import { CostEstimate, estimateCost } from "./cost";
import { mermaidDiagram } from "./diagram";
import { PlanChanges, PlannedResource, diffPlans, maskSecrets } from "./diff";
import { planAtRef, renderReview } from "./review";
import { activeSuppressions, PolicyFinding, runPolicies } from "./policy-runner";
import { EngineError, ProgramRun, RecordedResource, runProgram } from "./recorder";
import { simulateAccess } from "./access";
import { explainGrant } from "./wirings";

/**
 * The offline plan: `npm run plan -- <stack> [--policy-pack-config <file>]`. Validates
 * the stack config, runs the program under the recording mock (no credentials, no
 * Pulumi CLI), prints every resource grouped by Region then component with counts,
 * the policy results and the suppressions in effect, and writes the same as
 * `plan/<stack>.json`. `--policy-pack-config` takes the JSON file `pulumi preview
 * --policy-pack-config` takes (levels, `"all"`, per-rule suppressions and environment).
 * Exits 1 when the config is invalid, a mandatory policy fails, or the access simulation denies a
 * stated call or finds an unexplained grant (`access.ts`); 2 on bad arguments.
 */

export interface PlanReport {
    stack: string;
    config: { valid: boolean; problems: { path: string; message: string }[] };
    totals: { resources: number; byRegion: Record<string, number> };
    regions: Record<string, Record<string, { type: string; name: string; protect: boolean }[]>>;
    /** What a first `pulumi up` needs that the program cannot create or check offline (warnings; see `prerequisites`). */
    prerequisites?: Prerequisite[];
    /** Every resource with its (secret-masked) inputs: what `--base` compares. */
    resources?: PlannedResource[];
    /** The monthly estimate (fixed-price resources; see `lib/support/prices.ts`). */
    cost?: CostEstimate;
    /** Mermaid flowchart of the stack. */
    diagram?: string;
    /** Changes against `--base`/`--base-plan`, and the base's monthly estimate. */
    base?: { ref: string; changes: PlanChanges; costUsd?: number };
    /** Every call the contracts and wirings state, simulated against the stack's policies (`access.ts`). */
    access?: { policies: number; statements: number; calls: number; denied: string[]; excess: string[]; explained: string[]; notSimulated: string[] };
    policies: {
        mandatory: number;
        advisory: number;
        suppressed: number;
        findings: PolicyFinding[];
        /** Every suppression in effect (settings file and pack config) and the resources it matches. */
        suppressions: SuppressionStatus[];
        /** The `--policy-pack-config` file used, if any. */
        packConfig?: string;
    };
}

const GLOBAL = "(no Region)";

/** The top-level component a resource belongs to (its outermost ancestor's name), or the resource itself. */
function topComponent(r: RecordedResource, byUrn: Map<string, RecordedResource>): string {
    if (r.type.startsWith("pulumi:providers:")) {
        return "providers";
    }
    let cur: RecordedResource | undefined = r;
    let top = r;
    while (cur?.parent) {
        cur = byUrn.get(cur.parent);
        if (cur) {
            top = cur;
        }
    }
    return top === r && !r.custom ? `${r.type} ${r.name}` : top === r ? "(no component)" : `${top.type} ${top.name}`;
}

/** Region of a resource; components take the Region of their children when all agree. */
function regionOf(r: RecordedResource, run: ProgramRun): string {
    if (r.region) {
        return r.region;
    }
    if (!r.custom && !r.remote) {
        const regions = new Set(run.resources.filter((c) => c.parent === r.urn && c.region).map((c) => c.region));
        if (regions.size === 1) {
            return [...regions][0] as string;
        }
    }
    return GLOBAL;
}

export function buildReport(run: ProgramRun, findings: PolicyFinding[], suppressions: SuppressionStatus[] = [], packConfig?: string): PlanReport {
    const byUrn = new Map(run.resources.map((r) => [r.urn, r]));
    const regions: PlanReport["regions"] = {};
    const byRegion: Record<string, number> = {};
    const resources: PlannedResource[] = [];
    for (const r of run.resources) {
        const region = regionOf(r, run);
        const comp = topComponent(r, byUrn);
        ((regions[region] ??= {})[comp] ??= []).push({ type: r.type, name: r.name, protect: r.protect });
        byRegion[region] = (byRegion[region] ?? 0) + 1;
        resources.push({
            urn: r.urn,
            type: r.type,
            name: r.name,
            region,
            component: comp,
            protect: r.protect,
            inputs: maskSecrets(r.inputs ?? {}) as Record<string, unknown>,
            ...(r.accountId ? { account: r.accountId } : {}),
            ...(typeof r.state?.arn === "string" ? { arn: r.state.arn } : {}),
        });
    }
    const active = findings.filter((f) => !f.suppressedReason);
    return {
        stack: run.stack,
        config: { valid: true, problems: [] },
        totals: { resources: run.resources.length, byRegion },
        regions,
        resources,
        cost: estimateCost(resources),
        diagram: mermaidDiagram(resources),
        policies: {
            mandatory: active.filter((f) => f.level === "mandatory").length,
            advisory: active.filter((f) => f.level === "advisory").length,
            suppressed: findings.length - active.length,
            findings,
            suppressions,
            ...(packConfig ? { packConfig } : {}),
        },
    };
}

export function renderReport(report: PlanReport): string {
    const lines: string[] = [];
    lines.push(`Plan for stack "${report.stack}": config valid, ${report.totals.resources} resources`);
    for (const region of Object.keys(report.regions).sort()) {
        const comps = report.regions[region];
        lines.push("", `${region}  (${report.totals.byRegion[region]} resources)`);
        for (const comp of Object.keys(comps).sort()) {
            const items = comps[comp];
            lines.push(`  ${comp}  (${items.length})`);
            for (const i of items) {
                lines.push(`    ${i.protect ? "[protected] " : ""}${i.type}  ${i.name}`);
            }
        }
    }
    lines.push("", `Policies: ${report.policies.mandatory} mandatory violation(s), ${report.policies.advisory} advisory, ${report.policies.suppressed} suppressed`);
    const byRule = new Map<string, PolicyFinding[]>();
    for (const f of report.policies.findings) {
        byRule.set(f.rule, [...(byRule.get(f.rule) ?? []), f]);
    }
    for (const [rule, fs_] of [...byRule.entries()].sort()) {
        lines.push(`  ${rule} [${fs_[0].level}]`);
        for (const f of fs_) {
            const where = f.resourceName ? `${f.resourceType} ${f.resourceName} (${f.region ?? GLOBAL})` : "stack";
            lines.push(`    ${f.suppressedReason ? `SUPPRESSED (${f.suppressedReason}) ` : ""}${where}: ${f.message}`);
        }
    }
    if (report.access) {
        const a = report.access;
        lines.push("", `Access: ${a.calls} stated calls simulated against ${a.policies} policies (${a.statements} statements): ${a.denied.length} denied, ${a.excess.length} unexplained grant(s), ${a.explained.length} explained, ${a.notSimulated.length} not simulated`);
        for (const d of a.denied) {
            lines.push(`  DENIED ${d}`);
        }
        for (const e of a.excess) {
            lines.push(`  UNNEEDED ${e}`);
        }
    }
    const pre = report.prerequisites ?? [];
    if (pre.length > 0) {
        lines.push("", `Before the first pulumi up (${pre.length} warning${pre.length === 1 ? "" : "s"}; the program cannot check these offline):`);
        for (const p of pre) {
            lines.push(`  WARNING awsarch:${p.key}: ${p.message}`);
        }
    }
    const sups = report.policies.suppressions ?? [];
    if (sups.length > 0) {
        lines.push("", `Suppressions in effect${report.policies.packConfig ? ` (pack config ${report.policies.packConfig})` : ""}:`);
        for (const s of sups) {
            const on = s.matches.length === 0 ? "no resource of this stack" : s.matches.map((m) => m.urn).join(", ");
            lines.push(`  ${s.rule} on ${s.resource} [${s.source}]: ${s.reason} -> ${on}`);
            if (s.warning) {
                lines.push(`    WARNING ${s.warning}`);
            }
        }
    }
    return lines.join("\n");
}

export interface PlanOptions {
    /** Pulumi's flat config map to use instead of `Pulumi.<stack>.yaml`. */
    config?: Record<string, unknown>;
    /** Where `<stack>.json` is written. Default `plan/`. */
    outDir?: string;
    /** A `--policy-pack-config` JSON file: levels and suppressions on top of `policies/suppressions.json`. */
    policyPackConfig?: string;
    /** Compare with the plan of this git ref (planned from a temporary checkout with this tree's dependencies). */
    base?: string;
    /** Compare with this saved `plan/<stack>.json` instead. */
    basePlan?: string;
}

/** Command-line arguments of `npm run plan`: the stack and an optional `--policy-pack-config <file>`. */
export function parseArgs(argv: string[]): { stack: string; policyPackConfig?: string; base?: string; basePlan?: string } {
    let stack: string | undefined;
    let policyPackConfig: string | undefined;
    let base: string | undefined;
    let basePlan: string | undefined;
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        if (a === "--base" || a === "--base-plan") {
            const v = argv[++i];
            if (!v || v.startsWith("--")) {
                throw new Error(`${a} needs a ${a === "--base" ? "git ref" : "file"}`);
            }
            if (a === "--base") {
                base = v;
            } else {
                basePlan = v;
            }
        } else if (a === "--policy-pack-config") {
            policyPackConfig = argv[++i];
            if (!policyPackConfig || policyPackConfig.startsWith("--")) {
                throw new Error("--policy-pack-config needs a file");
            }
        } else if (a.startsWith("--policy-pack-config=")) {
            policyPackConfig = a.slice("--policy-pack-config=".length);
            if (!policyPackConfig) {
                throw new Error("--policy-pack-config needs a file");
            }
        } else if (a.startsWith("-")) {
            throw new Error(`unknown option ${a}`);
        } else if (stack === undefined) {
            stack = a;
        } else {
            throw new Error(`unexpected argument ${a}`);
        }
    }
    if (!stack) {
        throw new Error("no stack given");
    }
    if (base !== undefined && basePlan !== undefined) {
        throw new Error("give --base or --base-plan, not both");
    }
    return { stack, policyPackConfig, ...(base !== undefined ? { base } : {}), ...(basePlan !== undefined ? { basePlan } : {}) };
}

export async function plan(stack: string, opts: PlanOptions = {}): Promise<{ code: number; report?: PlanReport; text: string }> {
    const outDir = opts.outDir ?? path.resolve(__dirname, "..", "..", "plan");
    // Read before running the program: a bad pack config fails fast.
    const packConfig: PackConfig | undefined = opts.policyPackConfig ? loadPackConfig(path.resolve(opts.policyPackConfig)) : undefined;
    let run: ProgramRun;
    try {
        run = await runProgram(stack, opts.config);
    } catch (err) {
        if (err instanceof ConfigError) {
            const report = {
                stack,
                config: { valid: false, problems: err.problems },
            };
            fs.mkdirSync(outDir, { recursive: true });
            fs.writeFileSync(path.join(outDir, `${stack}.json`), JSON.stringify(report, null, 2));
            return { code: 1, text: `Plan for stack "${stack}": config INVALID\n${err.message}` };
        }
        if (err instanceof EngineError) {
            // What `pulumi preview` would stop at: the config is valid, the engine refuses registrations.
            const report = { stack, config: { valid: true, problems: [] }, engine: { problems: err.problems } };
            fs.mkdirSync(outDir, { recursive: true });
            fs.writeFileSync(path.join(outDir, `${stack}.json`), JSON.stringify(report, null, 2));
            return { code: 1, text: `Plan for stack "${stack}": the Pulumi engine would refuse it\n${err.message}` };
        }
        throw err;
    }
    const findings = await runPolicies(run, { packConfig });
    const report = buildReport(run, findings, activeSuppressions(run, { packConfig }), opts.policyPackConfig);
    const raw = opts.config ?? readStackFile(stack);
    report.prerequisites = layerOf(raw) === "platform" ? prerequisites(parseStackConfig(raw)) : [];
    const access = simulateAccess(run, explainGrant);
    report.access = {
        policies: access.policies,
        statements: access.statements,
        calls: access.calls.length,
        denied: access.denied.map((d) => `${d.call.principal.kind === "service" ? d.call.principal.service : d.call.principal.kind === "role" ? d.call.principal.arn : d.call.principal.provider} ${d.call.action} on ${d.call.resource}: ${d.reason} (${d.call.from})`),
        excess: access.excess.map((g) => `${g.role}${g.sid ? ` ${g.sid}` : ""}: ${g.action} on ${g.resource}`),
        explained: access.explained.map((g) => `${g.role}: ${g.action} on ${g.resource} (${g.explained})`),
        notSimulated: access.notSimulated,
    };
    if (opts.base !== undefined || opts.basePlan !== undefined) {
        const baseReport = (opts.basePlan !== undefined
            ? JSON.parse(fs.readFileSync(path.resolve(opts.basePlan), "utf8"))
            : planAtRef(opts.base!, stack)) as Partial<PlanReport> | undefined;
        const baseCost = baseReport?.cost?.totalUsd ?? (baseReport?.resources ? estimateCost(baseReport.resources).totalUsd : undefined);
        report.base = { ref: opts.base ?? opts.basePlan!, changes: diffPlans(baseReport, report), ...(baseCost !== undefined ? { costUsd: baseCost } : {}) };
    }
    fs.mkdirSync(outDir, { recursive: true });
    fs.writeFileSync(path.join(outDir, `${stack}.json`), JSON.stringify(report, null, 2));
    fs.writeFileSync(path.join(outDir, `${stack}.md`), renderReview(report));
    const failed = report.policies.mandatory > 0 || report.access.denied.length > 0 || report.access.excess.length > 0;
    return { code: failed ? 1 : 0, report, text: renderReport(report) };
}

if (require.main === module) {
    let args: ReturnType<typeof parseArgs>;
    try {
        args = parseArgs(process.argv.slice(2));
    } catch (err) {
        console.error(`${(err as Error).message}\nusage: npm run plan -- <stack> [--policy-pack-config <file>] [--base <git-ref> | --base-plan <plan.json>]   (e.g. dev, prod)`);
        process.exit(2);
    }
    const { stack, policyPackConfig, base, basePlan } = args;
    plan(stack, { policyPackConfig, base, basePlan })
        .then(({ code, text }) => {
            console.log(text);
            console.log(`\nWritten plan/${stack}.json and plan/${stack}.md`);
            process.exit(code);
        })
        .catch((err: unknown) => {
            console.error(err instanceof Error ? err.message : String(err));
            process.exit(1);
        });
}
