import { accountOf, conditionKeys, isPublicPrincipal, regionOf, resourceRule, statementsOf } from "./util";

/* eslint-disable @typescript-eslint/no-explicit-any */

const service = "EventBridge";

/** Condition keys that restrict a public principal to an organization or accounts. */
export const RESTRICTING_KEYS = ["aws:principalorgid", "aws:principalorgpaths", "aws:principalaccount", "aws:sourceaccount", "aws:sourceorgid"];

export const busPolicyNotPublic = resourceRule({
    name: "eventbridge-bus-policy-no-public",
    service,
    controls: ["AWSARCH.EVENTS.1"],
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

export const rules = [busPolicyNotPublic, crossTargetRole];
