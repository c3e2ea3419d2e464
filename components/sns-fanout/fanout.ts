import * as path from "path";
import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";
import * as pulumi from "@pulumi/pulumi";
import { ObservedFunction, Statement, retainedLogGroup } from "../../lib/aws/lambda";
import { SqsSubscriber } from "./subscriber";
import { keyPolicy, logsKeyStatement, messagingKeyStatement, rotatingKey } from "../../lib/aws/kms";
import { secureBucket } from "../../lib/aws/bucket";
import { alarmTopic, ownedTopicPolicy } from "../../lib/aws/sns";
import { serviceTrustPolicy } from "../../lib/aws/iam";
import { sgEgress, sgIngress, vpcGuardrails } from "../../lib/aws/network";
import { remoteChildOptions } from "../../lib/providers";

const FUNCTIONS = path.join(__dirname, "..", "..", "functions");

/** Inputs of {@link SnsFanout}. */
export interface SnsFanoutArgs {
    /** Workload account ID. */
    accountId: string;
    /** Region of every resource. */
    region: string;
    /** Prefix of physical names (`<prefix>-logs` topic, `<prefix>-inference` queue, ...). */
    namePrefix: string;
    /** Stack name (log group paths). */
    stack: string;
    /** FIFO topic and queues. */
    fifo: boolean;
    /** FIFO only: SNS deduplicates on a hash of the body. */
    contentBasedDeduplication: boolean;
    /** Queue settings. */
    queues: { maxReceiveCount: number; messageRetentionSeconds: number; dlqRetentionSeconds: number; rawMessageDelivery: boolean };
    /** Consumer settings. */
    functions: { memoryMb: number; timeoutSeconds: number; batchSize: number };
    /** Deploy the publisher Lambda. */
    publisherFunction: boolean;
    /** Firehose archive (standard topics only), or undefined for none. */
    firehose?: { bufferingIntervalSeconds: number; bufferingSizeMb: number };
    /** Archive bucket lifecycle. */
    archive: { transitionDays: number; expirationDays: number; noncurrentVersionDays: number };
    /** OpenSearch domain for the indexer, or undefined for none (the indexer then only logs). */
    openSearch?: {
        engineVersion: string;
        instanceType: string;
        instanceCount: number;
        volumeSizeGb: number;
        indexName: string;
        /** Place the domain and the indexer in a VPC of their own (zones chosen by zone ID). */
        vpc?: { cidrBlock: string; flowLogRetentionDays: number; availabilityZones: string[] };
    };
    /** Retention of every log group. */
    logRetentionDays: number;
    /** E-mail subscribed to the alarm topic (none: the topic has no subscriber yet). */
    alarmEmail?: string;
    /** The (account, Region)'s server access log bucket (its name), where the archive bucket logs (required with `firehose`). */
    accessLogBucket?: pulumi.Input<string>;
    /** Protect stateful resources (prod). */
    protect: boolean;
}

/** What every part of the fan-out shares: names, account, Region, the options of its children. */
interface Scope {
    name: string;
    acct: string;
    o: pulumi.CustomResourceOptions;
    keep: pulumi.CustomResourceOptions;
    logPath: (fn: string) => string;
}

/** The concern's key: topic, queues, stream, bucket, its log groups; SNS and CloudWatch alarms may use it. */
function fanoutKey(s: Scope, args: SnsFanoutArgs): aws.kms.Key {
    const { name, acct, keep, logPath } = s;
    const key = rotatingKey(
        `${name}-key`,
        {
            description: `${args.namePrefix}: SNS topic, SQS queues, Firehose stream and S3 archive`,
            policy: keyPolicy(
                acct,
                [
                    // SNS encrypts the topic's messages and, delivering to the SSE-KMS
                    // queues, generates data keys with this key on their behalf.
                    messagingKeyStatement("AllowSnsToUseTheKey", "sns.amazonaws.com", acct),
                    // CloudWatch alarms publish to the encrypted alarm topic.
                    messagingKeyStatement("AllowCloudWatchAlarmsToPublish", "cloudwatch.amazonaws.com", acct),
                    // The concern's log groups (consumers, publisher, Firehose delivery errors).
                    logsKeyStatement(
                        "AllowCloudWatchLogsForTheConcernsLogGroups",
                        args.region,
                        `arn:aws:logs:${args.region}:${acct}:log-group:${logPath("*")}`,
                        "ArnLike",
                    ),
                ],
                { adminSid: "EnableIamPoliciesOfTheAccount" },
            ),
        },
        keep,
    );
    new aws.kms.Alias(`${name}-key-alias`, { name: `alias/${args.namePrefix}`, targetKeyId: key.keyId }, s.o);
    return key;
}

/** The fan-out topic (FIFO when configured), owner-only and TLS-only. */
function fanoutTopic(s: Scope, args: SnsFanoutArgs, key: aws.kms.Key): aws.sns.Topic {
    const { name, acct, o } = s;
    const suffix = args.fifo ? ".fifo" : "";
    const topic = new aws.sns.Topic(
        `${name}-topic`,
        {
            name: `${args.namePrefix}-logs${suffix}`,
            kmsMasterKeyId: key.arn,
            fifoTopic: args.fifo || undefined,
            contentBasedDeduplication: args.fifo ? args.contentBasedDeduplication : undefined,
        },
        o,
    );
    ownedTopicPolicy(
        `${name}-topic-policy`,
        {
            topic,
            accountId: acct,
            ownerSid: "OwnerAccountOnly",
            extra: [],
        },
        o,
    );

    return topic;
}

/** Where the domain and the indexer run when the domain is in a VPC. */
interface SearchNetwork {
    subnetIds: pulumi.Output<string[]>;
    domainSg: aws.ec2.SecurityGroup;
    indexerSg: aws.ec2.SecurityGroup;
}

/**
 * A VPC of the domain and the indexer only: isolated subnets in two zones (no NAT, no internet),
 * flow logs and a closed default group, the domain's group open on 443 to the indexer's only, and
 * the one endpoint the indexer needs besides the domain: X-Ray, for its active tracing (its queue is
 * polled by Lambda's event source mapping outside the VPC, its logs go through Lambda).
 */
function searchNetwork(parent: SnsFanout, s: Scope, args: SnsFanoutArgs, vpcCfg: NonNullable<NonNullable<SnsFanoutArgs["openSearch"]>["vpc"]>, key: aws.kms.Key): SearchNetwork {
    const { name, acct, o, logPath } = s;
    const vpc = new awsx.ec2.Vpc(
        `${name}-vpc`,
        {
            cidrBlock: vpcCfg.cidrBlock,
            availabilityZoneNames: vpcCfg.availabilityZones,
            natGateways: { strategy: "None" },
            enableDnsHostnames: true,
            enableDnsSupport: true,
            subnetStrategy: "Auto",
            subnetSpecs: [{ type: "Isolated", cidrMask: 24 }],
            tags: { Name: `${args.namePrefix}-search` },
        },
        remoteChildOptions(parent, "awsx"),
    );
    vpcGuardrails(
        `${name}-vpc`,
        { vpcId: vpc.vpcId, accountId: acct, region: args.region, logGroupName: logPath("vpc-flow-logs"), retentionDays: vpcCfg.flowLogRetentionDays, kmsKeyArn: key.arn, protect: args.protect, nameTag: `${args.namePrefix}-search` },
        o,
    );
    const group = (role: string, description: string) => new aws.ec2.SecurityGroup(`${name}-${role}-sg`, { vpcId: vpc.vpcId, description, tags: { Name: `${args.namePrefix}-${role}` } }, o);
    const domainSg = group("domain", "OpenSearch domain: HTTPS from the indexer only");
    const indexerSg = group("indexer", "Indexer Lambda: HTTPS to the domain and the X-Ray endpoint");
    const endpointSg = group("endpoint", "X-Ray endpoint: HTTPS from the indexer only");
    sgIngress(`${name}-domain-from-indexer`, { securityGroupId: domainSg.id, peer: { referencedSecurityGroupId: indexerSg.id }, port: 443, description: "HTTPS from the indexer" }, o);
    sgEgress(`${name}-indexer-to-domain`, { securityGroupId: indexerSg.id, peer: { referencedSecurityGroupId: domainSg.id }, port: 443, description: "HTTPS to the domain" }, o);
    sgEgress(`${name}-indexer-to-endpoint`, { securityGroupId: indexerSg.id, peer: { referencedSecurityGroupId: endpointSg.id }, port: 443, description: "HTTPS to the X-Ray endpoint" }, o);
    sgIngress(`${name}-endpoint-from-indexer`, { securityGroupId: endpointSg.id, peer: { referencedSecurityGroupId: indexerSg.id }, port: 443, description: "HTTPS from the indexer" }, o);
    // X-Ray's interface endpoint service is com.amazonaws.<region>.xray (X-Ray Developer Guide,
    // "xray-security-vpc-endpoint"); with private DNS the SDK's default endpoint resolves inside the VPC.
    new aws.ec2.VpcEndpoint(
        `${name}-xray-endpoint`,
        { vpcId: vpc.vpcId, serviceName: `com.amazonaws.${args.region}.xray`, vpcEndpointType: "Interface", subnetIds: vpc.isolatedSubnetIds, securityGroupIds: [endpointSg.id], privateDnsEnabled: true, tags: { Name: `${args.namePrefix}-xray` } },
        o,
    );
    return { subnetIds: vpc.isolatedSubnetIds, domainSg, indexerSg };
}

/**
 * The indexer's OpenSearch domain: fine-grained access control with the indexer's role as IAM
 * master user, HTTPS only, encrypted at rest with the key, node-to-node encryption.
 */
function openSearchDomain(
    s: Scope,
    args: SnsFanoutArgs & { openSearch: NonNullable<SnsFanoutArgs["openSearch"]> },
    key: aws.kms.Key,
    indexerRoleArn: pulumi.Output<string>,
    network: SearchNetwork | undefined,
): aws.opensearch.Domain {
    const { name, acct, keep } = s;
    const os = args.openSearch;
    const zoneAware = os.instanceCount > 1 && os.instanceCount % 2 === 0;
    const domainName = `${args.namePrefix}-logs`.slice(0, 28);
    const domainArn = `arn:aws:es:${args.region}:${acct}:domain/${domainName}`;
    const logs = domainLogs(s, args, key, domainArn);
    return new aws.opensearch.Domain(
        `${name}-domain`,
        {
            domainName,
            engineVersion: os.engineVersion,
            clusterConfig: {
                instanceType: os.instanceType,
                instanceCount: os.instanceCount,
                zoneAwarenessEnabled: os.instanceCount > 1 && os.instanceCount % 2 === 0,
                zoneAwarenessConfig: os.instanceCount > 1 && os.instanceCount % 2 === 0 ? { availabilityZoneCount: 2 } : undefined,
            },
            ebsOptions: { ebsEnabled: true, volumeType: "gp3", volumeSize: os.volumeSizeGb },
            encryptAtRest: { enabled: true, kmsKeyId: key.arn },
            // In a VPC: one subnet per zone the nodes use (two with zone awareness), reachable from the indexer only.
            vpcOptions: network ? { subnetIds: network.subnetIds.apply((ids) => ids.slice(0, zoneAware ? 2 : 1)), securityGroupIds: [network.domainSg.id] } : undefined,
            nodeToNodeEncryption: { enabled: true },
            logPublishingOptions: logs.groups.map(({ logType, group }) => ({ logType, cloudwatchLogGroupArn: group.arn, enabled: true })),
            domainEndpointOptions: { enforceHttps: true, tlsSecurityPolicy: "Policy-Min-TLS-1-2-2019-07" },
            // Fine-grained access control with IAM: the indexer's role is the master user,
            // no internal user database, no anonymous access.
            advancedSecurityOptions: {
                enabled: true,
                anonymousAuthEnabled: false,
                internalUserDatabaseEnabled: false,
                masterUserOptions: { masterUserArn: indexerRoleArn },
            },
            accessPolicies: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [
                    {
                        Effect: "Allow",
                        Principal: { AWS: indexerRoleArn },
                        // The indexer only POSTs _bulk (functions/sns-indexer).
                        Action: ["es:ESHttpPost"],
                        Resource: `${domainArn}/*`,
                    },
                ],
            }),
        },
        // CreateDomain checks that OpenSearch may write to the log groups: the resource policy first.
        { ...keep, dependsOn: [logs.policy] },
    );
}

/**
 * OpenSearch log types the domain publishes to CloudWatch Logs (OpenSearch Service Developer
 * Guide, "createdomain-configure-slow-logs"; API LogPublishingOption): error (application) logs
 * flow at once; slow logs only for indexes given slow-log thresholds, audit logs only once the
 * security plugin's audit logging is turned on (both are domain settings, not infrastructure).
 */
const OPENSEARCH_LOG_TYPES = {
    ES_APPLICATION_LOGS: "opensearch-application",
    SEARCH_SLOW_LOGS: "opensearch-search-slow",
    INDEX_SLOW_LOGS: "opensearch-index-slow",
    AUDIT_LOGS: "opensearch-audit",
} as const;

/**
 * The domain's log groups (the concern's key, its retention) and the log resource policy that
 * lets OpenSearch write to them: `es.amazonaws.com` with CreateLogStream and PutLogEvents on
 * those groups only, bounded to this domain by aws:SourceAccount and aws:SourceArn (the guide's
 * policy plus IAM's confused-deputy keys). CloudWatch Logs holds at most 10 resource policies per
 * account and Region (CloudWatch Logs quotas).
 */
function domainLogs(s: Scope, args: SnsFanoutArgs, key: aws.kms.Key, domainArn: string) {
    const { name, acct, o, keep, logPath } = s;
    const groups = Object.entries(OPENSEARCH_LOG_TYPES).map(([logType, suffix]) => ({
        logType,
        group: retainedLogGroup(`${name}-${suffix}-logs`, { logGroupName: logPath(suffix), retentionInDays: args.logRetentionDays, kmsKeyId: key.arn }, keep),
    }));
    const policy = new aws.cloudwatch.LogResourcePolicy(
        `${name}-opensearch-logs-policy`,
        {
            policyName: `${args.namePrefix}-opensearch-logs`,
            policyDocument: JSON.stringify({
                Version: "2012-10-17",
                Statement: [
                    {
                        Sid: "OpenSearchPublishesItsLogs",
                        Effect: "Allow",
                        Principal: { Service: "es.amazonaws.com" },
                        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                        Resource: Object.values(OPENSEARCH_LOG_TYPES).map((suffix) => `arn:aws:logs:${args.region}:${acct}:log-group:${logPath(suffix)}:*`),
                        Condition: { StringEquals: { "aws:SourceAccount": acct }, ArnLike: { "aws:SourceArn": domainArn } },
                    },
                ],
            }),
        },
        o,
    );
    return { groups, policy };
}

/** The Firehose archive: an encrypted, versioned, tiered bucket, the delivery stream and its role, and the topic's subscription with the role SNS assumes. */
function firehoseArchive(s: Scope, args: SnsFanoutArgs & { firehose: NonNullable<SnsFanoutArgs["firehose"]> }, key: aws.kms.Key, topic: aws.sns.Topic) {
    const { name, acct, o, keep, logPath } = s;
    const fh = args.firehose;
    const archiveBucket = secureBucket(
        `${name}-archive`,
        {
            bucketArgs: { bucketPrefix: `${args.namePrefix}-archive-` },
            kmsKeyArn: key.arn,
            accessLogs: args.accessLogBucket === undefined ? undefined : { bucket: args.accessLogBucket, prefix: `${args.namePrefix}-archive/` },
            protect: args.protect,
            lifecycleRules: [
                {
                    id: "archive-tiering",
                    status: "Enabled",
                    filter: { prefix: "" },
                    transitions: [{ days: args.archive.transitionDays, storageClass: "GLACIER_IR" }],
                    expiration: args.archive.expirationDays > 0 ? { days: args.archive.expirationDays } : undefined,
                    noncurrentVersionExpiration: { noncurrentDays: args.archive.noncurrentVersionDays },
                    abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
                },
            ],
        },
        o,
    ).bucket;
    const bucket = archiveBucket;

    const streamName = `${args.namePrefix}-archive`;
    const fhLogs = retainedLogGroup(`${name}-firehose-logs`, { logGroupName: logPath("firehose"), retentionInDays: args.logRetentionDays, kmsKeyId: key.arn }, keep);
    const fhLogStream = new aws.cloudwatch.LogStream(`${name}-firehose-log-stream`, { logGroupName: fhLogs.name, name: "S3Delivery" }, o);
    const deliveryRole = new aws.iam.Role(
        `${name}-firehose-role`,
        {
            description: `Firehose ${streamName} writes to the archive bucket`,
            assumeRolePolicy: serviceTrustPolicy("firehose.amazonaws.com", acct, { conditionKey: "sts:ExternalId" }),
        },
        o,
    );
    const deliveryPolicy = new aws.iam.RolePolicy(
        `${name}-firehose-policy`,
        {
            role: deliveryRole.id,
            name: "deliver-to-archive",
            policy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [
                    // Firehose Developer Guide, "controlling-access" (S3 destination): these six actions,
                    // each on the resource type the Service Authorization Reference gives it (bucket or object).
                    { Sid: "ArchiveBucket", Effect: "Allow", Action: ["s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads"], Resource: bucket.arn },
                    { Sid: "WriteArchive", Effect: "Allow", Action: ["s3:AbortMultipartUpload", "s3:GetObject", "s3:PutObject"], Resource: pulumi.interpolate`${bucket.arn}/*` },
                    {
                        Sid: "EncryptArchiveObjects",
                        Effect: "Allow",
                        Action: ["kms:GenerateDataKey", "kms:Decrypt"],
                        Resource: key.arn,
                        Condition: { StringEquals: { "kms:ViaService": `s3.${args.region}.amazonaws.com` } },
                    },
                    {
                        Sid: "DeliveryErrorLogs",
                        Effect: "Allow",
                        Action: "logs:PutLogEvents",
                        Resource: pulumi.interpolate`${fhLogs.arn}:log-stream:*`,
                    },
                ],
            }),
        },
        o,
    );
    const deliveryStream = new aws.kinesis.FirehoseDeliveryStream(
        `${name}-firehose`,
        {
            name: streamName,
            destination: "extended_s3",
            serverSideEncryption: { enabled: true, keyType: "CUSTOMER_MANAGED_CMK", keyArn: key.arn },
            extendedS3Configuration: {
                bucketArn: bucket.arn,
                roleArn: deliveryRole.arn,
                prefix: "logs/!{timestamp:yyyy/MM/dd/HH}/",
                errorOutputPrefix: "errors/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd}/",
                bufferingInterval: fh.bufferingIntervalSeconds,
                bufferingSize: fh.bufferingSizeMb,
                compressionFormat: "GZIP",
                kmsKeyArn: key.arn,
                cloudwatchLoggingOptions: { enabled: true, logGroupName: fhLogs.name, logStreamName: fhLogStream.name },
            },
        },
        { ...o, dependsOn: [deliveryPolicy] },
    );

    // The role SNS assumes to deliver to the stream: PutRecord* and Describe on that stream only.
    const subscriptionRole = new aws.iam.Role(
        `${name}-sns-to-firehose-role`,
        {
            description: `SNS topic ${args.namePrefix}-logs delivers to Firehose ${streamName}`,
            assumeRolePolicy: serviceTrustPolicy("sns.amazonaws.com", acct),
        },
        o,
    );
    const subscriptionPolicy = new aws.iam.RolePolicy(
        `${name}-sns-to-firehose-policy`,
        {
            role: subscriptionRole.id,
            name: "put-records-on-archive-stream",
            policy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [
                    {
                        Effect: "Allow",
                        Action: ["firehose:DescribeDeliveryStream", "firehose:PutRecord", "firehose:PutRecordBatch"],
                        Resource: deliveryStream.arn,
                    },
                ],
            }),
        },
        o,
    );
    new aws.sns.TopicSubscription(
        `${name}-firehose-subscription`,
        {
            topic: topic.arn,
            protocol: "firehose",
            endpoint: deliveryStream.arn,
            subscriptionRoleArn: subscriptionRole.arn,
            rawMessageDelivery: true,
        },
        { ...o, dependsOn: [subscriptionPolicy] },
    );
    return { archiveBucket, deliveryStream, subscriptionRole };
}

/** The PublishBatch publisher Lambda. */
function publisherFunction(parent: SnsFanout, s: Scope, args: SnsFanoutArgs, key: aws.kms.Key, topic: aws.sns.Topic, alarmActions: pulumi.Input<string>[]): ObservedFunction {
    const { name, acct, logPath } = s;
    return new ObservedFunction(
        `${name}-publisher`,
        {
            concern: "snsFanout",
            accountId: acct,
            region: args.region,
            entry: path.join(FUNCTIONS, "sns-publisher", "index.ts"),
            description: `${args.namePrefix} PublishBatch log publisher`,
            logGroupName: logPath("publisher"),
            logRetentionDays: args.logRetentionDays,
            logKmsKeyArn: key.arn,
            alarmActions,
            memoryMb: 256,
            timeoutSeconds: 60,
            environment: { TOPIC_ARN: topic.arn },
            protect: args.protect,
            statements: [
                { Sid: "PublishToTopic", Effect: "Allow", Action: "sns:Publish", Resource: topic.arn },
                { Sid: "EncryptForTopic", Effect: "Allow", Action: ["kms:GenerateDataKey", "kms:Decrypt"], Resource: key.arn },
            ],
        },
        { parent },
    );
}

/**
 * SPEC concern 5: an SNS topic (KMS) fanning log lines out to two SQS
 * subscribers (inference and indexing, each with a DLQ and a Lambda), a
 * Kinesis Data Firehose subscription archiving them to S3, an optional
 * OpenSearch domain for the indexer, and the PublishBatch publisher Lambda.
 */
export class SnsFanout extends pulumi.ComponentResource {
    /** The customer managed key of the topic, queues, stream and bucket. */
    public readonly key: aws.kms.Key;
    /** The fan-out topic. */
    public readonly topic: aws.sns.Topic;
    /** Topic notified by the concern's alarms (DLQ not empty, function errors), encrypted with {@link key}. */
    public readonly alarmTopic: aws.sns.Topic;
    /** The inference subscriber. */
    public readonly inference: SqsSubscriber;
    /** The indexing subscriber. */
    public readonly indexing: SqsSubscriber;
    /** The archive bucket (when Firehose is on). */
    public readonly archiveBucket?: aws.s3.Bucket;
    /** The delivery stream (when Firehose is on). */
    public readonly deliveryStream?: aws.kinesis.FirehoseDeliveryStream;
    /** The role SNS assumes to put records on the stream (when Firehose is on). */
    public readonly subscriptionRole?: aws.iam.Role;
    /** The OpenSearch domain (when enabled). */
    public readonly domain?: aws.opensearch.Domain;
    /** The publisher Lambda (when enabled). */
    public readonly publisher?: ObservedFunction;

    constructor(name: string, args: SnsFanoutArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super("awsarch:snsFanout:SnsFanout", name, {}, opts);
        const o = { parent: this };
        const s: Scope = { name, acct: args.accountId, o, keep: { ...o, protect: args.protect }, logPath: (fn) => `/awsarch/${args.stack}/sns-fanout/${fn}` };
        const logPath = s.logPath;

        this.key = fanoutKey(s, args);
        // Alarm topic: always standard (CloudWatch cannot publish to FIFO topics).
        this.alarmTopic = alarmTopic(`${name}-alarms`, { topicName: `${args.namePrefix}-alarms`, kmsKeyArn: this.key.arn, accountId: s.acct, email: args.alarmEmail }, o);
        const alarmActions = [this.alarmTopic.arn];
        this.topic = fanoutTopic(s, args, this.key);

        // Optional OpenSearch domain. Its IAM master user and access-policy principal
        // are the indexer's execution role, taken from the role's `arn` output so the
        // domain is created after the role: OpenSearch validates those principals at
        // creation and rejects a role that does not exist yet. The indexer's policy and
        // environment need the domain's ARN and endpoint in turn; they get deferred
        // outputs, resolved from the domain below (role -> domain -> role policy and
        // function: no cycle, and the dependencies are recorded).
        let indexerStatements: pulumi.Input<Statement>[] = [];
        let indexerEnv: Record<string, pulumi.Input<string>> = {};
        let resolveDomain: ((domain: aws.opensearch.Domain) => void) | undefined;
        if (args.openSearch) {
            const [domainArnOut, resolveArn] = pulumi.deferredOutput<string>();
            const [endpointOut, resolveEndpoint] = pulumi.deferredOutput<string>();
            resolveDomain = (domain) => {
                resolveArn(domain.arn);
                resolveEndpoint(domain.endpoint);
            };
            indexerStatements = [
                {
                    Sid: "WriteToTheLogDomain",
                    Effect: "Allow",
                    // The indexer only POSTs _bulk (functions/sns-indexer).
                    Action: ["es:ESHttpPost"],
                    Resource: pulumi.interpolate`${domainArnOut}/*`,
                },
            ];
            indexerEnv = { OPENSEARCH_ENDPOINT: endpointOut, INDEX_NAME: args.openSearch.indexName };
        }

        const network = args.openSearch?.vpc ? searchNetwork(this, s, args, args.openSearch.vpc, this.key) : undefined;
        const common = {
            accountId: s.acct,
            region: args.region,
            fifo: args.fifo,
            topicArn: this.topic.arn,
            kmsKeyArn: this.key.arn,
            ...args.queues,
            logRetentionDays: args.logRetentionDays,
            ...args.functions,
            alarmActions,
            protect: args.protect,
        };
        this.inference = new SqsSubscriber(
            `${name}-inference`,
            {
                ...common,
                queueName: `${args.namePrefix}-inference`,
                entry: path.join(FUNCTIONS, "sns-inference", "index.ts"),
                description: `${args.namePrefix} inference consumer`,
                logGroupName: logPath("inference"),
            },
            { parent: this },
        );
        this.indexing = new SqsSubscriber(
            `${name}-indexing`,
            {
                ...common,
                queueName: `${args.namePrefix}-indexing`,
                entry: path.join(FUNCTIONS, "sns-indexer", "index.ts"),
                description: `${args.namePrefix} indexer`,
                logGroupName: logPath("indexer"),
                environment: indexerEnv,
                extraStatements: indexerStatements,
                // Fixed physical name kept from before the domain referenced the role's ARN (renaming would replace the role).
                roleName: args.openSearch ? `${args.namePrefix}-indexer` : undefined,
                vpc: network ? { subnetIds: network.subnetIds, securityGroupIds: [network.indexerSg.id] } : undefined,
            },
            { parent: this },
        );

        if (args.openSearch && resolveDomain) {
            this.domain = openSearchDomain(s, { ...args, openSearch: args.openSearch }, this.key, this.indexing.consumer.role.arn, network);
            resolveDomain(this.domain);
        }
        if (args.firehose) {
            const archive = firehoseArchive(s, { ...args, firehose: args.firehose }, this.key, this.topic);
            this.archiveBucket = archive.archiveBucket;
            this.deliveryStream = archive.deliveryStream;
            this.subscriptionRole = archive.subscriptionRole;
        }
        if (args.publisherFunction) {
            this.publisher = publisherFunction(this, s, args, this.key, this.topic, alarmActions);
        }

        this.registerOutputs({
            topicArn: this.topic.arn,
            alarmTopicArn: this.alarmTopic.arn,
            inferenceQueueUrl: this.inference.queue.url,
            indexingQueueUrl: this.indexing.queue.url,
            deliveryStreamArn: this.deliveryStream?.arn,
            archiveBucket: this.archiveBucket?.bucket,
            openSearchEndpoint: this.domain?.endpoint,
        });
    }
}
