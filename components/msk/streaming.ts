import * as path from "path";
import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";
import * as pulumi from "@pulumi/pulumi";
import { alarmTopic } from "../../lib/aws/sns";
import * as tls from "@pulumi/tls";
import { MskStreamingConfig } from "../../lib/config/msk";
import { dashboardBody } from "./dashboard";
import { consumerStatements, keyPolicy, producerStatements } from "./policies";
import { logsKeyStatement, messagingKeyStatement, rotatingKey } from "../../lib/aws/kms";
import { LambdaFunctionArgs, lambdaFunction } from "../../lib/aws/lambda";
import { SgPeer, sgEgress, sgIngress } from "../../lib/aws/network";
import { queueNotEmptyAlarm } from "../../lib/aws/sqs";
import { remoteChildOptions } from "../../lib/providers";

/** Inputs of {@link MskStreaming}. */
export interface MskStreamingArgs {
    /** The Region (must be the provider's Region; used in ARNs, endpoints and the dashboard). */
    region: string;
    /** The workload account's ID (key policies, ARNs). */
    accountId: string;
    /** Physical name prefix, e.g. `awsarch-msk-dev`. */
    namePrefix: string;
    /** The validated concern config. */
    config: MskStreamingConfig;
    /** Availability Zone names of the brokers' subnets, chosen by zone ID (MSK refuses use1-az3; see lib/aws/zones). */
    availabilityZones: string[];
    /** Protect stateful resources (cluster, table, keys, CA, secret) and enable deletion protection. */
    protect: boolean;
}

const KAFKA_TLS_PORT = 9094;
const FUNCTIONS_DIR = path.join(__dirname, "..", "..", "functions");

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

    constructor(name: string, args: MskStreamingArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super("awsarch:mskStreaming:MskStreaming", name, {}, opts);
        const { region, accountId, config: cfg, namePrefix: prefix } = args;
        // Children inherit the providers the component is given (aws, tls, awsx: `providers: [...]`).
        const child = { parent: this };
        const stateful = { ...child, protect: args.protect };
        const logGroupArn = (lg: string) => `arn:aws:logs:${region}:${accountId}:log-group:${lg}`;

        // ---------- keys ----------
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

        // ---------- network ----------
        this.vpc = new awsx.ec2.Vpc(
            `${name}-vpc`,
            {
                cidrBlock: cfg.vpc.cidrBlock,
                availabilityZoneNames: args.availabilityZones,
                natGateways: { strategy: cfg.vpc.natGateways === "single" ? "Single" : "OnePerAz" },
                enableDnsHostnames: true,
                enableDnsSupport: true,
                subnetStrategy: "Auto",
                subnetSpecs: [
                    { type: "Public", cidrMask: 22 },
                    { type: "Private", cidrMask: 20 },
                ],
                tags: { Name: `${prefix}-vpc` },
            },
            remoteChildOptions(this, "awsx"),
        );
        const vpcId = this.vpc.vpcId;
        const privateSubnetIds = this.vpc.privateSubnetIds;

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

        // ---------- private CA (client authentication only) ----------
        this.ca = new aws.acmpca.CertificateAuthority(
            `${name}-ca`,
            {
                type: "ROOT",
                usageMode: cfg.ca.usageMode,
                certificateAuthorityConfiguration: {
                    keyAlgorithm: "RSA_2048",
                    signingAlgorithm: "SHA256WITHRSA",
                    subject: { commonName: cfg.ca.commonName, organization: prefix },
                },
                permanentDeletionTimeInDays: args.protect ? 30 : 7,
            },
            stateful,
        );
        const rootCert = new aws.acmpca.Certificate(
            `${name}-ca-root-cert`,
            {
                certificateAuthorityArn: this.ca.arn,
                certificateSigningRequest: this.ca.certificateSigningRequest,
                signingAlgorithm: "SHA256WITHRSA",
                templateArn: "arn:aws:acm-pca:::template/RootCACertificate/V1",
                validity: { type: "YEARS", value: String(cfg.ca.rootValidityYears) },
            },
            child,
        );
        const caActivation = new aws.acmpca.CertificateAuthorityCertificate(
            `${name}-ca-activation`,
            { certificateAuthorityArn: this.ca.arn, certificate: rootCert.certificate, certificateChain: rootCert.certificateChain },
            child,
        );

        // ---------- client certificate for Lambda ----------
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
                certificateAuthorityArn: this.ca.arn,
                certificateSigningRequest: clientCsr.certRequestPem,
                signingAlgorithm: "SHA256WITHRSA",
                templateArn: "arn:aws:acm-pca:::template/EndEntityClientAuthCertificate/V1",
                validity: { type: "DAYS", value: String(cfg.ca.clientCertValidityDays) },
            },
            { ...child, dependsOn: [caActivation] },
        );
        this.clientCertSecret = new aws.secretsmanager.Secret(
            `${name}-client-cert-secret`,
            {
                name: `${prefix}/mtls/lambda/clientcert`,
                description: "Client certificate chain (PEM) and unencrypted PKCS#8 private key for MSK mutual TLS",
                kmsKeyId: secretKey.arn,
                recoveryWindowInDays: args.protect ? 30 : 7,
            },
            stateful,
        );
        // Lambda expects {"certificate": "<cert + chain PEM>", "privateKey": "<PKCS#8 PEM>"}.
        const secretVersion = new aws.secretsmanager.SecretVersion(
            `${name}-client-cert-value`,
            {
                secretId: this.clientCertSecret.id,
                secretString: pulumi.secret(
                    pulumi.jsonStringify({
                        certificate: pulumi.interpolate`${clientCert.certificate}\n${clientCert.certificateChain}`,
                        privateKey: clientKey.privateKeyPemPkcs8,
                    }),
                ),
            },
            child,
        );

        // ---------- MSK cluster ----------
        const brokerLogName = `/aws/msk/${prefix}`;
        const brokerLogs = new aws.cloudwatch.LogGroup(
            `${name}-broker-logs`,
            { name: brokerLogName, retentionInDays: cfg.cluster.logRetentionDays, kmsKeyId: logsKey.arn },
            stateful,
        );
        const clusterConfig = new aws.msk.Configuration(
            `${name}-kafka-config`,
            {
                name: `${prefix}-config`,
                kafkaVersions: [cfg.cluster.kafkaVersion],
                serverProperties: [
                    "auto.create.topics.enable=false",
                    `default.replication.factor=${Math.min(3, cfg.cluster.brokerCount)}`,
                    `min.insync.replicas=${Math.max(1, Math.min(2, cfg.cluster.brokerCount - 1))}`,
                    "unclean.leader.election.enable=false",
                ].join("\n"),
            },
            child,
        );
        this.cluster = new aws.msk.Cluster(
            `${name}-cluster`,
            {
                clusterName: prefix,
                kafkaVersion: cfg.cluster.kafkaVersion,
                numberOfBrokerNodes: cfg.cluster.brokerCount,
                brokerNodeGroupInfo: {
                    instanceType: cfg.cluster.instanceType,
                    clientSubnets: privateSubnetIds,
                    securityGroups: [clusterSg.id],
                    storageInfo: { ebsStorageInfo: { volumeSize: cfg.cluster.volumeSizeGiB } },
                    connectivityInfo: { publicAccess: { type: "DISABLED" } },
                },
                clientAuthentication: { unauthenticated: false, tls: { certificateAuthorityArns: [this.ca.arn] } },
                encryptionInfo: {
                    encryptionAtRestKmsKeyArn: dataKey.arn,
                    encryptionInTransit: { clientBroker: "TLS", inCluster: true },
                },
                configurationInfo: { arn: clusterConfig.arn, revision: clusterConfig.latestRevision },
                enhancedMonitoring: cfg.cluster.enhancedMonitoring,
                loggingInfo: { brokerLogs: { cloudwatchLogs: { enabled: true, logGroup: brokerLogs.name } } },
            },
            { ...stateful, dependsOn: [caActivation] },
        );
        this.bootstrapBrokersTls = this.cluster.bootstrapBrokersTls;

        // ---------- table, queue, alarm topic ----------
        this.table = new aws.dynamodb.Table(
            `${name}-factors-table`,
            {
                name: `${prefix}-factors`,
                billingMode: "PAY_PER_REQUEST",
                hashKey: "msg_id",
                attributes: [{ name: "msg_id", type: "S" }],
                pointInTimeRecovery: { enabled: true },
                serverSideEncryption: { enabled: true, kmsKeyArn: dataKey.arn },
                deletionProtectionEnabled: args.protect,
            },
            stateful,
        );
        const dlq = new aws.sqs.Queue(
            `${name}-consumer-failures`,
            { name: `${prefix}-consumer-failures`, messageRetentionSeconds: 1209600, kmsMasterKeyId: dataKey.arn },
            child,
        );
        this.alarmTopic = alarmTopic(`${name}-alarms`, { topicName: `${prefix}-alarms`, kmsKeyArn: alarmKey.arn, accountId, email: cfg.alarms.email }, child);
        const alarmActions = [this.alarmTopic.arn];

        // ---------- functions ----------
        // Both in the VPC's private subnets behind the Lambda security group, built the one way every
        // function of the program is (lib/aws/lambda.ts), with the logical names they always had.
        const vpcFunction = (role: "consumer" | "producer", a: Pick<LambdaFunctionArgs, "description" | "memoryMb" | "timeoutSeconds" | "environment" | "statements" | "policyName" | "functionOpts">, handlerDir: string) => {
            const fnName = `${prefix}-${role}`;
            return lambdaFunction(
                `${name}-${role}`,
                {
                    ...a,
                    accountId,
                    region,
                    functionName: fnName,
                    roleName: `${fnName}-role`,
                    code: { entry: path.join(FUNCTIONS_DIR, handlerDir, "index.ts") },
                    logGroupName: `/aws/lambda/${fnName}`,
                    logRetentionDays: cfg.logRetentionDays,
                    logKmsKeyArn: logsKey.arn,
                    protect: args.protect,
                    vpc: { subnetIds: privateSubnetIds, securityGroupIds: [lambdaSg.id] },
                    alarmActions,
                    alarmName: `${fnName}-errors`,
                    alarmThreshold: cfg.alarms.errorThreshold,
                    names: { logGroup: `${name}-${role}-logs`, role: `${name}-${role}-role`, policy: `${name}-${role}-policy`, function: `${name}-${role}`, errorAlarm: `${name}-${role}-errors` },
                },
                child,
            );
        };
        const secretScope = { secretArn: this.clientCertSecret.arn, secretKeyArn: secretKey.arn };
        const consumer = vpcFunction(
            "consumer",
            {
                description: "Factors the numbers of the MSK topic into DynamoDB",
                memoryMb: cfg.consumer.memoryMb,
                timeoutSeconds: cfg.consumer.timeoutSeconds,
                environment: { TABLE_NAME: this.table.name, MAX_NUMBER: String(cfg.consumer.maxNumber) },
                policyName: "factor-consumer",
                statements: consumerStatements({ ...secretScope, clusterArn: this.cluster.arn, tableArn: this.table.arn, tableKeyArn: dataKey.arn, dlqArn: dlq.arn, region }),
            },
            "msk-factor-consumer",
        );
        this.consumer = consumer.fn;
        this.producer = vpcFunction(
            "producer",
            {
                description: "Creates the topic once and publishes test numbers over mutual TLS",
                memoryMb: 256,
                timeoutSeconds: 120,
                environment: {
                    BOOTSTRAP_BROKERS: this.cluster.bootstrapBrokersTls,
                    CLIENT_CERT_SECRET_ARN: this.clientCertSecret.arn,
                    TOPIC: cfg.topic.name,
                    PARTITIONS: String(cfg.topic.partitions),
                    REPLICATION_FACTOR: String(cfg.topic.replicationFactor),
                    MAX_NUMBER: String(cfg.consumer.maxNumber),
                },
                policyName: "producer",
                statements: producerStatements(secretScope),
                functionOpts: { dependsOn: [secretVersion] },
            },
            "msk-producer",
        ).fn;

        // ---------- event source mapping ----------
        this.eventSourceMapping = new aws.lambda.EventSourceMapping(
            `${name}-consumer-esm`,
            {
                functionName: this.consumer.arn,
                eventSourceArn: this.cluster.arn,
                topics: [cfg.topic.name],
                startingPosition: cfg.consumer.startingPosition,
                batchSize: cfg.consumer.batchSize,
                sourceAccessConfigurations: [{ type: "CLIENT_CERTIFICATE_TLS_AUTH", uri: this.clientCertSecret.arn }],
                amazonManagedKafkaEventSourceConfig: { consumerGroupId: `${prefix}-factor-consumer` },
                destinationConfig: { onFailure: { destinationArn: dlq.arn } },
                metricsConfig: { metrics: [...new Set(cfg.consumer.esmMetrics)] },
                enabled: true,
            },
            { ...child, dependsOn: [consumer.rolePolicy, secretVersion] },
        );

        // ---------- alarms and dashboard ----------
        // (Each function's error alarm comes with it: lambdaFunction.)
        new aws.cloudwatch.MetricAlarm(
            `${name}-offset-lag`,
            {
                name: `${prefix}-consumer-offset-lag`,
                alarmDescription: `The factor consumer is more than ${cfg.alarms.offsetLagThreshold} records behind topic ${cfg.topic.name}`,
                namespace: "AWS/Lambda",
                metricName: "OffsetLag",
                dimensions: { FunctionName: this.consumer.name },
                statistic: "Maximum",
                period: 60,
                evaluationPeriods: cfg.alarms.offsetLagEvaluationPeriods,
                threshold: cfg.alarms.offsetLagThreshold,
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
        this.dashboard = new aws.cloudwatch.Dashboard(
            `${name}-dashboard`,
            {
                dashboardName: `${prefix}-offset-lag`,
                dashboardBody: pulumi.all([this.consumer.name, this.cluster.clusterName]).apply(([consumerFunctionName, clusterName]) =>
                    JSON.stringify(
                        dashboardBody({
                            region,
                            consumerFunctionName,
                            clusterName,
                            topic: cfg.topic.name,
                            brokerCount: cfg.cluster.brokerCount,
                            offsetLagThreshold: cfg.alarms.offsetLagThreshold,
                        }),
                    ),
                ),
            },
            child,
        );

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
