/**
 * Inputs whose change makes the provider replace the resource (delete and create, or create and
 * delete), for the types this program creates. Read from the Terraform AWS provider's schemas
 * (`ForceNew: true`, which pulumi-aws keeps as replace-on-change; hashicorp/terraform-provider-aws
 * `internal/service/<service>/<resource>.go`) and, for components, from what their children
 * force: awsx's subnets and pulumi-eks' cluster follow the same rule. The offline review marks
 * a change to one of these paths `+-`. A path names a top-level input or a dotted nested one; a
 * change anywhere below it counts. Dependency-free.
 */
export const REPLACE_ON_CHANGE: Record<string, readonly string[]> = {
    "aws:s3/bucket:Bucket": ["bucket", "bucketPrefix", "objectLockEnabled"],
    "aws:dynamodb/table:Table": ["name", "hashKey", "rangeKey"],
    "aws:kms/key:Key": ["customerMasterKeySpec", "keyUsage", "multiRegion", "xksKeyId"],
    "aws:kms/alias:Alias": ["name", "namePrefix"],
    "aws:sqs/queue:Queue": ["name", "namePrefix", "fifoQueue"],
    "aws:sns/topic:Topic": ["name", "namePrefix", "fifoTopic"],
    "aws:cloudwatch/logGroup:LogGroup": ["name", "namePrefix", "logGroupClass"],
    "aws:cloudwatch/eventBus:EventBus": ["name", "eventSourceName"],
    "aws:cloudwatch/eventRule:EventRule": ["name", "namePrefix", "eventBusName"],
    "aws:cloudwatch/eventTarget:EventTarget": ["rule", "targetId", "eventBusName"],
    "aws:iam/role:Role": ["name", "namePrefix", "path"],
    "aws:lambda/function:Function": ["name", "packageType"],
    "aws:lambda/layerVersion:LayerVersion": [
        "layerName",
        "code",
        "s3Bucket",
        "s3Key",
        "s3ObjectVersion",
        "compatibleRuntimes",
        "compatibleArchitectures",
        "description",
        "licenseInfo",
        "sourceCodeHash",
    ],
    "aws:lambda/eventSourceMapping:EventSourceMapping": ["eventSourceArn", "startingPosition", "startingPositionTimestamp", "topics", "selfManagedEventSource"],
    "aws:msk/cluster:Cluster": ["clusterName", "brokerNodeGroupInfo.clientSubnets", "brokerNodeGroupInfo.securityGroups", "encryptionInfo.encryptionAtRestKmsKeyArn"],
    "aws:msk/configuration:Configuration": ["name", "kafkaVersions"],
    "aws:kinesis/stream:Stream": ["name"],
    "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream": ["name", "destination"],
    "aws:ecr/repository:Repository": ["name", "encryptionConfigurations"],
    "aws:secretsmanager/secret:Secret": ["name", "namePrefix"],
    "aws:opensearch/domain:Domain": ["domainName"],
    "aws:efs/fileSystem:FileSystem": ["creationToken", "encrypted", "kmsKeyId", "performanceMode", "availabilityZoneName"],
    "aws:efs/mountTarget:MountTarget": ["fileSystemId", "subnetId"],
    "aws:ec2/instance:Instance": ["ami", "availabilityZone", "subnetId", "keyName", "tenancy", "hostId", "privateIp", "placementGroup"],
    "aws:ec2/dedicatedHost:DedicatedHost": ["availabilityZone", "instanceType", "instanceFamily", "outpostArn"],
    "aws:ec2/securityGroup:SecurityGroup": ["name", "namePrefix", "vpcId", "description"],
    "aws:ec2/launchTemplate:LaunchTemplate": ["name", "namePrefix"],
    "aws:ec2/fleet:Fleet": ["type", "onDemandOptions", "spotOptions", "terminateInstances"],
    "aws:directoryservice/directory:Directory": ["name", "shortName", "password", "size", "type", "edition", "vpcSettings"],
    "aws:codebuild/project:Project": ["name"],
    "aws:codepipeline/pipeline:Pipeline": ["name"],
    "aws:acmpca/certificateAuthority:CertificateAuthority": ["type", "usageMode", "certificateAuthorityConfiguration", "keyStorageSecurityStandard"],
    "aws:acmpca/certificate:Certificate": ["certificateAuthorityArn", "certificateSigningRequest", "signingAlgorithm", "validity", "templateArn"],
    "aws:eks/accessEntry:AccessEntry": ["clusterName", "principalArn", "type"],
    "awsx:ec2:Vpc": ["cidrBlock", "availabilityZoneNames", "numberOfAvailabilityZones", "subnetSpecs", "subnetStrategy"],
    "eks:index:Cluster": ["name", "vpcId", "privateSubnetIds", "publicSubnetIds", "encryptionConfigKeyArn", "serviceRole"],
    "eks:index:ManagedNodeGroup": ["nodeGroupName", "subnetIds", "nodeRoleArn", "amiType", "capacityType", "instanceTypes", "diskSize"],
    "kubernetes:batch/v1:Job": ["spec.template", "spec.selector", "metadata.name", "metadata.namespace"],
    "kubernetes:core/v1:Namespace": ["metadata.name"],
};

/** The first replace-on-change path of `type` that `changedPath` (dotted, `[i]` for list items) touches, or undefined. */
export function replacingPath(type: string, changedPath: string): string | undefined {
    const normalized = changedPath.replace(/\[\d+\]/g, "");
    return (REPLACE_ON_CHANGE[type] ?? []).find((p) => normalized === p || normalized.startsWith(`${p}.`));
}
