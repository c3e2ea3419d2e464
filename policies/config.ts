import * as fs from "fs";
import * as path from "path";

/**
 * Pack settings shared by the CrossGuard pack and the offline runner: one
 * source of truth, `policies/suppressions.json`:
 *
 * ```json
 * {
 *   "levels": { "cost-nat-per-az-dev": "disabled" },
 *   "suppressions": [
 *     { "rule": "s3-17-kms-encryption", "resource": "access-logs-encryption", "reason": "S3 server access logs only support SSE-S3" }
 *   ]
 * }
 * ```
 *
 * A suppression names the rule, the resource (its URN or logical name) and a
 * reason; all three are required. Pack config passed with
 * `--policy-pack-config` can add more per rule (`{"<rule>": {"suppressions": [{resource, reason}]}}`)
 * and override a rule's `enforcementLevel`.
 */

/** One suppression: the finding of `rule` on `resource` is reported as suppressed with `reason`. */
export interface Suppression {
    rule: string;
    resource: string;
    reason: string;
}

export type ConfiguredLevel = "mandatory" | "advisory" | "disabled";

export interface PackSettings {
    levels: Record<string, ConfiguredLevel>;
    suppressions: Suppression[];
}

/** Validates raw settings; throws naming the bad entry. */
export function parseSettings(raw: unknown, source = "policies/suppressions.json"): PackSettings {
    const o = (raw ?? {}) as { levels?: unknown; suppressions?: unknown };
    const levels: Record<string, ConfiguredLevel> = {};
    for (const [rule, level] of Object.entries((o.levels ?? {}) as Record<string, unknown>)) {
        if (level !== "mandatory" && level !== "advisory" && level !== "disabled") {
            throw new Error(`${source}: levels.${rule} must be mandatory, advisory or disabled (got ${JSON.stringify(level)})`);
        }
        levels[rule] = level;
    }
    if (o.suppressions !== undefined && !Array.isArray(o.suppressions)) {
        throw new Error(`${source}: suppressions must be a list`);
    }
    const suppressions = ((o.suppressions ?? []) as unknown[]).map((s, i) => {
        const e = (s ?? {}) as Record<string, unknown>;
        for (const k of ["rule", "resource", "reason"]) {
            if (typeof e[k] !== "string" || (e[k] as string).trim() === "") {
                throw new Error(`${source}: suppressions[${i}].${k} is required (a suppression names the rule, the resource and a reason)`);
            }
        }
        return { rule: e.rule as string, resource: e.resource as string, reason: e.reason as string };
    });
    return { levels, suppressions };
}

/** Reads `policies/suppressions.json` (empty settings when the file is missing). */
export function loadSettings(file = path.join(__dirname, "suppressions.json")): PackSettings {
    if (!fs.existsSync(file)) {
        return { levels: {}, suppressions: [] };
    }
    return parseSettings(JSON.parse(fs.readFileSync(file, "utf8")), file);
}

let current: PackSettings = loadSettings();

/** The settings in effect. */
export function settings(): PackSettings {
    return current;
}

/** Replaces the settings in effect (tests, offline runner with another file); returns the previous ones. */
export function useSettings(next: PackSettings): PackSettings {
    const prev = current;
    current = next;
    return prev;
}

/** The level of `rule`: the configured override, else its default. */
export function levelFor<L extends string>(rule: string, fallback: L): L {
    return (current.levels[rule] as L | undefined) ?? fallback;
}

/**
 * The suppression that silences `rule` on the resource with `urn`/`name`, from
 * the settings file or from `extra` (pack config entries of that rule).
 */
export function findSuppression(
    rule: string,
    urn: string | undefined,
    name: string | undefined,
    extra: { resource: string; reason: string }[] = [],
): Suppression | undefined {
    const all = [...current.suppressions, ...extra.map((e) => ({ ...e, rule }))];
    return all.find((s) => s.rule === rule && s.reason && (s.resource === urn || (name !== undefined && s.resource === name)));
}
