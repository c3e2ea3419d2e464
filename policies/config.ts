import * as fs from "fs";
import * as path from "path";

/**
 * Pack settings shared by the CrossGuard pack and the offline runner. Two sources:
 *
 * 1. `policies/suppressions.json` (committed, read by both):
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
 * 2. Pack config, the JSON file `pulumi preview --policy-pack-config <file>` takes (and
 *    `npm run plan -- <stack> --policy-pack-config <file>` too): `"all"` sets every
 *    policy's level, a policy's own entry overrides it, and a rule's entry can add
 *    suppressions and the environment:
 *
 * ```json
 * {
 *   "all": "mandatory",
 *   "cost-nat-per-az-dev": "disabled",
 *   "s3-14-versioning": { "enforcementLevel": "advisory", "suppressions": [{ "resource": "scratch", "reason": "cache only" }] }
 * }
 * ```
 *
 * A suppression names the rule, the resource and a reason; all three are required.
 * The resource is either a URN (`urn:pulumi:...`, exactly one resource) or a logical
 * name, which matches every resource of that name (names repeat across components:
 * the `policy-suppressions` report warns when one matches several).
 */

/** One suppression: the finding of `rule` on `resource` is reported as suppressed with `reason`. */
export interface Suppression {
    rule: string;
    resource: string;
    reason: string;
    /** Where it was configured; unset for `policies/suppressions.json`. */
    source?: string;
}

/** Label of suppressions from `policies/suppressions.json`. */
export const SETTINGS_FILE_SOURCE = "policies/suppressions.json";

/** Label of suppressions that come from `--policy-pack-config`. */
export const PACK_CONFIG_SOURCE = "pack config";

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

/** True when `resource` names a resource by URN rather than by logical name. */
export function isUrn(resource: string): boolean {
    return resource.startsWith("urn:pulumi:");
}

/** Whether suppression target `resource` (URN or logical name) designates the resource with `urn`/`name`. */
export function suppressionTargets(resource: string, urn: string | undefined, name: string | undefined): boolean {
    return isUrn(resource) ? resource === urn : name !== undefined && resource === name;
}

/**
 * The suppression that silences `rule` on the resource with `urn`/`name`, from
 * the settings in effect or from `extra` (pack config entries of that rule).
 */
export function findSuppression(
    rule: string,
    urn: string | undefined,
    name: string | undefined,
    extra: { resource: string; reason: string }[] = [],
): Suppression | undefined {
    const all = [...current.suppressions, ...extra.map((e) => ({ ...e, rule, source: PACK_CONFIG_SOURCE }))];
    return all.find((s) => s.rule === rule && s.reason && suppressionTargets(s.resource, urn, name));
}

/*
 * CrossGuard hands each policy only its own pack config (`args.getConfig()`), so the
 * `policy-suppressions` report cannot read the other rules' entries. Every rule notes
 * the suppressions its config carries each time it runs; resource policies run on
 * every resource before the stack policies, and the report is the last policy of the
 * pack, so by then it has seen every active rule's pack-config suppressions.
 */
const noted = new Map<string, { resource: string; reason: string }[]>();

/** Records the pack-config suppressions of `rule` (called by the rule wrappers on every run). */
export function notePackConfigSuppressions(rule: string, list: unknown): void {
    if (Array.isArray(list) && list.length > 0) {
        noted.set(rule, list as { resource: string; reason: string }[]);
    }
}

/** The pack-config suppressions the rules have seen so far, as suppressions of their rule. */
export function packConfigSuppressions(): Suppression[] {
    return [...noted.entries()].flatMap(([rule, list]) =>
        list.filter((e) => typeof e?.resource === "string" && typeof e?.reason === "string").map((e) => ({ rule, resource: e.resource, reason: e.reason, source: PACK_CONFIG_SOURCE })),
    );
}

/** Forgets the noted pack-config suppressions (tests). */
export function clearPackConfigSuppressions(): void {
    noted.clear();
}

/** A suppression with the resources of a stack it designates. */
export interface SuppressionStatus {
    rule: string;
    resource: string;
    reason: string;
    source: string;
    /** The resources it silences the rule on. */
    matches: { urn: string; name: string }[];
    /** Set when a logical name matches more than one resource: the warning to show. */
    warning?: string;
}

/**
 * Every suppression of `suppressions` (deduplicated) with the resources it matches;
 * a name matching several resources carries a warning, since it silences all of them.
 */
export function suppressionStatus(resources: { urn: string; name: string }[], suppressions: Suppression[]): SuppressionStatus[] {
    const seen = new Set<string>();
    const out: SuppressionStatus[] = [];
    for (const s of suppressions) {
        const source = s.source ?? SETTINGS_FILE_SOURCE;
        const key = JSON.stringify([s.rule, s.resource, s.reason, source]);
        if (seen.has(key)) {
            continue;
        }
        seen.add(key);
        const matches = resources.filter((r) => suppressionTargets(s.resource, r.urn, r.name)).map((r) => ({ urn: r.urn, name: r.name }));
        const status: SuppressionStatus = { rule: s.rule, resource: s.resource, reason: s.reason, source, matches };
        if (!isUrn(s.resource) && matches.length > 1) {
            status.warning =
                `suppression of ${s.rule} by name "${s.resource}" (${source}) matches ${matches.length} resources and silences all of them: ` +
                `${matches.map((m) => m.urn).join(", ")}; give the URN to suppress only one`;
        }
        out.push(status);
    }
    return out;
}

/**
 * The level a pack config gives a policy: a string, or an object's `enforcementLevel`.
 * `remediate` counts as mandatory (these rules do not remediate; CrossGuard treats it so for stack policies).
 */
function packLevel(v: unknown, where: string): ConfiguredLevel | undefined {
    const level = typeof v === "string" ? v : v && typeof v === "object" ? (v as { enforcementLevel?: unknown }).enforcementLevel : undefined;
    if (level === undefined) {
        return undefined;
    }
    if (level === "remediate") {
        return "mandatory";
    }
    if (level !== "mandatory" && level !== "advisory" && level !== "disabled") {
        throw new Error(`${where} must be advisory, mandatory, remediate or disabled (got ${JSON.stringify(level)})`);
    }
    return level;
}

/** A parsed `--policy-pack-config` file. */
export interface PackConfig {
    /** The `"all"` level, if any. */
    all?: ConfiguredLevel;
    /** Per-policy levels. */
    levels: Record<string, ConfiguredLevel>;
    /** Per-policy suppressions, as suppressions of that policy. */
    suppressions: Suppression[];
    /** Per-policy config properties (everything but `enforcementLevel`), e.g. `environment`. */
    config: Record<string, Record<string, unknown>>;
}

/** Validates pack config in the shape the Pulumi CLI takes; throws naming the bad entry. */
export function parsePackConfig(raw: unknown, source = PACK_CONFIG_SOURCE): PackConfig {
    if (!raw || typeof raw !== "object" || Array.isArray(raw)) {
        throw new Error(`${source}: pack config must be a JSON object keyed by policy name`);
    }
    const out: PackConfig = { levels: {}, suppressions: [], config: {} };
    for (const [policy, v] of Object.entries(raw as Record<string, unknown>)) {
        const level = packLevel(v, `${source}: ${policy}`);
        if (policy === "all") {
            out.all = level;
            continue;
        }
        if (level) {
            out.levels[policy] = level;
        }
        if (v && typeof v === "object" && !Array.isArray(v)) {
            const { enforcementLevel: _ignored, ...props } = v as Record<string, unknown>;
            if (props.environment !== undefined && typeof props.environment !== "string") {
                throw new Error(`${source}: ${policy}.environment must be a string`);
            }
            if (props.suppressions !== undefined && !Array.isArray(props.suppressions)) {
                throw new Error(`${source}: ${policy}.suppressions must be a list`);
            }
            ((props.suppressions ?? []) as unknown[]).forEach((e, i) => {
                const entry = (e ?? {}) as Record<string, unknown>;
                for (const k of ["resource", "reason"]) {
                    if (typeof entry[k] !== "string" || (entry[k] as string).trim() === "") {
                        throw new Error(`${source}: ${policy}.suppressions[${i}].${k} is required (a suppression names the resource and a reason)`);
                    }
                }
                out.suppressions.push({ rule: policy, resource: entry.resource as string, reason: entry.reason as string, source });
            });
            out.config[policy] = props;
        } else if (level === undefined) {
            throw new Error(`${source}: ${policy} must be an enforcement level or an object`);
        }
    }
    return out;
}

/** Reads a `--policy-pack-config` file. */
export function loadPackConfig(file: string): PackConfig {
    const text = fs.readFileSync(file, "utf8");
    let raw: unknown;
    try {
        raw = JSON.parse(text);
    } catch (e) {
        throw new Error(`${file}: not valid JSON (${(e as Error).message})`);
    }
    return parsePackConfig(raw, `pack config ${file}`);
}

/**
 * The settings in effect once pack config is applied on top of `base`, like the CLI
 * does: a policy's own level wins over `"all"`, which wins over the settings file's
 * level; suppressions add up. `policies` are the pack's policy names: any other
 * name in the config is an error (a typo would otherwise silently do nothing).
 */
export function applyPackConfig(base: PackSettings, pack: PackConfig, policies: string[]): PackSettings {
    const known = new Set(policies);
    const unknown = [...Object.keys(pack.levels), ...Object.keys(pack.config)].filter((p) => !known.has(p));
    if (unknown.length > 0) {
        throw new Error(`pack config names no policy of this pack: ${[...new Set(unknown)].join(", ")}`);
    }
    const levels: Record<string, ConfiguredLevel> = { ...base.levels };
    if (pack.all) {
        for (const p of policies) {
            levels[p] = pack.all;
        }
    }
    Object.assign(levels, pack.levels);
    return { levels, suppressions: [...base.suppressions, ...pack.suppressions] };
}
