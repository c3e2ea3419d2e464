import * as assert from "assert";
import { lifecycleActions } from "../lib/support/api-calls";
import { PolicyResource } from "@pulumi/policy";
import { allRules, StackRule } from "../policies/rules";
import { parseQueueRef } from "../policies/rules/sqs";
import { policyResource, providerProps, providerResource, stackViolations } from "./policies-fixtures";

/* eslint-disable @typescript-eslint/no-explicit-any */

const rule = (name: string) => allRules.find((r) => r.name === name) as StackRule;
const KEY = "arn:aws:kms:us-east-1:111111111111:key/0";

/** A bucket with the companion resources the S3 stack rules look for, linked by dependency like the engine does. */
function bucketSet(name: string, o: { pab?: boolean; sse?: boolean | "v2"; policy?: any; versioning?: string; tags?: Record<string, string>; logging?: boolean } = {}): PolicyResource[] {
    const bucket = policyResource("aws:s3/bucket:Bucket", { bucket: `${name}-123`, tags: o.tags }, name);
    const out = [bucket];
    if (o.pab !== false) {
        out.push(policyResource("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", { bucket: `${name}-123`, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true }, `${name}-pab`, { deps: [bucket] }));
    }
    if (o.sse !== false) {
        const sseType = o.sse === "v2"
            ? "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2"
            : "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration";
        out.push(policyResource(sseType, { bucket: `${name}-123`, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY } }] }, `${name}-sse`, { deps: [bucket] }));
    }
    const policy = "policy" in o ? o.policy : {
        Version: "2012-10-17",
        Statement: [{ Sid: "TlsOnly", Effect: "Deny", Principal: "*", Action: "s3:*", Resource: ["arn:aws:s3:::x", "arn:aws:s3:::x/*"], Condition: { Bool: { "aws:SecureTransport": "false" } } }],
    };
    if (policy !== null) {
        out.push(policyResource("aws:s3/bucketPolicy:BucketPolicy", { bucket: `${name}-123`, policy: JSON.stringify(policy) }, `${name}-policy`, { deps: [bucket] }));
    }
    if (o.versioning !== "none") {
        out.push(policyResource("aws:s3/bucketVersioning:BucketVersioning", { bucket: `${name}-123`, versioningConfiguration: { status: o.versioning ?? "Enabled" } }, `${name}-versioning`, { deps: [bucket] }));
    }
    if (o.logging !== false) {
        out.push(policyResource("aws:s3/bucketLogging:BucketLogging", { bucket: `${name}-123`, targetBucket: "access-logs-123", targetPrefix: `${name}/` }, `${name}-access-logs`, { deps: [bucket] }));
    }
    return out;
}

class UnknownValueError extends Error {
    constructor() {
        super("unknown");
        this.name = "UnknownValueError";
    }
}

/** Props whose `keys` throw like CrossGuard's unknown-checking proxy does in preview. */
function unknownAt(props: Record<string, any>, ...keys: string[]): Record<string, any> {
    return new Proxy(props, {
        get: (t, k) => {
            if (typeof k === "string" && keys.includes(k)) {
                throw new UnknownValueError();
            }
            return (t as any)[k];
        },
    });
}

async function fired(name: string, resources: PolicyResource[], config: Record<string, unknown> = {}) {
    return stackViolations(rule(name), resources, config);
}

describe("policy pack: stack rules", () => {
    it("every stack rule is covered below", () => {
        const stackRules = allRules.filter((r) => r.kind === "stack").map((r) => r.name).sort();
        assert.deepStrictEqual(stackRules, [
            "acmpca-client-cert-expiry-alarm",
            "ckv-aws-116-async-on-failure",
            "ec2-2-default-sg-closed",
            "ec2-6-vpc-flow-logging",
            "ec2-sg-no-rule-management-conflicts",
            "efs-2-backup-policy",
            "eventbridge-cross-account-rule-management",
            "iam-role-no-policy-management-conflicts",
            "logs-resource-policy-quota",
            "no-default-provider",
            "prod-stateful-protected",
            "provider-default-tags",
            "provider-region-and-account",
            "s3-14-versioning",
            "s3-17-bucket-encryption-attached",
            "s3-5-tls-only-policy",
            "s3-8-bucket-public-access-block-attached",
            "s3-9-access-logging",
            "sns-tls-only",
            "sqs-4-tls-only",
            "sqs-dead-letter-queue",
        ]);
    });

    describe("ec2-6-vpc-flow-logging and ec2-2-default-sg-closed", () => {
        const awsxVpc = () => policyResource("awsx:ec2:Vpc", { cidrBlock: "10.0.0.0/16" }, "app-vpc");
        const plainVpc = () => policyResource("aws:ec2/vpc:Vpc", { cidrBlock: "10.1.0.0/16", id: "vpc-0123" }, "plain-vpc");
        it("fire on VPCs without a flow log or a managed default group; quiet when both name the VPC (by property dependency or by value)", async () => {
            const a = awsxVpc();
            const p = plainVpc();
            assert.deepStrictEqual((await fired("ec2-6-vpc-flow-logging", [a, p])).map((v) => v.urn), [a.urn, p.urn]);
            assert.deepStrictEqual((await fired("ec2-2-default-sg-closed", [a, p])).map((v) => v.urn), [a.urn, p.urn]);
            const flows = [
                policyResource("aws:ec2/flowLog:FlowLog", { trafficType: "ALL" }, "a-flow", { propDeps: { vpcId: [a] } }),
                policyResource("aws:ec2/flowLog:FlowLog", { vpcId: "vpc-0123", trafficType: "ALL" }, "p-flow"),
            ];
            const groups = [
                policyResource("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", {}, "a-default", { propDeps: { vpcId: [a] } }),
                policyResource("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", { vpcId: "vpc-0123" }, "p-default"),
            ];
            assert.deepStrictEqual(await fired("ec2-6-vpc-flow-logging", [a, p, ...flows]), []);
            assert.deepStrictEqual(await fired("ec2-2-default-sg-closed", [a, p, ...groups]), []);
        });
        it("a flow log of REJECT only, or a default group that keeps a rule, does not count", async () => {
            const p = plainVpc();
            const reject = policyResource("aws:ec2/flowLog:FlowLog", { vpcId: "vpc-0123", trafficType: "REJECT" }, "p-flow");
            const open = policyResource("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", { vpcId: "vpc-0123", ingress: [{ protocol: "-1", self: true, fromPort: 0, toPort: 0 }] }, "p-default");
            assert.strictEqual((await fired("ec2-6-vpc-flow-logging", [p, reject])).length, 1);
            assert.strictEqual((await fired("ec2-2-default-sg-closed", [p, open])).length, 1);
        });
    });

    describe("logs-resource-policy-quota", () => {
        const doc = (n = 1) => JSON.stringify({ Version: "2012-10-17", Statement: Array.from({ length: n }, (_, i) => ({ Sid: `S${i}`, Effect: "Allow", Principal: { Service: "es.amazonaws.com" }, Action: "logs:PutLogEvents", Resource: `arn:aws:logs:us-east-1:111111111111:log-group:/g${i}:*` })) });
        const policy = (i: number, o: { region?: string; account?: string; statements?: number } = {}) =>
            policyResource("aws:cloudwatch/logResourcePolicy:LogResourcePolicy", { policyName: `p${i}`, policyDocument: doc(o.statements) }, `policy-${i}-${o.region ?? "use1"}`, { region: o.region, account: o.account });
        it("fires on the 11th policy of one account and Region, not on 10 there and more elsewhere", async () => {
            const ten = Array.from({ length: 10 }, (_, i) => policy(i));
            const elsewhere = [policy(10, { region: "us-west-2" }), policy(11, { account: "222222222222" })];
            assert.deepStrictEqual(await fired("logs-resource-policy-quota", [...ten, ...elsewhere]), []);
            const eleventh = policy(12);
            const v = await fired("logs-resource-policy-quota", [...ten, eleventh, ...elsewhere]);
            assert.deepStrictEqual(v.map((x) => x.urn), [eleventh.urn]);
            assert.match(v[0].message, /11 log resource policies in 111111111111\/us-east-1; CloudWatch Logs allows 10/);
        });
        it("fires on a document over 5,120 characters", async () => {
            const big = policy(0, { statements: 40 });
            assert.ok((big.props.policyDocument as string).length > 5120);
            assert.deepStrictEqual((await fired("logs-resource-policy-quota", [big, policy(1)])).map((x) => x.urn), [big.urn]);
        });
    });

    describe("acmpca-client-cert-expiry-alarm", () => {
        const cert = () => policyResource("aws:acmpca/certificate:Certificate", { templateArn: "arn:aws:acm-pca:::template/EndEntityClientAuthCertificate/V1" }, "client-cert");
        const alarm = (extra: Record<string, any> = {}) =>
            policyResource("aws:cloudwatch/metricAlarm:MetricAlarm", { namespace: "awsarch/MSK", metricName: "ClientCertificateDaysToExpiry", treatMissingData: "breaching", alarmActions: ["arn:aws:sns:us-east-1:1:t"], ...extra }, "expiry");
        it("fires on a client certificate without an expiry alarm, or with one that stays quiet when the monitor stops; quiet with the alarm", async () => {
            const c = cert();
            assert.deepStrictEqual((await fired("acmpca-client-cert-expiry-alarm", [c])).map((v) => v.urn), [c.urn]);
            assert.strictEqual((await fired("acmpca-client-cert-expiry-alarm", [c, alarm({ treatMissingData: "notBreaching" })])).length, 1);
            assert.deepStrictEqual(await fired("acmpca-client-cert-expiry-alarm", [c, alarm()]), []);
            const root = policyResource("aws:acmpca/certificate:Certificate", { templateArn: "arn:aws:acm-pca:::template/RootCACertificate/V1" }, "root");
            assert.deepStrictEqual(await fired("acmpca-client-cert-expiry-alarm", [root]), []);
        });
    });

    describe("sns-tls-only, and the awsguard rule-ownership conflicts", () => {
        it("sns-tls-only fires on a topic without a TLS deny, quiet with one", async () => {
            const t = policyResource("aws:sns/topic:Topic", { kmsMasterKeyId: KEY, arn: "arn:aws:sns:us-east-1:111111111111:t" }, "t");
            const allowOnly = policyResource("aws:sns/topicPolicy:TopicPolicy", { arn: "arn:aws:sns:us-east-1:111111111111:t", policy: JSON.stringify({ Statement: [{ Effect: "Allow", Principal: { AWS: "111111111111" }, Action: "sns:Publish", Resource: "*" }] }) }, "t-policy", { deps: [t] });
            assert.strictEqual((await fired("sns-tls-only", [t, allowOnly])).length, 1);
            const tls = policyResource("aws:sns/topicPolicy:TopicPolicy", { arn: "arn:aws:sns:us-east-1:111111111111:t", policy: JSON.stringify({ Statement: [{ Effect: "Deny", Principal: "*", Action: "sns:Publish", Resource: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } }] }) }, "t-policy", { deps: [t] });
            assert.deepStrictEqual(await fired("sns-tls-only", [t, tls]), []);
        });
        it("a security group with inline rules and rule resources, and a role with inline policies and policy resources, are conflicts", async () => {
            const g = policyResource("aws:ec2/securityGroup:SecurityGroup", { description: "x", ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["10.0.0.0/8"] }] }, "g");
            const rule = policyResource("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", { ipProtocol: "tcp", fromPort: 443, toPort: 443 }, "g-https", { propDeps: { securityGroupId: [g] } });
            assert.strictEqual((await fired("ec2-sg-no-rule-management-conflicts", [g, rule])).length, 1);
            assert.deepStrictEqual(await fired("ec2-sg-no-rule-management-conflicts", [policyResource("aws:ec2/securityGroup:SecurityGroup", { description: "x" }, "g"), rule]), []);
            const r = policyResource("aws:iam/role:Role", { assumeRolePolicy: "{}", managedPolicyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"] }, "r");
            const attach = policyResource("aws:iam/rolePolicyAttachment:RolePolicyAttachment", { policyArn: "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore" }, "r-ssm", { propDeps: { role: [r] } });
            assert.strictEqual((await fired("iam-role-no-policy-management-conflicts", [r, attach])).length, 1);
            assert.deepStrictEqual(await fired("iam-role-no-policy-management-conflicts", [policyResource("aws:iam/role:Role", { assumeRolePolicy: "{}" }, "r"), attach]), []);
        });
    });

    describe("sqs-4-tls-only", () => {
        const url = "https://sqs.us-east-1.amazonaws.com/111111111111/jobs";
        const q = () => policyResource("aws:sqs/queue:Queue", { kmsMasterKeyId: KEY, name: "jobs", url, arn: "arn:aws:sqs:us-east-1:111111111111:jobs" }, "jobs");
        const policyOf = (statements: any[], deps: PolicyResource[] = []) =>
            policyResource("aws:sqs/queuePolicy:QueuePolicy", { queueUrl: url, policy: JSON.stringify({ Version: "2012-10-17", Statement: statements }) }, "jobs-policy", { deps });
        const deny = { Effect: "Deny", Principal: "*", Action: "sqs:*", Resource: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } };
        it("fires on a queue without a policy, and on one whose policy only allows; quiet with the TLS deny", async () => {
            const queue = q();
            assert.deepStrictEqual((await fired("sqs-4-tls-only", [queue])).map((v) => v.urn), [queue.urn]);
            const allowOnly = policyOf([{ Effect: "Allow", Principal: { Service: "sns.amazonaws.com" }, Action: "sqs:SendMessage", Resource: "*" }], [queue]);
            assert.strictEqual((await fired("sqs-4-tls-only", [queue, allowOnly])).length, 1);
            assert.deepStrictEqual(await fired("sqs-4-tls-only", [queue, policyOf([deny], [queue])]), []);
        });
    });

    describe("S3 companions", () => {
        it("a fully configured bucket passes every S3 stack rule", async () => {
            const rs = bucketSet("data");
            for (const n of ["s3-8-bucket-public-access-block-attached", "s3-17-bucket-encryption-attached", "s3-5-tls-only-policy", "s3-14-versioning", "s3-9-access-logging"]) {
                assert.deepStrictEqual(await fired(n, rs), [], n);
            }
        });
        it("s3-9-access-logging fires on a bucket without access logging, not on the log destination itself", async () => {
            const v = await fired("s3-9-access-logging", [...bucketSet("data", { logging: false }), ...bucketSet("other")]);
            assert.deepStrictEqual(v.map((x) => x.urn), ["urn:pulumi:dev::awsarch::aws:s3/bucket:Bucket::data"]);
            assert.deepStrictEqual(await fired("s3-9-access-logging", bucketSet("access-logs", { logging: false, tags: { purpose: "s3-access-logs" } })), []);
        });
        it("s3-8-bucket-public-access-block-attached fires on a bucket without a public access block", async () => {
            const v = await fired("s3-8-bucket-public-access-block-attached", [...bucketSet("data", { pab: false }), ...bucketSet("other")]);
            assert.deepStrictEqual(v.map((x) => x.urn), ["urn:pulumi:dev::awsarch::aws:s3/bucket:Bucket::data"]);
        });
        it("s3-17-bucket-encryption-attached fires on a bucket without an encryption configuration", async () => {
            const v = await fired("s3-17-bucket-encryption-attached", bucketSet("data", { sse: false }));
            assert.strictEqual(v.length, 1);
            assert.match(v[0].message, /no server-side encryption/);
        });
        it("s3-17-bucket-encryption-attached accepts a BucketServerSideEncryptionConfigurationV2, linked to its own bucket only", async () => {
            assert.deepStrictEqual(await fired("s3-17-bucket-encryption-attached", bucketSet("data", { sse: "v2" })), []);
            const v = await fired("s3-17-bucket-encryption-attached", [...bucketSet("data", { sse: "v2" }), ...bucketSet("bare", { sse: false })]);
            assert.deepStrictEqual(v.map((x) => x.urn), ["urn:pulumi:dev::awsarch::aws:s3/bucket:Bucket::bare"]);
        });
        it("s3-5-tls-only-policy fires without a policy and with a policy that does not deny plain HTTP", async () => {
            assert.strictEqual((await fired("s3-5-tls-only-policy", bucketSet("data", { policy: null }))).length, 1);
            const allowOnly = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "logging.s3.amazonaws.com" }, Action: "s3:PutObject", Resource: "arn:aws:s3:::x/*" }] };
            assert.strictEqual((await fired("s3-5-tls-only-policy", bucketSet("data", { policy: allowOnly }))).length, 1);
        });
        it("s3-14-versioning fires on a bucket without versioning or with it suspended, not on an ephemeral bucket", async () => {
            assert.strictEqual((await fired("s3-14-versioning", bucketSet("data", { versioning: "none" }))).length, 1);
            assert.strictEqual((await fired("s3-14-versioning", bucketSet("data", { versioning: "Suspended" }))).length, 1);
            assert.deepStrictEqual(await fired("s3-14-versioning", bucketSet("scratch", { versioning: "none", tags: { "data-class": "ephemeral" } })), []);
        });
        it("links companions by property dependency before plain dependency", async () => {
            const [bucket, , , , vers] = bucketSet("data");
            const other = policyResource("aws:s3/bucket:Bucket", { bucket: "other-1" }, "other");
            vers.dependencies = [];
            vers.propertyDependencies = { bucket: [other] };
            const v = await fired("s3-14-versioning", [bucket, other, vers]);
            assert.deepStrictEqual(v.map((x) => x.urn), [bucket.urn]);
        });
    });

    describe("sqs-dead-letter-queue", () => {
        const ACCT = "111111111111";
        const arnOf = (name: string) => `arn:aws:sqs:us-east-1:${ACCT}:${name}`;
        const urlOf = (name: string) => `https://sqs.us-east-1.amazonaws.com/${ACCT}/${name}`;
        /** A queue as `pulumi up` shows it to stack policies: outputs, ARN and URL known. */
        const queue = (name: string, extra: Record<string, any> = {}) =>
            policyResource("aws:sqs/queue:Queue", { kmsMasterKeyId: KEY, name, arn: arnOf(name), url: urlOf(name), ...extra }, name);
        /** A new queue in preview: no name given (autonamed), ARN and URL unknown. */
        const newQueue = (name: string) => {
            const q = policyResource("aws:sqs/queue:Queue", { kmsMasterKeyId: KEY }, name);
            q.props = unknownAt(q.props, "arn", "url", "name");
            return q;
        };
        const urns = async (resources: PolicyResource[]) => (await fired("sqs-dead-letter-queue", resources)).map((x) => x.urn);

        it("passes a queue whose redrivePolicy names its DLQ (by value and, in preview, by property dependency); fires on a lone queue", async () => {
            const dlq = queue("orders-dlq");
            const q = queue("orders", { redrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.props.arn, maxReceiveCount: 5 }) });
            assert.deepStrictEqual(await urns([dlq, q]), []);
            const lone = queue("lonely");
            assert.deepStrictEqual(await urns([dlq, q, lone]), [lone.urn]);

            const pdlq = newQueue("orders-dlq");
            const pq = policyResource("aws:sqs/queue:Queue", unknownAt({ kmsMasterKeyId: KEY, redrivePolicy: "x" }, "redrivePolicy"), "orders", { propDeps: { redrivePolicy: [pdlq] } });
            assert.deepStrictEqual(await urns([pdlq, pq]), []);
        });

        it("treats an event source mapping's on-failure queue as a DLQ (by value and by property dependency)", async () => {
            const dlq = queue("kafka-failures");
            const esm = policyResource("aws:lambda/eventSourceMapping:EventSourceMapping", { functionName: "f", startingPosition: "LATEST", destinationConfig: { onFailure: { destinationArn: dlq.props.arn } } }, "esm");
            assert.deepStrictEqual(await urns([dlq, esm]), []);
            const pdlq = newQueue("kafka-failures");
            const pesm = policyResource("aws:lambda/eventSourceMapping:EventSourceMapping", unknownAt({ functionName: "f", destinationConfig: {} }, "destinationConfig"), "esm", { propDeps: { destinationConfig: [pdlq] } });
            assert.deepStrictEqual(await urns([pdlq, pesm]), []);
        });

        it("matches a queue named in a DLQ field by its URL or, when only its name is known, by name and Region", async () => {
            const dlq = queue("by-url");
            const fn = policyResource("aws:lambda/function:Function", { runtime: "nodejs22.x", deadLetterConfig: { targetArn: arnOf("by-name") } }, "fn");
            const byName = policyResource("aws:sqs/queue:Queue", { kmsMasterKeyId: KEY, name: "by-name" }, "by-name");
            const rp = policyResource("aws:sqs/redrivePolicy:RedrivePolicy", { queueUrl: urlOf("src"), redrivePolicy: JSON.stringify({ deadLetterTargetArn: urlOf("by-url") }) }, "rp");
            const src = queue("src");
            assert.deepStrictEqual(await urns([dlq, fn, byName, rp, src]), []);
            // same name, other Region: not that queue
            const elsewhere = policyResource("aws:sqs/queue:Queue", { kmsMasterKeyId: KEY, name: "by-name" }, "by-name-eu", { region: "eu-west-1" });
            assert.deepStrictEqual(await urns([fn, elsewhere]), [elsewhere.urn]);
        });

        // The three false negatives of a rule that counted any dependency of a resource with some DLQ field.
        it("fires on a queue an EventBridge target sends to while the target has its own deadLetterConfig", async () => {
            const q = queue("events-in");
            const targetDlq = queue("events-target-dlq");
            const target = policyResource("aws:cloudwatch/eventTarget:EventTarget", { rule: "r", arn: q.props.arn, deadLetterConfig: { arn: targetDlq.props.arn } }, "t", { propDeps: { arn: [q], deadLetterConfig: [targetDlq] } });
            assert.deepStrictEqual(await urns([q, targetDlq, target]), [q.urn]);
            // preview: both ARNs unknown, only the property dependencies tell them apart
            const pq = newQueue("events-in");
            const pdlq = newQueue("events-target-dlq");
            const ptarget = policyResource("aws:cloudwatch/eventTarget:EventTarget", unknownAt({ rule: "r", arn: "", deadLetterConfig: {} }, "arn", "deadLetterConfig"), "t", { propDeps: { arn: [pq], deadLetterConfig: [pdlq] } });
            assert.deepStrictEqual(await urns([pq, pdlq, ptarget]), [pq.urn]);
        });

        it("fires on the queue of an SNS->SQS subscription that has its own redrivePolicy", async () => {
            const q = queue("fanout-in");
            const subDlq = queue("fanout-sub-dlq");
            const sub = policyResource(
                "aws:sns/topicSubscription:TopicSubscription",
                { topic: "arn:aws:sns:us-east-1:111111111111:t", protocol: "sqs", endpoint: q.props.arn, redrivePolicy: JSON.stringify({ deadLetterTargetArn: subDlq.props.arn }) },
                "sub",
                { propDeps: { endpoint: [q], redrivePolicy: [subDlq] } },
            );
            assert.deepStrictEqual(await urns([q, subDlq, sub]), [q.urn]);
            const pq = newQueue("fanout-in");
            const pdlq = newQueue("fanout-sub-dlq");
            const psub = policyResource("aws:sns/topicSubscription:TopicSubscription", unknownAt({ topic: "t", protocol: "sqs", endpoint: "", redrivePolicy: "" }, "endpoint", "redrivePolicy"), "sub", {
                propDeps: { endpoint: [pq], redrivePolicy: [pdlq] },
            });
            assert.deepStrictEqual(await urns([pq, pdlq, psub]), [pq.urn]);
        });

        it("fires on a queue a Lambda function only references in its environment while it has a deadLetterConfig", async () => {
            const q = queue("work");
            const fnDlq = queue("fn-dlq");
            const fn = policyResource(
                "aws:lambda/function:Function",
                { runtime: "nodejs22.x", environment: { variables: { QUEUE_URL: q.props.url } }, deadLetterConfig: { targetArn: fnDlq.props.arn } },
                "fn",
                { propDeps: { environment: [q], deadLetterConfig: [fnDlq] } },
            );
            assert.deepStrictEqual(await urns([q, fnDlq, fn]), [q.urn]);
            const pq = newQueue("work");
            const pdlq = newQueue("fn-dlq");
            const pfn = policyResource("aws:lambda/function:Function", unknownAt({ runtime: "nodejs22.x", environment: {}, deadLetterConfig: {} }, "environment", "deadLetterConfig"), "fn", {
                propDeps: { environment: [pq], deadLetterConfig: [pdlq] },
            });
            assert.deepStrictEqual(await urns([pq, pdlq, pfn]), [pq.urn]);
        });

        it("a plain dependency without a DLQ-field reference does not make a queue a DLQ", async () => {
            const q = newQueue("only-depended-on");
            const fn = policyResource("aws:lambda/function:Function", { runtime: "nodejs22.x", deadLetterConfig: { targetArn: "arn:aws:sns:us-east-1:111111111111:fn-dlq-topic" } }, "fn", { deps: [q] });
            assert.deepStrictEqual(await urns([q, fn]), [q.urn]);
        });

        it("an invoke config's onSuccess queue is not a DLQ, its onFailure queue is", async () => {
            const ok = queue("results");
            const failed = queue("failures");
            const cfg = policyResource(
                "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig",
                { functionName: "f", destinationConfig: { onSuccess: { destination: ok.props.arn }, onFailure: { destination: failed.props.arn } } },
                "cfg",
                { propDeps: { destinationConfig: [ok, failed] } },
            );
            assert.deepStrictEqual(await urns([ok, failed, cfg]), [ok.urn]);
        });

        it("redriveAllowPolicy: a queue admitting source queues is a DLQ, denyAll is not, and the source queue stays flagged", async () => {
            const src = queue("src");
            const dlq = queue("dlq", { redriveAllowPolicy: JSON.stringify({ redrivePermission: "byQueue", sourceQueueArns: [src.props.arn] }) });
            // the DLQ depends on the source queue through sourceQueueArns: that does not make the source a DLQ
            dlq.propertyDependencies = { redriveAllowPolicy: [src] };
            dlq.dependencies = [src];
            assert.deepStrictEqual(await urns([src, dlq]), [src.urn]);
            const deny = queue("deny", { redriveAllowPolicy: JSON.stringify({ redrivePermission: "denyAll" }) });
            assert.deepStrictEqual(await urns([deny]), [deny.urn]);
            const standalone = queue("standalone-dlq");
            const allow = policyResource("aws:sqs/redriveAllowPolicy:RedriveAllowPolicy", { queueUrl: standalone.props.url, redriveAllowPolicy: JSON.stringify({ redrivePermission: "allowAll" }) }, "allow");
            assert.deepStrictEqual(await urns([standalone, allow]), []);
        });

        it("parses queue ARNs and URLs", () => {
            assert.deepStrictEqual(parseQueueRef("arn:aws:sqs:eu-west-1:111111111111:q.fifo"), { region: "eu-west-1", account: "111111111111", name: "q.fifo" });
            assert.deepStrictEqual(parseQueueRef("https://sqs.cn-north-1.amazonaws.com.cn/111111111111/q"), { region: "cn-north-1", account: "111111111111", name: "q" });
            assert.strictEqual(parseQueueRef("arn:aws:sns:eu-west-1:111111111111:t"), undefined);
        });
    });

    describe("ckv-aws-116-async-on-failure", () => {
        const fnProps = { runtime: "nodejs22.x", handler: "index.handler", role: "r", tracingConfig: { mode: "Active" } };
        it("fires on a function SNS invokes without DLQ or destination", async () => {
            const fn = policyResource("aws:lambda/function:Function", fnProps, "consumer");
            const perm = policyResource("aws:lambda/permission:Permission", { function: "consumer-fn", principal: "sns.amazonaws.com", action: "lambda:InvokeFunction", sourceArn: "arn:aws:sns:us-east-1:1:t" }, "perm", { deps: [fn] });
            const v = await fired("ckv-aws-116-async-on-failure", [fn, perm]);
            assert.deepStrictEqual(v.map((x) => x.urn), [fn.urn]);
            assert.match(v[0].message, /sns\.amazonaws\.com/);
        });
        it("exempts functions only invoked by an EventBridge schedule, not by an event pattern rule", async () => {
            const fn = policyResource("aws:lambda/function:Function", fnProps, "poller");
            const schedule = policyResource("aws:cloudwatch/eventRule:EventRule", { scheduleExpression: "rate(5 minutes)" }, "tick");
            const perm = policyResource("aws:lambda/permission:Permission", { function: "poller", principal: "events.amazonaws.com", sourceArn: "arn:aws:events:us-east-1:1:rule/tick" }, "p", { deps: [fn, schedule] });
            assert.deepStrictEqual(await fired("ckv-aws-116-async-on-failure", [fn, schedule, perm]), []);
            const pattern = policyResource("aws:cloudwatch/eventRule:EventRule", { eventPattern: JSON.stringify({ source: ["aws.batch"] }) }, "on-event");
            const perm2 = policyResource("aws:lambda/permission:Permission", { function: "poller", principal: "events.amazonaws.com", sourceArn: "arn:aws:events:us-east-1:1:rule/on-event" }, "p2", { deps: [fn, pattern] });
            assert.strictEqual((await fired("ckv-aws-116-async-on-failure", [fn, schedule, perm, pattern, perm2])).length, 1);
        });
        it("counts an SNS subscription with protocol lambda as an asynchronous invoker", async () => {
            const fn = policyResource("aws:lambda/function:Function", fnProps, "indexer");
            const sub = policyResource("aws:sns/topicSubscription:TopicSubscription", { topic: "arn:aws:sns:us-east-1:1:t", protocol: "lambda", endpoint: "arn:aws:lambda:us-east-1:1:function:indexer" }, "sub", { deps: [fn] });
            const v = await fired("ckv-aws-116-async-on-failure", [fn, sub]);
            assert.deepStrictEqual(v.map((x) => x.urn), [fn.urn]);
            const sqsSub = policyResource("aws:sns/topicSubscription:TopicSubscription", { topic: "t", protocol: "sqs", endpoint: "q" }, "sub2", { deps: [fn] });
            assert.deepStrictEqual(await fired("ckv-aws-116-async-on-failure", [fn, sqsSub]), []);
        });
        it("passes with a deadLetterConfig or a FunctionEventInvokeConfig onFailure; ignores synchronous invokers", async () => {
            const withDlq = policyResource("aws:lambda/function:Function", { ...fnProps, deadLetterConfig: { targetArn: "arn:aws:sqs:us-east-1:1:dlq" } }, "a");
            const p1 = policyResource("aws:lambda/permission:Permission", { function: "a", principal: "events.amazonaws.com", sourceArn: "arn" }, "p1", { deps: [withDlq] });
            const withDest = policyResource("aws:lambda/function:Function", fnProps, "b");
            const p2 = policyResource("aws:lambda/permission:Permission", { function: "b", principal: "s3.amazonaws.com", sourceArn: "arn" }, "p2", { deps: [withDest] });
            const cfg = policyResource("aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig", { functionName: "b", destinationConfig: { onFailure: { destination: "arn:aws:sqs:us-east-1:1:dlq" } } }, "cfg", { deps: [withDest] });
            const sync = policyResource("aws:lambda/function:Function", fnProps, "c");
            const p3 = policyResource("aws:lambda/permission:Permission", { function: "c", principal: "apigateway.amazonaws.com", sourceArn: "arn" }, "p3", { deps: [sync] });
            assert.deepStrictEqual(await fired("ckv-aws-116-async-on-failure", [withDlq, p1, withDest, p2, cfg, sync, p3]), []);
        });
    });

    describe("eventbridge-cross-account-rule-management", () => {
        const BUS = "arn:aws:events:us-east-1:333333333333:event-bus/orders";
        const busPolicy = (actions: string[]) =>
            policyResource(
                "aws:cloudwatch/eventBusPolicy:EventBusPolicy",
                {
                    eventBusName: "orders",
                    policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::222222222222:root" }, Action: actions, Resource: "arn:aws:events:us-east-1:333333333333:rule/orders/*" }] }),
                },
                "bus-policy",
                { account: "333333333333" },
            );
        const rule = policyResource("aws:cloudwatch/eventRule:EventRule", { eventBusName: BUS, eventPattern: "{}" }, "fwd", { account: "222222222222" });
        const target = policyResource("aws:cloudwatch/eventTarget:EventTarget", { eventBusName: BUS, rule: "fwd", arn: "arn:aws:events:ap-southeast-1:222222222222:event-bus/hub" }, "fwd-target", { account: "222222222222" });
        const full = lifecycleActions("aws:cloudwatch/eventRule:EventRule", "aws:cloudwatch/eventTarget:EventTarget");

        it("fires when the bus policy lacks the tag calls a tagged rule needs (the pre-fix policy), quiet when it admits the whole lifecycle", async () => {
            const before = ["events:PutRule", "events:DeleteRule", "events:DescribeRule", "events:DisableRule", "events:EnableRule", "events:PutTargets", "events:RemoveTargets", "events:ListTargetsByRule"];
            const v = await fired("eventbridge-cross-account-rule-management", [busPolicy(before), rule, target]);
            assert.strictEqual(v.length, 1);
            assert.match(v[0].message, /EventRule fwd is managed by account 222222222222 on bus orders of account 333333333333 \(us-east-1\), whose bus policy does not admit events:ListTagsForResource, events:TagResource, events:UntagResource/);
            assert.deepStrictEqual(await fired("eventbridge-cross-account-rule-management", [busPolicy(full), rule, target]), []);
        });
        it("fires when the bus has no policy at all, and ignores same-account rules", async () => {
            assert.strictEqual((await fired("eventbridge-cross-account-rule-management", [rule, target])).length, 2);
            const local = policyResource("aws:cloudwatch/eventRule:EventRule", { eventBusName: BUS, eventPattern: "{}" }, "local", { account: "333333333333" });
            assert.deepStrictEqual(await fired("eventbridge-cross-account-rule-management", [local]), []);
        });
    });

    describe("efs-2-backup-policy", () => {
        it("fires on a file system without an ENABLED backup policy", async () => {
            const fs = policyResource("aws:efs/fileSystem:FileSystem", { encrypted: true, kmsKeyId: KEY }, "shared");
            const off = policyResource("aws:efs/backupPolicy:BackupPolicy", { fileSystemId: "fs-1", backupPolicy: { status: "DISABLED" } }, "bp", { deps: [fs] });
            assert.strictEqual((await fired("efs-2-backup-policy", [fs])).length, 1);
            assert.strictEqual((await fired("efs-2-backup-policy", [fs, off])).length, 1);
            const on = policyResource("aws:efs/backupPolicy:BackupPolicy", { fileSystemId: "fs-1", backupPolicy: { status: "ENABLED" } }, "bp", { deps: [fs] });
            assert.deepStrictEqual(await fired("efs-2-backup-policy", [fs, on]), []);
        });
    });

    describe("providers", () => {
        it("no-default-provider fails a stack with a resource on a default provider (or none)", async () => {
            const p = providerResource();
            const ok = policyResource("aws:sns/topic:Topic", { kmsMasterKeyId: KEY }, "ok");
            const onDefault = policyResource("aws:sns/topic:Topic", { kmsMasterKeyId: KEY }, "implicit");
            onDefault.provider = { type: "pulumi:providers:aws", name: "default_7_48_0", urn: "urn:pulumi:dev::awsarch::pulumi:providers:aws::default_7_48_0", props: { region: "us-east-1" } };
            const none = policyResource("aws:sqs/queue:Queue", {}, "none", { noProvider: true });
            const component = policyResource("awsarch:securityEvents:SecurityEventHub", {}, "hub", { noProvider: true });
            const ns = policyResource("kubernetes:core/v1:Namespace", { metadata: { name: "flink" } }, "ns", { noProvider: true });
            const v = await fired("no-default-provider", [p, ok, onDefault, none, component, ns]);
            assert.deepStrictEqual(v.map((x) => x.urn), [onDefault.urn, none.urn, ns.urn]);
        });
        it("no-default-provider covers every package: remote awsx/eks components, tls, random, and a provider of the wrong package", async () => {
            const awsP = providerResource();
            const awsxP = { type: "pulumi:providers:awsx", name: "awsx", urn: "urn:pulumi:dev::awsarch::pulumi:providers:awsx::awsx", props: {} };
            const vpcOk = policyResource("awsx:ec2:Vpc", { cidrBlock: "10.0.0.0/16" }, "vpc-ok");
            vpcOk.provider = awsxP;
            // What the engine records for a Vpc that only got `providers: { aws }` on a stack without the setting.
            const vpcDefault = policyResource("awsx:ec2:Vpc", { cidrBlock: "10.0.0.0/16" }, "vpc-default");
            vpcDefault.provider = { ...awsxP, name: "default_3_9_0", urn: "urn:pulumi:dev::awsarch::pulumi:providers:awsx::default_3_9_0" };
            const clusterNone = policyResource("eks:index:Cluster", {}, "cluster", { noProvider: true });
            const clusterWrong = policyResource("eks:index:ManagedNodeGroup", {}, "ng");
            clusterWrong.provider = awsxP;
            const key = policyResource("tls:index/privateKey:PrivateKey", { algorithm: "RSA" }, "key", { noProvider: true });
            // Components that remote plugins create inside themselves carry no provider and are not flagged.
            const inner = policyResource("eks:index:ServiceRole", {}, "inner", { noProvider: true });
            const v = await fired("no-default-provider", [awsP, vpcOk, vpcDefault, clusterNone, clusterWrong, key, inner]);
            assert.deepStrictEqual(v.map((x) => x.urn), [vpcDefault.urn, clusterNone.urn, clusterWrong.urn, key.urn]);
        });
        it("provider-region-and-account fails a provider without region or allowedAccountIds", async () => {
            assert.deepStrictEqual(await fired("provider-region-and-account", [providerResource()]), []);
            const bare = providerResource("dev", "us-east-1", { defaultTags: providerProps().defaultTags });
            const v = await fired("provider-region-and-account", [bare]);
            assert.strictEqual(v.length, 2);
            // allowedAccountIds as a JSON list in text is still read
            const empty = providerResource("dev", "us-east-1", { ...providerProps(), allowedAccountIds: "[]" });
            assert.match((await fired("provider-region-and-account", [empty]))[0].message, /allowedAccountIds/);
        });
        it("provider-default-tags requires project, stack, owner and cost-centre (object or JSON text)", async () => {
            assert.deepStrictEqual(await fired("provider-default-tags", [providerResource()]), []);
            const asObject = providerResource("dev", "us-east-1", { ...providerProps(), defaultTags: { tags: { project: "p", stack: "s", owner: "o", "cost-centre": "c" } } });
            assert.deepStrictEqual(await fired("provider-default-tags", [asObject]), []);
            const partial = providerResource("dev", "us-east-1", { ...providerProps(), defaultTags: JSON.stringify({ tags: { project: "p", stack: "s" } }) });
            const v = await fired("provider-default-tags", [partial]);
            assert.match(v[0].message, /owner, cost-centre/);
        });
    });

    describe("prod-stateful-protected", () => {
        const table = (protect: boolean, stack = "prod") => policyResource("aws:dynamodb/table:Table", { hashKey: "pk" }, "orders", { stack, protect });
        it("fails a prod stack with an unprotected table", async () => {
            const v = await fired("prod-stateful-protected", [providerResource("prod"), table(false)]);
            assert.deepStrictEqual(v.map((x) => x.urn), ["urn:pulumi:prod::awsarch::aws:dynamodb/table:Table::orders"]);
        });
        it("passes protected prod state, unprotected dev state, and non-audit log groups", async () => {
            assert.deepStrictEqual(await fired("prod-stateful-protected", [table(true)]), []);
            assert.deepStrictEqual(await fired("prod-stateful-protected", [table(false, "dev")]), []);
            const appLogs = policyResource("aws:cloudwatch/logGroup:LogGroup", { name: "/aws/lambda/f", retentionInDays: 7 }, "lg", { stack: "prod" });
            assert.deepStrictEqual(await fired("prod-stateful-protected", [appLogs]), []);
            const scratch = policyResource("aws:s3/bucket:Bucket", { tags: { "data-class": "ephemeral" } }, "scratch", { stack: "prod" });
            const data = policyResource("aws:s3/bucket:Bucket", {}, "data", { stack: "prod" });
            assert.deepStrictEqual((await fired("prod-stateful-protected", [scratch, data])).map((x) => x.urn), [data.urn]);
        });
        it("covers audit log groups, keys, secrets, hosts; pack config environment overrides the stack name", async () => {
            const audit = policyResource("aws:cloudwatch/logGroup:LogGroup", { name: "/aws/events/Security", retentionInDays: 365 }, "audit", { stack: "eu" });
            const key = policyResource("aws:kms/key:Key", { enableKeyRotation: true }, "key", { stack: "eu" });
            const secret = policyResource("aws:secretsmanager/secret:Secret", { kmsKeyId: KEY }, "secret", { stack: "eu" });
            const host = policyResource("aws:ec2/dedicatedHost:DedicatedHost", { instanceType: "mac2.metal", availabilityZone: "a" }, "host", { stack: "eu" });
            assert.deepStrictEqual(await fired("prod-stateful-protected", [audit, key, secret, host]), []);
            const v = await fired("prod-stateful-protected", [audit, key, secret, host], { environment: "prod" });
            assert.strictEqual(v.length, 4);
        });
    });
});

describe("unknown values during preview", () => {

    it("an unknown bucket policy does not abort the TLS rule for other buckets", async () => {
        const [bucket, pab, sse, pol, vers] = bucketSet("data");
        pol.props = unknownAt(pol.props, "policy");
        const bare = bucketSet("bare", { policy: null });
        const v = await fired("s3-5-tls-only-policy", [bucket, pab, sse, pol, vers, ...bare]);
        assert.deepStrictEqual(v.map((x) => x.urn), [bare[0].urn]);
    });

    it("an unknown linking value falls back to no link", async () => {
        const fs = policyResource("aws:efs/fileSystem:FileSystem", { encrypted: true }, "shared");
        const bp = policyResource("aws:efs/backupPolicy:BackupPolicy", unknownAt({ backupPolicy: { status: "ENABLED" } }, "fileSystemId"), "bp");
        assert.strictEqual((await fired("efs-2-backup-policy", [fs, bp])).length, 1);
    });
});
