import { policyStatements } from "../../lib/iam/document";
import {
    PolicyResource,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";
import { findSuppression, levelFor, notePackConfigSuppressions } from "../config";

/* eslint-disable @typescript-eslint/no-explicit-any */

/** Mandatory rules block a deployment; advisory ones only warn (cost hints). */
export type Level = "mandatory" | "advisory";

/** What the README table and the offline report show for every rule. */
export interface RuleMeta {
    /** Rule id (also the CrossGuard policy name), named after the control it implements. */
    name: string;
    /** Service the rule belongs to (one module per service). */
    service: string;
    /**
     * Security Hub (`S3.8`) and Checkov (`CKV_AWS_79`) control IDs the rule implements.
     * `AWSARCH.*` IDs are project controls with no public equivalent.
     */
    controls: string[];
    /** Default enforcement level (pack config can override it). */
    level: Level;
    /** One sentence: what the rule checks. */
    description: string;
}

/** The bits of a resource a resource check reads (`ResourceValidationArgs` and `PolicyResource` both fit). */
export interface ResourceLike {
    type: string;
    name: string;
    urn: string;
    props: Record<string, any>;
    opts?: { protect?: boolean; parent?: string };
    provider?: { type: string; name: string; urn: string; props: Record<string, any> };
    getConfig?: <T extends object>() => T;
}

/** A resource check: calls `report` for each problem found on one resource. */
export type ResourceCheck = (props: Record<string, any>, res: ResourceLike, report: (message: string) => void) => void;

/** A stack check: `report(message, urn?)` per problem; `env` is the stack's environment (dev/prod). */
export type StackCheck = (resources: PolicyResource[], env: string, report: ReportViolation) => void;

/** A rule over single resources: a CrossGuard policy plus its metadata and the raw check. */
export interface ResourceRule extends ResourceValidationPolicy, RuleMeta {
    kind: "resource";
    /** Resource type tokens the rule applies to. */
    types: string[];
    /** The check without suppressions (the offline runner applies suppressions itself). */
    check: ResourceCheck;
    enforcementLevel: Level;
}

/** A rule over the whole stack. */
export interface StackRule extends StackValidationPolicy, RuleMeta {
    kind: "stack";
    check: StackCheck;
    enforcementLevel: Level;
}

export type Rule = ResourceRule | StackRule;

const configSchema = {
    properties: {
        environment: { type: "string" as const, enum: ["dev", "prod"], description: "Stack environment; defaults from the stack name in the URNs." },
        suppressions: {
            type: "array" as const,
            description: "Suppressions for this rule: each names the resource (URN or logical name) and a reason.",
            items: {
                type: "object" as const,
                properties: { resource: { type: "string" as const, minLength: 1 }, reason: { type: "string" as const, minLength: 1 } },
                required: ["resource", "reason"],
            },
        },
    },
};

/** Pack config of one policy, or `{}` when the caller provides none (tests, offline runner without config). */
export function policyConfig(src: { getConfig?: <T extends object>() => T }): { environment?: string; suppressions?: { resource: string; reason: string }[] } {
    try {
        return (src.getConfig?.() as any) ?? {};
    } catch {
        return {};
    }
}

/** Stack name from a URN (`urn:pulumi:<stack>::<project>::...`). */
export function stackOfUrn(urn: string | undefined): string | undefined {
    const m = /^urn:pulumi:([^:]+)::/.exec(urn ?? "");
    return m?.[1];
}

/** "prod" for a stack named `prod` / `*-prod`, otherwise the name itself (usually `dev`). */
export function envFromStack(stack: string | undefined): string {
    if (!stack) {
        return "dev";
    }
    return stack === "prod" || /[-_.]prod(uction)?$/.test(stack) || stack === "production" ? "prod" : stack;
}

/** The environment a check runs in: pack config `environment`, else derived from the stack name. */
export function environmentOf(res: ResourceLike): string {
    return policyConfig(res).environment ?? envFromStack(stackOfUrn(res.urn));
}

/** Builds a resource rule. The CrossGuard callback skips other types and applies configured suppressions. */
export function resourceRule(def: RuleMeta & { types: string[]; check: ResourceCheck }): ResourceRule {
    return {
        ...def,
        kind: "resource",
        enforcementLevel: levelFor(def.name, def.level),
        configSchema,
        validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
            // Noted before the type check: every resource reaches every policy, so the
            // suppression report sees this rule's pack-config suppressions.
            const cfg = policyConfig(args);
            notePackConfigSuppressions(def.name, cfg.suppressions);
            if (!def.types.includes(args.type)) {
                return;
            }
            def.check(args.props ?? {}, args, (message) => {
                if (!findSuppression(def.name, args.urn, args.name, cfg.suppressions)) {
                    reportViolation(message);
                }
            });
        },
    };
}

/** Builds a stack rule; suppressions match the URN (or name) of the resource a violation is reported on. */
export function stackRule(def: RuleMeta & { check: StackCheck }): StackRule {
    return {
        ...def,
        kind: "stack",
        enforcementLevel: levelFor(def.name, def.level),
        configSchema,
        validateStack: (args: StackValidationArgs, reportViolation: ReportViolation) => {
            const cfg = policyConfig(args);
            notePackConfigSuppressions(def.name, cfg.suppressions);
            const env = cfg.environment ?? envFromStack(stackOfUrn(args.resources[0]?.urn));
            const byUrn = new Map(args.resources.map((r) => [r.urn, r]));
            def.check(args.resources, env, (message, urn) => {
                if (!findSuppression(def.name, urn, urn ? byUrn.get(urn)?.name : undefined, cfg.suppressions)) {
                    reportViolation(message, urn);
                }
            });
        },
    };
}

/** True for `true` and `"true"` (launch templates carry nullable booleans as strings). */
export function isTrue(v: unknown): boolean {
    return v === true || (typeof v === "string" && v.toLowerCase() === "true");
}

/** True for `false` and `"false"`. */
export function isFalse(v: unknown): boolean {
    return v === false || (typeof v === "string" && v.toLowerCase() === "false");
}

/** Parses JSON text (policy documents, provider props) and passes anything else through. */
export function parseJson(v: unknown): any {
    if (typeof v === "string") {
        const t = v.trim();
        if (t.startsWith("{") || t.startsWith("[")) {
            try {
                return JSON.parse(t);
            } catch {
                return v;
            }
        }
    }
    return v;
}

/** A value or a list as a list (undefined → []). */
export function asList<T>(v: T | T[] | undefined | null): T[] {
    return v === undefined || v === null ? [] : Array.isArray(v) ? v : [v];
}

/** A nested object prop that might be a single-element list (some providers flatten max-1 blocks). */
export function obj(v: unknown): Record<string, any> | undefined {
    const x = parseJson(v);
    if (Array.isArray(x)) {
        return x[0];
    }
    return x && typeof x === "object" ? (x as Record<string, any>) : undefined;
}

/** A provider prop, parsed when the engine passed it as JSON text. */
export function providerProp(res: Pick<ResourceLike, "provider">, key: string): any {
    return parseJson(res.provider?.props?.[key]);
}

/** The resource's Region: aws v7 per-resource `region`, else its provider's. */
export function regionOf(res: Pick<ResourceLike, "props" | "provider">): string | undefined {
    return res.props?.region ?? providerProp(res, "region");
}

/** The account its provider is pinned to (first allowed account ID). */
export function accountOf(res: Pick<ResourceLike, "provider">): string | undefined {
    return asList<string>(providerProp(res, "allowedAccountIds"))[0];
}

/** Tags of a resource (`tags` input), parsed. */
export function tagsOf(props: Record<string, any>): Record<string, string> {
    return (parseJson(props.tags) as Record<string, string>) ?? {};
}

/** Statements of an IAM-style policy document (string or object): lib/iam/document's reading. */
export function statementsOf(policy: unknown): any[] {
    return policyStatements(policy);
}

/** True when a statement's Principal admits everyone (`*` or `{AWS: "*"}`). */
export function isPublicPrincipal(principal: unknown): boolean {
    if (principal === "*") {
        return true;
    }
    if (principal && typeof principal === "object") {
        return asList((principal as any).AWS).includes("*") || asList((principal as any)["*"]).length > 0;
    }
    return false;
}

/** Condition keys (lower-cased) used anywhere in a statement's Condition block. */
export function conditionKeys(statement: any): string[] {
    const keys: string[] = [];
    for (const op of Object.values(statement?.Condition ?? {})) {
        for (const k of Object.keys((op as object) ?? {})) {
            keys.push(k.toLowerCase());
        }
    }
    return keys;
}

/**
 * Runs `fn`; when it reads a value that is unknown during preview (CrossGuard
 * throws `UnknownValueError`), returns `fallback` instead, so one unknown input
 * does not abort a stack rule for every other resource. Other errors propagate.
 */
export function known<T>(fn: () => T, fallback: T): T {
    try {
        return fn();
    } catch (e) {
        if ((e as Error)?.constructor?.name === "UnknownValueError" || (e as Error)?.name === "UnknownValueError") {
            return fallback;
        }
        throw e;
    }
}

/**
 * The resources of `candidates` that refer to `target` through `prop`: by the
 * property dependency, else by a plain dependency, else by an equal value
 * (name, bucket or ARN) when both are known.
 */
export function linked(target: PolicyResource, candidates: PolicyResource[], prop: string): PolicyResource[] {
    return candidates.filter((c) => {
        const pd = c.propertyDependencies?.[prop];
        if (pd && pd.length > 0) {
            return pd.some((d) => d.urn === target.urn);
        }
        if (c.dependencies?.some((d) => d.urn === target.urn)) {
            return true;
        }
        return known(() => {
            const v = c.props?.[prop];
            if (v === undefined || v === null || v === "") {
                return false;
            }
            const t = target.props ?? {};
            return ["bucket", "name", "arn", "functionName", "id"].map((k) => known(() => t[k], undefined)).filter((x) => x !== undefined).includes(v);
        }, false);
    });
}

/** Resources of the given types. */
export function ofTypes(resources: PolicyResource[], ...types: string[]): PolicyResource[] {
    return resources.filter((r) => types.includes(r.type));
}

/** `true` when `cidr` is the whole IPv4 or IPv6 internet. */
export function isWorld(cidr: unknown): boolean {
    return cidr === "0.0.0.0/0" || cidr === "::/0";
}

/**
 * The `targets` none of whose `policies` (those `attached` to it) denies requests without TLS: the
 * one check of the TLS-only rules of buckets, queues and topics. A document still unknown in
 * preview counts as compliant; `pulumi up` checks the real one.
 */
export function withoutTlsOnlyPolicy(targets: PolicyResource[], policies: PolicyResource[], attached: (policy: PolicyResource, target: PolicyResource) => boolean): PolicyResource[] {
    return targets.filter((t) => !policies.some((p) => attached(p, t) && known(() => deniesInsecureTransport(p.props?.policy), true)));
}

/** True when a resource policy (bucket, queue, topic) denies requests without TLS (`aws:SecureTransport` false). */
export function deniesInsecureTransport(policy: unknown): boolean {
    return statementsOf(policy).some((s) => {
        if (s?.Effect !== "Deny") {
            return false;
        }
        const bool = s.Condition?.Bool ?? s.Condition?.bool ?? {};
        const v = Object.entries(bool).find(([k]) => k.toLowerCase() === "aws:securetransport")?.[1];
        return asList(v as any).some((x) => String(x).toLowerCase() === "false");
    });
}
