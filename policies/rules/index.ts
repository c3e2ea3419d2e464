import { rules as containers } from "./containers";
import { rules as cost } from "./cost";
import { rules as data } from "./data";
import { rules as ec2 } from "./ec2";
import { rules as eventbridge } from "./eventbridge";
import { rules as iam } from "./iam";
import { rules as lambda } from "./lambda";
import { rules as messaging } from "./messaging";
import { rules as msk } from "./msk";
import { rules as s3 } from "./s3";
import { rules as stack } from "./stack";
import { Rule } from "./util";

export * from "./util";

/** Every rule of the pack, in README order. */
export const allRules: Rule[] = [...s3, ...messaging, ...data, ...lambda, ...iam, ...eventbridge, ...msk, ...ec2, ...containers, ...stack, ...cost];

const names = new Set<string>();
for (const r of allRules) {
    if (names.has(r.name)) {
        throw new Error(`duplicate policy name ${r.name}`);
    }
    names.add(r.name);
}
