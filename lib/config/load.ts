import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { ConfigProblem, PROJECT, StackConfig, WorkloadsStackConfig, crossChecks, formatPath, stackConfigSchema, workloadsStackSchema } from "./schema";

/**
 * Thrown when the stack config is invalid. It is a `pulumi.RunError`, so the
 * Pulumi CLI prints the message (one line per problem) without a stack trace.
 */
export class ConfigError extends pulumi.RunError {
    constructor(public readonly problems: ConfigProblem[]) {
        super(
            `Invalid stack config (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
                problems.map((p) => `  - ${PROJECT}:${p.path}: ${p.message}`).join("\n"),
        );
        this.name = "ConfigError";
    }
}

/** Converts Pulumi's flat config map (`project:key` → string or value) into the project's object. */
export function projectConfigObject(all: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const prefix = `${PROJECT}:`;
    for (const [key, value] of Object.entries(all)) {
        if (!key.startsWith(prefix)) {
            continue;
        }
        let v = value;
        if (typeof v === "string") {
            const t = v.trim();
            // Pulumi hands structured values to programs as JSON text. Top-level scalars stay
            // strings: the CLI cannot tell `costCentre: 4711` from `costCentre: "4711"`, and every
            // top-level scalar key of this project is a string.
            if (/^[[{]/.test(t)) {
                try {
                    v = JSON.parse(t);
                } catch {
                    // keep the string: the schema reports what is wrong with it
                }
            }
        }
        out[key.slice(prefix.length)] = v;
    }
    return out;
}

/**
 * Validates the whole stack config. Every problem is collected and reported at
 * once, each naming its config key path. Nothing here creates resources.
 */
/** The layer a stack config declares: `workloads`, else `platform`. */
export function layerOf(all: Record<string, unknown>): "platform" | "workloads" {
    return projectConfigObject(all).layer === "workloads" ? "workloads" : "platform";
}

/** Validates a workloads stack's config (`layer: workloads`), every problem at once like {@link parseStackConfig}. */
export function parseWorkloadsConfig(all: Record<string, unknown>): WorkloadsStackConfig {
    const raw = projectConfigObject(all);
    const result = workloadsStackSchema.safeParse(raw);
    if (!result.success) {
        throw new ConfigError(dedupe(zodProblems(raw, result.error.issues)));
    }
    return result.data;
}

function zodProblems(raw: Record<string, unknown>, issues: z.core.$ZodIssue[]): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    for (const issue of issues) {
        if (issue.code === "unrecognized_keys") {
            for (const k of issue.keys) {
                problems.push({ path: formatPath([...issue.path, k]), message: "is not a known config key" });
            }
        } else if ((issue.code === "invalid_type" || issue.code === "invalid_value") && valueAt(raw, issue.path) === undefined) {
            problems.push({ path: formatPath(issue.path), message: "is required" });
        } else {
            problems.push({ path: formatPath(issue.path), message: issue.message });
        }
    }
    return problems;
}

export function parseStackConfig(all: Record<string, unknown>): StackConfig {
    const raw = projectConfigObject(all);
    const problems: ConfigProblem[] = [];
    const result = stackConfigSchema.safeParse(raw);
    if (!result.success) {
        problems.push(...zodProblems(raw, result.error.issues));
    }
    problems.push(...crossChecks(raw));
    if (problems.length > 0 || !result.success) {
        throw new ConfigError(dedupe(problems));
    }
    return result.data;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
    let cur: unknown = root;
    for (const key of path) {
        if (cur === null || typeof cur !== "object") {
            return undefined;
        }
        cur = (cur as Record<PropertyKey, unknown>)[key];
    }
    return cur;
}

function dedupe(problems: ConfigProblem[]): ConfigProblem[] {
    const seen = new Set<string>();
    return problems.filter((p) => {
        const k = `${p.path}\u0000${p.message}`;
        return seen.has(k) ? false : (seen.add(k), true);
    });
}

/** Reads the `config:` block of `Pulumi.<stack>.yaml` next to the program, as Pulumi's flat map. */
export function readStackFile(stack: string, dir: string = path.resolve(__dirname, "..", "..")): Record<string, unknown> {
    const file = path.join(dir, `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(file)) {
        throw new Error(`no stack file ${file}`);
    }
    const doc = parseYaml(fs.readFileSync(file, "utf8")) as { config?: Record<string, unknown> } | null;
    return { ...(doc?.config ?? {}) };
}
