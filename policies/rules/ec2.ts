import { PolicyResource } from "@pulumi/policy";
import { asList, isTrue, isWorld, known, linked, obj, ofTypes, resourceRule, stackRule, tagsOf } from "./util";

/* eslint-disable @typescript-eslint/no-explicit-any */

const service = "EC2";
const INSTANCE = "aws:ec2/instance:Instance";
const LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";

/** The tag convention for the only instances allowed a public IP. */
export const BASTION_TAG = { key: "Role", value: "bastion" };

export const imdsv2 = resourceRule({
    name: "ckv-aws-79-imdsv2",
    service,
    controls: ["EC2.8", "EC2.170", "CKV_AWS_79", "NIST.800.53.R5-EC2IMDSv2Enabled", "HIPAA.Security-EC2IMDSv2Enabled"],
    level: "mandatory",
    description: "Instances and launch templates require IMDSv2 (metadataOptions.httpTokens = required, or the endpoint disabled).",
    types: [INSTANCE, LAUNCH_TEMPLATE],
    check: (p, _r, report) => {
        const m = obj(p.metadataOptions);
        if (m?.httpEndpoint === "disabled") {
            return;
        }
        if (m?.httpTokens !== "required") {
            report(`metadataOptions.httpTokens is ${m?.httpTokens ?? "not set"}; set required`);
        }
    },
});

export const ebsEncrypted = resourceRule({
    name: "ckv-aws-3-ebs-encrypted",
    service,
    controls: ["EC2.3", "CKV_AWS_3", "CKV_AWS_8", "AwsSolutions-EC26", "awsguard:encrypted-volumes"],
    level: "mandatory",
    description:
        "EBS volumes are encrypted: aws:ebs/volume, an instance's root and EBS block devices, and every EBS mapping of a launch template.",
    types: ["aws:ebs/volume:Volume", INSTANCE, LAUNCH_TEMPLATE],
    check: (p, r, report) => {
        if (r.type === "aws:ebs/volume:Volume") {
            if (!isTrue(p.encrypted)) {
                report("volume is not encrypted");
            }
            return;
        }
        if (r.type === INSTANCE) {
            if (!isTrue(obj(p.rootBlockDevice)?.encrypted)) {
                report("rootBlockDevice.encrypted is not true");
            }
            for (const d of asList<any>(p.ebsBlockDevices)) {
                if (!isTrue(d?.encrypted)) {
                    report(`EBS block device ${d?.deviceName ?? ""} is not encrypted`.trim());
                }
            }
            return;
        }
        for (const m of asList<any>(p.blockDeviceMappings)) {
            const ebs = obj(m?.ebs);
            if (ebs && !isTrue(ebs.encrypted)) {
                report(`block device mapping ${m.deviceName ?? ""} has ebs.encrypted ${ebs.encrypted ?? "unset"}`);
            }
        }
    },
});

/** One ingress permission, normalised from the three shapes security group rules come in. */
interface Ingress {
    protocol: string;
    from: number;
    to: number;
    cidrs: string[];
}

function ingressOf(type: string, p: Record<string, any>): Ingress[] {
    const n = (v: unknown, d: number) => (v === undefined || v === null || v === "" ? d : Number(v));
    if (type === "aws:ec2/securityGroup:SecurityGroup") {
        return asList<any>(p.ingress).map((i) => ({
            protocol: String(i?.protocol ?? "-1"),
            from: n(i?.fromPort, 0),
            to: n(i?.toPort, 65535),
            cidrs: [...asList<string>(i?.cidrBlocks), ...asList<string>(i?.ipv6CidrBlocks)],
        }));
    }
    if (type === "aws:ec2/securityGroupRule:SecurityGroupRule") {
        if (p.type !== "ingress") {
            return [];
        }
        return [{ protocol: String(p.protocol ?? "-1"), from: n(p.fromPort, 0), to: n(p.toPort, 65535), cidrs: [...asList<string>(p.cidrBlocks), ...asList<string>(p.ipv6CidrBlocks)] }];
    }
    return [{ protocol: String(p.ipProtocol ?? "-1"), from: n(p.fromPort, 0), to: n(p.toPort, 65535), cidrs: [p.cidrIpv4, p.cidrIpv6].filter(Boolean) }];
}

function opensToWorld(i: Ingress, port: number): boolean {
    const all = i.protocol === "-1" || i.protocol.toLowerCase() === "all";
    const tcp = i.protocol === "6" || i.protocol.toLowerCase() === "tcp";
    const covers = all || (tcp && ((i.from <= port && port <= i.to) || (i.from === -1 && i.to === -1)));
    return covers && i.cidrs.some(isWorld);
}

const SG_TYPES = ["aws:ec2/securityGroup:SecurityGroup", "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "aws:ec2/securityGroupRule:SecurityGroupRule"];

function portRule(name: string, port: number, label: string, controls: string[]) {
    return resourceRule({
        name,
        service,
        controls,
        level: "mandatory",
        description: `No security group ingress opens ${label} (TCP ${port}) to 0.0.0.0/0 or ::/0.`,
        types: SG_TYPES,
        check: (p, r, report) => {
            if (ingressOf(r.type, p).some((i) => opensToWorld(i, port))) {
                report(`ingress opens ${label} (port ${port}) to the internet`);
            }
        },
    });
}

export const noWorldSsh = portRule("ec2-13-no-world-ssh", 22, "SSH", ["EC2.13", "CKV_AWS_24", "NIST.800.53.R5-EC2RestrictedSSH", "HIPAA.Security-EC2RestrictedSSH"]);
export const noWorldRdp = portRule("ec2-14-no-world-rdp", 3389, "RDP", ["EC2.14", "CKV_AWS_25"]);

/**
 * The common ports cdk-nag's EC2RestrictedCommonPorts refuses to the internet (cdklabs/cdk-nag
 * src/rules/ec2/EC2RestrictedCommonPorts.ts: FTP data and control, MySQL, 3309, RDP, mSQL). Unlike
 * that rule, an all-protocol rule counts only when it admits the internet: all traffic from a
 * security group or a private range opens nothing to the world.
 */
const COMMON_PORTS = [20, 21, 3306, 3309, 3389, 4333];

export const restrictedCommonPorts = resourceRule({
    name: "ec2-restricted-common-ports",
    service,
    controls: ["NIST.800.53.R5-EC2RestrictedCommonPorts", "HIPAA.Security-EC2RestrictedCommonPorts"],
    level: "mandatory",
    description: `No security group ingress opens a common port (TCP ${COMMON_PORTS.join(", ")}) to 0.0.0.0/0 or ::/0.`,
    types: SG_TYPES,
    check: (p, r, report) => {
        const open = COMMON_PORTS.filter((port) => ingressOf(r.type, p).some((i) => opensToWorld(i, port)));
        if (open.length > 0) {
            report(`ingress opens TCP ${open.join(", ")} to the internet`);
        }
    },
});

export const noPublicIp = resourceRule({
    name: "ec2-9-no-public-ip",
    service,
    controls: ["EC2.9", "EC2.25", "CKV_AWS_88", "NIST.800.53.R5-EC2InstanceNoPublicIp", "HIPAA.Security-EC2InstanceNoPublicIp", "awsguard:ec2-instance-no-public-ip"],
    level: "mandatory",
    description: `Instances and launch templates do not associate a public IP, except those tagged ${BASTION_TAG.key}=${BASTION_TAG.value}.`,
    types: [INSTANCE, LAUNCH_TEMPLATE],
    check: (p, r, report) => {
        if (tagsOf(p)[BASTION_TAG.key] === BASTION_TAG.value) {
            return;
        }
        const pub =
            r.type === INSTANCE
                ? isTrue(p.associatePublicIpAddress)
                : asList<any>(p.networkInterfaces).some((n) => isTrue(n?.associatePublicIpAddress));
        if (pub) {
            report(`associates a public IP but is not tagged ${BASTION_TAG.key}=${BASTION_TAG.value}`);
        }
    },
});

/**
 * The stack's VPCs: awsx VPCs (remote components; their own `aws:ec2/vpc:Vpc` child is theirs) and
 * plain VPCs. Resources that configure a VPC name it through `vpcId`, which for an awsx VPC is the
 * component's output: `linked` matches them by property dependency or by value.
 */
function vpcsOf(resources: PolicyResource[]): PolicyResource[] {
    const awsx = ofTypes(resources, "awsx:ec2:Vpc");
    const insideAwsx = (r: PolicyResource) => {
        for (let p = r.parent; p; p = p.parent) {
            if (p.type === "awsx:ec2:Vpc") {
                return true;
            }
        }
        return false;
    };
    return [...awsx, ...ofTypes(resources, "aws:ec2/vpc:Vpc").filter((v) => !insideAwsx(v))];
}

/** VPC-scoped resources of `type` configuring `vpc` (by `vpcId`; an awsx VPC's `vpcId` output counts). */
function configuring(vpc: PolicyResource, candidates: PolicyResource[]): PolicyResource[] {
    const byValue = known(() => vpc.props?.vpcId ?? vpc.props?.id, undefined);
    return [...new Set([...linked(vpc, candidates, "vpcId"), ...candidates.filter((c) => byValue !== undefined && known(() => c.props?.vpcId === byValue, false))])];
}

export const vpcFlowLogs = stackRule({
    name: "ec2-6-vpc-flow-logging",
    service,
    controls: ["EC2.6", "AwsSolutions-VPC7", "NIST.800.53.R5-VPCFlowLogsEnabled", "HIPAA.Security-VPCFlowLogsEnabled", "CKV2_AWS_11"],
    level: "mandatory",
    description: "Every VPC (awsx or plain) has a flow log of ALL traffic.",
    check: (resources, _env, report) => {
        const logs = ofTypes(resources, "aws:ec2/flowLog:FlowLog");
        for (const vpc of vpcsOf(resources)) {
            if (!configuring(vpc, logs).some((f) => known(() => f.props?.trafficType === "ALL", true))) {
                report(`VPC ${vpc.name} has no flow log of ALL traffic`, vpc.urn);
            }
        }
    },
});

export const defaultSgClosed = stackRule({
    name: "ec2-2-default-sg-closed",
    service,
    controls: ["EC2.2", "NIST.800.53.R5-VPCDefaultSecurityGroupClosed", "HIPAA.Security-VPCDefaultSecurityGroupClosed", "CKV2_AWS_12"],
    level: "mandatory",
    description: "Every VPC's default security group is managed (aws.ec2.DefaultSecurityGroup) with no ingress or egress rules, so AWS's allow-within-group rules are removed.",
    check: (resources, _env, report) => {
        const groups = ofTypes(resources, "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup");
        for (const vpc of vpcsOf(resources)) {
            const closed = configuring(vpc, groups).some((g) => known(() => asList(g.props?.ingress).length === 0 && asList(g.props?.egress).length === 0, true));
            if (!closed) {
                report(`VPC ${vpc.name}'s default security group is not managed with no rules`, vpc.urn);
            }
        }
    },
});

export const sgDescription = resourceRule({
    name: "ec2-sg-description",
    service,
    controls: ["AwsSolutions-EC27"],
    level: "mandatory",
    description: "Security groups say what they are for (a description other than the default `Managed by Pulumi`).",
    types: ["aws:ec2/securityGroup:SecurityGroup"],
    check: (p, _r, report) => {
        const d = String(p.description ?? "");
        if (d.trim() === "" || d === "Managed by Pulumi" || d === "Managed by Terraform") {
            report("security group has no description of its purpose");
        }
    },
});

export const instanceProfileInVpc = resourceRule({
    name: "ec2-instance-profile-in-vpc",
    service,
    controls: ["NIST.800.53.R5-EC2InstanceProfileAttached", "HIPAA.Security-EC2InstanceProfileAttached", "NIST.800.53.R5-EC2InstancesInVPC", "HIPAA.Security-EC2InstancesInVPC"],
    level: "mandatory",
    description: "EC2 instances run with an instance profile (no long-lived keys on hosts) in a VPC subnet.",
    types: [INSTANCE],
    check: (p, _r, report) => {
        if (!p.iamInstanceProfile) {
            report("instance has no instance profile");
        }
        if (!p.subnetId) {
            report("instance names no VPC subnet");
        }
    },
});

export const sgNoRuleConflicts = stackRule({
    name: "ec2-sg-no-rule-management-conflicts",
    service,
    controls: ["awsguard:security-group-no-rule-management-conflicts"],
    level: "mandatory",
    description: "A security group with rule resources of its own (SecurityGroupIngressRule/EgressRule, SecurityGroupRule) sets no inline ingress/egress: two owners of the same rules undo each other.",
    check: (resources, _env, report) => {
        const ruleTypes = ["aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", "aws:ec2/securityGroupRule:SecurityGroupRule"];
        const rules = ofTypes(resources, ...ruleTypes);
        for (const g of ofTypes(resources, "aws:ec2/securityGroup:SecurityGroup")) {
            const inline = known(() => asList(g.props?.ingress).length + asList(g.props?.egress).length > 0, false);
            if (inline && linked(g, rules, "securityGroupId").length > 0) {
                report(`security group ${g.name} has inline rules and separate rule resources`, g.urn);
            }
        }
    },
});

export const rules = [imdsv2, ebsEncrypted, noWorldSsh, noWorldRdp, restrictedCommonPorts, noPublicIp, vpcFlowLogs, defaultSgClosed, sgDescription, instanceProfileInVpc, sgNoRuleConflicts];
