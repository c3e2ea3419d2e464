import * as assert from "assert";
import { ConfigError, parseStackConfig, readStackFile } from "../lib/config/load";
import { ProgramRun, aliasUrns, runConcern, withConfig } from "../lib/plan/recorder";
import { UNSCOPABLE_ACTIONS } from "../components/msk";
import { expandAction, takesResourceArns } from "../lib/iam/validate";
import { asList, byName, descendantsOf, json, ofType, statements } from "./helpers";

/* eslint-disable @typescript-eslint/no-explicit-any */

const REGION = "us-east-1";
const COMPONENT = "awsarch:msk:MskStreaming";

const EXPECTED = {
    dev: { account: "sandbox", brokers: 2, type: "kafka.t3.small", azs: 2, nat: "Single", prefix: "awsarch-msk-dev", cidr: "10.20.0.0/16" },
    prod: { account: "workloadsUs", brokers: 3, type: "kafka.m5.large", azs: 3, nat: "OnePerAz", prefix: "awsarch-msk-prod", cidr: "10.120.0.0/16" },
} as const;

describe("MSK with mutual TLS (concern 2)", () => {
    it("the client certificate has a daily monitor and an alarm 30 days before expiry (a quarter of a short validity), firing on missing data", async () => {
        const run = await runConcern("prod", "msk");
        const alarm = byName(run, "msk-client-cert-expiry", "aws:cloudwatch/metricAlarm:MetricAlarm");
        assert.deepStrictEqual(
            [alarm.inputs.namespace, alarm.inputs.metricName, alarm.inputs.comparisonOperator, alarm.inputs.threshold, alarm.inputs.treatMissingData, alarm.inputs.period],
            ["awsarch/MSK", "ClientCertificateDaysToExpiry", "LessThanThreshold", 30, "breaching", 86400],
        );
        assert.strictEqual(alarm.inputs.dimensions.Secret, byName(run, "msk-client-cert-secret").state.arn.split(":").pop());
        const schedule = byName(run, "msk-cert-monitor-schedule");
        assert.strictEqual(schedule.inputs.scheduleExpression, "rate(1 day)");
        // Only this rule of this account may invoke the monitor, and the target waits for that permission.
        const invoke = byName(run, "msk-cert-monitor-invoke", "aws:lambda/permission:Permission");
        assert.deepStrictEqual([invoke.inputs.principal, invoke.inputs.sourceArn, invoke.inputs.sourceAccount], ["events.amazonaws.com", schedule.state.arn, "333333333333"]);
        const target = byName(run, "msk-cert-monitor-target", "aws:cloudwatch/eventTarget:EventTarget");
        assert.ok(target.dependencies.includes(invoke.urn));
        assert.strictEqual(target.inputs.retryPolicy, undefined, "EventBridge's default retries: one failed run must not skip a day");
        const monitor = byName(run, "msk-cert-monitor-fn", "aws:lambda/function:Function");
        assert.strictEqual(monitor.inputs.environment.variables.CERT_SECRET_ARN, byName(run, "msk-client-cert-secret").state.arn);
        const shortLived = await runConcern("dev", "msk", withConfig(readStackFile("dev"), "msk", (c) => ({ ...c, ca: { ...c.ca, usageMode: "SHORT_LIVED_CERTIFICATE", clientCertValidityDays: 7 } })));
        assert.strictEqual(byName(shortLived, "msk-client-cert-expiry", "aws:cloudwatch/metricAlarm:MetricAlarm").inputs.threshold, 1);
    });

    it("the component's type token moved to awsarch:msk:MskStreaming with an alias: it and every child still answer to their former URNs", async () => {
        const run = await runConcern("prod", "msk");
        const component = run.resources.find((r) => r.type === COMPONENT);
        assert.ok(component);
        const before = (urn: string) => urn.replace(`::${COMPONENT}`, "::awsarch:mskStreaming:MskStreaming");
        const children = descendantsOf(run, component.urn);
        assert.ok(children.length > 40);
        for (const r of [component, ...children]) {
            assert.ok(aliasUrns(run, r).includes(before(r.urn)), `${r.name} has no alias to ${before(r.urn)}`);
        }
    });

    it("the actions granted on * are the reference's *-only ones, except the ENI calls AWS's VPC execution policy grants on *", () => {
        const { network, ...starOnly } = UNSCOPABLE_ACTIONS;
        for (const a of Object.values(starOnly).flat()) {
            assert.strictEqual(expandAction(a).length, 1, `${a} exists`);
            assert.strictEqual(takesResourceArns(a), false, `${a} has no resource type`);
        }
        assert.deepStrictEqual(network.filter((a) => !a.startsWith("ec2:Describe")).filter((a) => !takesResourceArns(a)), [], "the ENI calls are the documented exception");
    });

    for (const stack of ["dev", "prod"] as const) {
        describe(`${stack} stack`, () => {
            const exp = EXPECTED[stack];
            let run: ProgramRun;
            let accountId: string;
            before(async () => {
                const raw = readStackFile(stack);
                accountId = (raw["awsarch:accounts"] as Record<string, { id: string }>)[exp.account].id;
                run = await runConcern(stack, "msk");
            });
            const r = (name: string) => byName(run, name);
            /** The mock's id of a resource (ids are `<name>-id`). */
            const id = (name: string) => (r(name), `${name}-id`);
            const ours = () => descendantsOf(run, ofType(run, COMPONENT)[0].urn);

            it("creates everything in us-east-1 in the workload account, with an explicit provider", () => {
                assert.strictEqual(ofType(run, COMPONENT).length, 1);
                const all = ours();
                assert.ok(all.length > 40, `only ${all.length} resources`);
                for (const res of all.filter((x) => x.type.startsWith("aws:"))) {
                    assert.strictEqual(res.region, REGION, res.name);
                    assert.strictEqual(res.accountId, accountId, res.name);
                    assert.ok(res.provider, `${res.name} has no provider`);
                }
                const vpc = r("msk-vpc");
                assert.ok(vpc.remote);
                assert.ok(vpc.providers.aws, "awsx Vpc needs providers: { aws }");
                assert.match(vpc.providers.aws, /aws-[a-zA-Z]+-us-east-1/);
            });

            it("VPC: CIDR, AZs chosen by zone ID (never MSK's refused use1-az3) and NAT strategy from config", () => {
                const vpc = r("msk-vpc");
                assert.strictEqual(vpc.inputs.cidrBlock, exp.cidr);
                assert.strictEqual(vpc.inputs.numberOfAvailabilityZones, undefined, "names, not a count awsx would fill by name");
                // The mock account maps us-east-1a/b/c to use1-az1/2/3: the third zone is skipped.
                assert.deepStrictEqual(vpc.inputs.availabilityZoneNames, ["us-east-1a", "us-east-1b", "us-east-1d"].slice(0, exp.azs));
                assert.strictEqual(vpc.inputs.natGateways.strategy, exp.nat);
            });

            it("MSK cluster: TLS-only client traffic, in-cluster TLS, the private CA, a CMK, broker logs, private subnets, sizes", () => {
                const c = r("msk-cluster").inputs;
                assert.strictEqual(c.clusterName, exp.prefix);
                assert.strictEqual(c.numberOfBrokerNodes, exp.brokers);
                assert.strictEqual(c.numberOfBrokerNodes % exp.azs, 0);
                assert.strictEqual(c.brokerNodeGroupInfo.instanceType, exp.type);
                assert.deepStrictEqual(c.brokerNodeGroupInfo.clientSubnets, r("msk-vpc").state.privateSubnetIds);
                assert.strictEqual(c.brokerNodeGroupInfo.clientSubnets.length, exp.azs);
                assert.ok(c.brokerNodeGroupInfo.clientSubnets.every((s: string) => s.includes("private")));
                assert.deepStrictEqual(c.brokerNodeGroupInfo.securityGroups, [id("msk-cluster-sg")]);
                assert.strictEqual(c.brokerNodeGroupInfo.connectivityInfo.publicAccess.type, "DISABLED");
                assert.deepStrictEqual(c.encryptionInfo.encryptionInTransit, { clientBroker: "TLS", inCluster: true });
                assert.strictEqual(c.encryptionInfo.encryptionAtRestKmsKeyArn, r("msk-data-key").state.arn);
                assert.match(c.encryptionInfo.encryptionAtRestKmsKeyArn, /^arn:aws:kms:us-east-1:/);
                assert.deepStrictEqual(c.clientAuthentication.tls.certificateAuthorityArns, [r("msk-ca").state.arn]);
                assert.strictEqual(c.clientAuthentication.unauthenticated, false);
                assert.strictEqual(c.clientAuthentication.sasl, undefined);
                assert.deepStrictEqual(c.loggingInfo.brokerLogs.cloudwatchLogs, { enabled: true, logGroup: `/aws/msk/${exp.prefix}` });
                assert.strictEqual(c.enhancedMonitoring, "PER_TOPIC_PER_BROKER");
                assert.strictEqual(c.configurationInfo.arn, r("msk-kafka-config").state.arn);
                assert.match(r("msk-kafka-config").inputs.serverProperties, /auto\.create\.topics\.enable=false/);
                assert.strictEqual(r("msk-cluster").protect, stack === "prod");
            });

            it("broker security group admits only 9094 from the Lambda security group and itself", () => {
                const sg = id("msk-cluster-sg");
                const ingress = ofType(run, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter((x) => x.inputs.securityGroupId === sg);
                assert.strictEqual(ingress.length, 2);
                for (const rule of ingress) {
                    assert.strictEqual(rule.inputs.fromPort, 9094);
                    assert.strictEqual(rule.inputs.toPort, 9094);
                    assert.strictEqual(rule.inputs.cidrIpv4, undefined);
                }
                assert.deepStrictEqual(ingress.map((x) => x.inputs.referencedSecurityGroupId).sort(), [id("msk-lambda-sg"), sg].sort());
                assert.strictEqual(r("msk-cluster-sg").inputs.ingress, undefined);
            });

            it("private CA: ROOT, activated with its own root certificate", () => {
                const ca = r("msk-ca");
                assert.strictEqual(ca.inputs.type, "ROOT");
                assert.strictEqual(ca.inputs.usageMode, "GENERAL_PURPOSE");
                assert.strictEqual(ca.protect, stack === "prod");
                const root = r("msk-ca-root-cert").inputs;
                assert.strictEqual(root.certificateAuthorityArn, ca.state.arn);
                assert.strictEqual(root.templateArn, "arn:aws:acm-pca:::template/RootCACertificate/V1");
                assert.strictEqual(r("msk-ca-activation").inputs.certificateAuthorityArn, ca.state.arn);
            });

            it("client certificate: CSR from @pulumi/tls, signed by the CA for client auth, stored in a KMS-encrypted secret", () => {
                const cert = r("msk-client-cert").inputs;
                assert.strictEqual(cert.certificateAuthorityArn, r("msk-ca").state.arn);
                assert.strictEqual(cert.templateArn, "arn:aws:acm-pca:::template/EndEntityClientAuthCertificate/V1");
                assert.deepStrictEqual(cert.validity, { type: "DAYS", value: "365" });
                assert.strictEqual(r("msk-client-key").inputs.algorithm, "RSA");
                assert.ok(r("msk-client-key").provider?.includes("pulumi:providers:tls"));
                const secret = r("msk-client-cert-secret");
                assert.strictEqual(secret.inputs.name, `${exp.prefix}/mtls/lambda/clientcert`);
                assert.strictEqual(secret.inputs.kmsKeyId, r("msk-secret-key").state.arn);
                assert.strictEqual(secret.protect, stack === "prod");
                assert.strictEqual(r("msk-client-cert-value").inputs.secretId, id("msk-client-cert-secret"));
                // Stored as a Pulumi secret, in the shape Lambda reads: {certificate: chain PEM, privateKey: PKCS#8 PEM}.
                const value = r("msk-client-cert-value").inputs.secretString;
                assert.strictEqual(value["4dabf18193072939515e22adb298388d"], "1b47061264138c4ac30d75fd1eb44270", "secretString must be a secret");
                const body = JSON.parse(value.value);
                assert.deepStrictEqual(Object.keys(body).sort(), ["certificate", "privateKey"]);
                assert.match(body.privateKey, /^-----BEGIN PRIVATE KEY-----/);
            });

            it("event source mapping: CLIENT_CERTIFICATE_TLS_AUTH with the secret, topic, starting position, batch size, destination, Kafka metrics", () => {
                const esm = r("msk-consumer-esm").inputs;
                assert.strictEqual(esm.eventSourceArn, r("msk-cluster").state.arn);
                assert.strictEqual(esm.functionName, r("msk-consumer").state.arn);
                assert.deepStrictEqual(esm.sourceAccessConfigurations, [{ type: "CLIENT_CERTIFICATE_TLS_AUTH", uri: r("msk-client-cert-secret").state.arn }]);
                assert.deepStrictEqual(esm.topics, ["exampleTopic"]);
                assert.strictEqual(esm.startingPosition, "TRIM_HORIZON");
                assert.strictEqual(esm.batchSize, stack === "prod" ? 100 : 10);
                assert.strictEqual(esm.destinationConfig.onFailure.destinationArn, r("msk-consumer-failures").state.arn);
                assert.match(esm.destinationConfig.onFailure.destinationArn, /^arn:aws:sqs:us-east-1:/);
                assert.deepStrictEqual([...esm.metricsConfig.metrics].sort(), ["ErrorCount", "EventCount", "KafkaMetrics"]);
                const ep = r("msk-sqs-endpoint").inputs;
                assert.strictEqual(ep.serviceName, "com.amazonaws.us-east-1.sqs");
                assert.deepStrictEqual(ep.subnetIds, r("msk-vpc").state.privateSubnetIds);
            });

            it("consumer role can read only its secret (and its key) and write only its table", () => {
                const st = statements(r("msk-consumer-policy").inputs.policy);
                assert.strictEqual(r("msk-consumer-policy").inputs.role, id("msk-consumer-role"));
                const secretArn = r("msk-client-cert-secret").state.arn;
                const tableArn = r("msk-factors-table").state.arn;
                const forAction = (prefix: string) => st.filter((s) => asList(s.Action).some((a: string) => a.startsWith(prefix)));
                const sm = forAction("secretsmanager:");
                assert.strictEqual(sm.length, 1);
                assert.deepStrictEqual(asList(sm[0].Action), ["secretsmanager:GetSecretValue"]);
                assert.strictEqual(sm[0].Resource, secretArn);
                const ddb = forAction("dynamodb:");
                assert.strictEqual(ddb.length, 1);
                assert.deepStrictEqual(asList(ddb[0].Action), ["dynamodb:BatchWriteItem"], "the handler writes in batches only");
                assert.strictEqual(ddb[0].Resource, tableArn);
                const kafka = forAction("kafka:");
                // DescribeClusterV2 on the cluster; GetBootstrapBrokers supports only "*" (scoped, the trigger never starts).
                assert.deepStrictEqual(kafka.map((k) => [asList(k.Action), k.Resource]), [
                    [["kafka:DescribeClusterV2"], r("msk-cluster").state.arn],
                    [["kafka:GetBootstrapBrokers"], "*"],
                ]);
                const kms = forAction("kms:");
                // The data key twice: through DynamoDB (table) and through SQS (encrypted failure queue).
                assert.deepStrictEqual(kms.map((s) => s.Resource).sort(), [r("msk-data-key").state.arn, r("msk-data-key").state.arn, r("msk-secret-key").state.arn].sort());
                assert.deepStrictEqual(
                    kms.filter((s) => s.Resource === r("msk-data-key").state.arn).map((s) => s.Condition.StringEquals["kms:ViaService"]).sort(),
                    ["dynamodb.us-east-1.amazonaws.com", "sqs.us-east-1.amazonaws.com"],
                );
                assert.deepStrictEqual(forAction("sqs:")[0].Resource, r("msk-consumer-failures").state.arn);
                // No wildcard actions; `*` resources only for the documented unscopable EC2 / X-Ray actions.
                for (const s of st) {
                    assert.ok(asList(s.Action).every((a: string) => !a.includes("*")), JSON.stringify(s));
                    if (s.Resource === "*") {
                        assert.ok(asList(s.Action).every((a: string) => [...UNSCOPABLE_ACTIONS.network, ...UNSCOPABLE_ACTIONS.tracing, ...UNSCOPABLE_ACTIONS.bootstrap, ...UNSCOPABLE_ACTIONS.esmDiscovery].includes(a)), JSON.stringify(s));
                    }
                }
            });

            it("producer role reads only the client certificate secret and touches no table", () => {
                const st = statements(r("msk-producer-policy").inputs.policy);
                assert.ok(!st.some((s) => asList(s.Action).some((a: string) => a.startsWith("dynamodb:"))));
                const sm = st.filter((s) => asList(s.Action).includes("secretsmanager:GetSecretValue"));
                assert.deepStrictEqual(sm.map((s) => s.Resource), [r("msk-client-cert-secret").state.arn]);
                // The ESM's network discovery and the brokers' lookup are the consumer's, not the producer's.
                const actions = st.flatMap((s) => asList(s.Action));
                assert.ok(!actions.some((a: string) => a.startsWith("kafka:") || ["ec2:DescribeVpcs", "ec2:DescribeSecurityGroups", "ec2:DescribeSubnets"].includes(a)), actions.join(", "));
            });

            it("both roles trust Lambda only on behalf of this account (aws:SourceAccount)", () => {
                for (const role of ["consumer", "producer"]) {
                    const [t] = statements(r(`msk-${role}-role`).inputs.assumeRolePolicy);
                    assert.deepStrictEqual(t.Principal, { Service: "lambda.amazonaws.com" });
                    assert.deepStrictEqual(t.Condition, { StringEquals: { "aws:SourceAccount": accountId } });
                }
            });

            it("functions: in the VPC's private subnets, tracing Active, log groups with retention, env wired", () => {
                for (const role of ["consumer", "producer"]) {
                    const fn = r(`msk-${role}`).inputs;
                    assert.strictEqual(fn.name, `${exp.prefix}-${role}`);
                    assert.deepStrictEqual(fn.vpcConfig.subnetIds, r("msk-vpc").state.privateSubnetIds);
                    assert.deepStrictEqual(fn.vpcConfig.securityGroupIds, [id("msk-lambda-sg")]);
                    assert.deepStrictEqual(fn.tracingConfig, { mode: "Active" });
                    assert.match(fn.runtime, /^nodejs2\d\.x$/);
                    const lg = r(`msk-${role}-logs`).inputs;
                    assert.strictEqual(lg.name, `/aws/lambda/${exp.prefix}-${role}`);
                    assert.strictEqual(lg.retentionInDays, stack === "prod" ? 90 : 14);
                    assert.strictEqual(lg.kmsKeyId, r("msk-logs-key").state.arn);
                }
                const consumer = r("msk-consumer").inputs.environment.variables;
                assert.strictEqual(consumer.TABLE_NAME, `${exp.prefix}-factors`);
                assert.strictEqual(consumer.MAX_NUMBER, "1000000000000000");
                const producer = r("msk-producer").inputs.environment.variables;
                assert.strictEqual(producer.BOOTSTRAP_BROKERS, r("msk-cluster").state.bootstrapBrokersTls);
                assert.match(producer.BOOTSTRAP_BROKERS, /:9094/);
                assert.strictEqual(producer.CLIENT_CERT_SECRET_ARN, r("msk-client-cert-secret").state.arn);
                assert.strictEqual(producer.PARTITIONS, stack === "prod" ? "6" : "2");
                assert.strictEqual(producer.REPLICATION_FACTOR, stack === "prod" ? "3" : "2");
            });

            it("table: on demand, PITR, KMS, deletion protection and protect only in prod", () => {
                const t = r("msk-factors-table");
                assert.strictEqual(t.inputs.billingMode, "PAY_PER_REQUEST");
                assert.strictEqual(t.inputs.hashKey, "msg_id");
                assert.deepStrictEqual(t.inputs.pointInTimeRecovery, { enabled: true });
                assert.deepStrictEqual(t.inputs.serverSideEncryption, { enabled: true, kmsKeyArn: r("msk-data-key").state.arn });
                assert.strictEqual(t.inputs.deletionProtectionEnabled, stack === "prod");
                assert.strictEqual(t.protect, stack === "prod");
            });

            it("dashboard has the six metrics with the right namespaces and dimensions", () => {
                const body = json(r("msk-dashboard").inputs.dashboardBody);
                const metrics: any[][] = body.widgets.flatMap((w: any) => w.properties.metrics);
                for (const w of body.widgets) {
                    assert.strictEqual(w.properties.region, REGION);
                }
                const fnName = `${exp.prefix}-consumer`;
                for (const name of ["OffsetLag", "Duration", "Errors", "Invocations", "ConcurrentExecutions"]) {
                    const m = metrics.filter((x) => x[1] === name);
                    assert.strictEqual(m.length, 1, name);
                    assert.deepStrictEqual(m[0].slice(0, 4), ["AWS/Lambda", name, "FunctionName", fnName]);
                }
                const bytesIn = metrics.filter((x) => x[1] === "BytesInPerSec");
                assert.strictEqual(bytesIn.length, exp.brokers);
                bytesIn.forEach((m, i) => assert.deepStrictEqual(m.slice(0, 8), ["AWS/Kafka", "BytesInPerSec", "Cluster Name", exp.prefix, "Broker ID", String(i + 1), "Topic", "exampleTopic"]));
                assert.deepStrictEqual([...new Set(metrics.map((x) => x[1]))].sort(), ["BytesInPerSec", "ConcurrentExecutions", "Duration", "Errors", "Invocations", "OffsetLag"]);
            });

            it("OffsetLag alarm over the configured threshold notifies the KMS-encrypted SNS topic", () => {
                const a = r("msk-offset-lag").inputs;
                assert.strictEqual(a.namespace, "AWS/Lambda");
                assert.strictEqual(a.metricName, "OffsetLag");
                assert.deepStrictEqual(a.dimensions, { FunctionName: `${exp.prefix}-consumer` });
                assert.strictEqual(a.threshold, stack === "prod" ? 1000 : 100);
                assert.strictEqual(a.comparisonOperator, "GreaterThanThreshold");
                assert.strictEqual(a.statistic, "Maximum");
                const topicArn = r("msk-alarms").state.arn;
                assert.deepStrictEqual(a.alarmActions, [topicArn]);
                assert.strictEqual(r("msk-alarms").inputs.kmsMasterKeyId, r("msk-alarm-key").state.arn);
                const keyPolicy = statements(r("msk-alarm-key").inputs.policy);
                assert.ok(keyPolicy.some((s) => s.Principal?.Service === "cloudwatch.amazonaws.com"));
            });

            it("one error alarm per function and a DLQ alarm, all notifying the topic", () => {
                const topicArn = r("msk-alarms").state.arn;
                for (const role of ["consumer", "producer"]) {
                    const a = r(`msk-${role}-errors`).inputs;
                    assert.strictEqual(a.metricName, "Errors");
                    assert.deepStrictEqual(a.dimensions, { FunctionName: `${exp.prefix}-${role}` });
                    assert.deepStrictEqual(a.alarmActions, [topicArn]);
                }
                const dlq = r("msk-consumer-failures-alarm").inputs;
                assert.strictEqual(dlq.metricName, "ApproximateNumberOfMessagesVisible");
                assert.deepStrictEqual(dlq.dimensions, { QueueName: `${exp.prefix}-consumer-failures` });
            });

            it("keys rotate and stateful keys are protected only in prod", () => {
                for (const k of ["msk-data-key", "msk-secret-key", "msk-logs-key", "msk-alarm-key"]) {
                    assert.strictEqual(r(k).inputs.enableKeyRotation, true, k);
                }
                for (const k of ["msk-data-key", "msk-secret-key", "msk-logs-key", "msk-broker-logs"]) {
                    assert.strictEqual(r(k).protect, stack === "prod", k);
                }
            });
        });
    }

    describe("config validation", () => {
        const dev = () => readStackFile("dev");
        const problems = (raw: Record<string, unknown>) => {
            try {
                parseStackConfig(raw);
            } catch (e) {
                assert.ok(e instanceof ConfigError, String(e));
                return e.problems;
            }
            assert.fail("config was accepted");
        };
        const msk = (f: (c: any) => void) =>
            withConfig(dev(), "msk", (c) => {
                f(c);
                return c;
            });

        it("accepts both stack files", () => {
            assert.strictEqual(parseStackConfig(readStackFile("dev")).msk?.cluster.brokerCount, 2);
            assert.strictEqual(parseStackConfig(readStackFile("prod")).msk?.cluster.instanceType, "kafka.m5.large");
        });

        it("broker count must be a multiple of the AZ count, naming the key path", () => {
            const p = problems(msk((c) => (c.cluster.brokerCount = 3)));
            assert.deepStrictEqual(p, [{ path: "msk.cluster.brokerCount", message: "3 is not a multiple of the AZ count 2" }]);
        });

        it("rejects an unknown Kafka version, a bad batch size, a bad topic name and non-positive thresholds", () => {
            const p = problems(
                msk((c) => {
                    c.cluster.kafkaVersion = "2.1.0";
                    c.consumer.batchSize = 10001;
                    c.topic.name = "bad topic!";
                    c.alarms.offsetLagThreshold = 0;
                    c.consumer.maxNumber = -1;
                }),
            );
            const paths = p.map((x) => x.path).sort();
            assert.deepStrictEqual(paths, ["msk.alarms.offsetLagThreshold", "msk.cluster.kafkaVersion", "msk.consumer.batchSize", "msk.consumer.maxNumber", "msk.topic.name"]);
            assert.match(p.find((x) => x.path === "msk.consumer.batchSize")!.message, /at most 10000/);
        });

        it("rejects batch size 0, a max number above 2^53 - 1 and replication above the broker count", () => {
            const p = problems(
                msk((c) => {
                    c.consumer.batchSize = 0;
                    c.consumer.maxNumber = 2 ** 53;
                    c.topic.replicationFactor = 3;
                }),
            );
            assert.deepStrictEqual([...new Set(p.map((x) => x.path))].sort(), ["msk.consumer.batchSize", "msk.consumer.maxNumber", "msk.topic.replicationFactor"]);
        });

        it("short-lived CA mode caps the client certificate at 7 days", () => {
            const p = problems(msk((c) => (c.ca.usageMode = "SHORT_LIVED_CERTIFICATE")));
            assert.deepStrictEqual(p.map((x) => x.path), ["msk.ca.clientCertValidityDays"]);
        });

        it("the expiry alarm's lead time is resolved in the config (30 days, a quarter of a shorter validity) and a 1-day certificate is refused", () => {
            const ca = (c: Record<string, unknown>) => (parseStackConfig(msk((x) => (x.ca = { ...x.ca, ...c }))) as any).msk.ca.clientCertExpiryAlarmDays;
            assert.deepStrictEqual([ca({}), ca({ clientCertValidityDays: 60 }), ca({ usageMode: "SHORT_LIVED_CERTIFICATE", clientCertValidityDays: 7 }), ca({ clientCertExpiryAlarmDays: 45 })], [30, 15, 1, 45]);
            const p = problems(msk((c) => (c.ca = { ...c.ca, usageMode: "SHORT_LIVED_CERTIFICATE", clientCertValidityDays: 1 })));
            assert.deepStrictEqual(p.map((x) => x.path), ["msk.ca.clientCertValidityDays"]);
        });

        it("the expiry alarm must fire before the certificate's validity ends", () => {
            const p = problems(msk((c) => (c.ca = { ...c.ca, clientCertValidityDays: 30, clientCertExpiryAlarmDays: 30 })));
            assert.deepStrictEqual(p.map((x) => [x.path, /must be less than clientCertValidityDays \(30\)/.test(x.message)]), [["msk.ca.clientCertExpiryAlarmDays", true]]);
        });

        it("checks the account key, the Region and unknown keys", () => {
            const p = problems(
                msk((c) => {
                    c.account = "nope";
                    c.region = "us-middle-9";
                    c.brokers = 4;
                }),
            );
            const paths = p.map((x) => x.path).sort();
            assert.ok(paths.includes("msk.account"), paths.join());
            assert.ok(paths.includes("msk.region"), paths.join());
            assert.ok(paths.includes("msk.brokers"), paths.join());
        });

        it("a disabled concern deploys nothing", async () => {
            const run = await runConcern("dev", "msk", withConfig(dev(), "msk", (c) => ({ ...c, enabled: false })));
            assert.strictEqual(ofType(run, COMPONENT).length, 0);
            assert.strictEqual(ofType(run, "aws:msk/cluster:Cluster").length, 0);
        });

        it("a 3-AZ dev variant with 6 brokers spreads them over three private subnets", async () => {
            const run = await runConcern("dev", "msk",
                msk((c) => {
                    c.vpc.azCount = 3;
                    c.cluster.brokerCount = 6;
                }),
            );
            const c = byName(run, "msk-cluster").inputs;
            assert.strictEqual(c.numberOfBrokerNodes, 6);
            assert.strictEqual(c.brokerNodeGroupInfo.clientSubnets.length, 3);
            const body = json(byName(run, "msk-dashboard").inputs.dashboardBody);
            assert.strictEqual(body.widgets.flatMap((w: any) => w.properties.metrics).filter((m: any[]) => m[1] === "BytesInPerSec").length, 6);
        });
    });
});
