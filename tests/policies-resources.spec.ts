import * as assert from "assert";
import { allRules, ResourceRule } from "../policies/rules";
import { setSupportClock } from "../lib/support";
import { FixtureOpts, firing, resourceArgs, violations } from "./policies-fixtures";

/* eslint-disable @typescript-eslint/no-explicit-any */

type Case = [type: string, props: Record<string, any>, opts?: FixtureOpts];

const KEY = "arn:aws:kms:us-east-1:111111111111:key/0000-1111";
const doc = (...Statement: any[]) => JSON.stringify({ Version: "2012-10-17", Statement });

const fn = (extra: Record<string, any> = {}) => ({
    runtime: "nodejs22.x",
    handler: "index.handler",
    role: "arn:aws:iam::111111111111:role/fn",
    tracingConfig: { mode: "Active" },
    ...extra,
});
const msk = (extra: Record<string, any> = {}) => ({
    clusterName: "events",
    kafkaVersion: "3.8.x",
    numberOfBrokerNodes: 3,
    brokerNodeGroupInfo: { instanceType: "kafka.m7g.large", clientSubnets: ["subnet-1", "subnet-2", "subnet-3"] },
    encryptionInfo: { encryptionAtRestKmsKeyArn: KEY, encryptionInTransit: { clientBroker: "TLS", inCluster: true } },
    clientAuthentication: { sasl: { iam: true }, unauthenticated: false },
    loggingInfo: { brokerLogs: { cloudwatchLogs: { enabled: true, logGroup: "/aws/msk/events" } } },
    ...extra,
});
const lt = (extra: Record<string, any> = {}) => ({
    imageId: "ami-123",
    instanceType: "m7i.large",
    metadataOptions: { httpTokens: "required", httpEndpoint: "enabled" },
    blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "true", volumeSize: 50, kmsKeyId: KEY } }],
    ...extra,
});
const instance = (extra: Record<string, any> = {}) => ({
    ami: "ami-123",
    instanceType: "t3.micro",
    subnetId: "subnet-1",
    metadataOptions: { httpTokens: "required" },
    rootBlockDevice: { encrypted: true, volumeSize: 20 },
    ...extra,
});
const sg = (ingress: any[]) => ({ vpcId: "vpc-1", ingress });
const eksCluster = (extra: Record<string, any> = {}) => ({
    vpcId: "vpc-1",
    privateSubnetIds: ["subnet-1", "subnet-2"],
    endpointPublicAccess: false,
    endpointPrivateAccess: true,
    encryptionConfigKeyArn: KEY,
    enabledClusterLogTypes: ["api", "audit", "authenticator", "controllerManager", "scheduler"],
    ...extra,
});

const osDomain = (extra: Record<string, any> = {}) => ({
    engineVersion: "OpenSearch_2.19",
    encryptAtRest: { enabled: true, kmsKeyId: KEY },
    nodeToNodeEncryption: { enabled: true },
    domainEndpointOptions: { enforceHttps: true, tlsSecurityPolicy: "Policy-Min-TLS-1-2-2019-07" },
    advancedSecurityOptions: { enabled: true, anonymousAuthEnabled: false, internalUserDatabaseEnabled: false, masterUserOptions: { masterUserArn: "arn:aws:iam::111111111111:role/indexer" } },
    accessPolicies: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::111111111111:role/indexer" }, Action: "es:ESHttpPost", Resource: "*" }] }),
    logPublishingOptions: osLogs(),
    ...extra,
});
function osLogs(...types: string[]) {
    return (types.length > 0 ? types : ["ES_APPLICATION_LOGS", "SEARCH_SLOW_LOGS", "INDEX_SLOW_LOGS", "AUDIT_LOGS"]).map((logType) => ({
        logType,
        cloudwatchLogGroupArn: `arn:aws:logs:us-east-1:111111111111:log-group:/awsarch/t/${logType}`,
        enabled: true,
    }));
}

/** For each resource rule: inputs that comply and inputs that violate it, shaped like the real resource's Args. */
const CASES: Record<string, { ok: Case[]; bad: Case[] }> = {
    "s3-8-public-access-block": {
        ok: [["aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", { bucket: "b", blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true }]],
        bad: [["aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", { bucket: "b", blockPublicAcls: true, blockPublicPolicy: false, ignorePublicAcls: true }]],
    },
    "s3-17-kms-encryption": {
        ok: [
            ["aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", { bucket: "b", rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY }, bucketKeyEnabled: true }] }],
            // still shipped (deprecated) by @pulumi/aws 7.x, same inputs
            ["aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2", { bucket: "b", rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms:dsse", kmsMasterKeyId: KEY } }] }],
        ],
        bad: [
            ["aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", { bucket: "b", rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] }],
            ["aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2", { bucket: "b", rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] }],
        ],
    },
    "s3-2-no-public-acl": {
        ok: [["aws:s3/bucketAcl:BucketAcl", { bucket: "b", acl: "private" }], ["aws:s3/bucket:Bucket", { bucket: "data" }]],
        bad: [
            ["aws:s3/bucketAcl:BucketAcl", { bucket: "b", acl: "public-read" }],
            ["aws:s3/bucketAcl:BucketAcl", { bucket: "b", accessControlPolicy: { owner: { id: "o" }, grants: [{ permission: "READ", grantee: { type: "Group", uri: "http://acs.amazonaws.com/groups/global/AllUsers" } }] } }],
        ],
    },
    "sns-1-kms-encryption": {
        ok: [["aws:sns/topic:Topic", { kmsMasterKeyId: KEY }]],
        bad: [["aws:sns/topic:Topic", { name: "logs" }]],
    },
    "sqs-1-kms-encryption": {
        ok: [["aws:sqs/queue:Queue", { kmsMasterKeyId: KEY, kmsDataKeyReusePeriodSeconds: 300 }]],
        bad: [["aws:sqs/queue:Queue", { sqsManagedSseEnabled: true }]],
    },
    "dynamodb-2-pitr": {
        ok: [["aws:dynamodb/table:Table", { hashKey: "pk", billingMode: "PAY_PER_REQUEST", pointInTimeRecovery: { enabled: true }, serverSideEncryption: { enabled: true, kmsKeyArn: KEY } }]],
        bad: [["aws:dynamodb/table:Table", { hashKey: "pk", serverSideEncryption: { enabled: true } }]],
    },
    "ckv-aws-119-dynamodb-kms": {
        ok: [["aws:dynamodb/table:Table", { hashKey: "pk", pointInTimeRecovery: { enabled: true }, serverSideEncryption: { enabled: true, kmsKeyArn: KEY } }]],
        bad: [["aws:dynamodb/table:Table", { hashKey: "pk", pointInTimeRecovery: { enabled: true } }]],
    },
    "dynamodb-6-deletion-protection": {
        ok: [
            ["aws:dynamodb/table:Table", { hashKey: "pk", deletionProtectionEnabled: true }, { stack: "prod" }],
            ["aws:dynamodb/table:Table", { hashKey: "pk" }, { stack: "dev" }],
        ],
        bad: [
            ["aws:dynamodb/table:Table", { hashKey: "pk", deletionProtectionEnabled: false }, { stack: "prod" }],
            ["aws:dynamodb/table:Table", { hashKey: "pk" }, { stack: "staging", config: { environment: "prod" } }],
        ],
    },
    "kms-4-key-rotation": {
        ok: [
            ["aws:kms/key:Key", { enableKeyRotation: true, deletionWindowInDays: 30 }],
            ["aws:kms/key:Key", { customerMasterKeySpec: "RSA_2048", keyUsage: "SIGN_VERIFY" }],
        ],
        bad: [["aws:kms/key:Key", { description: "k" }]],
    },
    "ckv-aws-66-log-retention": {
        ok: [["aws:cloudwatch/logGroup:LogGroup", { name: "/aws/lambda/x", retentionInDays: 30, kmsKeyId: KEY }]],
        bad: [["aws:cloudwatch/logGroup:LogGroup", { name: "/aws/lambda/x", retentionInDays: 0 }]],
    },
    "ckv-aws-158-log-group-kms": {
        ok: [["aws:cloudwatch/logGroup:LogGroup", { retentionInDays: 30, kmsKeyId: KEY }]],
        bad: [["aws:cloudwatch/logGroup:LogGroup", { retentionInDays: 30 }]],
    },
    "ckv-aws-149-secret-kms": {
        ok: [["aws:secretsmanager/secret:Secret", { name: "s", kmsKeyId: KEY }]],
        bad: [["aws:secretsmanager/secret:Secret", { name: "s" }]],
    },
    "kinesis-1-encryption": {
        ok: [["aws:kinesis/stream:Stream", { encryptionType: "KMS", kmsKeyId: "alias/aws/kinesis", streamModeDetails: { streamMode: "ON_DEMAND" } }]],
        bad: [["aws:kinesis/stream:Stream", { shardCount: 1 }]],
    },
    "datafirehose-1-sse": {
        ok: [
            ["aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream", { destination: "extended_s3", serverSideEncryption: { enabled: true, keyType: "CUSTOMER_MANAGED_CMK", keyArn: KEY } }],
            ["aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream", { destination: "extended_s3", kinesisSourceConfiguration: { kinesisStreamArn: "arn:aws:kinesis:us-east-1:111111111111:stream/s", roleArn: "r" } }],
        ],
        bad: [["aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream", { destination: "extended_s3" }]],
    },
    "efs-1-encrypted": {
        ok: [["aws:efs/fileSystem:FileSystem", { encrypted: true, kmsKeyId: KEY }]],
        bad: [["aws:efs/fileSystem:FileSystem", { performanceMode: "generalPurpose" }], ["aws:efs/fileSystem:FileSystem", { encrypted: true }]],
    },
    "access-analyzer-validate-policy": {
        ok: [
            ["aws:iam/rolePolicy:RolePolicy", { role: "r", policy: doc({ Effect: "Allow", Action: "kafka:GetBootstrapBrokers", Resource: "*" }, { Effect: "Allow", Action: "kafka:DescribeClusterV2", Resource: "arn:aws:kafka:us-east-1:111111111111:cluster/c/abcd" }) }],
            ["aws:iam/role:Role", { assumeRolePolicy: doc({ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:SourceAccount": "111111111111" } } }) }],
        ],
        bad: [
            ["aws:iam/rolePolicy:RolePolicy", { role: "r", policy: doc({ Effect: "Allow", Action: "kafka:GetBootstrapBrokers", Resource: "arn:aws:kafka:us-east-1:111111111111:cluster/c/abcd" }) }],
            ["aws:iam/rolePolicy:RolePolicy", { role: "r", policy: doc({ Effect: "Allow", Action: "kinesis:SubscribeToShard", Resource: "arn:aws:kinesis:us-east-1:111111111111:stream/s" }) }],
            ["aws:iam/role:Role", { assumeRolePolicy: doc({ Effect: "Allow", Principal: { Service: "not a service" }, Action: "sts:AssumeRole" }) }],
        ],
    },
    // The spec's clock is 2026-11-29 (see the before hook).
    "supported-engine-version": {
        ok: [
            ["eks:index:Cluster", eksCluster({ version: "1.35" })],
            ["aws:msk/cluster:Cluster", msk({ kafkaVersion: "3.8.x" })],
            ["aws:msk/configuration:Configuration", { kafkaVersions: ["3.8.x"], serverProperties: "" }],
            ["aws:opensearch/domain:Domain", osDomain({ engineVersion: "OpenSearch_2.19" })],
            ["aws:lambda/layerVersion:LayerVersion", { compatibleRuntimes: ["nodejs22.x", "nodejs24.x"] }],
        ],
        bad: [
            ["eks:index:Cluster", eksCluster({ version: "1.31" })],
            ["eks:index:ManagedNodeGroup", { version: "1.27" }],
            ["aws:msk/cluster:Cluster", msk({ kafkaVersion: "3.6.0" })],
            ["aws:msk/configuration:Configuration", { kafkaVersions: JSON.stringify(["3.5.1"]), serverProperties: "" }],
            ["aws:opensearch/domain:Domain", osDomain({ engineVersion: "Elasticsearch_7.10", vpcOptions: { subnetIds: ["subnet-1"] } }), { stack: "prod" }],
            ["aws:lambda/layerVersion:LayerVersion", { compatibleRuntimes: ["nodejs20.x"] }],
        ],
    },
    "cost-extended-support": {
        ok: [["eks:index:Cluster", eksCluster({ version: "1.35" })], ["eks:index:ManagedNodeGroup", { version: "1.34" }]],
        bad: [["eks:index:Cluster", eksCluster({ version: "1.33" })], ["eks:index:ManagedNodeGroup", { version: "1.32" }]],
    },
    "version-support-ending-soon": {
        ok: [["eks:index:Cluster", eksCluster({ version: "1.35" })], ["aws:msk/cluster:Cluster", msk()], ["aws:lambda/function:Function", fn({ runtime: "nodejs24.x" })]],
        bad: [["eks:index:Cluster", eksCluster({ version: "1.34" })], ["eks:index:ManagedNodeGroup", { version: "1.34" }]],
    },
    "lambda-2-supported-runtime": {
        ok: [["aws:lambda/function:Function", fn()], ["aws:lambda/function:Function", { packageType: "Image", imageUri: "1.dkr.ecr/x:1", role: "r", tracingConfig: { mode: "Active" } }]],
        bad: [
            ["aws:lambda/function:Function", fn({ runtime: "nodejs16.x" })],
            ["aws:lambda/function:Function", fn({ runtime: "python3.8" })],
            // deprecated on 2026-04-30 (the spec pins the clock to 2026-11-29)
            ["aws:lambda/function:Function", fn({ runtime: "nodejs20.x" })],
            ["aws:lambda/function:Function", fn({ runtime: undefined })],
        ],
    },
    "lambda-7-xray-tracing": {
        ok: [["aws:lambda/function:Function", fn()]],
        bad: [["aws:lambda/function:Function", fn({ tracingConfig: { mode: "PassThrough" } })], ["aws:lambda/function:Function", fn({ tracingConfig: undefined })]],
    },
    "lambda-1-no-public-permission": {
        ok: [
            ["aws:lambda/permission:Permission", { action: "lambda:InvokeFunction", function: "fn", principal: "sns.amazonaws.com", sourceArn: "arn:aws:sns:us-east-1:111111111111:t" }],
            ["aws:lambda/permission:Permission", { action: "lambda:InvokeFunction", function: "fn", principal: "*", principalOrgId: "o-abc" }],
            ["aws:lambda/permission:Permission", { action: "lambda:InvokeFunction", function: "fn", principal: "222222222222" }],
        ],
        bad: [
            ["aws:lambda/permission:Permission", { action: "lambda:InvokeFunction", function: "fn", principal: "*" }],
            ["aws:lambda/permission:Permission", { action: "lambda:InvokeFunction", function: "fn", principal: "events.amazonaws.com" }],
            ["aws:lambda/permission:Permission", { action: "lambda:InvokeFunctionUrl", function: "fn", principal: "*", sourceAccount: "1", functionUrlAuthType: "NONE" }],
        ],
    },
    "lambda-esm-on-failure-destination": {
        ok: [
            ["aws:lambda/eventSourceMapping:EventSourceMapping", { functionName: "fn", eventSourceArn: "arn:aws:kafka:us-east-1:111111111111:cluster/events/abc", topics: ["t"], startingPosition: "LATEST", destinationConfig: { onFailure: { destinationArn: "arn:aws:sqs:us-east-1:111111111111:dlq" } } }],
            ["aws:lambda/eventSourceMapping:EventSourceMapping", { functionName: "fn", eventSourceArn: "arn:aws:sqs:us-east-1:111111111111:q", batchSize: 10 }],
        ],
        bad: [
            ["aws:lambda/eventSourceMapping:EventSourceMapping", { functionName: "fn", eventSourceArn: "arn:aws:kafka:us-east-1:111111111111:cluster/events/abc", topics: ["t"], startingPosition: "LATEST" }],
            ["aws:lambda/eventSourceMapping:EventSourceMapping", { functionName: "fn", eventSourceArn: "arn:aws:dynamodb:us-east-1:111111111111:table/t/stream/2024" }],
            ["aws:lambda/eventSourceMapping:EventSourceMapping", { functionName: "fn", selfManagedEventSource: { endpoints: { KAFKA_BOOTSTRAP_SERVERS: "b:9092" } }, topics: ["t"] }],
        ],
    },
    "iam-1-no-full-admin": {
        ok: [
            ["aws:iam/rolePolicy:RolePolicy", { role: "r", policy: doc({ Effect: "Allow", Action: "sqs:SendMessage", Resource: "arn:aws:sqs:us-east-1:111111111111:q" }) }],
            ["aws:iam/rolePolicyAttachment:RolePolicyAttachment", { role: "r", policyArn: "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole" }],
        ],
        bad: [
            ["aws:iam/policy:Policy", { policy: doc({ Effect: "Allow", Action: "*", Resource: "*" }) }],
            ["aws:iam/role:Role", { assumeRolePolicy: "{}", inlinePolicies: [{ name: "p", policy: doc({ Effect: "Allow", Action: ["*:*"], Resource: "*" }) }] }],
            ["aws:iam/rolePolicy:RolePolicy", { role: "r", policy: { Version: "2012-10-17", Statement: { Effect: "Allow", NotAction: "iam:*", Resource: "*" } } }],
            ["aws:iam/rolePolicyAttachment:RolePolicyAttachment", { role: "r", policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" }],
            ["aws:iam/role:Role", { assumeRolePolicy: "{}", managedPolicyArns: ["arn:aws:iam::aws:policy/PowerUserAccess"] }],
            // a whole service (NIST/HIPAA IAMPolicyNoStatementsWithFullAccess)
            ["aws:iam/rolePolicy:RolePolicy", { role: "r", policy: doc({ Effect: "Allow", Action: "s3:*", Resource: "arn:aws:s3:::b/*" }) }],
        ],
    },
    "ecr-no-public-policy": {
        ok: [["aws:ecr/repositoryPolicy:RepositoryPolicy", { repository: "r", policy: doc({ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "ecr:BatchGetImage", Condition: { StringLike: { "aws:sourceArn": "arn:aws:lambda:us-east-1:111111111111:function:*" } } }) }]],
        bad: [["aws:ecr/repositoryPolicy:RepositoryPolicy", { repository: "r", policy: doc({ Effect: "Allow", Principal: "*", Action: "ecr:BatchGetImage" }) }]],
    },
    "opensearch-no-anonymous-access": {
        ok: [["aws:opensearch/domain:Domain", osDomain()]],
        bad: [
            ["aws:opensearch/domain:Domain", osDomain({ advancedSecurityOptions: { enabled: true, anonymousAuthEnabled: true }, vpcOptions: { subnetIds: ["s"] } }), { stack: "prod" }],
            ["aws:opensearch/domain:Domain", osDomain({ accessPolicies: doc({ Effect: "Allow", Principal: { AWS: "*" }, Action: "es:*", Resource: "*" }), vpcOptions: { subnetIds: ["s"] } }), { stack: "prod" }],
        ],
    },
    "opensearch-zone-awareness-prod": {
        ok: [
            ["aws:opensearch/domain:Domain", osDomain({ clusterConfig: { instanceCount: 2, zoneAwarenessEnabled: true } }), { stack: "prod" }],
            ["aws:opensearch/domain:Domain", osDomain({ clusterConfig: { instanceCount: 1 } }), { stack: "prod" }],
        ],
        bad: [["aws:opensearch/domain:Domain", osDomain({ clusterConfig: { instanceCount: 2, zoneAwarenessEnabled: false }, vpcOptions: { subnetIds: ["s"] } }), { stack: "prod" }]],
    },
    "opensearch-4-log-publishing": {
        ok: [
            ["aws:opensearch/domain:Domain", osDomain()],
            // Without fine-grained access control there are no audit logs to publish.
            ["aws:opensearch/domain:Domain", osDomain({ advancedSecurityOptions: { enabled: false }, logPublishingOptions: osLogs("ES_APPLICATION_LOGS", "SEARCH_SLOW_LOGS", "INDEX_SLOW_LOGS") })],
        ],
        bad: [
            ["aws:opensearch/domain:Domain", osDomain({ vpcOptions: { subnetIds: ["s"] }, logPublishingOptions: undefined }), { stack: "prod" }],
            // Slow logs only (cdk-nag OS9's minimum) leaves out the error logs NIST and HIPAA ask for.
            ["aws:opensearch/domain:Domain", osDomain({ vpcOptions: { subnetIds: ["s"] }, logPublishingOptions: osLogs("SEARCH_SLOW_LOGS", "INDEX_SLOW_LOGS", "AUDIT_LOGS") }), { stack: "prod" }],
            ["aws:opensearch/domain:Domain", osDomain({ vpcOptions: { subnetIds: ["s"] }, logPublishingOptions: osLogs("ES_APPLICATION_LOGS", "SEARCH_SLOW_LOGS", "INDEX_SLOW_LOGS") }), { stack: "prod" }],
            ["aws:opensearch/domain:Domain", osDomain({ vpcOptions: { subnetIds: ["s"] }, logPublishingOptions: osLogs().map((o) => ({ ...o, enabled: o.logType === "INDEX_SLOW_LOGS" ? false : true })) }), { stack: "prod" }],
        ],
    },
    "codebuild-managed-image": {
        ok: [["aws:codebuild/project:Project", { environment: { image: "aws/codebuild/amazonlinux-x86_64-standard:5.0" } }]],
        bad: [["aws:codebuild/project:Project", { environment: { image: "docker.io/library/node:22" } }]],
    },
    "codebuild-no-credentials": {
        ok: [["aws:codebuild/project:Project", { environment: { image: "aws/codebuild/x", environmentVariables: [{ name: "TOKEN", type: "SECRETS_MANAGER", value: "arn:aws:secretsmanager:..." }] }, source: { type: "CODEPIPELINE" } }]],
        bad: [
            ["aws:codebuild/project:Project", { environment: { image: "aws/codebuild/x", environmentVariables: [{ name: "AWS_SECRET_ACCESS_KEY", value: "abc" }] } }],
            ["aws:codebuild/project:Project", { environment: { image: "aws/codebuild/x" }, source: { type: "GITHUB", location: "https://user:token@github.com/org/repo.git" } }],
        ],
    },
    "ec2-sg-description": {
        ok: [["aws:ec2/securityGroup:SecurityGroup", { vpcId: "vpc-1", description: "Bastion: SSH from the allowed CIDRs only" }]],
        bad: [["aws:ec2/securityGroup:SecurityGroup", { vpcId: "vpc-1", description: "Managed by Pulumi" }]],
    },
    "ec2-instance-profile-in-vpc": {
        ok: [["aws:ec2/instance:Instance", { ami: "ami-1", instanceType: "t3.micro", iamInstanceProfile: "p", subnetId: "subnet-1", metadataOptions: { httpTokens: "required" }, rootBlockDevice: { encrypted: true } }]],
        bad: [["aws:ec2/instance:Instance", { ami: "ami-1", instanceType: "t3.micro", metadataOptions: { httpTokens: "required" }, rootBlockDevice: { encrypted: true } }]],
    },
    "cloudwatch-alarm-action": {
        ok: [["aws:cloudwatch/metricAlarm:MetricAlarm", { metricName: "Errors", alarmActions: ["arn:aws:sns:us-east-1:111111111111:t"] }]],
        bad: [
            ["aws:cloudwatch/metricAlarm:MetricAlarm", { metricName: "Errors", alarmActions: [] }],
            ["aws:cloudwatch/metricAlarm:MetricAlarm", { metricName: "Errors", alarmActions: ["arn:aws:sns:us-east-1:111111111111:t"], actionsEnabled: false }],
        ],
    },
    "ckv-aws-355-no-wildcard-resource": {
        ok: [
            ["aws:iam/rolePolicy:RolePolicy", { role: "r", policy: doc({ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: "arn:aws:secretsmanager:us-east-1:111111111111:secret:db-*" }) }],
            ["aws:iam/rolePolicy:RolePolicy", { role: "r", policy: doc({ Effect: "Allow", Action: ["xray:PutTraceSegments", "cloudwatch:PutMetricData", "ecr:GetAuthorizationToken", "s3:ListAllMyBuckets", "events:ListRules"], Resource: "*" }) }],
            ["aws:iam/policy:Policy", { policy: doc({ Effect: "Deny", Action: "s3:*", Resource: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } }) }],
            // The reference gives dynamodb:ListStreams no resource type: `*` is its only resource.
            ["aws:iam/rolePolicy:RolePolicy", { role: "r", policy: doc({ Effect: "Allow", Action: ["dynamodb:ListStreams", "kms:ListAliases"], Resource: "*" }) }],
        ],
        bad: [
            ["aws:iam/rolePolicy:RolePolicy", { role: "r", policy: doc({ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: "*" }) }],
            ["aws:iam/policy:Policy", { policy: doc({ Effect: "Allow", Action: ["events:PutEvents"], Resource: ["*"] }) }],
            ["aws:iam/role:Role", { assumeRolePolicy: "{}", inlinePolicies: [{ name: "k", policy: doc({ Effect: "Allow", Action: "kinesis:*", Resource: "*" }) }] }],
            ["aws:iam/userPolicy:UserPolicy", { user: "u", policy: doc({ Effect: "Allow", Action: "s3:*", Resource: "*" }) }],
            ["aws:iam/rolePolicy:RolePolicy", { role: "r", policy: doc({ Effect: "Allow", Action: "events:Put*", Resource: "*" }) }],
            // lambda:PublishLayerVersion takes a layer ARN (Service Authorization Reference).
            ["aws:iam/rolePolicy:RolePolicy", { role: "r", policy: doc({ Effect: "Allow", Action: "lambda:PublishLayerVersion", Resource: "*" }) }],
        ],
    },
    "eventbridge-bus-policy-no-public": {
        ok: [
            ["aws:cloudwatch/eventBusPolicy:EventBusPolicy", { eventBusName: "b", policy: doc({ Effect: "Allow", Principal: "*", Action: "events:PutEvents", Resource: "arn:aws:events:us-east-1:111111111111:event-bus/b", Condition: { StringEquals: { "aws:PrincipalOrgID": "o-abc" } } }) }],
            ["aws:cloudwatch/eventBusPolicy:EventBusPolicy", { eventBusName: "b", policy: doc({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::222222222222:root" }, Action: "events:PutEvents", Resource: "arn:aws:events:us-east-1:111111111111:event-bus/b" }) }],
            ["aws:cloudwatch/eventPermission:EventPermission", { principal: "*", statementId: "s", condition: { key: "aws:PrincipalOrgID", type: "StringEquals", value: "o-abc" } }],
        ],
        bad: [
            ["aws:cloudwatch/eventBusPolicy:EventBusPolicy", { eventBusName: "b", policy: doc({ Sid: "Open", Effect: "Allow", Principal: { AWS: "*" }, Action: "events:PutEvents", Resource: "arn:aws:events:us-east-1:111111111111:event-bus/b" }) }],
            ["aws:cloudwatch/eventPermission:EventPermission", { principal: "*", statementId: "s" }],
        ],
    },
    "eventbridge-cross-bus-target-role": {
        ok: [
            ["aws:cloudwatch/eventTarget:EventTarget", { rule: "r", arn: "arn:aws:events:ap-southeast-1:222222222222:event-bus/Hub", roleArn: "arn:aws:iam::111111111111:role/to-hub" }],
            ["aws:cloudwatch/eventTarget:EventTarget", { rule: "r", arn: "arn:aws:events:us-east-1:111111111111:event-bus/Local" }],
            ["aws:cloudwatch/eventTarget:EventTarget", { rule: "r", arn: "arn:aws:lambda:us-east-1:111111111111:function:f" }],
        ],
        bad: [
            ["aws:cloudwatch/eventTarget:EventTarget", { rule: "r", arn: "arn:aws:events:ap-southeast-1:111111111111:event-bus/Hub" }],
            ["aws:cloudwatch/eventTarget:EventTarget", { rule: "r", arn: "arn:aws:events:us-east-1:222222222222:event-bus/Hub" }],
            // aws v7 per-resource region wins over the provider's
            ["aws:cloudwatch/eventTarget:EventTarget", { rule: "r", region: "eu-west-1", arn: "arn:aws:events:us-east-1:111111111111:event-bus/Hub" }],
        ],
    },
    "msk-1-in-cluster-tls": {
        ok: [["aws:msk/cluster:Cluster", msk()], ["aws:msk/cluster:Cluster", msk({ encryptionInfo: { encryptionAtRestKmsKeyArn: KEY } })]],
        bad: [["aws:msk/cluster:Cluster", msk({ encryptionInfo: { encryptionAtRestKmsKeyArn: KEY, encryptionInTransit: { clientBroker: "TLS", inCluster: false } } })]],
    },
    "ckv-aws-81-client-broker-tls": {
        ok: [["aws:msk/cluster:Cluster", msk()]],
        bad: [["aws:msk/cluster:Cluster", msk({ encryptionInfo: { encryptionAtRestKmsKeyArn: KEY, encryptionInTransit: { clientBroker: "TLS_PLAINTEXT" } } })]],
    },
    "ckv-aws-81-at-rest-cmk": {
        ok: [["aws:msk/cluster:Cluster", msk()]],
        bad: [["aws:msk/cluster:Cluster", msk({ encryptionInfo: { encryptionInTransit: { clientBroker: "TLS", inCluster: true } } })]],
    },
    "msk-6-client-authentication": {
        ok: [["aws:msk/cluster:Cluster", msk()], ["aws:msk/cluster:Cluster", msk({ clientAuthentication: { tls: { certificateAuthorityArns: ["arn:aws:acm-pca:x"] } } })]],
        bad: [["aws:msk/cluster:Cluster", msk({ clientAuthentication: undefined })], ["aws:msk/cluster:Cluster", msk({ clientAuthentication: { sasl: { iam: true }, unauthenticated: true } })]],
    },
    "ckv-aws-80-broker-logs": {
        ok: [["aws:msk/cluster:Cluster", msk()], ["aws:msk/cluster:Cluster", msk({ loggingInfo: { brokerLogs: { s3: { enabled: true, bucket: "b" } } } })]],
        bad: [["aws:msk/cluster:Cluster", msk({ loggingInfo: undefined })], ["aws:msk/cluster:Cluster", msk({ loggingInfo: { brokerLogs: { cloudwatchLogs: { enabled: false } } } })]],
    },
    "ckv-aws-79-imdsv2": {
        ok: [["aws:ec2/instance:Instance", instance()], ["aws:ec2/launchTemplate:LaunchTemplate", lt()], ["aws:ec2/launchTemplate:LaunchTemplate", lt({ metadataOptions: { httpEndpoint: "disabled" } })]],
        bad: [
            ["aws:ec2/instance:Instance", instance({ metadataOptions: undefined })],
            ["aws:ec2/launchTemplate:LaunchTemplate", lt({ metadataOptions: { httpTokens: "optional" } })],
        ],
    },
    "ckv-aws-3-ebs-encrypted": {
        ok: [["aws:ec2/instance:Instance", instance({ ebsBlockDevices: [{ deviceName: "/dev/sdf", encrypted: true }] })], ["aws:ec2/launchTemplate:LaunchTemplate", lt()], ["aws:ebs/volume:Volume", { availabilityZone: "us-east-1a", size: 10, encrypted: true }]],
        bad: [
            ["aws:ec2/instance:Instance", instance({ rootBlockDevice: { volumeSize: 20 } })],
            ["aws:ec2/instance:Instance", instance({ ebsBlockDevices: [{ deviceName: "/dev/sdf" }] })],
            ["aws:ec2/launchTemplate:LaunchTemplate", lt({ blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "false" } }] })],
            ["aws:ebs/volume:Volume", { availabilityZone: "us-east-1a", size: 10 }],
        ],
    },
    "ec2-13-no-world-ssh": {
        ok: [
            ["aws:ec2/securityGroup:SecurityGroup", sg([{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["10.0.0.0/8"] }, { protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] }])],
            ["aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", { securityGroupId: "sg-1", ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0" }],
        ],
        bad: [
            ["aws:ec2/securityGroup:SecurityGroup", sg([{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }])],
            ["aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", { securityGroupId: "sg-1", ipProtocol: "-1", cidrIpv6: "::/0" }],
            ["aws:ec2/securityGroupRule:SecurityGroupRule", { type: "ingress", securityGroupId: "sg-1", protocol: "tcp", fromPort: 0, toPort: 1024, cidrBlocks: ["0.0.0.0/0"] }],
        ],
    },
    "ec2-14-no-world-rdp": {
        ok: [["aws:ec2/securityGroupRule:SecurityGroupRule", { type: "egress", securityGroupId: "sg-1", protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }]],
        bad: [["aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", { securityGroupId: "sg-1", ipProtocol: "tcp", fromPort: 3389, toPort: 3389, cidrIpv4: "0.0.0.0/0" }]],
    },
    "ec2-restricted-common-ports": {
        ok: [
            ["aws:ec2/securityGroup:SecurityGroup", sg([{ protocol: "tcp", fromPort: 3306, toPort: 3306, cidrBlocks: ["10.0.0.0/16"] }, { protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] }])],
            // All traffic from the group itself or a private range opens nothing to the internet.
            ["aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", { securityGroupId: "sg-1", ipProtocol: "-1", cidrIpv4: "10.0.0.0/8" }],
        ],
        bad: [
            ["aws:ec2/securityGroup:SecurityGroup", sg([{ protocol: "tcp", fromPort: 20, toPort: 21, cidrBlocks: ["0.0.0.0/0"] }])],
            ["aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", { securityGroupId: "sg-1", ipProtocol: "tcp", fromPort: 3306, toPort: 3309, cidrIpv6: "::/0" }],
            ["aws:ec2/securityGroupRule:SecurityGroupRule", { type: "ingress", securityGroupId: "sg-1", protocol: "tcp", fromPort: 4333, toPort: 4333, cidrBlocks: ["0.0.0.0/0"] }],
        ],
    },
    "ec2-9-no-public-ip": {
        ok: [
            ["aws:ec2/instance:Instance", instance({ associatePublicIpAddress: false })],
            ["aws:ec2/instance:Instance", instance({ associatePublicIpAddress: true, tags: { Role: "bastion" } })],
            ["aws:ec2/launchTemplate:LaunchTemplate", lt({ networkInterfaces: [{ associatePublicIpAddress: "false" }] })],
        ],
        bad: [
            ["aws:ec2/instance:Instance", instance({ associatePublicIpAddress: true, tags: { Role: "web" } })],
            ["aws:ec2/launchTemplate:LaunchTemplate", lt({ networkInterfaces: [{ associatePublicIpAddress: "true", deviceIndex: 0 }] })],
        ],
    },
    "ecr-1-scan-on-push": {
        ok: [["aws:ecr/repository:Repository", { imageScanningConfiguration: { scanOnPush: true }, imageTagMutability: "IMMUTABLE" }]],
        bad: [["aws:ecr/repository:Repository", { imageTagMutability: "IMMUTABLE" }]],
    },
    "ecr-2-immutable-tags": {
        ok: [["aws:ecr/repository:Repository", { imageScanningConfiguration: { scanOnPush: true }, imageTagMutability: "IMMUTABLE" }]],
        bad: [["aws:ecr/repository:Repository", { imageScanningConfiguration: { scanOnPush: true } }], ["aws:ecr/repository:Repository", { imageTagMutability: "MUTABLE" }]],
    },
    "codebuild-5-privileged-reason": {
        ok: [
            ["aws:codebuild/project:Project", { serviceRole: "r", environment: { computeType: "BUILD_GENERAL1_SMALL", image: "aws/codebuild/standard:7.0", type: "LINUX_CONTAINER", privilegedMode: true }, tags: { "privileged-reason": "docker build of the function image" } }],
            ["aws:codebuild/project:Project", { serviceRole: "r", environment: { computeType: "BUILD_GENERAL1_SMALL", image: "i", type: "LINUX_CONTAINER" } }],
        ],
        bad: [["aws:codebuild/project:Project", { serviceRole: "r", environment: { computeType: "BUILD_GENERAL1_SMALL", image: "i", type: "LINUX_CONTAINER", privilegedMode: true } }]],
    },
    "eks-1-no-public-endpoint-prod": {
        ok: [
            ["eks:index:Cluster", eksCluster(), { stack: "prod" }],
            ["eks:index:Cluster", eksCluster({ endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.0/24"] }), { stack: "prod" }],
            ["eks:index:Cluster", eksCluster({ endpointPublicAccess: undefined }), { stack: "dev" }],
        ],
        bad: [
            ["eks:index:Cluster", eksCluster({ endpointPublicAccess: undefined }), { stack: "prod" }],
            ["eks:index:Cluster", eksCluster({ endpointPublicAccess: true, publicAccessCidrs: ["0.0.0.0/0"] }), { stack: "prod" }],
            ["aws:eks/cluster:Cluster", { roleArn: "r", vpcConfig: { subnetIds: ["s"], endpointPublicAccess: true }, enabledClusterLogTypes: ["api", "audit", "authenticator"], encryptionConfig: { provider: { keyArn: KEY }, resources: ["secrets"] } }, { stack: "prod" }],
        ],
    },
    "eks-3-secrets-encryption": {
        ok: [["eks:index:Cluster", eksCluster()], ["aws:eks/cluster:Cluster", { roleArn: "r", vpcConfig: { subnetIds: ["s"], endpointPublicAccess: false }, enabledClusterLogTypes: ["api", "audit", "authenticator"], encryptionConfig: { provider: { keyArn: KEY }, resources: ["secrets"] } }]],
        bad: [["eks:index:Cluster", eksCluster({ encryptionConfigKeyArn: undefined })]],
    },
    "eks-8-control-plane-logs": {
        ok: [["eks:index:Cluster", eksCluster({ enabledClusterLogTypes: ["api", "audit", "authenticator"] })]],
        bad: [["eks:index:Cluster", eksCluster({ enabledClusterLogTypes: ["api"] })], ["eks:index:Cluster", eksCluster({ enabledClusterLogTypes: undefined })]],
    },
    "eks-spot-instance-diversity": {
        ok: [
            ["eks:index:ManagedNodeGroup", { cluster: {}, capacityType: "SPOT", instanceTypes: ["m5.xlarge", "m6i.xlarge", "m5a.xlarge"] }],
            ["eks:index:ManagedNodeGroup", { cluster: {}, capacityType: "ON_DEMAND", instanceTypes: ["m5.xlarge"] }],
        ],
        bad: [
            ["eks:index:ManagedNodeGroup", { cluster: {}, capacityType: "SPOT", instanceTypes: ["m5.xlarge"] }],
            ["eks:index:ManagedNodeGroup", { cluster: {}, capacityType: "SPOT", instanceTypes: ["m5.xlarge", "m5.2xlarge"] }],
            ["aws:eks/nodeGroup:NodeGroup", { clusterName: "c", capacityType: "SPOT", instanceTypes: ["c5.large"] }],
        ],
    },
    "opensearch-1-encryption-at-rest": {
        ok: [["aws:opensearch/domain:Domain", osDomain(), { stack: "prod" }]],
        bad: [["aws:opensearch/domain:Domain", osDomain({ encryptAtRest: { enabled: false } }), { stack: "prod" }], ["aws:opensearch/domain:Domain", osDomain({ encryptAtRest: undefined }), { stack: "prod" }]],
    },
    "opensearch-3-node-to-node-encryption": {
        ok: [["aws:opensearch/domain:Domain", osDomain(), { stack: "prod" }]],
        bad: [["aws:opensearch/domain:Domain", osDomain({ nodeToNodeEncryption: undefined }), { stack: "prod" }]],
    },
    "opensearch-8-https-tls12": {
        ok: [["aws:opensearch/domain:Domain", osDomain(), { stack: "prod" }]],
        bad: [
            ["aws:opensearch/domain:Domain", osDomain({ domainEndpointOptions: { enforceHttps: false, tlsSecurityPolicy: "Policy-Min-TLS-1-2-2019-07" } }), { stack: "prod" }],
            ["aws:opensearch/domain:Domain", osDomain({ domainEndpointOptions: { enforceHttps: true, tlsSecurityPolicy: "Policy-Min-TLS-1-0-2019-07" } }), { stack: "prod" }],
        ],
    },
    "opensearch-2-in-vpc-prod": {
        ok: [
            ["aws:opensearch/domain:Domain", osDomain({ vpcOptions: { subnetIds: ["subnet-1"], securityGroupIds: ["sg-1"] } }), { stack: "prod" }],
            // dev may use the public endpoint (limited to one role with fine-grained access control)
            ["aws:opensearch/domain:Domain", osDomain()],
        ],
        bad: [["aws:opensearch/domain:Domain", osDomain(), { stack: "prod" }]],
    },
    "sns-4-no-public-policy": {
        ok: [
            ["aws:sns/topicPolicy:TopicPolicy", { arn: "t", policy: doc({ Effect: "Allow", Principal: { Service: "events.amazonaws.com" }, Action: "sns:Publish", Resource: "arn:aws:sns:us-east-1:111111111111:t" }) }],
            ["aws:sns/topicPolicy:TopicPolicy", { arn: "t", policy: doc({ Effect: "Allow", Principal: "*", Action: "sns:Publish", Resource: "arn:aws:sns:us-east-1:111111111111:t", Condition: { ArnLike: { "aws:SourceArn": "arn:aws:s3:::b" } } }) }],
        ],
        bad: [
            ["aws:sns/topicPolicy:TopicPolicy", { arn: "t", policy: doc({ Sid: "Open", Effect: "Allow", Principal: { AWS: "*" }, Action: "sns:Subscribe", Resource: "arn:aws:sns:us-east-1:111111111111:t" }) }],
            ["aws:sns/topic:Topic", { kmsMasterKeyId: KEY, policy: doc({ Effect: "Allow", Principal: "*", Action: "sns:Publish", Resource: "*" }) }],
        ],
    },
    "sqs-3-no-public-policy": {
        ok: [["aws:sqs/queuePolicy:QueuePolicy", { queueUrl: "q", policy: doc({ Effect: "Allow", Principal: { Service: "sns.amazonaws.com" }, Action: "sqs:SendMessage", Resource: "arn:aws:sqs:us-east-1:111111111111:q", Condition: { ArnEquals: { "aws:SourceArn": "t" } } }) }]],
        bad: [["aws:sqs/queuePolicy:QueuePolicy", { queueUrl: "q", policy: doc({ Effect: "Allow", Principal: "*", Action: "sqs:SendMessage", Resource: "arn:aws:sqs:us-east-1:111111111111:q" }) }]],
    },
    "ckv-aws-147-codebuild-kms": {
        ok: [["aws:codebuild/project:Project", { serviceRole: "r", encryptionKey: KEY, environment: { computeType: "BUILD_GENERAL1_SMALL", image: "i", type: "LINUX_CONTAINER" } }]],
        bad: [["aws:codebuild/project:Project", { serviceRole: "r", environment: { computeType: "BUILD_GENERAL1_SMALL", image: "i", type: "LINUX_CONTAINER" } }]],
    },
    "ckv-aws-219-codepipeline-kms": {
        ok: [["aws:codepipeline/pipeline:Pipeline", { roleArn: "r", artifactStores: [{ type: "S3", location: "b", encryptionKey: { type: "KMS", id: KEY } }], stages: [] }]],
        bad: [["aws:codepipeline/pipeline:Pipeline", { roleArn: "r", artifactStores: [{ type: "S3", location: "b" }], stages: [] }]],
    },
    "ckv-aws-136-ecr-kms": {
        ok: [["aws:ecr/repository:Repository", { imageScanningConfiguration: { scanOnPush: true }, imageTagMutability: "IMMUTABLE", encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: KEY }] }]],
        bad: [["aws:ecr/repository:Repository", { imageScanningConfiguration: { scanOnPush: true }, imageTagMutability: "IMMUTABLE", encryptionConfigurations: [{ encryptionType: "AES256" }] }]],
    },
    "cost-nat-per-az-dev": {
        ok: [
            ["awsx:ec2:Vpc", { cidrBlock: "10.0.0.0/16", natGateways: { strategy: "Single" } }, { stack: "dev" }],
            ["awsx:ec2:Vpc", { cidrBlock: "10.0.0.0/16" }, { stack: "prod" }],
        ],
        bad: [
            ["awsx:ec2:Vpc", { cidrBlock: "10.0.0.0/16" }, { stack: "dev" }],
            ["awsx:ec2:Vpc", { cidrBlock: "10.0.0.0/16", natGateways: { strategy: "OnePerAz" } }, { stack: "dev" }],
        ],
    },
    "cost-mac-dedicated-host": {
        ok: [["aws:ec2/dedicatedHost:DedicatedHost", { availabilityZone: "us-east-1a", instanceType: "c5.large" }]],
        bad: [["aws:ec2/dedicatedHost:DedicatedHost", { availabilityZone: "us-east-1a", instanceType: "mac2.metal" }], ["aws:ec2/dedicatedHost:DedicatedHost", { availabilityZone: "us-east-1a", instanceFamily: "mac1" }]],
    },
    "cost-opensearch-dev": {
        ok: [["aws:opensearch/domain:Domain", osDomain(), { stack: "prod" }]],
        bad: [["aws:opensearch/domain:Domain", osDomain(), { stack: "dev" }]],
    },
};

const resourceRules = allRules.filter((r): r is ResourceRule => r.kind === "resource");

describe("policy pack: resource rules", () => {
    let restoreClock: () => Date;
    before(() => {
        restoreClock = setSupportClock(() => new Date("2026-11-29T00:00:00Z"));
    });
    after(() => {
        setSupportClock(restoreClock);
    });

    it("lambda-2 compares runtimes with their deprecation date", async () => {
        const rule = resourceRules.find((r) => r.name === "lambda-2-supported-runtime")!;
        const args = resourceArgs("aws:lambda/function:Function", fn({ runtime: "nodejs20.x" }));
        assert.match((await violations(rule, args))[0], /Lambda runtime nodejs20\.x reached end of support on 2026-04-30; supported on 2026-11-29: nodejs22\.x, nodejs24\.x/);
        setSupportClock(() => new Date("2026-01-01T00:00:00Z"));
        try {
            assert.deepStrictEqual(await violations(rule, args), []);
        } finally {
            setSupportClock(() => new Date("2026-11-29T00:00:00Z"));
        }
    });
    it("every resource rule has compliant and violating fixtures", () => {
        const missing = resourceRules.map((r) => r.name).filter((n) => !CASES[n] || CASES[n].ok.length === 0 || CASES[n].bad.length === 0);
        assert.deepStrictEqual(missing, []);
        assert.deepStrictEqual(Object.keys(CASES).filter((n) => !resourceRules.some((r) => r.name === n)), []);
    });

    for (const rule of resourceRules) {
        describe(rule.name, () => {
            const cases = CASES[rule.name] ?? { ok: [], bad: [] };
            cases.ok.forEach(([type, props, opts], i) => {
                it(`stays quiet on compliant ${type} #${i + 1}`, async () => {
                    assert.deepStrictEqual(await violations(rule, resourceArgs(type, props, "ok", opts)), []);
                });
            });
            cases.bad.forEach(([type, props, opts], i) => {
                it(`fires on violating ${type} #${i + 1}`, async () => {
                    const msgs = await violations(rule, resourceArgs(type, props, "bad", opts));
                    assert.ok(msgs.length > 0, "expected a violation");
                    assert.ok((await firing(allRules, resourceArgs(type, props, "bad", opts))).includes(rule.name));
                });
            });
            it("stays quiet on types it does not apply to", async () => {
                const [, props, opts] = cases.bad[0];
                const other = ["aws:sns/topic:Topic", "aws:sqs/queue:Queue", "aws:ssm/parameter:Parameter"].find((t) => !rule.types.includes(t))!;
                assert.deepStrictEqual(await violations(rule, resourceArgs(other, props, "other", opts)), []);
                assert.deepStrictEqual(await violations(rule, resourceArgs("random:index/randomId:RandomId", props, "other", opts)), []);
            });
        });
    }

    it("each violating fixture trips only the rules of its own service (no cross-talk)", async () => {
        for (const [name, c] of Object.entries(CASES)) {
            const rule = resourceRules.find((r) => r.name === name)!;
            for (const [type, props, opts] of c.bad) {
                const fired = await firing(allRules, resourceArgs(type, props, "bad", opts));
                const foreign = fired.filter((f) => allRules.find((r) => r.name === f)!.service !== rule.service && f !== "ckv-aws-158-log-group-kms");
                assert.deepStrictEqual(foreign, [], `${name}: ${type} also tripped ${foreign.join(", ")}`);
            }
        }
    });

    it("reads JSON-string policies and string booleans as the engine passes them", async () => {
        const rule = resourceRules.find((r) => r.name === "ckv-aws-79-imdsv2")!;
        // Launch templates carry nullable booleans as strings; httpTokens stays a string.
        assert.deepStrictEqual(await violations(rule, resourceArgs("aws:ec2/launchTemplate:LaunchTemplate", lt({ metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 1 } }))), []);
        const target = resourceRules.find((r) => r.name === "eventbridge-cross-bus-target-role")!;
        // The provider's allowedAccountIds arrive as JSON text: same-account, same-Region bus needs no role.
        const args = resourceArgs("aws:cloudwatch/eventTarget:EventTarget", { rule: "r", arn: "arn:aws:events:eu-west-1:999999999999:event-bus/b" }, "t", { region: "eu-west-1", account: "999999999999" });
        assert.strictEqual(typeof args.provider!.props.allowedAccountIds, "string");
        assert.deepStrictEqual(await violations(target, args), []);
    });

    it("never calls notApplicable (which throws) on types a rule skips", async () => {
        for (const rule of resourceRules) {
            await violations(rule, resourceArgs("kubernetes:core/v1:Namespace", {}, "ns"));
        }
    });
});

describe("s3-17-kms-encryption: the access-log destination exemption", () => {
    const rule = allRules.find((r) => r.name === "s3-17-kms-encryption") as ResourceRule;
    const sse = (algo: string) => ({ bucket: "b", rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: algo } }] });
    const TYPE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration";
    it("allows SSE-S3 only on an (account, Region)'s access-log bucket, which S3 requires; any other bucket still needs KMS", async () => {
        assert.deepStrictEqual(await violations(rule, resourceArgs(TYPE, sse("AES256"), "access-logs-111111111111-us-east-1-sse")), []);
        assert.strictEqual((await violations(rule, resourceArgs(TYPE, sse("AES256"), "access-logs-sse"))).length, 1);
        assert.strictEqual((await violations(rule, resourceArgs(TYPE, sse("AES256"), "data-sse"))).length, 1);
    });
});
