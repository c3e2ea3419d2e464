import { AccessContract, ContractCall } from "../../functions/shared/contract";
import { Context, Policies, Principal, Statement, conditionsHold, evaluate, principalValuesNaming, requestContext, statementApplies } from "../iam/simulate";
import { expandAction, iamWildcard, resourceTypeArn } from "../iam/validate";
import { policyStatements } from "../iam/document";
import { ProgramRun, RecordedResource } from "./recorder";
import { WORKLOADS, Workload, wiringCalls } from "./wirings";

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * The access model of a recorded stack: every call a handler, a build script, a workload or an AWS
 * service makes (its contract or its wiring, `wirings.ts`), evaluated against the identity policies
 * of the calling role plus the resource and key policies involved, on the ARNs the stack creates
 * (`../iam/simulate.ts`). It also lists every action an identity policy grants that no call needs.
 */

/** One call, as IAM authorizes it. */
export interface AccessCall {
    principal: Principal;
    action: string;
    /** The ARN acted on (`*` for an action with no resource type). */
    resource: string;
    context?: Context;
    /** The contract or wiring that states the call. */
    from: string;
    /** Identity policies of a caller outside the stack (e.g. the deploying identity), instead of a role's. */
    identity?: Statement[];
}

/** An action an identity policy grants on a resource pattern. */
export interface Grant {
    role: string;
    sid?: string;
    action: string;
    resource: string;
    /** Why it is granted although no call needs it (set by `EXPLAINED` in wirings.ts). */
    explained?: string;
    /** For a resource, key or trust policy: the principal value the statement names, and the account that owns the resource. */
    principal?: string;
    owner?: string;
}

export interface AccessReport {
    /** Policy documents of every kind (trust, identity, resource, key). */
    policies: number;
    statements: number;
    calls: AccessCall[];
    denied: { call: AccessCall; reason: string }[];
    /** Granted actions no call needs and nothing explains. */
    excess: Grant[];
    /** Granted actions no call needs, each with the reason it stays. */
    explained: Grant[];
    /** Action wildcards left in identity policies, and how many actions each stands for. */
    wildcards: { role: string; pattern: string; actions: number }[];
    /** What the model does not evaluate, and why. */
    notSimulated: string[];
}

const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
/** The statements of a policy document, each tagged with where it was read (`origin#index`) when `origin` is given. */
export const statementsOf = (doc: unknown, origin?: string): Statement[] =>
    (policyStatements(doc) as Statement[]).map((st, i) => (origin ? { ...st, origin: `${origin}#${i}` } : st));

interface RoleInfo {
    resource: RecordedResource;
    identity: Statement[];
    trust: Statement[];
    /** AWS managed policies attached (their documents are not in the stack). */
    managed: string[];
}

/** Lookups over a recorded run: resources by ARN and by reference, roles and their policies, resource policies. */
export class AccessModel {
    private readonly byArnMap = new Map<string, RecordedResource>();
    readonly roles = new Map<string, RoleInfo>();
    policyCount = 0;
    statementCount = 0;
    /** Statements of trust, resource and key policies (and Lambda permissions), tagged with their origin. */
    readonly resourceStatements: Statement[] = [];

    constructor(readonly run: ProgramRun) {
        for (const r of run.resources) {
            if (r.custom && typeof r.state.arn === "string" && !this.byArnMap.has(r.state.arn)) {
                this.byArnMap.set(r.state.arn, r);
            }
        }
        for (const role of this.ofType("aws:iam/role:Role")) {
            const refs = this.refs(role);
            const identity: Statement[] = list(role.inputs.inlinePolicies).flatMap((p: any) => statementsOf(p?.policy));
            const managed: string[] = [];
            for (const r of run.resources) {
                if (r.type === "aws:iam/rolePolicy:RolePolicy" && refs.has(r.inputs.role)) {
                    identity.push(...statementsOf(r.inputs.policy));
                }
                if (r.type === "aws:iam/rolePolicyAttachment:RolePolicyAttachment" && refs.has(r.inputs.role)) {
                    const own = this.byArn(r.inputs.policyArn);
                    if (own) {
                        identity.push(...statementsOf(own.inputs.policy));
                    } else {
                        managed.push(r.inputs.policyArn);
                    }
                }
            }
            this.roles.set(role.state.arn, { resource: role, identity, trust: statementsOf(role.inputs.assumeRolePolicy, `${role.name} trust`), managed });
        }
        for (const r of run.resources) {
            const docs =
                r.type === "aws:iam/role:Role"
                    ? [r.inputs.assumeRolePolicy, ...list(r.inputs.inlinePolicies).map((p: any) => p?.policy)]
                    : ([
                          "aws:iam/rolePolicy:RolePolicy",
                          "aws:iam/policy:Policy",
                          "aws:s3/bucketPolicy:BucketPolicy",
                          "aws:sns/topicPolicy:TopicPolicy",
                          "aws:sqs/queuePolicy:QueuePolicy",
                          "aws:cloudwatch/eventBusPolicy:EventBusPolicy",
                          "aws:ecr/repositoryPolicy:RepositoryPolicy",
                          "aws:kms/key:Key",
                      ].includes(r.type)
                          ? [r.inputs.policy]
                          : r.type === "aws:cloudwatch/logResourcePolicy:LogResourcePolicy"
                            ? [r.inputs.policyDocument]
                            : r.type === "aws:opensearch/domain:Domain"
                              ? [r.inputs.accessPolicies]
                              : []
                      ).filter((d) => d !== undefined);
            for (const d of docs) {
                this.policyCount++;
                this.statementCount += statementsOf(d).length;
            }
            // Every statement that is not an identity policy's, tagged with its origin (for the excess of resource, key and trust policies).
            if (r.type === "aws:iam/role:Role") {
                this.resourceStatements.push(...statementsOf(r.inputs.assumeRolePolicy, `${r.name} trust`));
            } else if (r.type === "aws:lambda/permission:Permission") {
                this.resourceStatements.push(permissionStatement(r, undefined));
            } else if (!["aws:iam/rolePolicy:RolePolicy", "aws:iam/policy:Policy"].includes(r.type)) {
                for (const d of docs) {
                    this.resourceStatements.push(...statementsOf(d, r.name));
                }
            }
        }
    }

    ofType(type: string): RecordedResource[] {
        return this.run.resources.filter((r) => r.type === type);
    }

    byArn(arn: unknown): RecordedResource | undefined {
        return typeof arn === "string" ? this.byArnMap.get(arn) : undefined;
    }

    /** The values other resources use to point at `r` (its id, name, ARN). */
    refs(r: RecordedResource): Set<string> {
        return new Set([`${r.name}-id`, r.state.id, r.state.name, r.state.arn, r.inputs.name, r.state.bucket, r.inputs.bucket].filter((x): x is string => typeof x === "string"));
    }

    /** The resource a name, URL, endpoint or ARN denotes, if the stack creates it. */
    resolve(value: unknown): RecordedResource | undefined {
        if (typeof value !== "string" || value === "") {
            return undefined;
        }
        return (
            this.byArn(value) ??
            this.run.resources.find(
                (r) => r.custom && typeof r.state.arn === "string" && [r.inputs.name, r.state.name, r.state.url, r.state.endpoint, r.state.repositoryUrl, r.inputs.bucket, `${r.name}-id`].includes(value),
            )
        );
    }

    /** The policies that apply to `call`: the caller's identity policies, and the resource's (or key's, or trust) policy. */
    policiesFor(call: AccessCall): Policies {
        const identity = call.identity ?? (call.principal.kind === "role" ? (this.roles.get(call.principal.arn)?.identity ?? []) : []);
        const arn = call.resource;
        const account = arn.split(":")[4] || this.bucketOf(arn)?.accountId || (call.principal.kind === "role" ? call.principal.arn.split(":")[4] : "");
        if (/^sts:AssumeRole/.test(call.action)) {
            return { identity, resource: this.roles.get(arn)?.trust ?? [], resourceAccount: account };
        }
        const [, , service, region] = arn.split(":");
        const sameRegion = (r: RecordedResource) => r.region === region && r.accountId === account;
        let resource: Statement[] | undefined;
        let kmsKey = false;
        switch (service) {
            case "kms": {
                kmsKey = true;
                const key = this.byArn(arn);
                // A key created without a policy gets the default one: the account's IAM policies decide (KMS Developer Guide, "Default key policy").
                resource = key?.inputs.policy ? statementsOf(key.inputs.policy, key.name) : [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: "kms:*", Resource: "*" }];
                break;
            }
            case "s3": {
                const bucket = this.bucketOf(arn);
                const refs = bucket ? this.refs(bucket) : new Set<string>();
                resource = this.ofType("aws:s3/bucketPolicy:BucketPolicy")
                    .filter((p) => refs.has(p.inputs.bucket))
                    .flatMap((p) => statementsOf(p.inputs.policy, p.name));
                break;
            }
            case "sns":
                resource = this.ofType("aws:sns/topicPolicy:TopicPolicy")
                    .filter((p) => p.inputs.arn === arn)
                    .flatMap((p) => statementsOf(p.inputs.policy, p.name));
                break;
            case "sqs": {
                const url = this.byArn(arn)?.state.url;
                resource = this.ofType("aws:sqs/queuePolicy:QueuePolicy")
                    .filter((p) => p.inputs.queueUrl === url)
                    .flatMap((p) => statementsOf(p.inputs.policy, p.name));
                break;
            }
            case "events": {
                // Rules are authorized against their bus's policy (arn:…:rule/<bus>/<rule>; no bus segment: default).
                const path = arn.split(":").slice(5).join(":");
                const bus = path.startsWith("event-bus/") ? path.slice("event-bus/".length) : path.split("/").length > 2 ? path.split("/")[1] : "default";
                const busArn = `arn:aws:events:${region}:${account}:event-bus/${bus}`;
                resource = this.ofType("aws:cloudwatch/eventBusPolicy:EventBusPolicy")
                    .filter((p) => sameRegion(p) && [bus, busArn].includes(p.inputs.eventBusName))
                    .flatMap((p) => statementsOf(p.inputs.policy, p.name));
                break;
            }
            case "ecr": {
                const name = arn.split(":repository/")[1];
                resource = this.ofType("aws:ecr/repositoryPolicy:RepositoryPolicy")
                    .filter((p) => sameRegion(p) && p.inputs.repository === name)
                    .flatMap((p) => statementsOf(p.inputs.policy, p.name));
                break;
            }
            case "lambda": {
                const fn = this.byArn(arn.split(":").slice(0, 7).join(":"));
                const refs = fn ? this.refs(fn) : new Set<string>();
                // A function's resource policy is the sum of its permissions (Lambda AddPermission builds one statement each).
                resource = this.ofType("aws:lambda/permission:Permission")
                    .filter((p) => refs.has(p.inputs.function))
                    .map((p) => permissionStatement(p, fn?.state.arn));
                break;
            }
            case "es": {
                const name = arn.split(":domain/")[1]?.split("/")[0];
                resource = this.ofType("aws:opensearch/domain:Domain")
                    .filter((d) => d.inputs.domainName === name && sameRegion(d))
                    .flatMap((d) => statementsOf(d.inputs.accessPolicies, d.name));
                break;
            }
            case "logs":
                resource = this.ofType("aws:cloudwatch/logResourcePolicy:LogResourcePolicy")
                    .filter(sameRegion)
                    .flatMap((p) => statementsOf(p.inputs.policyDocument, p.name));
                break;
            default:
                resource = undefined;
        }
        return { identity, resource, resourceAccount: account, kmsKey };
    }

    /** The account owning the resource a tagged statement (`origin`) was read from. */
    ownerOf(origin: string | undefined): string | undefined {
        const name = origin?.replace(/( trust)?#\d+$/, "");
        return this.run.resources.find((r) => r.name === name)?.accountId;
    }

    bucketOf(arn: string): RecordedResource | undefined {
        if (!arn.startsWith("arn:aws:s3:::")) {
            return undefined;
        }
        return this.byArn(`arn:aws:s3:::${arn.slice("arn:aws:s3:::".length).split("/")[0]}`);
    }
}

/** The statement a Lambda permission adds to its function's policy (AddPermission builds one per permission). */
function permissionStatement(p: RecordedResource, functionArn: string | undefined): Statement {
    return {
        origin: `${p.name}#0`,
        Effect: "Allow",
        Principal: { [/\.amazonaws\.com$/.test(p.inputs.principal) ? "Service" : "AWS"]: p.inputs.principal as string },
        Action: p.inputs.action,
        ...(functionArn ? { Resource: functionArn } : {}),
        ...(p.inputs.sourceArn || p.inputs.sourceAccount
            ? {
                  Condition: {
                      ...(p.inputs.sourceArn ? { ArnLike: { "aws:SourceArn": p.inputs.sourceArn } } : {}),
                      ...(p.inputs.sourceAccount ? { StringEquals: { "aws:SourceAccount": p.inputs.sourceAccount } } : {}),
                  },
              }
            : {}),
    };
}

/** The ARN of a resource type of `action` (Service Authorization Reference template) with its name placeholders filled. */
export function arnFor(action: string, region: string, account: string, names: string[]): string {
    const data = expandAction(action)[0];
    if (!data || data.resourceTypes.length === 0) {
        return "*";
    }
    const rt = data.resourceTypes.find((t) => t.required) ?? data.resourceTypes[0];
    const template = resourceTypeArn(action.split(":")[0], rt.name) ?? "*";
    let i = 0;
    return template.replace(/\$\{([^}]+)\}/g, (_m, p: string) => (p === "Partition" ? "aws" : p === "Region" ? region : p === "Account" ? account : (names[i++] ?? "1")));
}

/** The calls of a contract made by `principal`, their resources named through `env` (and `input`, per invocation). */
export function contractCalls(contract: AccessContract, principal: Principal, bound: Binding, model: AccessModel): AccessCall[] {
    const out: AccessCall[] = [];
    const { env, region, context } = bound;
    const inputs = bound.inputs ?? [{}];
    const account = principal.kind === "role" ? principal.arn.split(":")[4] : "";
    const from = (c: ContractCall) => `${contract.handler} (contract): ${c.why}`;
    const push = (c: ContractCall, resource: string) => {
        const ctx = { ...(context ?? {}), ...(c.context ?? {}) };
        out.push({ principal, action: c.action, resource, from: from(c), ...(Object.keys(ctx).length > 0 ? { context: ctx } : {}) });
    };
    for (const c of contract.calls.filter((x) => (x.credentials ?? "role") === "role")) {
        if (c.resource === "*") {
            push(c, "*");
            continue;
        }
        if ("env" in c.resource) {
            const value = env[c.resource.env];
            if (value === undefined && c.optional) {
                continue;
            }
            if (value === undefined) {
                throw new Error(`${contract.handler}: ${c.resource.env} is not set, which the contract names for ${c.action}`);
            }
            // A name is the resource of the action's own service it names (a table, a repository, a
            // function the stack may not have created yet): the stack's resource when it has one, else
            // the ARN the reference's template gives.
            const service = c.action.split(":")[0];
            const named = model.resolve(value)?.state.arn as string | undefined;
            const target = value.startsWith("arn:") ? value : named?.split(":")[2] === service ? named : arnFor(c.action, region, account, [value]);
            push(c, `${target}${c.resource.path ?? ""}`);
            continue;
        }
        for (const input of inputs) {
            const path = c.resource.input.split(".");
            const value = path.reduce<any>((o, k) => o?.[k], input);
            if (typeof value !== "string") {
                throw new Error(`${contract.handler}: the invocation has no ${c.resource.input}`);
            }
            push(c, value.startsWith("arn:") ? value : arnFor(c.action, input.UserParameters?.region ?? input.region ?? region, account, [value]));
        }
    }
    return out;
}

/** What a workload's resource gives its contract: the environment naming targets, its Region, invocations, request context. */
export interface Binding {
    env: Record<string, string>;
    region: string;
    /** Invocation inputs, for `input` targets (e.g. a pipeline action's UserParameters). */
    inputs?: Record<string, any>[];
    /** Request context the calls carry (e.g. the tags of the resources they act on). */
    context?: Context;
}

/** Extra calls AWS makes to KMS with the caller's credentials when the target is encrypted with a customer managed key. */
function kmsCalls(model: AccessModel, call: AccessCall): AccessCall[] {
    const target = model.byArn(call.resource) ?? model.bucketOf(call.resource);
    if (!target) {
        return [];
    }
    const service = call.action.split(":")[0];
    const region = target.region ?? "";
    let key: string | undefined;
    let actions: string[] = [];
    let cite = "";
    if (service === "sns" && call.action === "sns:Publish") {
        // SNS Developer Guide, "Configuring AWS KMS permissions" (sns-key-management): publishers need GenerateDataKey* and Decrypt.
        key = target.inputs.kmsMasterKeyId;
        actions = ["kms:GenerateDataKey", "kms:Decrypt"];
        cite = "SNS sns-key-management: publishing to an encrypted topic";
    } else if (service === "sqs" && target.type === "aws:sqs/queue:Queue") {
        // SQS Developer Guide, "Key management" (sqs-key-management): producers GenerateDataKey + Decrypt, consumers Decrypt.
        key = target.inputs.kmsMasterKeyId;
        actions = call.action === "sqs:SendMessage" ? ["kms:GenerateDataKey", "kms:Decrypt"] : call.action === "sqs:ReceiveMessage" ? ["kms:Decrypt"] : [];
        cite = "SQS sqs-key-management";
    } else if (call.action === "secretsmanager:GetSecretValue") {
        // Secrets Manager User Guide, "Secret encryption and decryption": GetSecretValue with a customer managed key needs kms:Decrypt.
        key = target.inputs.kmsKeyId;
        actions = ["kms:Decrypt"];
        cite = "Secrets Manager security-encryption";
    } else if (service === "s3" && /^s3:(GetObject|GetObjectVersion|PutObject)$/.test(call.action)) {
        // S3 User Guide, "UsingKMSEncryption" (permissions): PutObject needs GenerateDataKey, GetObject Decrypt.
        const sse = model.ofType("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").find((c) => model.refs(target).has(c.inputs.bucket));
        key = sse?.inputs.rules?.[0]?.applyServerSideEncryptionByDefault?.kmsMasterKeyId;
        actions = call.action === "s3:PutObject" ? ["kms:GenerateDataKey"] : ["kms:Decrypt"];
        cite = "S3 UsingKMSEncryption";
    } else if (service === "kinesis" && call.action === "kinesis:GetRecords") {
        // Kinesis Data Streams Developer Guide, "Permissions to use user-generated KMS keys": consumers need kms:Decrypt.
        key = target.inputs.kmsKeyId;
        actions = ["kms:Decrypt"];
        cite = "Kinesis permissions-user-key-KMS";
    } else if (service === "dynamodb" && target.type === "aws:dynamodb/table:Table") {
        // DynamoDB Developer Guide, "encryption.howitworks": reading or writing a table with a customer managed key decrypts its table key.
        key = target.inputs.serverSideEncryption?.kmsKeyArn;
        actions = ["kms:Decrypt"];
        cite = "DynamoDB encryption.howitworks";
    }
    if (!key || !key.startsWith("arn:aws:kms:")) {
        return [];
    }
    const via: Context = call.principal.kind === "role" ? { "kms:ViaService": `${service}.${region}.amazonaws.com`, "kms:CallerAccount": call.principal.arn.split(":")[4] } : {};
    return actions.map((action) => ({ principal: call.principal, action, resource: key as string, context: { ...(call.context ?? {}), ...via }, from: `${call.from} → ${cite}` }));
}

/** Every call the stack's contracts and wirings state, with the KMS calls encrypted targets add. */
export function accessCalls(model: AccessModel): { calls: AccessCall[]; notSimulated: string[] } {
    const base: AccessCall[] = [];
    const notSimulated: string[] = [];
    for (const w of WORKLOADS) {
        base.push(...workloadCalls(model, w, notSimulated));
    }
    base.push(...wiringCalls(model, notSimulated));
    const calls = [...base, ...base.flatMap((c) => kmsCalls(model, c))];
    return { calls, notSimulated };
}

function workloadCalls(model: AccessModel, w: Workload, notSimulated: string[]): AccessCall[] {
    const out: AccessCall[] = [];
    for (const r of model.run.resources.filter((x) => x.type === w.type && w.match.test(x.name))) {
        const bound = w.bind(r, model);
        if (!bound) {
            continue;
        }
        for (const c of w.contract.calls.filter((x) => (x.credentials ?? "role") !== "role")) {
            notSimulated.push(`${w.contract.handler} ${c.action}: made with ${c.credentials}, which CodePipeline scopes to the job's artifacts`);
        }
        out.push(...contractCalls(w.contract, { kind: "role", arn: bound.role }, { region: r.region ?? "", ...bound }, model));
    }
    return out;
}

/** Grants of every identity policy no call needs: each (action, Resource entry) pair of an Allow statement that no call uses. */
function excessGrants(model: AccessModel, calls: AccessCall[], explain: (g: Grant) => string | undefined): { excess: Grant[]; explained: Grant[]; wildcards: AccessReport["wildcards"] } {
    const excess: Grant[] = [];
    const explained: Grant[] = [];
    const wildcards: AccessReport["wildcards"] = [];
    for (const [arn, role] of model.roles) {
        const mine = calls.filter((c) => c.principal.kind === "role" && c.principal.arn === arn);
        for (const st of role.identity.filter((s) => s.Effect === "Allow")) {
            for (const pattern of list(st.Action)) {
                const service = pattern.split(":")[0];
                const actions = expandAction(pattern).map((a) => `${service}:${a.name}`);
                if (/[*?]/.test(pattern)) {
                    wildcards.push({ role: role.resource.name, pattern, actions: actions.length });
                }
                for (const action of actions) {
                    for (const res of list(st.Resource)) {
                        // Used: some call of this role is this action, on this Resource entry, and meets the statement's conditions.
                        const used = mine.some(
                            (c) =>
                                c.action.toLowerCase() === action.toLowerCase() &&
                                (res === "*" || (c.resource !== "*" && iamWildcard(res.replace(/\$\{[^}]+\}/g, "*")).test(c.resource))) &&
                                conditionsHold(st.Condition, requestContext(c)),
                        );
                        if (!used) {
                            const g: Grant = { role: role.resource.name, sid: st.Sid, action, resource: res };
                            const why = explain(g);
                            (why ? explained : excess).push(why ? { ...g, explained: why } : g);
                        }
                    }
                }
            }
        }
    }
    return { excess, explained, wildcards };
}

/**
 * Grants of trust, resource and key policies no call needs: each (action, principal value) of an
 * Allow statement that no call by that principal used through that statement.
 */
function resourceExcessGrants(model: AccessModel, calls: AccessCall[], explain: (g: Grant) => string | undefined): { excess: Grant[]; explained: Grant[] } {
    const used = new Set<string>();
    for (const call of calls) {
        for (const st of model.policiesFor(call).resource ?? []) {
            if (st.Effect === "Allow" && st.origin && statementApplies(st, call)) {
                for (const v of principalValuesNaming(st, call.principal)) {
                    used.add(`${st.origin}|${call.action.toLowerCase()}|${v}`);
                }
            }
        }
    }
    const excess: Grant[] = [];
    const explained: Grant[] = [];
    for (const st of model.resourceStatements.filter((s) => s.Effect === "Allow" && s.Action !== undefined)) {
        const values = st.Principal === "*" ? ["*"] : Object.values(st.Principal ?? {}).flatMap((v) => list(v));
        for (const pattern of list(st.Action)) {
            const service = pattern.split(":")[0];
            for (const action of expandAction(pattern).map((a) => `${service}:${a.name}`)) {
                for (const v of values) {
                    if (!used.has(`${st.origin}|${action.toLowerCase()}|${v}`)) {
                        const g: Grant = { role: `${st.origin} (${v})`, sid: st.Sid, action, resource: list(st.Resource).join(",") || "(attached)", principal: v, owner: model.ownerOf(st.origin) };
                        const why = explain(g);
                        (why ? explained : excess).push(why ? { ...g, explained: why } : g);
                    }
                }
            }
        }
    }
    return { excess, explained };
}

/** Simulates every stated call of a recorded stack and lists the grants no call needs. */
export function simulateAccess(run: ProgramRun, explain: (g: Grant) => string | undefined = () => undefined): AccessReport {
    const model = new AccessModel(run);
    const { calls, notSimulated } = accessCalls(model);
    const denied: AccessReport["denied"] = [];
    for (const call of calls) {
        const d = evaluate(call, model.policiesFor(call));
        if (!d.allowed) {
            denied.push({ call, reason: d.reason });
        }
    }
    for (const [, role] of model.roles) {
        for (const m of role.managed) {
            notSimulated.push(`${role.resource.name}: AWS managed policy ${m} (its document is not in the stack; the calls it serves are the instance agent's or the node's)`);
        }
    }
    const identity = excessGrants(model, calls, explain);
    const resource = resourceExcessGrants(model, calls, explain);
    return {
        policies: model.policyCount,
        statements: model.statementCount,
        calls,
        denied,
        excess: [...identity.excess, ...resource.excess],
        explained: [...identity.explained, ...resource.explained],
        wildcards: identity.wildcards,
        notSimulated,
    };
}
