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
import { StackValidationPolicy } from "@pulumi/policy";
import { settings } from "../config";
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
 * Advisory pack-only policy: lists each suppression from `policies/suppressions.json`
 * that matches a resource of the stack, with its reason, so `pulumi preview`
 * shows what is silenced (the offline plan shows suppressed findings directly).
 */
export const suppressionReport: StackValidationPolicy = {
    name: "policy-suppressions",
    description: "Lists the suppressions in effect (rule, resource, reason).",
    enforcementLevel: "advisory",
    validateStack: (args, reportViolation) => {
        for (const s of settings().suppressions) {
            const r = args.resources.find((x) => x.urn === s.resource || x.name === s.resource);
            if (r) {
                reportViolation(`SUPPRESSED ${s.rule} on ${r.name}: ${s.reason}`, r.urn);
            }
        }
    },
};

/** What `policies/index.ts` hands to `new PolicyPack`. */
export const packPolicies = [...allRules, suppressionReport];
