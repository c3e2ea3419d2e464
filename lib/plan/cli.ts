import * as fs from "fs";
import * as path from "path";
import { ConfigError } from "../config/load";
import { PolicyFinding, runPolicies } from "./policy-runner";
import { ProgramRun, RecordedResource, runProgram } from "./recorder";

/**
 * The offline plan: `npm run plan -- <stack>`. Validates the stack config, runs the
 * program under the recording mock (no credentials, no Pulumi CLI), prints every
 * resource grouped by Region then component with counts, the policy results, and
 * writes the same as `plan/<stack>.json`. Exits 1 when the config is invalid or a
 * mandatory policy fails.
 */

export interface PlanReport {
    stack: string;
    config: { valid: boolean; problems: { path: string; message: string }[] };
    totals: { resources: number; byRegion: Record<string, number> };
    regions: Record<string, Record<string, { type: string; name: string; protect: boolean }[]>>;
    policies: { mandatory: number; advisory: number; suppressed: number; findings: PolicyFinding[] };
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

export function buildReport(run: ProgramRun, findings: PolicyFinding[]): PlanReport {
    const byUrn = new Map(run.resources.map((r) => [r.urn, r]));
    const regions: PlanReport["regions"] = {};
    const byRegion: Record<string, number> = {};
    for (const r of run.resources) {
        const region = regionOf(r, run);
        const comp = topComponent(r, byUrn);
        ((regions[region] ??= {})[comp] ??= []).push({ type: r.type, name: r.name, protect: r.protect });
        byRegion[region] = (byRegion[region] ?? 0) + 1;
    }
    const active = findings.filter((f) => !f.suppressedReason);
    return {
        stack: run.stack,
        config: { valid: true, problems: [] },
        totals: { resources: run.resources.length, byRegion },
        regions,
        policies: {
            mandatory: active.filter((f) => f.level === "mandatory").length,
            advisory: active.filter((f) => f.level === "advisory").length,
            suppressed: findings.length - active.length,
            findings,
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
    return lines.join("\n");
}

export interface PlanOptions {
    /** Pulumi's flat config map to use instead of `Pulumi.<stack>.yaml`. */
    config?: Record<string, unknown>;
    /** Where `<stack>.json` is written. Default `plan/`. */
    outDir?: string;
}

export async function plan(stack: string, opts: PlanOptions = {}): Promise<{ code: number; report?: PlanReport; text: string }> {
    const outDir = opts.outDir ?? path.resolve(__dirname, "..", "..", "plan");
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
        throw err;
    }
    const findings = await runPolicies(run);
    const report = buildReport(run, findings);
    fs.mkdirSync(outDir, { recursive: true });
    fs.writeFileSync(path.join(outDir, `${stack}.json`), JSON.stringify(report, null, 2));
    return { code: report.policies.mandatory > 0 ? 1 : 0, report, text: renderReport(report) };
}

if (require.main === module) {
    const stack = process.argv[2];
    if (!stack) {
        console.error("usage: npm run plan -- <stack>   (e.g. dev, prod)");
        process.exit(2);
    }
    plan(stack)
        .then(({ code, text }) => {
            console.log(text);
            console.log(`\nWritten plan/${stack}.json`);
            process.exit(code);
        })
        .catch((err: unknown) => {
            console.error(err instanceof Error ? err.message : String(err));
            process.exit(1);
        });
}
