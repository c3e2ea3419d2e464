import { iamWildcard } from "./validate";

/**
 * An offline evaluator of AWS's policy evaluation logic for one request (IAM User Guide, "Policy
 * evaluation logic" and "Cross-account policy evaluation logic";
 * docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html): an explicit
 * Deny in any applicable policy wins; within one account an Allow in the identity policies **or**
 * in the resource policy (naming the principal itself) suffices; across accounts both must allow;
 * a resource policy that names an account (`123456789012`, `arn:aws:iam::123456789012:root`) only
 * delegates to that account's identity policies. KMS differs: the key policy is required, and
 * identity policies count only when the key policy delegates to the account (AWS KMS Developer
 * Guide, "Key policies in AWS KMS"). A service principal (`sns.amazonaws.com`) has no identity
 * policies: only resource policies can allow it.
 *
 * Not modelled, by choice (the stacks use none of them): permissions boundaries, session policies,
 * SCPs/RCPs, NotPrincipal with Allow, and policy variables other than the ones in `context`.
 * An operator the evaluator does not know throws: a case it cannot express is reported, not
 * guessed. (`@cloud-copilot/iam-simulate` would do this, but it is AGPL-3.0 and this project is
 * Apache-2.0, so the evaluator is the project's own, with its own specs.)
 */

/** One statement, as IAM's JSON grammar names its elements. */
export interface Statement {
    Sid?: string;
    Effect: "Allow" | "Deny";
    Action?: string | string[];
    NotAction?: string | string[];
    Resource?: string | string[];
    NotResource?: string | string[];
    Principal?: "*" | Record<string, string | string[]>;
    NotPrincipal?: Record<string, string | string[]>;
    Condition?: Record<string, Record<string, unknown>>;
    /** Where the statement was read (resource name and index): not an IAM element, ignored by evaluation. */
    origin?: string;
}

/** Who makes a request. */
export type Principal =
    | { kind: "role"; arn: string }
    | { kind: "service"; service: string }
    | { kind: "federated"; provider: string };

/** Request context: condition keys and their values (multi-valued keys as lists). */
export type Context = Record<string, string | string[] | boolean>;

export interface Request {
    principal: Principal;
    action: string;
    /** The ARN acted on, or `*` for an action with no resource type. */
    resource: string;
    context?: Context;
}

/** The policies that apply to one request. */
export interface Policies {
    /** Identity policy statements of the principal (empty for a service or federated principal). */
    identity: readonly Statement[];
    /** The resource's policy (bucket, topic, queue, bus, repository, function, trust policy for sts:AssumeRole*), if it has one. */
    resource?: readonly Statement[];
    /** The account that owns the resource (the principal's own for `*`). */
    resourceAccount: string;
    /** The resource is a KMS key, and `resource` is its key policy. */
    kmsKey?: boolean;
}

export interface Decision {
    allowed: boolean;
    /** Which part decided: "explicit deny", "identity", "resource", "identity+resource", or why nothing allowed. */
    reason: string;
}

const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

export const accountOf = (p: Principal): string | undefined => (p.kind === "role" ? p.arn.split(":")[4] : undefined);

function substitute(pattern: string, ctx: Context): string | undefined {
    let missing = false;
    const out = pattern.replace(/\$\{([^}]+)\}/g, (_m, key: string) => {
        if (key === "*" || key === "?" || key === "$") {
            return key;
        }
        const v = ctx[key];
        if (typeof v !== "string") {
            missing = true;
            return "";
        }
        return v;
    });
    return missing ? undefined : out;
}

function actionMatches(st: Statement, action: string): boolean {
    const hit = (ps: string[]) => ps.some((p) => iamWildcard(p, true).test(action));
    return st.NotAction !== undefined ? !hit(list(st.NotAction)) : hit(list(st.Action));
}

function resourceMatches(st: Statement, resource: string, ctx: Context): boolean {
    const hit = (ps: string[]) =>
        ps.some((p) => {
            const s = substitute(p, ctx);
            return s !== undefined && (s === "*" || (resource !== "*" && iamWildcard(s).test(resource)));
        });
    if (st.NotResource !== undefined) {
        return !hit(list(st.NotResource));
    }
    // No Resource element: a resource or trust policy statement applies to the resource it is attached to.
    return st.Resource === undefined ? true : hit(list(st.Resource));
}

/** The values of a statement's Principal that name `p` (itself, its account, or `*`). */
export function principalValuesNaming(st: Statement, p: Principal): string[] {
    const pr = st.Principal;
    if (pr === undefined) {
        return [];
    }
    if (pr === "*") {
        return ["*"];
    }
    if (p.kind === "service") {
        return list(pr.Service).filter((v) => v === p.service);
    }
    if (p.kind === "federated") {
        return list(pr.Federated).filter((v) => v === p.provider);
    }
    const account = accountOf(p);
    return list(pr.AWS).filter((v) => v === "*" || v === p.arn || v === account || v === `arn:aws:iam::${account}:root`);
}

/** True when a statement's Action, Resource and Condition cover the request (its Principal aside). */
export function statementApplies(st: Statement, req: Request): boolean {
    return applies(st, req, requestContext(req));
}

/** How a resource-policy statement's Principal names the requester: itself, only its account, or not at all. */
function principalMatch(st: Statement, p: Principal): "self" | "account" | false {
    if (st.NotPrincipal !== undefined) {
        if (st.Effect === "Allow") {
            throw new Error("NotPrincipal with Allow is not modelled");
        }
        const named = principalMatch({ ...st, NotPrincipal: undefined, Principal: st.NotPrincipal }, p);
        return named ? false : "self";
    }
    const pr = st.Principal;
    if (pr === undefined) {
        return false;
    }
    if (pr === "*") {
        return "self";
    }
    if (p.kind === "service") {
        return list(pr.Service).includes(p.service) ? "self" : false;
    }
    if (p.kind === "federated") {
        return list(pr.Federated).includes(p.provider) ? "self" : false;
    }
    const account = accountOf(p);
    for (const v of list(pr.AWS)) {
        if (v === "*" || v === p.arn) {
            return "self";
        }
        if (v === account || v === `arn:aws:iam::${account}:root`) {
            return "account";
        }
    }
    return false;
}

const asStrings = (v: unknown): string[] => list(v as string | string[]).map((x) => String(x));

/** True when the condition block holds for `ctx` (AND across operators and keys, OR across a key's values). */
export function conditionsHold(condition: Statement["Condition"], ctx: Context): boolean {
    for (const [rawOp, keys] of Object.entries(condition ?? {})) {
        const set = /^ForAnyValue:/.test(rawOp) ? "any" : /^ForAllValues:/.test(rawOp) ? "all" : undefined;
        const ifExists = /IfExists$/.test(rawOp);
        const op = rawOp.replace(/^For(Any|All)Values?:/, "").replace(/IfExists$/, "");
        for (const [key, wanted] of Object.entries(keys)) {
            const present = Object.keys(ctx).find((k) => k.toLowerCase() === key.toLowerCase());
            const values = present === undefined ? undefined : asStrings(ctx[present]);
            // Policy variables in values (`${aws:PrincipalAccount}`) take the request's values.
            const expected = asStrings(wanted).map((e) => substitute(e, ctx) ?? "\u0000");
            if (op === "Null") {
                if ((values === undefined) !== (expected[0] === "true")) {
                    return false;
                }
                continue;
            }
            if (values === undefined) {
                // A missing key: IfExists holds; a negated operator holds; ForAllValues holds (empty set); others fail.
                if (ifExists || /Not/.test(op) || set === "all") {
                    continue;
                }
                return false;
            }
            const one = (actual: string): boolean => {
                switch (op) {
                    case "StringEquals":
                    case "ArnEquals":
                        return expected.includes(actual);
                    case "StringEqualsIgnoreCase":
                        return expected.some((e) => e.toLowerCase() === actual.toLowerCase());
                    case "StringLike":
                    case "ArnLike":
                        return expected.some((e) => iamWildcard(e).test(actual));
                    case "StringNotEquals":
                    case "ArnNotEquals":
                        return !expected.includes(actual);
                    case "StringNotLike":
                    case "ArnNotLike":
                        return !expected.some((e) => iamWildcard(e).test(actual));
                    case "Bool":
                        return expected.some((e) => e.toLowerCase() === actual.toLowerCase());
                    case "NumericLessThan":
                        return Number(actual) < Number(expected[0]);
                    case "NumericLessThanEquals":
                        return Number(actual) <= Number(expected[0]);
                    case "NumericGreaterThan":
                        return Number(actual) > Number(expected[0]);
                    case "NumericGreaterThanEquals":
                        return Number(actual) >= Number(expected[0]);
                    default:
                        throw new Error(`condition operator ${rawOp} is not modelled`);
                }
            };
            const ok = set === "all" ? values.every(one) : values.some(one);
            if (!ok) {
                return false;
            }
        }
    }
    return true;
}

function applies(st: Statement, req: Request, ctx: Context): boolean {
    return actionMatches(st, req.action) && resourceMatches(st, req.resource, ctx) && conditionsHold(st.Condition, ctx);
}

/** The request context AWS adds itself: who calls, over TLS. */
export function requestContext(req: Request): Context {
    const base: Context = { "aws:SecureTransport": "true" };
    if (req.principal.kind === "role") {
        base["aws:PrincipalArn"] = req.principal.arn;
        base["aws:PrincipalAccount"] = accountOf(req.principal) ?? "";
        base["aws:PrincipalType"] = "AssumedRole";
    }
    if (req.principal.kind === "service") {
        base["aws:PrincipalServiceName"] = req.principal.service;
    }
    return { ...base, ...(req.context ?? {}) };
}

/** Decides one request against the policies that apply to it. */
export function evaluate(req: Request, policies: Policies): Decision {
    const ctx = requestContext(req);
    const resourceStmts = (policies.resource ?? []).filter((st) => applies(st, req, ctx));
    const identityStmts = req.principal.kind === "role" ? policies.identity.filter((st) => applies(st, req, ctx)) : [];
    if (identityStmts.some((s) => s.Effect === "Deny")) {
        return { allowed: false, reason: "explicit deny (identity policy)" };
    }
    const named = resourceStmts.map((st) => ({ st, how: principalMatch(st, req.principal) }));
    if (named.some(({ st, how }) => st.Effect === "Deny" && how)) {
        return { allowed: false, reason: "explicit deny (resource policy)" };
    }
    const identityAllows = identityStmts.some((s) => s.Effect === "Allow");
    const resourceSelf = named.some(({ st, how }) => st.Effect === "Allow" && how === "self");
    const resourceAccount = named.some(({ st, how }) => st.Effect === "Allow" && how === "account");
    if (policies.kmsKey) {
        if (resourceSelf) {
            return { allowed: true, reason: "resource" };
        }
        if (resourceAccount && identityAllows) {
            return { allowed: true, reason: "identity+resource" };
        }
        return { allowed: false, reason: resourceAccount ? "the key policy delegates to IAM, and no identity policy allows it" : "the key policy does not allow it" };
    }
    if (req.principal.kind !== "role") {
        return resourceSelf ? { allowed: true, reason: "resource" } : { allowed: false, reason: "no resource policy allows this service principal" };
    }
    const sameAccount = accountOf(req.principal) === policies.resourceAccount || req.resource === "*";
    if (sameAccount) {
        if (identityAllows) {
            return { allowed: true, reason: "identity" };
        }
        return resourceSelf ? { allowed: true, reason: "resource" } : { allowed: false, reason: "no identity policy allows it" };
    }
    if (identityAllows && (resourceSelf || resourceAccount)) {
        return { allowed: true, reason: "identity+resource" };
    }
    return { allowed: false, reason: identityAllows ? "cross-account: the resource policy does not allow it" : "cross-account: no identity policy allows it" };
}
