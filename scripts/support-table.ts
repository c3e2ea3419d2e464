import * as fs from "fs";
import * as path from "path";
import { SUPPORT_TABLES, SupportTable, supportStatus, planDate } from "../lib/support";
import { cell, replaceBlock } from "./markdown-block";

/**
 * Generates the README's "Supported versions" block from the dated tables in lib/support:
 *
 *   npx ts-node --transpile-only scripts/support-table.ts                 # print markdown
 *   npx ts-node --transpile-only scripts/support-table.ts --write README.md
 *
 * The status column is computed for `AWSARCH_PLAN_DATE` when set, else left out, so the
 * committed block does not change with the calendar.
 */

const dash = (s?: string) => s ?? "—";

/** One markdown table per support table: version, released, end of standard support, end of support, note. */
export function supportTables(tables: Record<string, SupportTable> = SUPPORT_TABLES, statusOn?: string): string {
    const out: string[] = [];
    for (const [name, t] of Object.entries(tables)) {
        out.push(`**${t.subject}** (\`${name}\`; source: ${t.source}; checked ${t.checked})`, "");
        const head = ["Version", "Released", "End of standard support", "End of support", ...(statusOn ? [`Status on ${statusOn}`] : []), "Note"];
        out.push(`| ${head.join(" | ")} |`, `| ${head.map(() => "---").join(" | ")} |`);
        for (const r of t.rows) {
            const status = statusOn ? [supportStatus(t, r.version, statusOn).state] : [];
            out.push(`| ${[r.version, dash(r.released), dash(r.endOfStandardSupport), dash(r.endOfSupport), ...status, cell(r.note ?? "")].join(" | ")} |`);
        }
        out.push("");
    }
    return out.join("\n").trimEnd();
}

if (require.main === module) {
    const args = process.argv.slice(2);
    const statusOn = process.env.AWSARCH_PLAN_DATE ? planDate() : undefined;
    if (args[0] === "--write") {
        for (const f of args.slice(1)) {
            const file = path.resolve(f);
            fs.writeFileSync(file, replaceBlock(fs.readFileSync(file, "utf8"), "support-tables", supportTables(SUPPORT_TABLES, statusOn)));
            console.log(`updated ${f}`);
        }
    } else {
        console.log(supportTables(SUPPORT_TABLES, statusOn));
    }
}
