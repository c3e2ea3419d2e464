import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { isAppleSilicon } from "../../lib/config/mac-dev";
import { macUserData, sshConfig } from "./scripts";
import { keyPolicy, logsKeyStatement, rotatingKey } from "../../lib/aws/kms";
import { SgPeer, sgEgress, sgIngress, vpcGuardrails } from "../../lib/aws/network";
import { al2023X86AmiId, latestAmazonAmiId } from "../../lib/aws/ami";
import { remoteChildOptions } from "../../lib/providers";

/** Inputs of {@link MacDevEnvironment}. */
export interface MacDevEnvironmentArgs {
    /** The Region (must be the provider's Region). */
    region: string;
    /** The account ID (key policies). */
    accountId: string;
    /** Prefix of physical names (`<project>-<stack>`). */
    namePrefix: string;
    /** The two Availability Zones, in order: one host and one Mac per AZ. */
    availabilityZones: string[];
    /** VPC CIDR block. */
    vpcCidrBlock: string;
    /** `single` or `onePerAz` NAT gateways. */
    natGateways: "single" | "onePerAz";
    /** Retention of the VPC's flow log group, in days. */
    flowLogRetentionDays: number;
    /** Mac instance type of the hosts and instances. */
    macInstanceType: string;
    /** macOS AMI; looked up (Amazon-owned, newest) when omitted. */
    macAmiId?: string;
    /** macOS major version for the lookup. */
    macOsVersion: string;
    /** Root volume size of the Macs, GiB. */
    macRootVolumeGiB: number;
    /** Dedicated Host recovery (`on`/`off`). */
    hostRecovery: "on" | "off";
    /** Existing EC2 key pair for `ec2-user`. */
    adminKeyName?: string;
    /** AD domain name. */
    domainName: string;
    /** AD NetBIOS name. */
    shortName: string;
    /** `Standard` or `Enterprise`. */
    directoryEdition: "Standard" | "Enterprise";
    /** EFS Infrequent Access transition (days), if any. */
    efsTransitionToIaDays?: number;
    /** EFS mount point on the Macs. */
    efsMountPoint: string;
    /** CIDRs admitted to SSH on the bastion (validated by config). */
    bastionAllowedCidrs: string[];
    /** Bastion instance type. */
    bastionInstanceType: string;
    /** Create the Windows management instance. */
    windowsManagement: boolean;
    /** Its instance type. */
    windowsInstanceType: string;
    /** Protect hosts, directory, EFS, keys and the secret (prod). */
    protect: boolean;
}

/** Per-AZ Mac host and instance. */
export interface MacNode {
    /** The Availability Zone. */
    az: string;
    /** SSH alias (`macos1`, `macos2`). */
    alias: string;
    /** The Dedicated Host. */
    host: aws.ec2.DedicatedHost;
    /** The Mac instance on it. */
    instance: aws.ec2.Instance;
}

const ANYWHERE = "0.0.0.0/0";
const IMDSV2 = { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 };

/** What every part of the environment shares. */
interface Scope {
    parent: MacDevEnvironment;
    name: string;
    child: pulumi.CustomResourceOptions;
    stateful: pulumi.CustomResourceOptions;
}

/** The VPC (public subnets for the bastion, private ones for everything else). */
function network(s: Scope, args: MacDevEnvironmentArgs): awsx.ec2.Vpc {
    const { name } = s;
    return new awsx.ec2.Vpc(
        `${name}-vpc`,
        {
            cidrBlock: args.vpcCidrBlock,
            availabilityZoneNames: args.availabilityZones,
            enableDnsHostnames: true,
            enableDnsSupport: true,
            natGateways: { strategy: args.natGateways === "onePerAz" ? "OnePerAz" : "Single" },
            subnetStrategy: "Auto",
            subnetSpecs: [
                { type: "Public", cidrMask: 24 },
                { type: "Private", cidrMask: 20 },
            ],
            tags: { Name: `${args.namePrefix}-mac-dev` },
        },
        remoteChildOptions(s.parent, "awsx"),
    );
}

/** The keys, the directory admin secret (a generated password), AWS Managed Microsoft AD in two private subnets, and the DHCP options that make instances resolve the domain. */
function directoryAndSecret(s: Scope, args: MacDevEnvironmentArgs, vpc: awsx.ec2.Vpc, privateSubnet: (i: number) => pulumi.Output<string>) {
    const { name, child, stateful } = s;
    const purposePolicy = (purpose: string) => keyPolicy(args.accountId, [], { id: purpose });
    const secretsKey = rotatingKey(
        `${name}-secrets-key`,
        { description: "Encrypts the Mac dev directory admin secret", policy: purposePolicy("mac-dev-secrets") },
        stateful,
    );
    const efsKey = rotatingKey(
        `${name}-efs-key`,
        { description: "Encrypts the Mac dev home directories (EFS)", policy: purposePolicy("mac-dev-efs") },
        stateful,
    );

    // AD password rules: 8-64 characters from at least three of four classes.
    const password = new random.RandomPassword(
        `${name}-admin-password`,
        { length: 32, special: true, overrideSpecial: "!#%^*-_=+", minUpper: 2, minLower: 2, minNumeric: 2, minSpecial: 2 },
        { parent: s.parent },
    );
    const adminSecret = new aws.secretsmanager.Secret(
        `${name}-admin-secret`,
        {
            name: `${args.namePrefix}/mac-dev/directory-admin`,
            description: `Password of the Admin user of ${args.domainName} (AWS Managed Microsoft AD)`,
            kmsKeyId: secretsKey.arn,
            recoveryWindowInDays: args.protect ? 30 : 7,
        },
        stateful,
    );
    new aws.secretsmanager.SecretVersion(`${name}-admin-secret-value`, { secretId: adminSecret.id, secretString: password.result }, stateful);

    // AWS Managed Microsoft AD: exactly two subnets in two AZs.
    const directory = new aws.directoryservice.Directory(
        `${name}-directory`,
        {
            name: args.domainName,
            shortName: args.shortName,
            password: password.result,
            type: "MicrosoftAD",
            edition: args.directoryEdition,
            description: "Users and groups of the shared Mac remote development environment",
            vpcSettings: { vpcId: vpc.vpcId, subnetIds: [privateSubnet(0), privateSubnet(1)] },
        },
        stateful,
    );
    // Every instance resolves the domain through the directory's DNS servers.
    const dhcp = new aws.ec2.VpcDhcpOptions(
        `${name}-dhcp-options`,
        { domainName: args.domainName, domainNameServers: directory.dnsIpAddresses, tags: { Name: `${args.namePrefix}-mac-dev` } },
        child,
    );
    // Instances depend on the association (not only the options set): launched
    // earlier they would get AmazonProvidedDNS and could not find the domain.
    const dhcpAssociation = new aws.ec2.VpcDhcpOptionsAssociation(`${name}-dhcp-association`, { vpcId: vpc.vpcId, dhcpOptionsId: dhcp.id }, child);
    return { secretsKey, efsKey, adminSecret, directory, dhcpAssociation };
}

/** The security groups (rules are separate resources: exact and cycle-free). */
function securityGroups(s: Scope, args: MacDevEnvironmentArgs, vpc: awsx.ec2.Vpc) {
    const { name, child } = s;
    const sg = (role: string, description: string) =>
        new aws.ec2.SecurityGroup(`${name}-${role}-sg`, { vpcId: vpc.vpcId, description, tags: { Name: `${args.namePrefix}-mac-dev-${role}` } }, child);
    const bastionSg = sg("bastion", "Bastion: SSH from the allowed CIDRs only");
    const macSg = sg("mac", "Mac instances: SSH from the bastion only");
    const efsSg = sg("efs", "EFS mount targets: NFS from the Mac instances only");
    const mgmtSg = args.windowsManagement ? sg("mgmt", "Windows management: RDP from the bastion only") : undefined;
    const groups = { bastion: bastionSg, mac: macSg, efs: efsSg, management: mgmtSg };

    const ingress = (rule: string, group: aws.ec2.SecurityGroup, port: number, peer: SgPeer, description: string) =>
        sgIngress(`${name}-${rule}`, { securityGroupId: group.id, port, peer, description }, child);
    const egress = (rule: string, group: aws.ec2.SecurityGroup, protocol: string, port: number | undefined, peer: SgPeer, description: string) =>
        sgEgress(`${name}-${rule}`, { securityGroupId: group.id, protocol, port, peer, description }, child);

    args.bastionAllowedCidrs.forEach((c, i) => ingress(`bastion-ssh-in-${i}`, bastionSg, 22, { cidrIpv4: c }, `SSH from ${c}`));
    egress("bastion-ssh-to-mac", bastionSg, "tcp", 22, { referencedSecurityGroupId: macSg.id }, "SSH to the Macs (ProxyJump)");
    egress("bastion-https-out", bastionSg, "tcp", 443, { cidrIpv4: ANYWHERE }, "HTTPS (SSM, package updates)");
    egress("bastion-dns-udp-out", bastionSg, "udp", 53, { cidrIpv4: args.vpcCidrBlock }, "DNS to the directory");
    egress("bastion-dns-tcp-out", bastionSg, "tcp", 53, { cidrIpv4: args.vpcCidrBlock }, "DNS to the directory");

    ingress("mac-ssh-from-bastion", macSg, 22, { referencedSecurityGroupId: bastionSg.id }, "SSH from the bastion only");
    egress("mac-vpc-out", macSg, "-1", undefined, { cidrIpv4: args.vpcCidrBlock }, "Directory, DNS and NFS inside the VPC");
    egress("mac-https-out", macSg, "tcp", 443, { cidrIpv4: ANYWHERE }, "HTTPS (SSM, Secrets Manager, toolchains)");

    ingress("efs-nfs-from-mac", efsSg, 2049, { referencedSecurityGroupId: macSg.id }, "NFS from the Mac instances only");

    if (mgmtSg) {
        egress("bastion-rdp-to-mgmt", bastionSg, "tcp", 3389, { referencedSecurityGroupId: mgmtSg.id }, "RDP tunnel to the management instance");
        ingress("mgmt-rdp-from-bastion", mgmtSg, 3389, { referencedSecurityGroupId: bastionSg.id }, "RDP from the bastion only");
        egress("mgmt-vpc-out", mgmtSg, "-1", undefined, { cidrIpv4: args.vpcCidrBlock }, "Directory and DNS inside the VPC");
        egress("mgmt-https-out", mgmtSg, "tcp", 443, { cidrIpv4: ANYWHERE }, "HTTPS (SSM, Windows Update)");
    }
    return groups;
}

/** EFS home directories: encrypted, backed up, a mount target per AZ reachable from the Macs only. */
function homeDirectories(s: Scope, args: MacDevEnvironmentArgs, efsKey: aws.kms.Key, efsSg: aws.ec2.SecurityGroup, privateSubnet: (i: number) => pulumi.Output<string>) {
    const { name, child, stateful } = s;
    const azs = args.availabilityZones;
    const fileSystem = new aws.efs.FileSystem(
        `${name}-efs`,
        {
            encrypted: true,
            kmsKeyId: efsKey.arn,
            performanceMode: "generalPurpose",
            throughputMode: "elastic",
            lifecyclePolicies: args.efsTransitionToIaDays ? [{ transitionToIa: `AFTER_${args.efsTransitionToIaDays}_DAY${args.efsTransitionToIaDays === 1 ? "" : "S"}` }] : undefined,
            tags: { Name: `${args.namePrefix}-mac-dev-homes` },
        },
        stateful,
    );
    new aws.efs.BackupPolicy(`${name}-efs-backup`, { fileSystemId: fileSystem.id, backupPolicy: { status: "ENABLED" } }, stateful);
    const mountTargets = azs.map(
        (az, i) => new aws.efs.MountTarget(`${name}-efs-mt-${az}`, { fileSystemId: fileSystem.id, subnetId: privateSubnet(i), securityGroups: [efsSg.id] }, child),
    );
    const efsDnsName = pulumi.interpolate`${fileSystem.id}.efs.${args.region}.amazonaws.com`;
    return { fileSystem, mountTargets, efsDnsName };
}

/** An instance role with its managed policies and profile. */
function instanceRole(s: Scope, roleName: string, description: string, managed: string[]) {
    const { name, child } = s;
    // No aws:SourceAccount guard: EC2 assumes an instance profile's role for the instance an
    // iam:PassRole holder launched, and does not pass aws:SourceAccount/SourceArn in that request
    // (prowler-cloud/prowler#2810 and #7021: EC2 trusts excluded from the confused-deputy check), so
    // a guard would only stop the instance getting credentials. PassRole is the control here.
    const ec2Trust = JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
    });
    const r = new aws.iam.Role(`${name}-${roleName}-role`, { assumeRolePolicy: ec2Trust, description }, child);
    managed.forEach((arn) => new aws.iam.RolePolicyAttachment(`${name}-${roleName}-${arn.split("/").pop()}`, { role: r.name, policyArn: arn }, child));
    const profile = new aws.iam.InstanceProfile(`${name}-${roleName}-profile`, { role: r.name }, child);
    return { role: r, profile };
}

const SSM_CORE = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore";

/** The Macs' role: SSM, and the directory admin secret for the domain-join script (components/mac-dev/contracts.ts). */
function macRole(s: Scope, args: MacDevEnvironmentArgs, adminSecret: aws.secretsmanager.Secret, secretsKey: aws.kms.Key) {
    const { name, child } = s;
    const role = instanceRole(s, "mac", "Mac dev instances: SSM and domain join", [SSM_CORE]);
    new aws.iam.RolePolicy(
        `${name}-mac-domain-join`,
        {
            role: role.role.name,
            policy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [
                    {
                        Sid: "ReadDirectoryAdminSecret",
                        Effect: "Allow",
                        // The bootstrap script reads the password with get-secret-value only (scripts.ts).
                        Action: ["secretsmanager:GetSecretValue"],
                        Resource: adminSecret.arn,
                    },
                    {
                        Sid: "DecryptDirectoryAdminSecret",
                        Effect: "Allow",
                        Action: "kms:Decrypt",
                        Resource: secretsKey.arn,
                        Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${args.region}.amazonaws.com` } },
                    },
                ],
            }),
        },
        child,
    );
    return role;
}

/** The Mac Dedicated Hosts (24 h minimum allocation) and one Mac per host, joined to the domain at first boot. */
function macHosts(
    s: Scope,
    args: MacDevEnvironmentArgs,
    deps: {
        adminSecret: aws.secretsmanager.Secret;
        efsDnsName: pulumi.Output<string>;
        macSg: aws.ec2.SecurityGroup;
        profile: aws.iam.InstanceProfile;
        privateSubnet: (i: number) => pulumi.Output<string>;
        dependsOn: pulumi.Resource[];
    },
): MacNode[] {
    const { name, child, stateful } = s;
    const { adminSecret, efsDnsName, macSg, privateSubnet } = deps;
    const macArch = isAppleSilicon(args.macInstanceType) ? "arm64_mac" : "x86_64_mac";
    // AMIs are looked up with the environment's provider.
    const macAmi: pulumi.Input<string> = args.macAmiId ?? latestAmazonAmiId(`amzn-ec2-macos-${args.macOsVersion}*`, macArch, { parent: s.parent });
    return args.availabilityZones.map((az, i) => {
        const alias = `macos${i + 1}`;
        const host = new aws.ec2.DedicatedHost(
            `${name}-host-${az}`,
            {
                availabilityZone: az,
                instanceType: args.macInstanceType,
                autoPlacement: "off",
                hostRecovery: args.hostRecovery,
                tags: { Name: `${args.namePrefix}-mac-host-${i + 1}` },
            },
            stateful,
        );
        const userData = pulumi
            .all([adminSecret.arn, efsDnsName])
            .apply(([adminSecretArn, efsDns]) =>
                macUserData({
                    region: args.region,
                    domainName: args.domainName,
                    shortName: args.shortName,
                    adminSecretArn,
                    efsDnsName: efsDns,
                    mountPoint: args.efsMountPoint,
                    computerName: alias,
                }),
            );
        const instance = new aws.ec2.Instance(
            `${name}-mac-${az}`,
            {
                ami: macAmi,
                instanceType: args.macInstanceType,
                tenancy: "host",
                hostId: host.id,
                availabilityZone: az,
                subnetId: privateSubnet(i),
                vpcSecurityGroupIds: [macSg.id],
                iamInstanceProfile: deps.profile.name,
                keyName: args.adminKeyName,
                metadataOptions: IMDSV2,
                rootBlockDevice: { encrypted: true, volumeType: "gp3", volumeSize: args.macRootVolumeGiB, deleteOnTermination: true },
                userData,
                tags: { Name: alias, Role: "mac-dev" },
            },
            // A looked-up AMI moves with every macOS release: do not replace running Macs for it.
            { ...child, dependsOn: deps.dependsOn, ignoreChanges: args.macAmiId ? [] : ["ami"] },
        );
        return { az, alias, host, instance };
    });
}

/** The bastion: the only way in (SSH from the allowed CIDRs, then ProxyJump to the Macs). */
function bastionInstance(s: Scope, args: MacDevEnvironmentArgs, bastionSg: aws.ec2.SecurityGroup, profile: aws.iam.InstanceProfile, subnetId: pulumi.Output<string>): aws.ec2.Instance {
    const { name, child } = s;
    return new aws.ec2.Instance(
        `${name}-bastion`,
        {
            ami: al2023X86AmiId({ parent: s.parent }),
            instanceType: args.bastionInstanceType,
            subnetId,
            associatePublicIpAddress: true,
            vpcSecurityGroupIds: [bastionSg.id],
            iamInstanceProfile: profile.name,
            keyName: args.adminKeyName,
            metadataOptions: IMDSV2,
            rootBlockDevice: { encrypted: true, volumeType: "gp3", volumeSize: 8, deleteOnTermination: true },
            tags: { Name: `${args.namePrefix}-mac-dev-bastion`, Role: "bastion" },
        },
        { ...child, ignoreChanges: ["ami"] },
    );
}

/** The optional Windows management instance, joined to the domain through SSM. */
function managementInstance(
    s: Scope,
    args: MacDevEnvironmentArgs,
    deps: { mgmtSg: aws.ec2.SecurityGroup; directory: aws.directoryservice.Directory; dhcpAssociation: aws.ec2.VpcDhcpOptionsAssociation; subnetId: pulumi.Output<string> },
): aws.ec2.Instance {
    const { name, child } = s;
    const { mgmtSg, directory, dhcpAssociation } = deps;
    const mgmtRole = instanceRole(s, "mgmt", "Mac dev Windows management: SSM and directory join", [
        SSM_CORE,
        "arn:aws:iam::aws:policy/AmazonSSMDirectoryServiceAccess",
    ]);
    const windowsAmi = aws.ec2
        .getAmiOutput(
            {
                owners: ["amazon"],
                mostRecent: true,
                filters: [
                    { name: "name", values: ["Windows_Server-2022-English-Full-Base-*"] },
                    { name: "state", values: ["available"] },
                ],
            },
            { parent: s.parent },
        )
        .apply((a) => a.id);
    const mgmt = new aws.ec2.Instance(
        `${name}-mgmt`,
        {
            ami: windowsAmi,
            instanceType: args.windowsInstanceType,
            subnetId: deps.subnetId,
            vpcSecurityGroupIds: [mgmtSg.id],
            iamInstanceProfile: mgmtRole.profile.name,
            keyName: args.adminKeyName,
            metadataOptions: IMDSV2,
            rootBlockDevice: { encrypted: true, volumeType: "gp3", volumeSize: 50, deleteOnTermination: true },
            tags: { Name: "MGMT01", Role: "directory-management" },
        },
        { ...child, dependsOn: [directory, dhcpAssociation], ignoreChanges: ["ami"] },
    );
    new aws.ssm.Association(
        `${name}-mgmt-domain-join`,
        {
            name: "AWS-JoinDirectoryServiceDomain",
            targets: [{ key: "InstanceIds", values: [mgmt.id] }],
            // No dnsIpAddresses: the provider would send the list as one comma-joined
            // string, which the document rejects; the VPC's DHCP options already
            // point the instance at the directory's DNS servers.
            parameters: { directoryId: directory.id, directoryName: args.domainName },
        },
        child,
    );
    return mgmt;
}

/**
 * The post's nested stacks as one component: VPC, Mac Dedicated Hosts with one
 * Mac each, AWS Managed Microsoft AD, EFS home directories, bastion and optional
 * Windows management instance, with security groups as tight as the post's.
 */
export class MacDevEnvironment extends pulumi.ComponentResource {
    /** The VPC (awsx). */
    public readonly vpc: awsx.ec2.Vpc;
    /** The managed directory. */
    public readonly directory: aws.directoryservice.Directory;
    /** The secret holding the directory `Admin` password. */
    public readonly adminSecret: aws.secretsmanager.Secret;
    /** The home-directory file system. */
    public readonly fileSystem: aws.efs.FileSystem;
    /** Hosts and Macs, one per AZ. */
    public readonly macs: MacNode[];
    /** The bastion. */
    public readonly bastion: aws.ec2.Instance;
    /** The Windows management instance, when enabled. */
    public readonly managementInstance?: aws.ec2.Instance;
    /** Security groups by role. */
    public readonly securityGroups: { bastion: aws.ec2.SecurityGroup; mac: aws.ec2.SecurityGroup; efs: aws.ec2.SecurityGroup; management?: aws.ec2.SecurityGroup };
    /** `~/.ssh/config` fragment: bastion + ProxyJump per Mac. */
    public readonly sshConfig: pulumi.Output<string>;

    constructor(name: string, args: MacDevEnvironmentArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super("awsarch:macDev:MacDevEnvironment", name, {}, opts);
        // Children inherit the providers the component is given (aws, random, awsx: `providers: [...]`).
        const child = { parent: this };
        const s: Scope = { parent: this, name, child, stateful: { ...child, protect: args.protect } };

        this.vpc = network(s, args);
        const flowLogGroupName = `/awsarch/${args.namePrefix}/mac-dev/vpc-flow-logs`;
        const logsKey = rotatingKey(
            `${name}-logs-key`,
            {
                description: "Encrypts the Mac dev VPC flow logs",
                policy: keyPolicy(args.accountId, [logsKeyStatement("FlowLogs", args.region, `arn:aws:logs:${args.region}:${args.accountId}:log-group:${flowLogGroupName}`)], { id: "mac-dev-logs" }),
            },
            s.stateful,
        );
        vpcGuardrails(
            `${name}-vpc`,
            { vpcId: this.vpc.vpcId, accountId: args.accountId, region: args.region, logGroupName: flowLogGroupName, retentionDays: args.flowLogRetentionDays, kmsKeyArn: logsKey.arn, protect: args.protect, nameTag: `${args.namePrefix}-mac-dev` },
            child,
        );
        const privateSubnet = (i: number) => this.vpc.privateSubnetIds.apply((ids) => ids[i]);
        const publicSubnet = (i: number) => this.vpc.publicSubnetIds.apply((ids) => ids[i]);
        const { secretsKey, efsKey, adminSecret, directory, dhcpAssociation } = directoryAndSecret(s, args, this.vpc, privateSubnet);
        this.adminSecret = adminSecret;
        this.directory = directory;
        this.securityGroups = securityGroups(s, args, this.vpc);
        const home = homeDirectories(s, args, efsKey, this.securityGroups.efs, privateSubnet);
        this.fileSystem = home.fileSystem;
        const mac = macRole(s, args, adminSecret, secretsKey);
        const bastionRole = instanceRole(s, "bastion", "Mac dev bastion: SSM", [SSM_CORE]);
        this.macs = macHosts(s, args, {
            adminSecret,
            efsDnsName: home.efsDnsName,
            macSg: this.securityGroups.mac,
            profile: mac.profile,
            privateSubnet,
            dependsOn: [directory, dhcpAssociation, ...home.mountTargets],
        });
        this.bastion = bastionInstance(s, args, this.securityGroups.bastion, bastionRole.profile, publicSubnet(0));
        if (this.securityGroups.management) {
            this.managementInstance = managementInstance(s, args, { mgmtSg: this.securityGroups.management, directory, dhcpAssociation, subnetId: privateSubnet(0) });
        }

        this.sshConfig = pulumi
            .all([this.bastion.publicDns, ...this.macs.map((m) => m.instance.privateIp)])
            .apply(([bastionDns, ...ips]) =>
                sshConfig({
                    bastionHostName: bastionDns || "<bastion public DNS>",
                    user: "ec2-user",
                    identityFile: `~/.ssh/${args.adminKeyName ?? "mac-admin"}`,
                    macs: this.macs.map((m, i) => ({ alias: m.alias, hostName: ips[i] || `<${m.alias} private IP>` })),
                }),
            );

        this.registerOutputs({
            vpcId: this.vpc.vpcId,
            directoryId: this.directory.id,
            fileSystemId: this.fileSystem.id,
            bastionPublicDns: this.bastion.publicDns,
            sshConfig: this.sshConfig,
        });
    }
}
