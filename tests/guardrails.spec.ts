import { strict as assert } from "assert";
import { readStackFile, parseStackConfig } from "../lib/config/load";
import { ProgramRun, RecordedResource, runProgram } from "../lib/plan/recorder";
import { ofType, statements } from "./helpers";

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * The guardrails every stack gets (README "Guardrails every stack gets", issue 16), held on the
 * recorded stacks by their properties: server access logging into one access-log bucket per
 * (account, Region), flow logs and a closed default group on every VPC, TLS-only policies on every
 * queue. The policy pack checks presence; these specs check what each guardrail is.
 */
const BUCKET = "aws:s3/bucket:Bucket";
const isLogBucket = (b: RecordedResource) => /^access-logs-\d{12}-/.test(b.name);
const childOf = (run: ProgramRun, type: string, bucket: RecordedResource) =>
    ofType(run, type).filter((r) => r.inputs.bucket === bucket.state.bucket);

for (const stack of ["dev", "prod"]) {
    const prod = stack === "prod";
    describe(`${stack}: guardrails every stack gets`, () => {
        let run: ProgramRun;
        before(async () => {
            run = await runProgram(stack);
        });

        it("one access-log bucket per (account, Region) with buckets: SSE-S3, versioned, private, TLS-only, log delivery for its own account only, protected in prod", () => {
            const logBuckets = ofType(run, BUCKET).filter(isLogBucket);
            const others = ofType(run, BUCKET).filter((b) => !isLogBucket(b));
            const where = (b: RecordedResource) => `${b.accountId}/${b.region}`;
            assert.deepStrictEqual(logBuckets.map(where).sort(), [...new Set(others.map(where))].sort());
            for (const b of logBuckets) {
                assert.strictEqual(b.protect, prod, b.name);
                const [sse] = childOf(run, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", b);
                // S3 User Guide, "enable-server-access-logging": a log destination may use SSE-S3 only.
                assert.deepStrictEqual(sse.inputs.rules.map((r: any) => r.applyServerSideEncryptionByDefault.sseAlgorithm), ["AES256"], b.name);
                assert.strictEqual(childOf(run, "aws:s3/bucketVersioning:BucketVersioning", b)[0].inputs.versioningConfiguration.status, "Enabled");
                const pab = childOf(run, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", b)[0].inputs;
                assert.deepStrictEqual([pab.blockPublicAcls, pab.blockPublicPolicy, pab.ignorePublicAcls, pab.restrictPublicBuckets], [true, true, true, true]);
                const policy = statements(childOf(run, "aws:s3/bucketPolicy:BucketPolicy", b)[0].inputs.policy);
                const delivery = policy.find((s) => s.Principal?.Service === "logging.s3.amazonaws.com");
                assert.deepStrictEqual([delivery.Action, delivery.Resource, delivery.Condition], ["s3:PutObject", `${b.state.arn}/*`, { StringEquals: { "aws:SourceAccount": b.accountId } }]);
                assert.ok(policy.some((s) => s.Effect === "Deny" && s.Condition?.Bool?.["aws:SecureTransport"] === "false"), `${b.name} is not TLS-only`);
                assert.strictEqual(childOf(run, "aws:s3/bucketLogging:BucketLogging", b).length, 0, "a log destination does not log into itself");
            }
            for (const b of others) {
                const logging = childOf(run, "aws:s3/bucketLogging:BucketLogging", b);
                assert.strictEqual(logging.length, 1, `${b.name} has no server access logging`);
                const target = logBuckets.find((l) => l.state.bucket === logging[0].inputs.targetBucket)!;
                assert.ok(target, `${b.name} logs to ${logging[0].inputs.targetBucket}, not an access-log bucket of the stack`);
                assert.strictEqual(where(target), where(b), `${b.name} logs to another account or Region`);
                assert.match(logging[0].inputs.targetPrefix, /\/$/);
            }
        });

        it("every VPC has a flow log of ALL traffic into a KMS-encrypted group with the configured retention, delivered by a role only that account's flow logs assume, and a closed default group", () => {
            const config = parseStackConfig(readStackFile(stack)) as any;
            const retention: Record<string, number> = {
                "msk-vpc": config.msk?.vpc.flowLogRetentionDays,
                "flink-eks-vpc": config.flinkEks?.vpc.flowLogRetentionDays,
                "mac-dev-vpc": config.macDev?.vpc.flowLogRetentionDays,
                "sns-fanout-vpc": config.snsFanout?.openSearch?.vpc?.flowLogRetentionDays,
            };
            const vpcs = ofType(run, "awsx:ec2:Vpc");
            assert.deepStrictEqual(vpcs.map((v) => v.name).sort(), Object.keys(retention).filter((k) => retention[k] !== undefined).sort());
            for (const vpc of vpcs) {
                const [flow] = ofType(run, "aws:ec2/flowLog:FlowLog").filter((f) => f.inputs.vpcId === vpc.state.vpcId);
                assert.ok(flow, `${vpc.name} has no flow log`);
                assert.strictEqual(flow.inputs.trafficType, "ALL");
                const group = ofType(run, "aws:cloudwatch/logGroup:LogGroup").find((g) => g.state.arn === flow.inputs.logDestination)!;
                assert.ok(group.inputs.kmsKeyId, `${group.name} is not KMS-encrypted`);
                assert.deepStrictEqual([group.inputs.retentionInDays, group.protect, group.region, group.accountId], [retention[vpc.name], prod, vpc.region, vpc.accountId], group.name);
                const role = ofType(run, "aws:iam/role:Role").find((r) => r.state.arn === flow.inputs.iamRoleArn)!;
                const [trust] = statements(role.inputs.assumeRolePolicy);
                assert.deepStrictEqual([trust.Principal, trust.Condition], [
                    { Service: "vpc-flow-logs.amazonaws.com" },
                    { StringEquals: { "aws:SourceAccount": vpc.accountId }, ArnLike: { "aws:SourceArn": `arn:aws:ec2:${vpc.region}:${vpc.accountId}:vpc-flow-log/*` } },
                ]);
                const defaults = ofType(run, "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup").filter((g) => g.inputs.vpcId === vpc.state.vpcId);
                assert.deepStrictEqual(defaults.map((g) => [g.inputs.ingress, g.inputs.egress]), [[undefined, undefined]], `${vpc.name}: default group not managed closed`);
            }
        });

        it("every queue has a policy refusing requests without TLS", () => {
            for (const q of ofType(run, "aws:sqs/queue:Queue")) {
                const own = ofType(run, "aws:sqs/queuePolicy:QueuePolicy").filter((p) => p.inputs.queueUrl === q.state.url);
                const deny = own.flatMap((p) => statements(p.inputs.policy)).find((s) => s.Effect === "Deny" && s.Condition?.Bool?.["aws:SecureTransport"] === "false");
                assert.ok(deny, `${q.name} has no TLS-only policy`);
                assert.deepStrictEqual([deny.Action, deny.Resource], ["sqs:*", q.state.arn]);
            }
        });
    });
}
