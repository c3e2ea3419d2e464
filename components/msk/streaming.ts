import * as path from "path";
import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";
import * as pulumi from "@pulumi/pulumi";
import { alarmTopic } from "../../lib/aws/sns";
import * as tls from "@pulumi/tls";
import { MskStreamingConfig } from "../../lib/config/msk";
import { METRIC as CERT_METRIC, secretDimension } from "../../functions/msk-cert-monitor/contract";
import { dashboardBody } from "./dashboard";
import { consumerStatements, keyPolicy, producerStatements } from "./policies";
import { logsKeyStatement, messagingKeyStatement, rotatingKey } from "../../lib/aws/kms";
import { LambdaFunction, LambdaFunctionArgs, lambdaFunction, retainedLogGroup, scheduledInvocation } from "../../lib/aws/lambda";
import { SgPeer, sgEgress, sgIngress, vpcGuardrails } from "../../lib/aws/network";
import { queueNotEmptyAlarm, tlsOnlyQueuePolicy } from "../../lib/aws/sqs";
import { remoteChildOptions } from "../../lib/providers";

/** Inputs of {@link MskStreaming}. */
export interface MskStreamingArgs {
    /** The Region (must be the provider's Region; used in ARNs, endpoints and the dashboard). */
    region: string;
    /** The workload account's ID (key policies, ARNs). */
    accountId: string;
    /** Physical name prefix, e.g. `awsarch-msk-dev`. */
    namePrefix: string;
    /** The VPC: CIDR and NAT strategy. */
    vpc: MskStreamingConfig["vpc"];
    /** Availability Zone names of the brokers' subnets, chosen by zone ID (MSK refuses use1-az3; see lib/aws/zones). */
    availabilityZones: string[];
    /** The cluster: Kafka version, brokers, instance type, storage, monitoring, broker log retention. */
    cluster: MskStreamingConfig["cluster"];
    /** The private CA: usage mode, common name, root and client certificate validity. */
    ca: MskStreamingConfig["ca"];
    /** The topic the producer creates and the consumer reads. */
    topic: MskStreamingConfig["topic"];
    /** The consumer function and its event source mapping. */
    consumer: MskStreamingConfig["consumer"];
    /** Alarm thresholds and the e-mail of the alarm topic. */
    alarms: MskStreamingConfig["alarms"];
    /** Retention of the functions' log groups. */
    logRetentionDays: number;
    /** Protect stateful resources (cluster, table, keys, CA, secret) and enable deletion protection. */
    protect: boolean;
}

const KAFKA_TLS_PORT = 9094;
const FUNCTIONS_DIR = path.join(__dirname, "..", "..", "functions");

/** What every part of the component shares: its name, naming prefix, Region, account, and the options of its children. */
interface Scope {
    parent: MskStreaming;
    name: string;
    prefix: string;
    region: string;
    accountId: string;
    child: pulumi.CustomResourceOptions;
    stateful: pulumi.CustomResourceOptions;
}

/** The four keys: storage and table, the client certificate secret, log groups, the alarm topic. */
function keys(s: Scope) {
    const { name, prefix, region, accountId, stateful } = s;
    const logGroupArn = (lg: string) => `arn:aws:logs:${region}:${accountId}:log-group:${lg}`;
    const dataKey = rotatingKey(`${name}-data-key`, { description: `${prefix}: MSK storage and the factors table`, policy: keyPolicy(accountId) }, stateful);
    const secretKey = rotatingKey(`${name}-secret-key`, { description: `${prefix}: Lambda client certificate secret`, policy: keyPolicy(accountId) }, stateful);
    const logsKey = rotatingKey(
        `${name}-logs-key`,
        {
            description: `${prefix}: broker and function log groups`,
            policy: keyPolicy(accountId, [logsKeyStatement("CloudWatchLogsUse", region, logGroupArn(`*${prefix}*`), "ArnLike")]),
        },
        stateful,
    );
    const alarmKey = rotatingKey(
        `${name}-alarm-key`,
        {
            description: `${prefix}: alarm topic`,
            policy: keyPolicy(accountId, [
                messagingKeyStatement("CloudWatchAlarmsPublish", "cloudwatch.amazonaws.com", accountId),
            ]),
        },
        stateful,
    );

    return { dataKey, secretKey, logsKey, alarmKey };
}

/** The VPC (flow logs, closed default group), the broker, function and endpoint security groups with their rules, and the SQS endpoint the event source mapping needs. */
function network(s: Scope, a: MskStreamingArgs, logsKey: aws.kms.Key) {
    const { name, prefix, region, child } = s;
    const vpc = new awsx.ec2.Vpc(
        `${name}-vpc`,
        {
            cidrBlock: a.vpc.cidrBlock,
            availabilityZoneNames: a.availabilityZones,
            natGateways: { strategy: a.vpc.natGateways === "single" ? "Single" : "OnePerAz" },
            enableDnsHostnames: true,
            enableDnsSupport: true,
            subnetStrategy: "Auto",
            subnetSpecs: [
                { type: "Public", cidrMask: 22 },
                { type: "Private", cidrMask: 20 },
            ],
            tags: { Name: `${prefix}-vpc` },
        },
        remoteChildOptions(s.parent, "awsx"),
    );
    const vpcId = vpc.vpcId;
    const privateSubnetIds = vpc.privateSubnetIds;
    // The logs key admits every group named after the prefix (its policy's ArnLike).
    vpcGuardrails(`${name}-vpc`, { vpcId, accountId: s.accountId, region, logGroupName: `/awsarch/${prefix}/vpc-flow-logs`, retentionDays: a.vpc.flowLogRetentionDays, kmsKeyArn: logsKey.arn, protect: a.protect, nameTag: prefix }, child);

    const clusterSg = new aws.ec2.SecurityGroup(
        `${name}-cluster-sg`,
        { vpcId, name: `${prefix}-brokers`, description: "MSK brokers: TLS 9094 from the Lambda functions and the event source mapping pollers", tags: { Name: `${prefix}-brokers` } },
        child,
    );
    const lambdaSg = new aws.ec2.SecurityGroup(
        `${name}-lambda-sg`,
        { vpcId, name: `${prefix}-functions`, description: "Consumer and producer functions", tags: { Name: `${prefix}-functions` } },
        child,
    );
    const endpointSg = new aws.ec2.SecurityGroup(
        `${name}-endpoint-sg`,
        { vpcId, name: `${prefix}-endpoints`, description: "Interface endpoints used by the event source mapping", tags: { Name: `${prefix}-endpoints` } },
        child,
    );
    const kafka = KAFKA_TLS_PORT;
    const anywhere = { cidrIpv4: "0.0.0.0/0" };
    const rule = (kind: "in" | "out", suffix: string, group: aws.ec2.SecurityGroup, peer: SgPeer, port: number, description: string) =>
        (kind === "in" ? sgIngress : sgEgress)(`${name}-${suffix}`, { securityGroupId: group.id, peer, port, description }, child);
    rule("in", "brokers-from-lambda", clusterSg, { referencedSecurityGroupId: lambdaSg.id }, kafka, "Kafka TLS from the functions");
    rule("in", "brokers-from-self", clusterSg, { referencedSecurityGroupId: clusterSg.id }, kafka, "Kafka TLS between brokers and from the event source mapping pollers");
    rule("out", "brokers-to-self", clusterSg, { referencedSecurityGroupId: clusterSg.id }, kafka, "Pollers and brokers to brokers");
    rule("out", "brokers-https", clusterSg, anywhere, 443, "Pollers to Lambda, STS and Secrets Manager (NAT) and the SQS endpoint");
    rule("out", "lambda-to-brokers", lambdaSg, { referencedSecurityGroupId: clusterSg.id }, kafka, "Kafka TLS to the brokers");
    rule("out", "lambda-https", lambdaSg, anywhere, 443, "AWS APIs (DynamoDB, Secrets Manager, X-Ray) through NAT");
    rule("in", "endpoint-from-brokers", endpointSg, { referencedSecurityGroupId: clusterSg.id }, 443, "HTTPS from the event source mapping pollers");
    // Lambda requires a VPC endpoint for the on-failure destination's service in the cluster VPC.
    new aws.ec2.VpcEndpoint(
        `${name}-sqs-endpoint`,
        {
            vpcId,
            serviceName: `com.amazonaws.${region}.sqs`,
            vpcEndpointType: "Interface",
            subnetIds: privateSubnetIds,
            securityGroupIds: [endpointSg.id],
            privateDnsEnabled: true,
            tags: { Name: `${prefix}-sqs` },
        },
        child,
    );

    return { vpc, privateSubnetIds, clusterSg, lambdaSg };
}

/** A private root CA for client authentication only, activated with its own root certificate. */
function privateCa(s: Scope, a: MskStreamingArgs) {
    const { name, prefix, child, stateful } = s;
    const ca = new aws.acmpca.CertificateAuthority(
        `${name}-ca`,
        {
            type: "ROOT",
            usageMode: a.ca.usageMode,
            certificateAuthorityConfiguration: {
                keyAlgorithm: "RSA_2048",
                signingAlgorithm: "SHA256WITHRSA",
                subject: { commonName: a.ca.commonName, organization: prefix },
            },
            permanentDeletionTimeInDays: a.protect ? 30 : 7,
        },
        stateful,
    );
    const rootCert = new aws.acmpca.Certificate(
        `${name}-ca-root-cert`,
        {
            certificateAuthorityArn: ca.arn,
            certificateSigningRequest: ca.certificateSigningRequest,
            signingAlgorithm: "SHA256WITHRSA",
            templateArn: "arn:aws:acm-pca:::template/RootCACertificate/V1",
            validity: { type: "YEARS", value: String(a.ca.rootValidityYears) },
        },
        child,
    );
    const caActivation = new aws.acmpca.CertificateAuthorityCertificate(
        `${name}-ca-activation`,
        { certificateAuthorityArn: ca.arn, certificate: rootCert.certificate, certificateChain: rootCert.certificateChain },
        child,
    );

    return { ca, caActivation };
}

/** The Lambda client certificate (key and CSR from @pulumi/tls, signed by the CA) in a KMS-encrypted secret. */
function clientCertificate(s: Scope, a: MskStreamingArgs, ca: aws.acmpca.CertificateAuthority, caActivation: aws.acmpca.CertificateAuthorityCertificate, secretKey: aws.kms.Key) {
    const { name, prefix, child, stateful } = s;
    // Default providers are disabled: the tls provider the component is given (no settings or credentials).
    const clientKey = new tls.PrivateKey(`${name}-client-key`, { algorithm: "RSA", rsaBits: 2048 }, child);
    const clientCsr = new tls.CertRequest(
        `${name}-client-csr`,
        { privateKeyPem: clientKey.privateKeyPem, subject: { commonName: `${prefix}-lambda`, organization: prefix } },
        child,
    );
    const clientCert = new aws.acmpca.Certificate(
        `${name}-client-cert`,
        {
            certificateAuthorityArn: ca.arn,
            certificateSigningRequest: clientCsr.certRequestPem,
            signingAlgorithm: "SHA256WITHRSA",
            templateArn: "arn:aws:acm-pca:::template/EndEntityClientAuthCertificate/V1",
            validity: { type: "DAYS", value: String(a.ca.clientCertValidityDays) },
        },
        { ...child, dependsOn: [caActivation] },
    );
    const secret = new aws.secretsmanager.Secret(
        `${name}-client-cert-secret`,
        {
            name: `${prefix}/mtls/lambda/clientcert`,
            description: "Client certificate chain (PEM) and unencrypted PKCS#8 private key for MSK mutual TLS",
            kmsKeyId: secretKey.arn,
            recoveryWindowInDays: a.protect ? 30 : 7,
        },
        stateful,
    );
    // Lambda expects {"certificate": "<cert + chain PEM>", "privateKey": "<PKCS#8 PEM>"}.
    const secretVersion = new aws.secretsmanager.SecretVersion(
        `${name}-client-cert-value`,
        {
            secretId: secret.id,
            secretString: pulumi.secret(
                pulumi.jsonStringify({
                    certificate: pulumi.interpolate`${clientCert.certificate}\n${clientCert.certificateChain}`,
                    privateKey: clientKey.privateKeyPemPkcs8,
                }),
            ),
        },
        child,
    );

    return { secret, secretVersion };
}

/** The cluster: TLS-only, mutual TLS with the CA, encrypted with the data key, broker logs, its configuration. */
function mskCluster(
    s: Scope,
    a: MskStreamingArgs,
    deps: { privateSubnetIds: pulumi.Output<string[]>; clusterSg: aws.ec2.SecurityGroup; ca: aws.acmpca.CertificateAuthority; caActivation: aws.acmpca.CertificateAuthorityCertificate; dataKey: aws.kms.Key; logsKey: aws.kms.Key },
) {
    const { name, prefix, child, stateful } = s;
    const { privateSubnetIds, clusterSg, ca, caActivation, dataKey, logsKey } = deps;
    const brokerLogName = `/aws/msk/${prefix}`;
    const brokerLogs = retainedLogGroup(`${name}-broker-logs`, { logGroupName: brokerLogName, retentionInDays: a.cluster.logRetentionDays, kmsKeyId: logsKey.arn }, stateful);
    const clusterConfig = new aws.msk.Configuration(
        `${name}-kafka-config`,
        {
            name: `${prefix}-config`,
            kafkaVersions: [a.cluster.kafkaVersion],
            serverProperties: [
                "auto.create.topics.enable=false",
                `default.replication.factor=${Math.min(3, a.cluster.brokerCount)}`,
                `min.insync.replicas=${Math.max(1, Math.min(2, a.cluster.brokerCount - 1))}`,
                "unclean.leader.election.enable=false",
            ].join("\n"),
        },
        child,
    );
    const cluster = new aws.msk.Cluster(
        `${name}-cluster`,
        {
            clusterName: prefix,
            kafkaVersion: a.cluster.kafkaVersion,
            numberOfBrokerNodes: a.cluster.brokerCount,
            brokerNodeGroupInfo: {
                instanceType: a.cluster.instanceType,
                clientSubnets: privateSubnetIds,
                securityGroups: [clusterSg.id],
                storageInfo: { ebsStorageInfo: { volumeSize: a.cluster.volumeSizeGiB } },
                connectivityInfo: { publicAccess: { type: "DISABLED" } },
            },
            clientAuthentication: { unauthenticated: false, tls: { certificateAuthorityArns: [ca.arn] } },
            encryptionInfo: {
                encryptionAtRestKmsKeyArn: dataKey.arn,
                encryptionInTransit: { clientBroker: "TLS", inCluster: true },
            },
            configurationInfo: { arn: clusterConfig.arn, revision: clusterConfig.latestRevision },
            enhancedMonitoring: a.cluster.enhancedMonitoring,
            loggingInfo: { brokerLogs: { cloudwatchLogs: { enabled: true, logGroup: brokerLogs.name } } },
        },
        { ...stateful, dependsOn: [caActivation] },
    );
    
    return cluster;
}

/** The factors table, the on-failure queue and the alarm topic. */
function dataPlane(s: Scope, a: MskStreamingArgs, dataKey: aws.kms.Key, alarmKey: aws.kms.Key) {
    const { name, prefix, accountId, child, stateful } = s;
    const table = new aws.dynamodb.Table(
        `${name}-factors-table`,
        {
            name: `${prefix}-factors`,
            billingMode: "PAY_PER_REQUEST",
            hashKey: "msg_id",
            attributes: [{ name: "msg_id", type: "S" }],
            pointInTimeRecovery: { enabled: true },
            serverSideEncryption: { enabled: true, kmsKeyArn: dataKey.arn },
            deletionProtectionEnabled: a.protect,
        },
        stateful,
    );
    const dlq = new aws.sqs.Queue(
        `${name}-consumer-failures`,
        { name: `${prefix}-consumer-failures`, messageRetentionSeconds: 1209600, kmsMasterKeyId: dataKey.arn },
        child,
    );
    // The consumer's role sends failed batches with its identity policy: the queue admits nothing itself, and only over TLS.
    tlsOnlyQueuePolicy(`${name}-consumer-failures-policy`, dlq, [], child);
    const topic = alarmTopic(`${name}-alarms`, { topicName: `${prefix}-alarms`, kmsKeyArn: alarmKey.arn, accountId, email: a.alarms.email }, child);


    return { table, dlq, topic };
}

/** The consumer and the producer, in the private subnets behind the functions' group, built the one way (lib/aws/lambda.ts) with their original logical names. */
function functions(
    s: Scope,
    a: MskStreamingArgs,
    deps: {
        privateSubnetIds: pulumi.Output<string[]>;
        lambdaSg: aws.ec2.SecurityGroup;
        logsKey: aws.kms.Key;
        secretKey: aws.kms.Key;
        dataKey: aws.kms.Key;
        secret: aws.secretsmanager.Secret;
        secretVersion: aws.secretsmanager.SecretVersion;
        cluster: aws.msk.Cluster;
        table: aws.dynamodb.Table;
        dlq: aws.sqs.Queue;
        alarmActions: pulumi.Input<string>[];
    },
) {
    const { name, prefix, region, accountId, child } = s;
    const vpcFunction = (
        role: "consumer" | "producer",
        f: Pick<LambdaFunctionArgs, "description" | "memoryMb" | "timeoutSeconds" | "environment" | "statements" | "policyName" | "functionOpts">,
        handlerDir: string,
    ) => {
        const fnName = `${prefix}-${role}`;
        return lambdaFunction(
            `${name}-${role}`,
            {
                ...f,
                accountId,
                region,
                functionName: fnName,
                roleName: `${fnName}-role`,
                code: { entry: path.join(FUNCTIONS_DIR, handlerDir, "index.ts") },
                logGroupName: `/aws/lambda/${fnName}`,
                logRetentionDays: a.logRetentionDays,
                logKmsKeyArn: deps.logsKey.arn,
                protect: a.protect,
                vpc: { subnetIds: deps.privateSubnetIds, securityGroupIds: [deps.lambdaSg.id] },
                alarmActions: deps.alarmActions,
                alarmName: `${fnName}-errors`,
                alarmThreshold: a.alarms.errorThreshold,
                names: { logGroup: `${name}-${role}-logs`, role: `${name}-${role}-role`, policy: `${name}-${role}-policy`, function: `${name}-${role}`, errorAlarm: `${name}-${role}-errors` },
            },
            child,
        );
    };
    const secretScope = { secretArn: deps.secret.arn, secretKeyArn: deps.secretKey.arn };
    const consumer = vpcFunction(
        "consumer",
        {
            description: "Factors the numbers of the MSK topic into DynamoDB",
            memoryMb: a.consumer.memoryMb,
            timeoutSeconds: a.consumer.timeoutSeconds,
            environment: { TABLE_NAME: deps.table.name, MAX_NUMBER: String(a.consumer.maxNumber) },
            policyName: "factor-consumer",
            statements: consumerStatements({ ...secretScope, clusterArn: deps.cluster.arn, tableArn: deps.table.arn, tableKeyArn: deps.dataKey.arn, dlqArn: deps.dlq.arn, region }),
        },
        "msk-factor-consumer",
    );
    const producer = vpcFunction(
        "producer",
        {
            description: "Creates the topic once and publishes test numbers over mutual TLS",
            memoryMb: 256,
            timeoutSeconds: 120,
            environment: {
                BOOTSTRAP_BROKERS: deps.cluster.bootstrapBrokersTls,
                CLIENT_CERT_SECRET_ARN: deps.secret.arn,
                TOPIC: a.topic.name,
                PARTITIONS: String(a.topic.partitions),
                REPLICATION_FACTOR: String(a.topic.replicationFactor),
                MAX_NUMBER: String(a.consumer.maxNumber),
            },
            policyName: "producer",
            statements: producerStatements(secretScope),
            functionOpts: { dependsOn: [deps.secretVersion] },
        },
        "msk-producer",
    );
    return { consumer, producer };
}

/** The consumer's trigger: the cluster's topic over mutual TLS, failed batches to the queue. */
function eventSourceMapping(
    s: Scope,
    a: MskStreamingArgs,
    deps: { consumer: LambdaFunction; cluster: aws.msk.Cluster; secret: aws.secretsmanager.Secret; secretVersion: aws.secretsmanager.SecretVersion; dlq: aws.sqs.Queue },
) {
    return new aws.lambda.EventSourceMapping(
        `${s.name}-consumer-esm`,
        {
            functionName: deps.consumer.fn.arn,
            eventSourceArn: deps.cluster.arn,
            topics: [a.topic.name],
            startingPosition: a.consumer.startingPosition,
            batchSize: a.consumer.batchSize,
            sourceAccessConfigurations: [{ type: "CLIENT_CERTIFICATE_TLS_AUTH", uri: deps.secret.arn }],
            amazonManagedKafkaEventSourceConfig: { consumerGroupId: `${s.prefix}-factor-consumer` },
            destinationConfig: { onFailure: { destinationArn: deps.dlq.arn } },
            metricsConfig: { metrics: [...new Set(a.consumer.esmMetrics)] },
            enabled: true,
        },
        { ...s.child, dependsOn: [deps.consumer.rolePolicy, deps.secretVersion] },
    );
}

/**
 * Renewal of the client certificate is a re-issue (`pulumi up --replace` of the client key, so a new
 * CSR is signed and the secret updated; components/msk/README.md): nothing renews it by itself, so a
 * daily monitor publishes its days to expiry and an alarm fires `alarmDays` before it lapses. The
 * alarm also fires when the metric stops (missing data breaches): a broken monitor is not silence.
 */
function certificateMonitor(
    s: Scope,
    a: MskStreamingArgs,
    deps: { logsKey: aws.kms.Key; secretKey: aws.kms.Key; secret: aws.secretsmanager.Secret; alarmActions: pulumi.Input<string>[] },
) {
    const { name, prefix, region, accountId, child } = s;
    const fnName = `${prefix}-cert-monitor`;
    const monitor = lambdaFunction(
        `${name}-cert-monitor`,
        {
            accountId,
            region,
            functionName: fnName,
            description: "Publishes the days to expiry of the MSK client certificate",
            code: { entry: path.join(FUNCTIONS_DIR, "msk-cert-monitor", "index.ts") },
            logGroupName: `/aws/lambda/${fnName}`,
            logRetentionDays: a.logRetentionDays,
            logKmsKeyArn: deps.logsKey.arn,
            protect: a.protect,
            environment: { CERT_SECRET_ARN: deps.secret.arn },
            alarmActions: deps.alarmActions,
            statements: [
                { Sid: "ReadClientCertificate", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: deps.secret.arn },
                { Sid: "DecryptClientCertificate", Effect: "Allow", Action: "kms:Decrypt", Resource: deps.secretKey.arn, Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${region}.amazonaws.com` } } },
                // PutMetricData's only resource type is an optional dataset, not used: "*", limited to the concern's namespace.
                { Sid: "PublishDaysToExpiry", Effect: "Allow", Action: "cloudwatch:PutMetricData", Resource: "*", Condition: { StringEquals: { "cloudwatch:namespace": CERT_METRIC.namespace } } },
            ],
        },
        child,
    );
    // EventBridge's default retries (up to 24 hours): one failed run must not leave a day without the metric.
    scheduledInvocation(`${name}-cert-monitor`, { fn: monitor.fn, scheduleExpression: "rate(1 day)", description: "Daily check of the MSK client certificate's expiry", accountId }, child);
    const alarmDays = a.ca.clientCertExpiryAlarmDays;
    return new aws.cloudwatch.MetricAlarm(
        `${name}-client-cert-expiry`,
        {
            name: `${prefix}-client-cert-expiry`,
            alarmDescription: `The MSK client certificate expires in less than ${alarmDays} days: re-issue it (pulumi up --replace the client key) before the consumer loses the cluster`,
            namespace: CERT_METRIC.namespace,
            metricName: CERT_METRIC.name,
            dimensions: { [CERT_METRIC.dimension]: deps.secret.arn.apply(secretDimension) },
            statistic: "Minimum",
            period: 86400,
            evaluationPeriods: 1,
            threshold: alarmDays,
            comparisonOperator: "LessThanThreshold",
            treatMissingData: "breaching",
            alarmActions: deps.alarmActions,
            okActions: deps.alarmActions,
        },
        child,
    );
}

/** The OffsetLag alarm, the failure-queue alarm and the OffsetLag dashboard (each function's error alarm comes with it). */
function alarmsAndDashboard(s: Scope, a: MskStreamingArgs, deps: { consumer: aws.lambda.Function; cluster: aws.msk.Cluster; dlq: aws.sqs.Queue; alarmActions: pulumi.Input<string>[] }) {
    const { name, prefix, region, child } = s;
    const { consumer, cluster, dlq, alarmActions } = deps;
    new aws.cloudwatch.MetricAlarm(
        `${name}-offset-lag`,
        {
            name: `${prefix}-consumer-offset-lag`,
            alarmDescription: `The factor consumer is more than ${a.alarms.offsetLagThreshold} records behind topic ${a.topic.name}`,
            namespace: "AWS/Lambda",
            metricName: "OffsetLag",
            dimensions: { FunctionName: consumer.name },
            statistic: "Maximum",
            period: 60,
            evaluationPeriods: a.alarms.offsetLagEvaluationPeriods,
            threshold: a.alarms.offsetLagThreshold,
            comparisonOperator: "GreaterThanThreshold",
            treatMissingData: "notBreaching",
            alarmActions,
            okActions: alarmActions,
        },
        child,
    );
    queueNotEmptyAlarm(
        `${name}-consumer-failures-alarm`,
        {
            alarmName: `${prefix}-consumer-failures`,
            description: "Batches the event source mapping gave up on (on-failure destination)",
            queueName: dlq.name,
            alarmActions,
            okActions: alarmActions,
        },
        child,
    );
    return new aws.cloudwatch.Dashboard(
        `${name}-dashboard`,
        {
            dashboardName: `${prefix}-offset-lag`,
            dashboardBody: pulumi.all([consumer.name, cluster.clusterName]).apply(([consumerFunctionName, clusterName]) =>
                JSON.stringify(
                    dashboardBody({
                        region,
                        consumerFunctionName,
                        clusterName,
                        topic: a.topic.name,
                        brokerCount: a.cluster.brokerCount,
                        offsetLagThreshold: a.alarms.offsetLagThreshold,
                    }),
                ),
            ),
        },
        child,
    );
}

/**
 * SPEC concern 2: a VPC, a private root CA, an MSK cluster with mutual TLS,
 * the Lambda client certificate in Secrets Manager, the factor consumer on an
 * event source mapping, the producer, the factors table, the OffsetLag
 * dashboard and alarms.
 */
export class MskStreaming extends pulumi.ComponentResource {
    /** The VPC (awsx). */
    public readonly vpc: awsx.ec2.Vpc;
    /** The private root CA that authenticates clients. */
    public readonly ca: aws.acmpca.CertificateAuthority;
    /** The MSK cluster. */
    public readonly cluster: aws.msk.Cluster;
    /** TLS bootstrap brokers (port 9094). */
    public readonly bootstrapBrokersTls: pulumi.Output<string>;
    /** Secret holding `{certificate, privateKey}` for Lambda. */
    public readonly clientCertSecret: aws.secretsmanager.Secret;
    /** The factor consumer. */
    public readonly consumer: aws.lambda.Function;
    /** The test producer. */
    public readonly producer: aws.lambda.Function;
    /** The consumer's event source mapping. */
    public readonly eventSourceMapping: aws.lambda.EventSourceMapping;
    /** The factors table. */
    public readonly table: aws.dynamodb.Table;
    /** Topic notified by every alarm. */
    public readonly alarmTopic: aws.sns.Topic;
    /** The OffsetLag dashboard. */
    public readonly dashboard: aws.cloudwatch.Dashboard;
    /** Alarm before the client certificate expires (and when its monitor stops). */
    public readonly clientCertExpiryAlarm: aws.cloudwatch.MetricAlarm;

    constructor(name: string, args: MskStreamingArgs, opts: pulumi.ComponentResourceOptions = {}) {
        // The type token follows the config key (`msk`); the alias keeps the stacks' resources
        // (and, through it, every child's) from being replaced.
        super("awsarch:msk:MskStreaming", name, {}, { ...opts, aliases: [...(opts.aliases ?? []), { type: "awsarch:mskStreaming:MskStreaming" }] });
        // Children inherit the providers the component is given (aws, tls, awsx: `providers: [...]`).
        const child = { parent: this };
        const s: Scope = { parent: this, name, prefix: args.namePrefix, region: args.region, accountId: args.accountId, child, stateful: { ...child, protect: args.protect } };

        const { dataKey, secretKey, logsKey, alarmKey } = keys(s);
        const net = network(s, args, logsKey);
        this.vpc = net.vpc;
        const { ca, caActivation } = privateCa(s, args);
        this.ca = ca;
        const { secret, secretVersion } = clientCertificate(s, args, ca, caActivation, secretKey);
        this.clientCertSecret = secret;
        this.cluster = mskCluster(s, args, { privateSubnetIds: net.privateSubnetIds, clusterSg: net.clusterSg, ca, caActivation, dataKey, logsKey });
        this.bootstrapBrokersTls = this.cluster.bootstrapBrokersTls;
        const { table, dlq, topic } = dataPlane(s, args, dataKey, alarmKey);
        this.table = table;
        this.alarmTopic = topic;
        const alarmActions = [topic.arn];
        const { consumer, producer } = functions(s, args, {
            privateSubnetIds: net.privateSubnetIds,
            lambdaSg: net.lambdaSg,
            logsKey,
            secretKey,
            dataKey,
            secret,
            secretVersion,
            cluster: this.cluster,
            table,
            dlq,
            alarmActions,
        });
        this.consumer = consumer.fn;
        this.producer = producer.fn;
        this.eventSourceMapping = eventSourceMapping(s, args, { consumer, cluster: this.cluster, secret, secretVersion, dlq });
        this.dashboard = alarmsAndDashboard(s, args, { consumer: this.consumer, cluster: this.cluster, dlq, alarmActions });
        this.clientCertExpiryAlarm = certificateMonitor(s, args, { logsKey, secretKey, secret, alarmActions });

        this.registerOutputs({
            clusterArn: this.cluster.arn,
            bootstrapBrokersTls: this.bootstrapBrokersTls,
            consumerFunctionName: this.consumer.name,
            producerFunctionName: this.producer.name,
            tableName: this.table.name,
            dashboardName: this.dashboard.dashboardName,
        });
    }
}
