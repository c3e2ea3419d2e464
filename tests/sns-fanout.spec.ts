import { strict as assert } from "assert";
import { readStackFile } from "../lib/config/load";
import { ProgramRun, runConcern, withConfig } from "../lib/plan/recorder";
import { byName, json, ofType, statements } from "./helpers";

/* eslint-disable @typescript-eslint/no-explicit-any */

const mine = (run: ProgramRun) => run.resources.filter((r) => r.urn.includes("sns-fanout"));
const customOf = (run: ProgramRun, type: string) => ofType(run, type).filter((r) => r.urn.includes("sns-fanout"));

describe("sns-fanout (dev stack)", () => {
    let run: ProgramRun;
    before(async () => {
        run = await runConcern("dev", "snsFanout");
    });

    it("deploys every resource in us-east-1 of the sandbox account through the shared provider", () => {
        const custom = mine(run).filter((r) => r.custom);
        assert.ok(custom.length > 30);
        for (const r of custom) {
            assert.equal(r.region, "us-east-1", r.name);
            assert.equal(r.accountId, "111111111111", r.name);
            assert.ok(r.provider?.includes("aws-sandbox-us-east-1"), `${r.name} has provider ${r.provider}`);
        }
    });

    it("creates a standard topic encrypted with the CMK whose key policy lets SNS generate data keys and decrypt", () => {
        const topic = byName(run, "sns-fanout-topic");
        const key = byName(run, "sns-fanout-key");
        assert.equal(topic.inputs.name, "log-fanout-logs");
        assert.equal(topic.inputs.fifoTopic, undefined);
        assert.equal(topic.inputs.kmsMasterKeyId, key.state.arn);
        assert.equal(key.inputs.enableKeyRotation, true);
        const sns = statements(key.inputs.policy).find((s) => s.Principal?.Service === "sns.amazonaws.com");
        assert.deepEqual(sns.Action, ["kms:GenerateDataKey", "kms:Decrypt"]);
        assert.deepEqual(sns.Condition, { StringEquals: { "aws:SourceAccount": "111111111111" } });
    });

    it("subscribes two SQS queues (raw delivery) and one Firehose stream, with the right protocols and endpoints", () => {
        const subs = customOf(run, "aws:sns/topicSubscription:TopicSubscription");
        const topicArn = byName(run, "sns-fanout-topic").state.arn;
        assert.equal(subs.length, 3);
        assert.ok(subs.every((s) => s.inputs.topic === topicArn));
        const byProto = (p: string) => subs.filter((s) => s.inputs.protocol === p);
        assert.equal(byProto("sqs").length, 2);
        assert.deepEqual(
            byProto("sqs").map((s) => s.inputs.endpoint).sort(),
            [byName(run, "sns-fanout-indexing-queue").state.arn, byName(run, "sns-fanout-inference-queue").state.arn].sort(),
        );
        assert.ok(byProto("sqs").every((s) => s.inputs.rawMessageDelivery === true));
        const fh = byProto("firehose");
        assert.equal(fh.length, 1);
        assert.equal(fh[0].inputs.endpoint, byName(run, "sns-fanout-firehose").state.arn);
        assert.equal(fh[0].inputs.subscriptionRoleArn, byName(run, "sns-fanout-sns-to-firehose-role").state.arn);
    });

    it("gives the Firehose subscription role to SNS only, with PutRecord*/Describe on that one stream", () => {
        const role = byName(run, "sns-fanout-sns-to-firehose-role");
        const trust = statements(role.inputs.assumeRolePolicy);
        assert.deepEqual(trust[0].Principal, { Service: "sns.amazonaws.com" });
        assert.deepEqual(trust[0].Condition, { StringEquals: { "aws:SourceAccount": "111111111111" } });
        const policy = statements(byName(run, "sns-fanout-sns-to-firehose-policy").inputs.policy);
        assert.equal(policy.length, 1);
        assert.deepEqual(policy[0].Action, ["firehose:DescribeDeliveryStream", "firehose:PutRecord", "firehose:PutRecordBatch"]);
        assert.equal(policy[0].Resource, byName(run, "sns-fanout-firehose").state.arn);
    });

    it("scopes each queue policy to sns.amazonaws.com sending on behalf of the topic ARN only", () => {
        const topicArn = byName(run, "sns-fanout-topic").state.arn;
        for (const sub of ["inference", "indexing"]) {
            const queue = byName(run, `sns-fanout-${sub}-queue`);
            const policy = byName(run, `sns-fanout-${sub}-queue-policy`);
            assert.equal(policy.inputs.queueUrl, queue.state.url);
            const allow = statements(policy.inputs.policy).filter((s) => s.Effect === "Allow");
            assert.equal(allow.length, 1);
            assert.deepEqual(allow[0].Principal, { Service: "sns.amazonaws.com" });
            assert.equal(allow[0].Action, "sqs:SendMessage");
            assert.equal(allow[0].Resource, queue.state.arn);
            assert.deepEqual(allow[0].Condition, { ArnEquals: { "aws:SourceArn": topicArn } });
        }
    });

    it("gives each queue a KMS-encrypted DLQ via redrivePolicy and alarms when the DLQ holds a message", () => {
        const keyArn = byName(run, "sns-fanout-key").state.arn;
        for (const sub of ["inference", "indexing"]) {
            const queue = byName(run, `sns-fanout-${sub}-queue`);
            const dlq = byName(run, `sns-fanout-${sub}-dlq`);
            assert.deepEqual(json(queue.inputs.redrivePolicy), { deadLetterTargetArn: dlq.state.arn, maxReceiveCount: 5 });
            assert.equal(queue.inputs.kmsMasterKeyId, keyArn);
            assert.equal(dlq.inputs.kmsMasterKeyId, keyArn);
            assert.equal(dlq.inputs.messageRetentionSeconds, 1209600);
            assert.equal(queue.inputs.visibilityTimeoutSeconds, 180, "six times the 30 s function timeout");
            const alarm = byName(run, `sns-fanout-${sub}-dlq-alarm`);
            assert.equal(alarm.inputs.namespace, "AWS/SQS");
            assert.equal(alarm.inputs.metricName, "ApproximateNumberOfMessagesVisible");
            assert.deepEqual(alarm.inputs.dimensions, { QueueName: dlq.state.name });
            assert.equal(alarm.inputs.threshold, 0);
            assert.equal(alarm.inputs.comparisonOperator, "GreaterThanThreshold");
        }
    });

    it("notifies one encrypted alarm topic from every DLQ and error alarm; CloudWatch of the account alone may publish", () => {
        const key = byName(run, "sns-fanout-key");
        const topic = byName(run, "sns-fanout-alarms");
        assert.equal(topic.inputs.name, "log-fanout-alarms");
        assert.equal(topic.inputs.kmsMasterKeyId, key.state.arn);
        const cw = statements(key.inputs.policy).find((s) => s.Principal?.Service === "cloudwatch.amazonaws.com");
        assert.deepEqual(cw.Action, ["kms:GenerateDataKey", "kms:Decrypt"]);
        const policy = byName(run, "sns-fanout-alarms-policy");
        assert.equal(policy.inputs.arn, topic.state.arn);
        const publish = statements(policy.inputs.policy).find((s) => s.Principal?.Service === "cloudwatch.amazonaws.com");
        assert.deepEqual(publish, {
            Sid: "CloudWatchAlarms",
            Effect: "Allow",
            Principal: { Service: "cloudwatch.amazonaws.com" },
            Action: "sns:Publish",
            Resource: topic.state.arn,
            Condition: { StringEquals: { "aws:SourceAccount": "111111111111" } },
        });
        const alarms = customOf(run, "aws:cloudwatch/metricAlarm:MetricAlarm");
        assert.equal(alarms.length, 5, "two DLQ alarms, three function error alarms");
        for (const a of alarms) {
            assert.deepEqual(a.inputs.alarmActions, [topic.state.arn], a.name);
        }
        for (const sub of ["inference", "indexing"]) {
            assert.deepEqual(byName(run, `sns-fanout-${sub}-dlq-alarm`).inputs.okActions, [topic.state.arn]);
        }
        // dev names no alarm e-mail: the topic has no subscription of its own
        assert.ok(!customOf(run, "aws:sns/topicSubscription:TopicSubscription").some((s) => s.inputs.topic === topic.state.arn));
    });

    it("runs a Lambda on each queue with ReportBatchItemFailures and a role limited to that queue", () => {
        const esms = customOf(run, "aws:lambda/eventSourceMapping:EventSourceMapping");
        assert.equal(esms.length, 2);
        for (const sub of ["inference", "indexing"]) {
            const esm = byName(run, `sns-fanout-${sub}-esm`);
            assert.equal(esm.inputs.eventSourceArn, byName(run, `sns-fanout-${sub}-queue`).state.arn);
            assert.equal(esm.inputs.functionName, byName(run, `sns-fanout-${sub}-consumer-fn`).state.arn);
            assert.deepEqual(esm.inputs.functionResponseTypes, ["ReportBatchItemFailures"]);
            const policy = statements(byName(run, `sns-fanout-${sub}-consumer-policy`).inputs.policy);
            const consume = policy.find((s) => s.Sid === "ConsumeOwnQueue");
            assert.equal(consume.Resource, byName(run, `sns-fanout-${sub}-queue`).state.arn);
            assert.ok(policy.every((s) => s.Action !== "*" && !(Array.isArray(s.Action) && s.Action.includes("*"))));
        }
    });

    it("gives every Lambda a log group with retention, Active tracing and an error alarm", () => {
        const fns = customOf(run, "aws:lambda/function:Function");
        assert.equal(fns.length, 3, "inference, indexer, publisher");
        for (const fn of fns) {
            assert.deepEqual(fn.inputs.tracingConfig, { mode: "Active" }, fn.name);
            const base = fn.name.replace(/-fn$/, "");
            const logs = byName(run, `${base}-logs`);
            assert.equal(logs.inputs.retentionInDays, 30);
            assert.equal(fn.inputs.loggingConfig.logGroup, logs.state.name);
            const alarm = byName(run, `${base}-errors`);
            assert.equal(alarm.inputs.metricName, "Errors");
            assert.deepEqual(alarm.inputs.dimensions, { FunctionName: fn.state.name });
        }
        const publisher = byName(run, "sns-fanout-publisher-fn");
        assert.equal(publisher.inputs.environment.variables.TOPIC_ARN, byName(run, "sns-fanout-topic").state.arn);
        const pub = statements(byName(run, "sns-fanout-publisher-policy").inputs.policy).find((s) => s.Sid === "PublishToTopic");
        assert.equal(pub.Resource, byName(run, "sns-fanout-topic").state.arn);
    });

    it("encrypts every log group of the concern with its CMK, whose policy admits CloudWatch Logs for those groups only", () => {
        const key = byName(run, "sns-fanout-key");
        const groups = customOf(run, "aws:cloudwatch/logGroup:LogGroup");
        assert.deepEqual(groups.map((g) => g.name).sort(), [
            "sns-fanout-firehose-logs",
            "sns-fanout-indexing-consumer-logs",
            "sns-fanout-inference-consumer-logs",
            "sns-fanout-publisher-logs",
        ]);
        for (const g of groups) {
            assert.equal(g.inputs.kmsKeyId, key.state.arn, g.name);
            assert.ok(String(g.inputs.name).startsWith("/awsarch/dev/sns-fanout/"), g.inputs.name);
        }
        const logs = statements(key.inputs.policy).find((s) => s.Principal?.Service === "logs.us-east-1.amazonaws.com");
        assert.ok(logs, "a statement for logs.us-east-1.amazonaws.com");
        assert.deepEqual(logs.Condition, {
            ArnLike: { "kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:us-east-1:111111111111:log-group:/awsarch/dev/sns-fanout/*" },
        });
    });

    it("archives through Firehose (SSE on) into a KMS-encrypted, versioned, private, TLS-only bucket with a lifecycle", () => {
        const stream = byName(run, "sns-fanout-firehose");
        const bucket = byName(run, "sns-fanout-archive");
        const keyArn = byName(run, "sns-fanout-key").state.arn;
        assert.equal(stream.inputs.destination, "extended_s3");
        assert.equal(stream.inputs.serverSideEncryption.enabled, true);
        assert.equal(stream.inputs.extendedS3Configuration.bucketArn, bucket.state.arn);
        assert.equal(stream.inputs.extendedS3Configuration.bufferingInterval, 60);
        assert.equal(byName(run, "sns-fanout-archive-versioning").inputs.versioningConfiguration.status, "Enabled");
        const sse = byName(run, "sns-fanout-archive-sse").inputs.rules[0].applyServerSideEncryptionByDefault;
        assert.deepEqual(sse, { sseAlgorithm: "aws:kms", kmsMasterKeyId: keyArn });
        const pab = byName(run, "sns-fanout-archive-pab").inputs;
        assert.ok(pab.blockPublicAcls && pab.blockPublicPolicy && pab.ignorePublicAcls && pab.restrictPublicBuckets);
        const tls = statements(byName(run, "sns-fanout-archive-policy").inputs.policy)[0];
        assert.equal(tls.Effect, "Deny");
        assert.deepEqual(tls.Condition, { Bool: { "aws:SecureTransport": "false" } });
        const rule = byName(run, "sns-fanout-archive-lifecycle").inputs.rules[0];
        assert.equal(rule.transitions[0].days, 30);
        assert.equal(rule.expiration.days, 365);
        const delivery = statements(byName(run, "sns-fanout-firehose-policy").inputs.policy);
        assert.ok(delivery.find((s) => s.Sid === "WriteArchive").Resource.includes(bucket.state.arn));
    });

    it("has no OpenSearch domain in dev: the indexer gets no endpoint and only logs", () => {
        assert.equal(customOf(run, "aws:opensearch/domain:Domain").length, 0);
        const env = byName(run, "sns-fanout-indexing-consumer-fn").inputs.environment?.variables ?? {};
        assert.equal(env.OPENSEARCH_ENDPOINT, undefined);
        assert.ok(run.outputs.snsFanout);
        assert.match((run.outputs.snsFanout as any).topicArn, /^arn:aws:sns:us-east-1:111111111111:log-fanout-logs$/);
    });
});

describe("sns-fanout (prod stack)", () => {
    let run: ProgramRun;
    before(async () => {
        run = await runConcern("prod", "snsFanout");
    });

    it("puts the domain and the indexer in the search VPC's isolated subnets; the domain admits HTTPS from the indexer only; X-Ray through an endpoint", () => {
        const vpc = byName(run, "sns-fanout-vpc", "awsx:ec2:Vpc");
        assert.deepStrictEqual([vpc.inputs.subnetSpecs, vpc.inputs.natGateways], [[{ type: "Isolated", cidrMask: 24 }], { strategy: "None" }]);
        const isolated: string[] = vpc.state.isolatedSubnetIds;
        const domain = byName(run, "sns-fanout-domain", "aws:opensearch/domain:Domain");
        // Two data nodes: zone awareness, one subnet per zone.
        assert.deepStrictEqual(domain.inputs.vpcOptions.subnetIds, isolated.slice(0, 2));
        const domainSg = byName(run, "sns-fanout-domain-sg", "aws:ec2/securityGroup:SecurityGroup");
        const indexerSg = byName(run, "sns-fanout-indexer-sg", "aws:ec2/securityGroup:SecurityGroup");
        assert.deepStrictEqual(domain.inputs.vpcOptions.securityGroupIds, [domainSg.state.id ?? `${domainSg.name}-id`]);
        const ingress = run.resources.filter((r) => r.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule" && r.inputs.securityGroupId === domain.inputs.vpcOptions.securityGroupIds[0]);
        assert.deepStrictEqual(ingress.map((r) => [r.inputs.fromPort, r.inputs.referencedSecurityGroupId]), [[443, indexerSg.state.id ?? `${indexerSg.name}-id`]]);
        const indexer = byName(run, "sns-fanout-indexing-consumer-fn", "aws:lambda/function:Function");
        assert.deepStrictEqual(indexer.inputs.vpcConfig.subnetIds, isolated);
        assert.strictEqual(byName(run, "sns-fanout-xray-endpoint").inputs.serviceName, "com.amazonaws.us-east-1.xray");
    });

    it("deploys in the workloadsUs account in us-east-1 and protects key, queues, bucket and log groups", () => {
        for (const r of mine(run).filter((x) => x.custom)) {
            assert.equal(r.accountId, "333333333333");
            assert.equal(r.region, "us-east-1");
        }
        for (const n of ["sns-fanout-key", "sns-fanout-archive", "sns-fanout-inference-dlq", "sns-fanout-inference-consumer-logs", "sns-fanout-domain"]) {
            assert.equal(byName(run, n).protect, true, n);
        }
    });

    it("subscribes the configured alarm e-mail to the alarm topic", () => {
        const sub = byName(run, "sns-fanout-alarms-email");
        assert.equal(sub.inputs.topic, byName(run, "sns-fanout-alarms").state.arn);
        assert.equal(sub.inputs.protocol, "email");
        assert.equal(sub.inputs.endpoint, "log-pipeline-oncall@example.com");
    });

    it("creates an encrypted, HTTPS-only OpenSearch domain with fine-grained access for the indexer role only", () => {
        const domain = byName(run, "sns-fanout-domain");
        assert.equal(domain.inputs.encryptAtRest.enabled, true);
        assert.equal(domain.inputs.nodeToNodeEncryption.enabled, true);
        assert.equal(domain.inputs.domainEndpointOptions.enforceHttps, true);
        assert.equal(domain.inputs.advancedSecurityOptions.enabled, true);
        assert.equal(domain.inputs.advancedSecurityOptions.anonymousAuthEnabled, false);
        const role = byName(run, "sns-fanout-indexing-consumer-role");
        assert.equal(domain.inputs.advancedSecurityOptions.masterUserOptions.masterUserArn, role.state.arn);
        const access = statements(domain.inputs.accessPolicies);
        assert.equal(access.length, 1);
        assert.deepEqual(access[0].Principal, { AWS: role.state.arn });
        assert.ok(!JSON.stringify(access).includes('"*"'));
        assert.equal(domain.inputs.clusterConfig.zoneAwarenessEnabled, true);
        const fn = byName(run, "sns-fanout-indexing-consumer-fn");
        assert.equal(fn.inputs.environment.variables.INDEX_NAME, "logs", "the indexer is configured to write to the domain");
        const es = statements(byName(run, "sns-fanout-indexing-consumer-policy").inputs.policy).find((s) => s.Sid === "WriteToTheLogDomain");
        assert.equal(es.Resource, `${domain.state.arn}/*`);
        assert.equal(fn.inputs.environment.variables.OPENSEARCH_ENDPOINT, domain.state.endpoint);
    });

    it("creates the domain after the indexer role it names (OpenSearch rejects principals that do not exist yet)", () => {
        const domain = byName(run, "sns-fanout-domain");
        const role = byName(run, "sns-fanout-indexing-consumer-role");
        assert.ok(domain.dependencies.includes(role.urn), `domain dependencies: ${domain.dependencies.join(", ")}`);
        // ...and the indexer's policy and function wait for the domain whose ARN and endpoint they use.
        assert.ok(byName(run, "sns-fanout-indexing-consumer-policy").dependencies.includes(domain.urn));
        assert.ok(byName(run, "sns-fanout-indexing-consumer-fn").dependencies.includes(domain.urn));
        assert.ok(!role.dependencies.includes(domain.urn), "the role itself does not wait for the domain");
    });

    it("publishes error, slow and audit logs to encrypted, retained, protected log groups that OpenSearch alone may write, for this domain", () => {
        const domain = byName(run, "sns-fanout-domain", "aws:opensearch/domain:Domain");
        const key = byName(run, "sns-fanout-key");
        const options: { logType: string; cloudwatchLogGroupArn: string; enabled: boolean }[] = domain.inputs.logPublishingOptions;
        assert.deepStrictEqual(options.map((o) => [o.logType, o.enabled]).sort(), [["AUDIT_LOGS", true], ["ES_APPLICATION_LOGS", true], ["INDEX_SLOW_LOGS", true], ["SEARCH_SLOW_LOGS", true]]);
        const groups = options.map((o) => run.resources.find((r) => r.type === "aws:cloudwatch/logGroup:LogGroup" && r.state.arn === o.cloudwatchLogGroupArn)!);
        for (const g of groups) {
            assert.ok(g, "each option names a log group of the stack");
            assert.match(g.inputs.name, /^\/awsarch\/prod\/sns-fanout\/opensearch-/);
            assert.deepStrictEqual([g.inputs.kmsKeyId, g.inputs.retentionInDays, g.protect], [key.state.arn, 365, true], g.name);
        }
        const policy = byName(run, "sns-fanout-opensearch-logs-policy", "aws:cloudwatch/logResourcePolicy:LogResourcePolicy");
        const [st] = statements(policy.inputs.policyDocument);
        assert.deepStrictEqual(st.Principal, { Service: "es.amazonaws.com" });
        assert.deepStrictEqual(st.Action, ["logs:CreateLogStream", "logs:PutLogEvents"]);
        assert.deepStrictEqual([...st.Resource].sort(), groups.map((g) => `${g.state.arn}:*`).sort());
        assert.deepStrictEqual(st.Condition, { StringEquals: { "aws:SourceAccount": "333333333333" }, ArnLike: { "aws:SourceArn": domain.state.arn } });
        // CreateDomain checks the permission: the policy exists first.
        assert.ok(domain.dependencies.includes(policy.urn));
    });
});

describe("sns-fanout FIFO variant and validation", () => {
    it("makes the topic and every queue .fifo (no Firehose) when fifo.enabled", async () => {
        const raw = withConfig(readStackFile("dev"), "snsFanout", (c) => ({ ...c, fifo: { enabled: true, contentBasedDeduplication: true }, firehose: { enabled: false } }));
        const run = await runConcern("dev", "snsFanout", raw);
        const topic = byName(run, "sns-fanout-topic");
        assert.equal(topic.inputs.name, "log-fanout-logs.fifo");
        assert.equal(topic.inputs.fifoTopic, true);
        assert.equal(topic.inputs.contentBasedDeduplication, true);
        const queues = customOf(run, "aws:sqs/queue:Queue");
        assert.equal(queues.length, 4);
        assert.ok(queues.every((q) => q.inputs.fifoQueue === true && q.inputs.name.endsWith(".fifo")));
        const subs = customOf(run, "aws:sns/topicSubscription:TopicSubscription");
        assert.deepEqual(
            subs.map((s) => s.inputs.protocol),
            ["sqs", "sqs"],
        );
        assert.equal(customOf(run, "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream").length, 0);
    });

    it("rejects Firehose on a FIFO topic, naming the key path, before anything is registered", async () => {
        const raw = withConfig(readStackFile("dev"), "snsFanout", (c) => ({ ...c, fifo: { enabled: true } }));
        await assert.rejects(runConcern("dev", "snsFanout", raw), (err: any) => {
            assert.equal(err.name, "ConfigError");
            const p = err.problems.find((x: any) => x.path === "snsFanout.firehose.enabled");
            assert.ok(p, JSON.stringify(err.problems));
            assert.match(p.message, /standard topic/);
            assert.equal(err.registeredResources, 0);
            return true;
        });
    });

    it("rejects an unknown account, a bad Region, an expiration before the transition and a malformed alarm e-mail", async () => {
        const raw = withConfig(readStackFile("dev"), "snsFanout", (c) => ({
            ...c,
            account: "nobody",
            region: "us-east-9",
            archive: { transitionDays: 30, expirationDays: 10 },
            alarmEmail: "oncall-at-example.com",
        }));
        await assert.rejects(runConcern("dev", "snsFanout", raw), (err: any) => {
            const paths = err.problems.map((x: any) => x.path);
            assert.ok(paths.includes("snsFanout.account"), paths.join());
            assert.ok(paths.includes("snsFanout.region"), paths.join());
            assert.ok(paths.includes("snsFanout.archive.expirationDays"), paths.join());
            assert.ok(paths.includes("snsFanout.alarmEmail"), paths.join());
            return true;
        });
    });

    it("gives the search VPC the shared VPC shape: flow-log retention 90 days unless set, a bad retention or an unknown key refused by name", async () => {
        const prod = await runConcern("prod", "snsFanout");
        assert.strictEqual(byName(prod, "sns-fanout-vpc-flow-logs", "aws:cloudwatch/logGroup:LogGroup").inputs.retentionInDays, 90);
        const vpc = (v: Record<string, unknown>) => withConfig(readStackFile("prod"), "snsFanout", (c) => ({ ...c, openSearch: { ...c.openSearch, vpc: { ...c.openSearch.vpc, ...v } } }));
        const set = await runConcern("prod", "snsFanout", vpc({ flowLogRetentionDays: 30 }));
        assert.strictEqual(byName(set, "sns-fanout-vpc-flow-logs", "aws:cloudwatch/logGroup:LogGroup").inputs.retentionInDays, 30);
        await assert.rejects(runConcern("prod", "snsFanout", vpc({ flowLogRetentionDays: 31, natGateways: "single" })), (err: any) => {
            const paths = err.problems.map((x: any) => x.path).sort();
            assert.deepStrictEqual(paths, ["snsFanout.openSearch.vpc.flowLogRetentionDays", "snsFanout.openSearch.vpc.natGateways"], JSON.stringify(err.problems));
            return true;
        });
    });

    it("deploys nothing of the concern when the key is absent", async () => {
        const run = await runConcern("dev", "snsFanout", withConfig(readStackFile("dev"), "snsFanout", () => undefined));
        assert.equal(mine(run).length, 0);
        assert.equal(run.outputs.snsFanout, undefined);
    });
});
