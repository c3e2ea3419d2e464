import * as fs from "fs";
import * as path from "path";
import { PEER_EXEMPTIONS, PEER_RULES } from "../policies/peers";
import { allRules, Rule } from "../policies/rules";
import { cell, markers, replaceBlock } from "./markdown-block";

/**
 * Generates the policy rules table from the rule metadata, so the docs never
 * restate a rule by hand.
 *
 *   npx ts-node --transpile-only scripts/policy-table.ts            # print markdown
 *   npx ts-node --transpile-only scripts/policy-table.ts --write FILE...  # replace the table between markers in FILEs
 *
 * Markers: `<!-- policy-table:start -->` and `<!-- policy-table:end -->`.
 */

export const { start: START, end: END } = markers("policy-table");

/** Markdown table: rule, service, control IDs, level, kind (resource/stack), what it checks; plus a count line by service and level. */
export function policyTable(rules: Rule[] = allRules): string {
    const lines = ["| Rule | Service | Controls | Level | Kind | What it checks |", "| --- | --- | --- | --- | --- | --- |"];
    for (const r of rules) {
        lines.push(`| \`${r.name}\` | ${r.service} | ${r.controls.join(", ")} | ${r.level} | ${r.kind} | ${cell(r.description)} |`);
    }
    const mandatory = rules.filter((r) => r.level === "mandatory").length;
    lines.push("", `${rules.length} rules: ${mandatory} mandatory, ${rules.length - mandatory} advisory.`);
    const { equivalent, exempt } = peerCoverage(rules);
    lines.push(
        "",
        `Peer rules that apply to the stacks' resource types (policies/peers.ts: cdk-nag AwsSolutions, NIST 800-53 R5, HIPAA Security; @pulumi/awsguard): ${PEER_RULES.length}, ` +
            `${equivalent.length} answered by a rule above (their IDs are in Controls), ${exempt.length} exempt or decided against:`,
        "",
        "| Peer rule | Why there is no equivalent rule |",
        "| --- | --- |",
        ...exempt.map((id) => `| ${id} | ${cell(PEER_EXEMPTIONS[id])} |`),
    );
    return lines.join("\n");
}

/** Which applicable peer rules a rule's controls answer, and which are exempt. */
export function peerCoverage(rules: Rule[] = allRules): { equivalent: string[]; exempt: string[] } {
    const names = (id: string) => rules.filter((r) => r.controls.includes(id)).map((r) => r.name);
    return { equivalent: PEER_RULES.filter((id) => names(id).length > 0), exempt: PEER_RULES.filter((id) => id in PEER_EXEMPTIONS) };
}

/** Rule count per service and level, for reports. */
export function countsByService(rules: Rule[] = allRules): Record<string, { mandatory: number; advisory: number }> {
    const out: Record<string, { mandatory: number; advisory: number }> = {};
    for (const r of rules) {
        (out[r.service] ??= { mandatory: 0, advisory: 0 })[r.level] += 1;
    }
    return out;
}

/** `text` with the block between the markers replaced by the current table. */
export function replaceTable(text: string, table = policyTable()): string {
    return replaceBlock(text, "policy-table", table);
}

if (require.main === module) {
    const args = process.argv.slice(2);
    if (args[0] === "--write") {
        for (const f of args.slice(1)) {
            const file = path.resolve(f);
            fs.writeFileSync(file, replaceTable(fs.readFileSync(file, "utf8")));
            console.log(`updated ${f}`);
        }
    } else {
        console.log(policyTable());
    }
}
