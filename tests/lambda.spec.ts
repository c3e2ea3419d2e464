import * as assert from "assert";
import { runProgram } from "../lib/plan/recorder";
import { json } from "./helpers";

/**
 * Every Lambda function of the program is built one way (lib/aws/lambda.ts `lambdaFunction`): JSON
 * logs into a log group the program creates with retention (and a key), tracing Active, a role
 * whose trust admits Lambda only for the account, an inline policy that can write its log streams,
 * and an error alarm. Whole-stack: it is about all functions at once.
 */
for (const stack of ["dev", "prod"]) {
    describe(`${stack}: every Lambda function is built the one way`, () => {
        it("JSON logs to its own retained, encrypted log group; tracing Active; trust scoped; logs granted; error alarm", async () => {
            const run = await runProgram(stack);
            const fns = run.resources.filter((r) => r.type === "aws:lambda/function:Function");
            assert.ok(fns.length >= 4);
            for (const fn of fns) {
                const group = fn.inputs.loggingConfig?.logGroup;
                assert.strictEqual(fn.inputs.loggingConfig?.logFormat, "JSON", fn.name);
                assert.deepStrictEqual(fn.inputs.tracingConfig, { mode: "Active" }, fn.name);
                const lg = run.resources.find((r) => r.type === "aws:cloudwatch/logGroup:LogGroup" && r.inputs.name === group);
                assert.ok(lg && lg.inputs.retentionInDays > 0 && lg.inputs.kmsKeyId, `${fn.name}: log group ${group}`);
                const role = run.resources.find((r) => r.type === "aws:iam/role:Role" && r.state.arn === fn.inputs.role);
                assert.ok(role, fn.name);
                const trust = json(role.inputs.assumeRolePolicy).Statement[0];
                assert.deepStrictEqual([trust.Principal, trust.Condition], [{ Service: "lambda.amazonaws.com" }, { StringEquals: { "aws:SourceAccount": role.accountId } }], fn.name);
                const policy = run.resources.find((r) => r.type === "aws:iam/rolePolicy:RolePolicy" && [role.state.name, `${role.name}-id`].includes(r.inputs.role));
                assert.ok(policy, fn.name);
                const logs = json(policy.inputs.policy).Statement.find((s: any) => s.Sid === "WriteOwnLogs");
                assert.strictEqual(logs?.Resource, `${lg.state.arn}:*`, fn.name);
                const alarm = run.resources.find((r) => r.type === "aws:cloudwatch/metricAlarm:MetricAlarm" && r.inputs.metricName === "Errors" && r.inputs.dimensions?.FunctionName === fn.state.name);
                assert.ok(alarm && alarm.inputs.comparisonOperator === "GreaterThanOrEqualToThreshold", `${fn.name}: error alarm`);
            }
        });
    });
}
