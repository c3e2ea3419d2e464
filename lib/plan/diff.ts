import { replacingPath } from "../support/replacements";

/**
 * What a pull request changes, from two offline plans (base and head): resources added, removed,
 * changed (with each changed input path, old and new value) and replaced (a change to an input the
 * provider cannot update in place, see `REPLACE_ON_CHANGE`), and probable renames (a URN that
 * disappears while one with the same type chain appears in the same Region: without an alias
 * Pulumi deletes the old resource and creates the new one).
 */

/** One resource as the plan JSON records it. */
export interface PlannedResource {
    urn: string;
    type: string;
    name: string;
    region: string;
    component: string;
    protect: boolean;
    /** Inputs with secrets replaced by `[secret]`. */
    inputs: Record<string, unknown>;
    /** The account its provider is pinned to. */
    account?: string;
    /** Its ARN as the plan knows it (mock state). */
    arn?: string;
}

/** One changed input of a resource. */
export interface InputChange {
    path: string;
    old: unknown;
    new: unknown;
    /** The replace-on-change path it touches, when it forces replacement. */
    replaces?: string;
}

/** The change of one resource. */
export interface ResourceChange extends Pick<PlannedResource, "urn" | "type" | "name" | "region" | "component" | "protect"> {
    kind: "+" | "-" | "~" | "+-";
    /** Changed inputs (`~` and `+-`). */
    inputs?: InputChange[];
}

/** A removed and an added URN that are probably one resource renamed. */
export interface ProbableRename {
    from: string;
    to: string;
    type: string;
}

export interface PlanChanges {
    changes: ResourceChange[];
    renames: ProbableRename[];
    /** Set when the base plan recorded no per-resource inputs (an older plan format): only adds and removals are known. */
    inputsUnknown?: boolean;
}

/** Marker of a secret value in recorded inputs (`pulumi.runtime` serialization). */
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** A copy of `value` with every secret replaced by `[secret]`. */
export function maskSecrets(value: unknown): unknown {
    if (Array.isArray(value)) {
        return value.map(maskSecrets);
    }
    if (value && typeof value === "object") {
        if (Object.values(value).includes(SECRET_SIG)) {
            return "[secret]";
        }
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskSecrets(v)]));
    }
    return value;
}

/** Input text that holds JSON (policies, patterns) compared as its parsed value. */
function normalize(v: unknown): unknown {
    if (typeof v === "string" && /^\s*[[{]/.test(v)) {
        try {
            return JSON.parse(v);
        } catch {
            return v;
        }
    }
    return v;
}

/** Leaf-level differences between two input values, as dotted paths. */
export function inputDiff(a: unknown, b: unknown, path = ""): { path: string; old: unknown; new: unknown }[] {
    const x = normalize(a);
    const y = normalize(b);
    if (JSON.stringify(x) === JSON.stringify(y)) {
        return [];
    }
    const isObj = (v: unknown) => v !== null && typeof v === "object";
    if (Array.isArray(x) && Array.isArray(y) && x.length === y.length) {
        return x.flatMap((v, i) => inputDiff(v, y[i], `${path}[${i}]`));
    }
    if (isObj(x) && isObj(y) && !Array.isArray(x) && !Array.isArray(y)) {
        const keys = [...new Set([...Object.keys(x as object), ...Object.keys(y as object)])].sort();
        return keys.flatMap((k) => inputDiff((x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k], path ? `${path}.${k}` : k));
    }
    return [{ path: path || "(value)", old: x, new: y }];
}

/** The `parent$child` type chain of a URN (`urn:pulumi:<stack>::<project>::<types>::<name>`). */
export function typeChain(urn: string): string {
    const parts = urn.split("::");
    return parts.length >= 4 ? parts[2] : urn;
}

/** A plan report as far as the diff reads it (older plans list resources only under `regions`). */
export interface DiffablePlan {
    resources?: PlannedResource[];
    regions?: Record<string, Record<string, { type: string; name: string; protect: boolean }[]>>;
}

/** The changes from `base` to `head` (either may be empty: a stack that did not exist, or was removed). */
export function diffPlans(base: DiffablePlan | undefined, head: DiffablePlan): PlanChanges {
    // A base plan of the older format has no URNs or inputs: match by Region, component, type and name.
    const legacy = base !== undefined && base.resources === undefined && base.regions !== undefined;
    const fromRegions = (plan: DiffablePlan): PlannedResource[] =>
        Object.entries(plan.regions ?? {}).flatMap(([region, comps]) =>
            Object.entries(comps).flatMap(([component, rs]) => rs.map((r) => ({ ...r, region, component, urn: `${region}|${component}|${r.type}|${r.name}`, inputs: undefined as unknown as Record<string, unknown> }))),
        );
    const key = (r: PlannedResource) => (legacy ? `${r.region}|${r.component}|${r.type}|${r.name}` : r.urn);
    const before = new Map((legacy ? fromRegions(base!) : (base?.resources ?? [])).map((r) => [key(r), r]));
    const after = new Map((head.resources ?? []).map((r) => [key(r), r]));
    const inputsUnknown = legacy;
    const changes: ResourceChange[] = [];
    const entry = (kind: ResourceChange["kind"], r: PlannedResource, inputs?: InputChange[]): ResourceChange => ({
        kind,
        urn: r.urn,
        type: r.type,
        name: r.name,
        region: r.region,
        component: r.component,
        protect: r.protect,
        ...(inputs ? { inputs } : {}),
    });
    for (const [k, r] of after) {
        const old = before.get(k);
        if (!old) {
            changes.push(entry("+", r));
            continue;
        }
        if (old.inputs === undefined) {
            continue;
        }
        const diffs: InputChange[] = inputDiff(old.inputs, r.inputs).map((d) => {
            const replaces = replacingPath(r.type, d.path);
            return replaces ? { ...d, replaces } : d;
        });
        if (diffs.length > 0) {
            changes.push(entry(diffs.some((d) => d.replaces) ? "+-" : "~", r, diffs));
        }
    }
    for (const [k, r] of before) {
        if (!after.has(k)) {
            changes.push(entry("-", r));
        }
    }
    // A removed URN and an added one with the same type chain (the resource's and its parents' types) in
    // the same Region: probably a rename (of the resource or of a component above it).
    const renames: ProbableRename[] = [];
    const added = changes.filter((c) => c.kind === "+");
    const used = new Set<string>();
    for (const gone of changes.filter((c) => c.kind === "-")) {
        const to = added.find((a) => !used.has(a.urn) && typeChain(a.urn) === typeChain(gone.urn) && a.region === gone.region);
        if (to) {
            used.add(to.urn);
            renames.push({ from: gone.urn, to: to.urn, type: gone.type });
        }
    }
    const order = (c: ResourceChange) => `${c.region}\u0000${c.component}\u0000${c.kind}\u0000${c.type}\u0000${c.name}`;
    changes.sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
    return { changes, renames, ...(inputsUnknown ? { inputsUnknown } : {}) };
}
