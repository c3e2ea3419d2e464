import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { serviceTrustPolicy } from "./iam";
import { retainedLogGroup } from "./lambda";

/**
 * Security-group rule building blocks: one rule per resource
 * (`aws.vpc.SecurityGroupIngressRule` / `SecurityGroupEgressRule`), exact and
 * cycle-free. Plain functions: resources get the caller's options.
 */

/** The other side of a rule: a CIDR or another security group. */
export type SgPeer = { cidrIpv4: string } | { referencedSecurityGroupId: pulumi.Input<string> };

/** Inputs of {@link sgIngress} and {@link sgEgress}. */
export interface SgRuleArgs {
    /** The group the rule belongs to. */
    securityGroupId: pulumi.Input<string>;
    /** Where traffic comes from (ingress) or goes to (egress). */
    peer: SgPeer;
    /** The single port allowed (`fromPort` = `toPort`); none for protocol `-1`. */
    port?: number;
    /** IP protocol (default `tcp`; `-1` for all). */
    protocol?: string;
    /** Why the rule exists. */
    description: string;
}

function ruleArgs(a: SgRuleArgs) {
    return { securityGroupId: a.securityGroupId, ipProtocol: a.protocol ?? "tcp", fromPort: a.port, toPort: a.port, description: a.description, ...a.peer };
}

/** An ingress rule created with the caller's `opts`. */
export function sgIngress(name: string, a: SgRuleArgs, opts: pulumi.CustomResourceOptions): aws.vpc.SecurityGroupIngressRule {
    return new aws.vpc.SecurityGroupIngressRule(name, ruleArgs(a), opts);
}

/** An egress rule created with the caller's `opts`. */
export function sgEgress(name: string, a: SgRuleArgs, opts: pulumi.CustomResourceOptions): aws.vpc.SecurityGroupEgressRule {
    return new aws.vpc.SecurityGroupEgressRule(name, ruleArgs(a), opts);
}

/** Inputs of {@link vpcGuardrails}. */
export interface VpcGuardrailsArgs {
    /** The VPC (an awsx VPC's `vpcId`). */
    vpcId: pulumi.Input<string>;
    /** Account and Region of the VPC (the flow-log role's trust and log group ARN). */
    accountId: string;
    region: string;
    /** Name of the flow log group; the key's policy must admit CloudWatch Logs for it (`logsKeyStatement`). */
    logGroupName: string;
    /** Retention of the flow log group, in days. */
    retentionDays: number;
    /** Key encrypting the flow log group. */
    kmsKeyArn: pulumi.Input<string>;
    /** Protect the log group (prod). */
    protect: boolean;
    /** Name tag of the default security group. */
    nameTag: string;
}

/** What {@link vpcGuardrails} creates. */
export interface VpcGuardrails {
    flowLog: aws.ec2.FlowLog;
    logGroup: aws.cloudwatch.LogGroup;
    role: aws.iam.Role;
    defaultSecurityGroup: aws.ec2.DefaultSecurityGroup;
}

/**
 * What every VPC of the program gets besides its subnets:
 * - a flow log of all traffic into a KMS-encrypted log group with retention (Security Hub EC2.6,
 *   cdk-nag AwsSolutions-VPC7), delivered with a role only VPC Flow Logs of this account may
 *   assume (VPC User Guide, "flow-logs-iam-role": CreateLogStream, PutLogEvents, DescribeLogGroups,
 *   DescribeLogStreams; trust with aws:SourceAccount and aws:SourceArn);
 * - the default security group managed with no rules (Security Hub EC2.2: a resource that adopts
 *   the default group and, with no ingress or egress given, removes AWS's allow-within-group rules).
 * Resources get the caller's `opts` (parent, provider inheritance).
 */
export function vpcGuardrails(name: string, a: VpcGuardrailsArgs, opts: pulumi.CustomResourceOptions): VpcGuardrails {
    const logGroup = retainedLogGroup(`${name}-flow-logs`, { logGroupName: a.logGroupName, retentionInDays: a.retentionDays, kmsKeyId: a.kmsKeyArn }, { ...opts, protect: a.protect });
    const role = new aws.iam.Role(
        `${name}-flow-logs-role`,
        {
            description: `VPC Flow Logs delivers ${a.logGroupName}`,
            assumeRolePolicy: serviceTrustPolicy("vpc-flow-logs.amazonaws.com", a.accountId, { sourceArnLike: `arn:aws:ec2:${a.region}:${a.accountId}:vpc-flow-log/*` }),
        },
        opts,
    );
    const groupArn = `arn:aws:logs:${a.region}:${a.accountId}:log-group:${a.logGroupName}`;
    const policy = new aws.iam.RolePolicy(
        `${name}-flow-logs-policy`,
        {
            role: role.id,
            name: "deliver-flow-logs",
            policy: JSON.stringify({
                Version: "2012-10-17",
                Statement: [
                    { Sid: "DeliverToItsGroup", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"], Resource: `${groupArn}:*` },
                    // DescribeLogGroups has no resource type: "*" is its only resource.
                    { Sid: "FindItsGroup", Effect: "Allow", Action: "logs:DescribeLogGroups", Resource: "*" },
                ],
            }),
        },
        opts,
    );
    const flowLog = new aws.ec2.FlowLog(
        `${name}-flow-log`,
        { vpcId: a.vpcId, trafficType: "ALL", logDestinationType: "cloud-watch-logs", logDestination: logGroup.arn, iamRoleArn: role.arn, maxAggregationInterval: 600 },
        { ...opts, dependsOn: [policy] },
    );
    const defaultSecurityGroup = new aws.ec2.DefaultSecurityGroup(`${name}-default-sg`, { vpcId: a.vpcId, tags: { Name: `${a.nameTag}-default-closed` } }, opts);
    return { flowLog, logGroup, role, defaultSecurityGroup };
}
