import { rules as codebuild } from "./codebuild";
import { rules as cost } from "./cost";
import { rules as dynamodb } from "./dynamodb";
import { rules as ec2 } from "./ec2";
import { rules as ecr } from "./ecr";
import { rules as efs } from "./efs";
import { rules as eks } from "./eks";
import { rules as eventbridge } from "./eventbridge";
import { rules as iam } from "./iam";
import { rules as kinesis } from "./kinesis";
import { rules as kms } from "./kms";
import { rules as lambda } from "./lambda";
import { rules as logs } from "./logs";
import { rules as msk } from "./msk";
import { rules as opensearch } from "./opensearch";
import { rules as resourcePolicies } from "./resource-policies";
import { rules as s3 } from "./s3";
import { rules as secretsmanager } from "./secretsmanager";
import { rules as sns } from "./sns";
import { rules as sqs } from "./sqs";
import { rules as stack } from "./stack";
import { rules as versions } from "./versions";
import { StackValidationPolicy } from "@pulumi/policy";
import { packConfigSuppressions, settings, SuppressionStatus, suppressionStatus } from "../config";
import { Rule } from "./util";

export * from "./util";

/** Every rule of the pack, in README order (one module per service). */
export const allRules: Rule[] = [
    ...s3,
    ...sns,
    ...sqs,
    ...resourcePolicies,
    ...dynamodb,
    ...kms,
    ...logs,
    ...secretsmanager,
    ...kinesis,
    ...efs,
    ...lambda,
    ...iam,
    ...eventbridge,
    ...msk,
    ...ec2,
    ...ecr,
    ...codebuild,
    ...eks,
    ...opensearch,
    ...versions,
    ...stack,
    ...cost,
];

const names = new Set<string>();
for (const r of allRules) {
    if (names.has(r.name)) {
        throw new Error(`duplicate policy name ${r.name}`);
    }
    names.add(r.name);
}

/**
 * The report lines for suppression statuses: one `SUPPRESSED` line per matched resource
 * (with the suppression's source) and a `WARNING` (no URN, stack level) for each
 * logical name that matches several resources.
 */
export function suppressionReportLines(statuses: SuppressionStatus[]): { message: string; urn?: string }[] {
    const out: { message: string; urn?: string }[] = [];
    for (const s of statuses) {
        for (const m of s.matches) {
            out.push({ message: `SUPPRESSED ${s.rule} on ${m.name}: ${s.reason} (${s.source})`, urn: m.urn });
        }
        if (s.warning) {
            out.push({ message: `WARNING ${s.warning}` });
        }
    }
    return out;
}

/**
 * Advisory pack-only policy: lists every suppression in effect that matches a
 * resource of the stack, whatever its source (`policies/suppressions.json` or
 * `--policy-pack-config`), with its reason and source, so `pulumi preview` shows
 * what is silenced; warns when a logical name matches several resources (the
 * offline plan prints the same list).
 */
export const suppressionReport: StackValidationPolicy = {
    name: "policy-suppressions",
    description: "Lists the suppressions in effect (rule, resource, reason, source) and warns when a name matches several resources.",
    enforcementLevel: "advisory",
    validateStack: (args, reportViolation) => {
        const statuses = suppressionStatus(args.resources, [...settings().suppressions, ...packConfigSuppressions()]);
        for (const line of suppressionReportLines(statuses)) {
            reportViolation(line.message, line.urn);
        }
    },
};

/** What `policies/index.ts` hands to `new PolicyPack`. */
export const packPolicies = [...allRules, suppressionReport];
