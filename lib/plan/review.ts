import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { planDate } from "../support";
import type { PlanReport } from "./cli";
import { ResourceChange } from "./diff";

/**
 * The pull-request review of a stack in one markdown document (`plan/<stack>.md`): config status,
 * resources by Region, policy results, changes against the base, the monthly estimate and a
 * diagram. Needs no credentials: the preview workflow posts it on every pull request.
 */

const ROOT = path.resolve(__dirname, "..", "..");

/** A marker the PR comment is found by, so each push updates one comment per stack. */
export const reviewMarker = (stack: string) => `<!-- awsarch-review:${stack} -->`;

const usd = (n: number) => `${n < 0 ? "-" : ""}$${Math.abs(n).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
const code = (v: unknown) => {
    const t = v === undefined ? "(none)" : typeof v === "string" ? v : JSON.stringify(v);
    return `\`${(t.length > 120 ? `${t.slice(0, 117)}...` : t).replace(/`/g, "'")}\``;
};

function changeLine(c: ResourceChange): string[] {
    const head = `- \`${c.kind}\` ${c.type} **${c.name}**${c.protect ? " (protected)" : ""}`;
    const out = [head];
    for (const i of c.inputs ?? []) {
        out.push(`  - \`${i.path}\`: ${code(i.old)} → ${code(i.new)}${i.replaces ? ` (forces replacement: \`${i.replaces}\`)` : ""}`);
    }
    return out;
}

/** The markdown review of a plan report. */
export function renderReview(report: PlanReport): string {
    const lines: string[] = [reviewMarker(report.stack), `## Offline plan: \`${report.stack}\``, ""];
    lines.push(`Config: **valid**. ${report.totals.resources} resources; policies: **${report.policies.mandatory} mandatory violation(s)**, ${report.policies.advisory} advisory, ${report.policies.suppressed} suppressed. Plan date ${planDate()}.`, "");

    if (report.base) {
        const { changes, renames, inputsUnknown } = report.base.changes;
        const count = (k: string) => changes.filter((c) => c.kind === k).length;
        lines.push(`### Changes against \`${report.base.ref}\``, "");
        lines.push(`${count("+")} to add, ${count("~")} to change, ${count("+-")} to replace, ${count("-")} to remove.${inputsUnknown ? " The base plan has no per-resource inputs (older format): changes of inputs are not shown." : ""}`, "");
        if (renames.length > 0) {
            lines.push("**Probable renames** (Pulumi would delete and recreate these; add an alias if they are the same resource):", "");
            for (const r of renames) {
                lines.push(`- ${r.type}: \`${r.from}\` → \`${r.to}\``);
            }
            lines.push("");
        }
        const groups = new Map<string, ResourceChange[]>();
        for (const c of changes) {
            const k = `${c.region} / ${c.component}`;
            groups.set(k, [...(groups.get(k) ?? []), c]);
        }
        for (const [k, cs] of groups) {
            lines.push(`**${k}**`, "", ...cs.flatMap(changeLine), "");
        }
        if (changes.length === 0) {
            lines.push("No resource changes.", "");
        }
    }

    lines.push("### Resources by Region", "", "| Region | component | resources |", "| --- | --- | ---: |");
    for (const region of Object.keys(report.regions).sort()) {
        for (const comp of Object.keys(report.regions[region]).sort()) {
            lines.push(`| ${region} | ${comp} | ${report.regions[region][comp].length} |`);
        }
    }
    lines.push("");

    lines.push("### Policies", "");
    const active = report.policies.findings.filter((f) => !f.suppressedReason);
    if (active.length === 0) {
        lines.push("No findings.", "");
    } else {
        lines.push("| level | rule | resource | finding |", "| --- | --- | --- | --- |");
        for (const f of active) {
            lines.push(`| ${f.level} | \`${f.rule}\` | ${f.resourceName ?? "stack"} | ${f.message.replace(/\|/g, "\\|")} |`);
        }
        lines.push("");
    }
    const pre = report.prerequisites ?? [];
    if (pre.length > 0) {
        lines.push("### Before the first `pulumi up`", "", ...pre.map((p) => `- \`awsarch:${p.key}\`: ${p.message}`), "");
    }

    if (report.cost) {
        const c = report.cost;
        const delta = report.base?.costUsd !== undefined ? ` (${c.totalUsd - report.base.costUsd >= 0 ? "+" : ""}${usd(c.totalUsd - report.base.costUsd)} against the base's ${usd(report.base.costUsd)})` : "";
        lines.push("### Monthly cost estimate", "", `Fixed-price resources: **${usd(c.totalUsd)} a month**${delta}; prices from \`lib/support/prices.ts\`, hourly x 730.`, "");
        lines.push("| component | Region | USD/month |", "| --- | --- | ---: |");
        for (const comp of Object.keys(c.byComponent).sort()) {
            for (const region of Object.keys(c.byComponent[comp]).sort()) {
                lines.push(`| ${comp} | ${region} | ${usd(c.byComponent[comp][region])} |`);
            }
        }
        lines.push("", "<details><summary>Priced lines</summary>", "", "| resource | item | quantity | unit | USD/month |", "| --- | --- | ---: | --- | ---: |");
        for (const l of c.lines) {
            lines.push(`| ${l.resource} | ${l.item} | ${l.quantity} | ${l.unitUsd !== undefined ? `${usd(l.unitUsd)}/${l.per}` : "no price"} | ${l.monthlyUsd !== undefined ? usd(l.monthlyUsd) : "-"} |`);
        }
        lines.push("", "</details>", "");
        const usage = Object.entries(c.usagePriced).sort();
        if (usage.length > 0) {
            lines.push(`Billed by use (not estimated): ${usage.map(([k, n]) => `${k} x${n}`).join("; ")}.`, "");
        }
        if (c.unpriced.length > 0) {
            lines.push(`No price in the tables (excluded): ${c.unpriced.join(", ")}.`, "");
        }
    }

    if (report.diagram) {
        lines.push("### Diagram", "", "```mermaid", report.diagram, "```", "");
    }
    return lines.join("\n");
}

/**
 * The plan report of `stack` at git ref `ref`: the ref's tree in a temporary directory (`git
 * archive`), with this tree's installed dependencies linked in, planned by its own CLI. Undefined
 * when the ref has no such stack or its plan wrote nothing (the stack is new).
 */
export function planAtRef(ref: string, stack: string, root = ROOT): Partial<PlanReport> | undefined {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "awsarch-base-"));
    try {
        const archive = spawnSync("bash", ["-c", `git -C "${root}" archive --format=tar "$0" | tar -x -C "${tmp}"`, ref], { encoding: "utf8" });
        if (archive.status !== 0) {
            throw new Error(`--base ${ref}: ${archive.stderr.trim() || "git archive failed"}`);
        }
        for (const dir of ["node_modules", path.join("policies", "node_modules")]) {
            if (fs.existsSync(path.join(root, dir)) && fs.existsSync(path.dirname(path.join(tmp, dir)))) {
                fs.symlinkSync(path.join(root, dir), path.join(tmp, dir), "dir");
            }
        }
        if (!fs.existsSync(path.join(tmp, `Pulumi.${stack}.yaml`))) {
            return undefined;
        }
        const tsNode = path.join(root, "node_modules", "ts-node", "dist", "bin.js");
        spawnSync(process.execPath, [tsNode, "--transpile-only", path.join(tmp, "lib", "plan", "cli.ts"), stack], {
            cwd: tmp,
            encoding: "utf8",
            env: { ...process.env, AWSARCH_PLAN_DATE: planDate() },
        });
        const file = path.join(tmp, "plan", `${stack}.json`);
        return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, "utf8")) as Partial<PlanReport>) : undefined;
    } finally {
        fs.rmSync(tmp, { recursive: true, force: true });
    }
}
