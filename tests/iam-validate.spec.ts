import * as assert from "assert";
import { arnMatches, expandAction, POLICY_INPUTS, validatePolicy } from "../lib/iam/validate";
import { runProgram } from "../lib/plan/recorder";

/* eslint-disable @typescript-eslint/no-explicit-any */

const doc = (...Statement: any[]) => ({ Version: "2012-10-17", Statement });
const codes = (d: any, kind: "identity" | "trust" | "resource" = "identity") => validatePolicy(d, kind).map((f) => f.code);

describe("policy validation against the Service Authorization Reference (lib/iam/validate)", () => {
    it("finds the defects the audit named: a *-only action scoped, a consumer action on a stream, the wrong service's connection ARN", () => {
        const broker = validatePolicy(doc({ Effect: "Allow", Action: "kafka:GetBootstrapBrokers", Resource: "arn:aws:kafka:us-east-1:111111111111:cluster/c/abcd-1234" }), "identity");
        assert.deepStrictEqual(broker.map((f) => f.code), ["UNSUPPORTED_RESOURCE_ARN_IN_POLICY"]);
        assert.match(broker[0].message, /kafka:GetBootstrapBrokers supports only Resource "\*"/);
        assert.deepStrictEqual(codes(doc({ Effect: "Allow", Action: "kafka:GetBootstrapBrokers", Resource: "*" })), []);
        assert.deepStrictEqual(codes(doc({ Effect: "Allow", Action: "kinesis:SubscribeToShard", Resource: "arn:aws:kinesis:us-west-2:111111111111:stream/in" })), ["RESOURCE_TYPE_MISMATCH"]);
        assert.deepStrictEqual(
            codes(doc({ Effect: "Allow", Action: "kinesis:SubscribeToShard", Resource: "arn:aws:kinesis:us-west-2:111111111111:stream/in/consumer/c:1700000000" })),
            [],
        );
        const conn = "arn:aws:codestar-connections:us-east-1:111111111111:connection/abc";
        assert.deepStrictEqual(codes(doc({ Effect: "Allow", Action: ["codestar-connections:UseConnection", "codeconnections:UseConnection"], Resource: conn })), ["RESOURCE_TYPE_MISMATCH"]);
    });

    it("checks actions, wildcards, condition keys and their operators", () => {
        assert.deepStrictEqual(codes(doc({ Effect: "Allow", Action: "s3:GetObjectz", Resource: "*" })), ["INVALID_ACTION"]);
        assert.ok(expandAction("s3:Get*").length > 20 && expandAction("nosuchservice:Get*").length === 0);
        assert.deepStrictEqual(codes(doc({ Effect: "Allow", Action: "sqs:SendMessage", Resource: "arn:aws:sqs:us-east-1:1:q", Condition: { StringEquals: { "sqs:NoSuchKey": "x" } } })), ["INVALID_CONDITION_KEY"]);
        assert.deepStrictEqual(codes(doc({ Effect: "Allow", Action: "sqs:SendMessage", Resource: "arn:aws:sqs:us-east-1:1:q", Condition: { Bool: { "aws:SourceAccount": "true" } } })), ["MISMATCHED_TYPE"]);
        assert.deepStrictEqual(
            codes(doc({ Effect: "Allow", Action: "kms:Decrypt", Resource: "*", Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:us-east-1:1:log-group:*" }, BoolIfExists: { "aws:SecureTransport": "true" } } })),
            [],
            "service keys with ${} patterns, IfExists operators",
        );
    });

    it("matches wildcard ARNs the way IAM does: a log group's :* covers its streams, rule/* both kinds of rule", () => {
        assert.ok(arnMatches("arn:aws:logs:us-east-1:1:log-group:/aws/lambda/f:*", "arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}:log-stream:${LogStreamName}"));
        assert.ok(arnMatches("arn:aws:events:us-east-1:1:rule/*", "arn:${Partition}:events:${Region}:${Account}:rule/${EventBusName}/${RuleName}"));
        assert.ok(!arnMatches("arn:aws:kinesis:us-west-2:1:stream/in", "arn:${Partition}:kinesis:${Region}:${Account}:${StreamType}/${StreamName}/consumer/${ConsumerName}:${ConsumerCreationTimpstamp}"));
        assert.deepStrictEqual(codes(doc({ Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: "arn:aws:logs:us-east-1:1:log-group:/aws/lambda/f:*" })), []);
    });

    it("reads a document as IAM does: JSON text or object, one statement or a list; text that is not a JSON object is a syntax error", () => {
        const st = { Effect: "Allow", Action: "sqs:SendMessage", Resource: "arn:aws:sqs:us-east-1:111111111111:q" };
        assert.deepStrictEqual(codes({ Version: "2012-10-17", Statement: st }), []);
        assert.deepStrictEqual(codes(JSON.stringify({ Version: "2012-10-17", Statement: [st] })), []);
        assert.deepStrictEqual(codes('{"Version": "2012-10-17", "Statement": ['), ["JSON_SYNTAX_ERROR"]);
        assert.deepStrictEqual(codes("[]"), ["JSON_SYNTAX_ERROR"]);
    });

    it("checks the principal element by document kind", () => {
        assert.deepStrictEqual(codes(doc({ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "s3:GetObject", Resource: "*" })), ["UNSUPPORTED_ELEMENT"]);
        assert.deepStrictEqual(codes(doc({ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }), "trust"), []);
        assert.deepStrictEqual(codes(doc({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::12:root" }, Action: "sts:AssumeRole" }), "trust"), ["INVALID_PRINCIPAL"]);
        assert.deepStrictEqual(codes(doc({ Effect: "Allow", Action: "sqs:SendMessage", Resource: "arn:aws:sqs:us-east-1:1:q" }), "resource"), ["MISSING_PRINCIPAL"]);
        const irsa = doc({
            Effect: "Allow",
            Principal: { Federated: "arn:aws:iam::111111111111:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/ABC" },
            Action: "sts:AssumeRoleWithWebIdentity",
            Condition: { StringEquals: { "oidc.eks.us-west-2.amazonaws.com/id/ABC:sub": "system:serviceaccount:flink:sa", "oidc.eks.us-west-2.amazonaws.com/id/ABC:aud": "sts.amazonaws.com" } },
        });
        assert.deepStrictEqual(codes(irsa, "trust"), []);
    });

    for (const stack of ["dev", "prod"]) {
        it(`${stack}: every policy document of the stack validates with no ERROR finding`, async () => {
            const run = await runProgram(stack);
            let documents = 0;
            let statements = 0;
            const findings: string[] = [];
            for (const r of run.resources) {
                for (const { prop, kind } of POLICY_INPUTS[r.type] ?? []) {
                    const raw = r.inputs[prop];
                    if (raw === undefined) {
                        continue;
                    }
                    const d = typeof raw === "string" ? JSON.parse(raw) : raw;
                    documents += 1;
                    statements += [d.Statement].flat().length;
                    findings.push(...validatePolicy(d, kind).map((f) => `${r.name}.${prop}[${f.statement}] ${f.code}: ${f.message}`));
                }
            }
            assert.ok(documents > 60 && statements > documents, `${documents} documents, ${statements} statements`);
            assert.deepStrictEqual(findings, []);
        });
    }
});
