import * as assert from "assert";
import { Policies, Request, Statement, conditionsHold, evaluate } from "../lib/iam/simulate";

/**
 * The project's policy evaluator (lib/iam/simulate.ts) against the rules of the IAM User Guide,
 * "Policy evaluation logic" and "Cross-account policy evaluation logic", and the KMS Developer
 * Guide, "Key policies".
 */
const ROLE = "arn:aws:iam::111111111111:role/app";
const OTHER = "arn:aws:iam::222222222222:role/app";
const QUEUE = "arn:aws:sqs:us-east-1:111111111111:q";
const allow = (extra: Partial<Statement> = {}): Statement => ({ Effect: "Allow", Action: "sqs:SendMessage", Resource: QUEUE, ...extra });
const asRole = (arn = ROLE, action = "sqs:SendMessage", resource = QUEUE): Request => ({ principal: { kind: "role", arn }, action, resource });
const on = (identity: Statement[], resource?: Statement[], account = "111111111111", kmsKey = false): Policies => ({ identity, resource, resourceAccount: account, kmsKey });

describe("policy evaluator (lib/iam/simulate.ts)", () => {
    it("same account: an identity Allow suffices; nothing allows → implicit deny", () => {
        assert.strictEqual(evaluate(asRole(), on([allow()])).allowed, true);
        assert.strictEqual(evaluate(asRole(), on([])).allowed, false);
        assert.strictEqual(evaluate(asRole(ROLE, "sqs:ReceiveMessage"), on([allow()])).allowed, false);
    });

    it("same account: a resource policy naming the role allows without an identity policy; naming only the account does not", () => {
        assert.strictEqual(evaluate(asRole(), on([], [allow({ Principal: { AWS: ROLE } })])).allowed, true);
        assert.strictEqual(evaluate(asRole(), on([], [allow({ Principal: { AWS: "arn:aws:iam::111111111111:root" } })])).allowed, false);
    });

    it("an explicit Deny wins over any Allow, in either policy", () => {
        const deny: Statement = { Effect: "Deny", Principal: "*", Action: "sqs:*", Resource: QUEUE, Condition: { Bool: { "aws:SecureTransport": "false" } } };
        assert.strictEqual(evaluate(asRole(), on([allow()], [deny])).allowed, true, "TLS is on: the TLS-only deny does not apply");
        assert.strictEqual(evaluate({ ...asRole(), context: { "aws:SecureTransport": "false" } }, on([allow()], [deny])).allowed, false);
        assert.strictEqual(evaluate(asRole(), on([allow(), { Effect: "Deny", Action: "sqs:*", Resource: "*" }])).reason, "explicit deny (identity policy)");
    });

    it("cross account: both the identity policy and the resource policy must allow", () => {
        const res = [allow({ Principal: { AWS: "222222222222" } })];
        assert.strictEqual(evaluate(asRole(OTHER), on([allow()], res)).allowed, true);
        assert.strictEqual(evaluate(asRole(OTHER), on([], res)).allowed, false);
        assert.strictEqual(evaluate(asRole(OTHER), on([allow()], [])).allowed, false);
    });

    it("KMS: the key policy is required; the account's IAM policies count only when it delegates to the account", () => {
        const key = "arn:aws:kms:us-east-1:111111111111:key/k";
        const req = asRole(ROLE, "kms:Decrypt", key);
        const grant: Statement = { Effect: "Allow", Action: "kms:Decrypt", Resource: key };
        const root: Statement = { Effect: "Allow", Principal: { AWS: "arn:aws:iam::111111111111:root" }, Action: "kms:*", Resource: "*" };
        assert.strictEqual(evaluate(req, on([grant], [root], "111111111111", true)).allowed, true);
        assert.strictEqual(evaluate(req, on([grant], [], "111111111111", true)).allowed, false, "no key policy statement: IAM alone cannot grant a key");
        assert.strictEqual(evaluate(req, on([], [root], "111111111111", true)).allowed, false);
    });

    it("a service principal has no identity policy: only a resource policy naming it (with its conditions) allows it", () => {
        const req: Request = { principal: { kind: "service", service: "sns.amazonaws.com" }, action: "sqs:SendMessage", resource: QUEUE, context: { "aws:SourceArn": "arn:aws:sns:us-east-1:111111111111:t" } };
        const fromTopic = allow({ Principal: { Service: "sns.amazonaws.com" }, Condition: { ArnEquals: { "aws:SourceArn": "arn:aws:sns:us-east-1:111111111111:t" } } });
        assert.strictEqual(evaluate(req, on([allow()], [fromTopic])).allowed, true);
        assert.strictEqual(evaluate({ ...req, context: { "aws:SourceArn": "arn:aws:sns:us-east-1:111111111111:other" } }, on([], [fromTopic])).allowed, false);
        assert.strictEqual(evaluate(req, on([allow()], [])).allowed, false);
    });

    it("conditions: missing keys, IfExists, negated operators, ForAllValues, policy variables and wildcards", () => {
        assert.strictEqual(conditionsHold({ StringEquals: { "aws:SourceAccount": "1" } }, {}), false);
        assert.strictEqual(conditionsHold({ StringEqualsIfExists: { "aws:SourceAccount": "1" } }, {}), true);
        assert.strictEqual(conditionsHold({ StringNotEquals: { "aws:SourceAccount": "1" } }, {}), true);
        assert.strictEqual(conditionsHold({ StringNotEquals: { "aws:SourceAccount": "1" } }, { "aws:SourceAccount": "1" }), false);
        assert.strictEqual(conditionsHold({ "ForAllValues:StringEquals": { "aws:TagKeys": ["a", "b"] } }, { "aws:TagKeys": ["a"] }), true);
        assert.strictEqual(conditionsHold({ "ForAllValues:StringEquals": { "aws:TagKeys": ["a"] } }, { "aws:TagKeys": ["a", "c"] }), false);
        assert.strictEqual(conditionsHold({ "ForAnyValue:StringEquals": { "aws:TagKeys": ["c"] } }, { "aws:TagKeys": ["a", "c"] }), true);
        assert.strictEqual(conditionsHold({ StringEquals: { "events:creatorAccount": "${aws:PrincipalAccount}" } }, { "events:creatorAccount": "2", "aws:PrincipalAccount": "2" }), true);
        assert.strictEqual(conditionsHold({ StringEquals: { "events:creatorAccount": "${aws:PrincipalAccount}" } }, { "events:creatorAccount": "3", "aws:PrincipalAccount": "2" }), false);
        assert.strictEqual(conditionsHold({ ArnLike: { "aws:SourceArn": "arn:aws:events:*:1:rule/*" } }, { "aws:SourceArn": "arn:aws:events:us-east-1:1:rule/r" }), true);
        assert.strictEqual(conditionsHold({ Null: { "aws:SourceArn": "true" } }, {}), true);
        assert.strictEqual(conditionsHold({ Bool: { "aws:SecureTransport": false } as unknown as Record<string, unknown> }, { "aws:SecureTransport": "true" }), false);
    });

    it("resources match as IAM globs (case-sensitive), actions case-insensitively, NotAction/NotResource invert", () => {
        assert.strictEqual(evaluate(asRole(ROLE, "SQS:sendmessage"), on([allow()])).allowed, true);
        assert.strictEqual(evaluate(asRole(ROLE, "sqs:SendMessage", QUEUE.toUpperCase()), on([allow()])).allowed, false);
        assert.strictEqual(evaluate(asRole(), on([{ Effect: "Allow", NotAction: "sqs:Delete*", Resource: "*" }])).allowed, true);
        assert.strictEqual(evaluate(asRole(), on([{ Effect: "Allow", Action: "sqs:*", NotResource: QUEUE }])).allowed, false);
    });

    it("refuses what it does not model instead of guessing", () => {
        assert.throws(() => conditionsHold({ DateGreaterThan: { "aws:CurrentTime": "2026-01-01T00:00:00Z" } }, { "aws:CurrentTime": "2026-12-02T00:00:00Z" }), /not modelled/);
        assert.throws(() => evaluate(asRole(), on([], [allow({ NotPrincipal: { AWS: OTHER } })])), /NotPrincipal with Allow/);
    });
});
