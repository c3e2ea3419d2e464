import { lifecycleActions } from "../../lib/support/api-calls";
import { accountOf, asList, conditionKeys, isPublicPrincipal, known, ofTypes, regionOf, resourceRule, stackRule, statementsOf } from "./util";

/* eslint-disable @typescript-eslint/no-explicit-any */

const service = "EventBridge";

/** Condition keys that restrict a public principal to an organization or accounts. */
export const RESTRICTING_KEYS = ["aws:principalorgid", "aws:principalorgpaths", "aws:principalaccount", "aws:sourceaccount", "aws:sourceorgid"];

export const busPolicyNotPublic = resourceRule({
    name: "eventbridge-bus-policy-no-public",
    service,
    controls: ["AWSARCH.EVENTS.1", "AwsSolutions-EVB1"],
    level: "mandatory",
    description:
        "An event bus policy (or EventPermission) never allows Principal `*` without an aws:PrincipalOrgID / account condition.",
    types: ["aws:cloudwatch/eventBusPolicy:EventBusPolicy", "aws:cloudwatch/eventPermission:EventPermission"],
    check: (p, r, report) => {
        if (r.type === "aws:cloudwatch/eventPermission:EventPermission") {
            if (p.principal === "*" && !p.condition) {
                report("event permission for principal * has no condition");
            }
            return;
        }
        for (const s of statementsOf(p.policy)) {
            if (s?.Effect === "Allow" && isPublicPrincipal(s.Principal) && !conditionKeys(s).some((k) => RESTRICTING_KEYS.includes(k))) {
                report(`statement ${s.Sid ?? "(no Sid)"} allows Principal * without an aws:PrincipalOrgID or account condition`);
            }
        }
    },
});

const BUS_ARN = /^arn:aws[a-z-]*:events:([a-z0-9-]+):(\d{12}):event-bus\/.+$/;

export const crossTargetRole = resourceRule({
    name: "eventbridge-cross-bus-target-role",
    service,
    controls: ["AWSARCH.EVENTS.2"],
    level: "mandatory",
    description: "A rule target that is an event bus in another Region or account has a roleArn.",
    types: ["aws:cloudwatch/eventTarget:EventTarget"],
    check: (p, r, report) => {
        const m = BUS_ARN.exec(String(p.arn ?? ""));
        if (!m || p.roleArn) {
            return;
        }
        const region = regionOf(r);
        const account = accountOf(r);
        const where = [region && m[1] !== region ? `Region ${m[1]}` : "", account && m[2] !== account ? `account ${m[2]}` : ""].filter(Boolean);
        if (where.length > 0) {
            report(`target bus is in ${where.join(" and ")} but the target has no roleArn`);
        }
    },
});


/** True when `principal` names account `account` (its root, an ARN in it, or the bare ID). */
function namesAccount(principal: unknown, account: string): boolean {
    if (principal === "*") {
        return true;
    }
    const aws = asList<string>((principal as { AWS?: string | string[] } | undefined)?.AWS);
    return aws.some((a) => a === account || a === "*" || a.startsWith(`arn:aws:iam::${account}:`));
}

export const crossAccountRuleManagement = stackRule({
    name: "eventbridge-cross-account-rule-management",
    service,
    controls: ["AWSARCH.EVENTS.3"],
    level: "mandatory",
    description:
        "A rule (or target) that one account's provider manages on another account's bus is admitted by that bus's policy for every call the provider makes over its life: create, read, update, delete, tags included (PROVIDER_API_CALLS).",
    check: (resources, _env, report) => {
        const policies = ofTypes(resources, "aws:cloudwatch/eventBusPolicy:EventBusPolicy");
        for (const r of ofTypes(resources, "aws:cloudwatch/eventRule:EventRule", "aws:cloudwatch/eventTarget:EventTarget")) {
            const m = BUS_ARN.exec(String(known(() => r.props?.eventBusName, "") ?? ""));
            const account = accountOf(r);
            if (!m || !account || m[2] === account) {
                continue;
            }
            const [, busRegion, busAccount] = m;
            const busName = String(r.props.eventBusName).split("/").pop();
            const policy = policies.find((p) => regionOf(p) === busRegion && accountOf(p) === busAccount && known(() => p.props?.eventBusName, undefined) === busName);
            const allowed = new Set(
                statementsOf(policy?.props?.policy)
                    .filter((st) => st?.Effect === "Allow" && namesAccount(st.Principal, account))
                    .flatMap((st) => asList<string>(st.Action)),
            );
            // The calls the provider makes to create, read, update and delete this resource (lib/support/api-calls).
            const missing = lifecycleActions(r.type).filter((a) => !allowed.has(a) && !allowed.has("events:*"));
            if (missing.length > 0) {
                report(`${r.type.split(":").pop()} ${r.name} is managed by account ${account} on bus ${busName} of account ${busAccount} (${busRegion}), whose bus policy does not admit ${missing.join(", ")}`, r.urn);
            }
        }
    },
});

export const rules = [busPolicyNotPublic, crossTargetRole, crossAccountRuleManagement];
