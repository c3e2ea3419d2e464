import { conditionKeys, isPublicPrincipal, resourceRule, statementsOf } from "./util";

/** Condition keys that scope a public principal to a source, account or organization. */
export const SCOPING_KEYS = [
    "aws:sourcearn",
    "aws:sourceaccount",
    "aws:sourceowner",
    "aws:principalorgid",
    "aws:principalaccount",
    "aws:sourcevpc",
    "aws:sourcevpce",
    "aws:principalorgpaths",
];

function publicStatements(policy: unknown): string[] {
    return statementsOf(policy)
        .filter((s) => s?.Effect === "Allow" && isPublicPrincipal(s.Principal) && !conditionKeys(s).some((k) => SCOPING_KEYS.includes(k)))
        .map((s) => s.Sid ?? "(no Sid)");
}

export const snsNoPublicPolicy = resourceRule({
    name: "sns-4-no-public-policy",
    service: "SNS",
    controls: ["SNS.4"],
    level: "mandatory",
    description: "SNS topic policies never allow Principal `*` without a source, account or organization condition.",
    types: ["aws:sns/topicPolicy:TopicPolicy", "aws:sns/topic:Topic"],
    check: (p, _r, report) => {
        for (const sid of publicStatements(p.policy)) {
            report(`statement ${sid} allows Principal * without a source/account condition`);
        }
    },
});

export const sqsNoPublicPolicy = resourceRule({
    name: "sqs-3-no-public-policy",
    service: "SQS",
    controls: ["SQS.3"],
    level: "mandatory",
    description: "SQS queue policies never allow Principal `*` without a source, account or organization condition.",
    types: ["aws:sqs/queuePolicy:QueuePolicy", "aws:sqs/queue:Queue"],
    check: (p, _r, report) => {
        for (const sid of publicStatements(p.policy)) {
            report(`statement ${sid} allows Principal * without a source/account condition`);
        }
    },
});

export const rules = [snsNoPublicPolicy, sqsNoPublicPolicy];
