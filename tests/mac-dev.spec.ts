import * as assert from "assert";
import { readStackFile } from "../lib/config/load";
import { ProgramRun, RecordedResource, runConcern, withConfig } from "../lib/plan/recorder";
import { macUserData, sshConfig } from "../components/mac-dev";
import { MAC_INSTANCE_TYPES, macDevSchema } from "../lib/config/mac-dev";
import { assertConfigProblem, byName, descendantsOf, ofType, concernRun, statements } from "./helpers";

/* eslint-disable @typescript-eslint/no-explicit-any */

const REGION = "us-east-2";
const AZS = ["us-east-2b", "us-east-2c"];

function rulesOf(run: ProgramRun, sg: RecordedResource): { dir: string; proto: string; port?: number; peer: string }[] {
    const sgId = sg.state.id ?? `${sg.name}-id`;
    const peerName = (r: RecordedResource) => {
        if (r.inputs.cidrIpv4) {
            return r.inputs.cidrIpv4 as string;
        }
        const ref = run.resources.find((x) => x.type === "aws:ec2/securityGroup:SecurityGroup" && `${x.name}-id` === r.inputs.referencedSecurityGroupId);
        return ref ? `sg:${ref.name}` : `?${r.inputs.referencedSecurityGroupId}`;
    };
    return run.resources
        .filter((r) => (r.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule" || r.type === "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule") && r.inputs.securityGroupId === sgId)
        .map((r) => ({ dir: r.type.includes("Ingress") ? "in" : "out", proto: r.inputs.ipProtocol, port: r.inputs.fromPort, peer: peerName(r) }))
        .sort((a, b) => `${a.dir}${a.proto}${a.port}${a.peer}`.localeCompare(`${b.dir}${b.proto}${b.port}${b.peer}`));
}

const SECRET_SIG = "4dabf18193072939515e22adb298388d";
/** True for a value the engine carries as a secret. */
function isSecret(v: any): boolean {
    return typeof v === "object" && v !== null && SECRET_SIG in v;
}
/** The plain value of a possibly-secret input. */
function unwrap(v: any): any {
    return isSecret(v) ? v.value : v;
}

function sorted<T>(xs: T[]): T[] {
    return [...xs].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

describe("EC2 Mac remote dev environment (concern 7)", () => {
    for (const stack of ["dev", "prod"] as const) {
        describe(`${stack} stack`, () => {
            let run: ProgramRun;
            let cfg: any;
            let accountId: string;
            let mine: RecordedResource[];
            before(async () => {
                ({ run, cfg, accountId } = await concernRun(stack, "macDev"));
                mine = descendantsOf(run, byName(run, "mac-dev", "awsarch:macDev:MacDevEnvironment").urn);
            });

            it("creates everything in us-east-2 in the configured account, every AWS resource with that provider", () => {
                assert.ok(mine.length > 30);
                for (const r of mine.filter((x) => x.type.startsWith("aws:"))) {
                    assert.strictEqual(r.region, REGION, r.name);
                    assert.strictEqual(r.accountId, accountId, r.name);
                }
            });

            it("builds a two-AZ VPC with the remote component getting the providers map", () => {
                const vpc = byName(run, "mac-dev-vpc", "awsx:ec2:Vpc");
                assert.ok(vpc.remote);
                assert.deepStrictEqual(vpc.inputs.availabilityZoneNames, AZS);
                assert.strictEqual(vpc.inputs.cidrBlock, "10.40.0.0/16");
                assert.strictEqual(vpc.region, REGION);
                assert.ok(vpc.providers.aws, "providers.aws set");
                assert.strictEqual(vpc.inputs.natGateways.strategy, stack === "prod" ? "OnePerAz" : "Single");
                assert.deepStrictEqual(vpc.inputs.subnetSpecs.map((s: any) => s.type).sort(), ["Private", "Public"]);
            });

            it("allocates one Mac Dedicated Host per AZ with the configured type and auto-placement off", () => {
                const hosts = ofType(run, "aws:ec2/dedicatedHost:DedicatedHost");
                assert.strictEqual(hosts.length, 2);
                assert.deepStrictEqual(hosts.map((h) => h.inputs.availabilityZone).sort(), AZS);
                for (const h of hosts) {
                    assert.strictEqual(h.inputs.instanceType, cfg.macInstanceType);
                    assert.strictEqual(h.inputs.autoPlacement, "off");
                    assert.strictEqual(h.inputs.hostRecovery, "off");
                }
            });

            it("places exactly one Mac instance on each host (host tenancy, same AZ, private subnet of that AZ)", () => {
                const macs = ofType(run, "aws:ec2/instance:Instance").filter((i) => i.inputs.tags?.Role === "mac-dev");
                assert.strictEqual(macs.length, 2);
                const hostIds = macs.map((m) => m.inputs.hostId);
                assert.strictEqual(new Set(hostIds).size, 2, "two different hosts");
                AZS.forEach((az, i) => {
                    const host = byName(run, `mac-dev-host-${az}`);
                    const mac = byName(run, `mac-dev-mac-${az}`);
                    assert.strictEqual(mac.inputs.hostId, host.state.id ?? `${host.name}-id`);
                    assert.strictEqual(mac.inputs.tenancy, "host");
                    assert.strictEqual(mac.inputs.availabilityZone, az);
                    assert.strictEqual(mac.inputs.instanceType, cfg.macInstanceType);
                    assert.strictEqual(mac.inputs.subnetId, `subnet-mac-dev-vpc-private-${i}`);
                    assert.strictEqual(mac.inputs.ami, `ami-${REGION}-mock`, "AMI from the owner-filtered lookup");
                    assert.strictEqual(mac.inputs.rootBlockDevice.encrypted, true);
                    assert.strictEqual(mac.inputs.keyName, cfg.adminKeyName);
                });
            });

            it("creates a Managed Microsoft AD on exactly the two private subnets, password from the generated secret", () => {
                const dir = byName(run, "mac-dev-directory", "aws:directoryservice/directory:Directory");
                assert.strictEqual(dir.inputs.type, "MicrosoftAD");
                assert.strictEqual(dir.inputs.edition, cfg.directory.edition);
                assert.strictEqual(dir.inputs.name, cfg.directory.domainName);
                assert.deepStrictEqual(dir.inputs.vpcSettings.subnetIds, ["subnet-mac-dev-vpc-private-0", "subnet-mac-dev-vpc-private-1"]);
                assert.strictEqual(dir.inputs.vpcSettings.vpcId, "vpc-mac-dev-vpc");
                const pw = byName(run, "mac-dev-admin-password", "random:index/randomPassword:RandomPassword");
                assert.ok(pw.inputs.length >= 16);
                assert.ok(pw.provider?.includes("pulumi:providers:random::"), "explicit random provider (defaults are disabled)");
                // The password reaches the directory and the secret as a Pulumi secret, never as plain text.
                assert.ok(isSecret(dir.inputs.password), "directory password is a secret");
                assert.strictEqual(unwrap(dir.inputs.password), unwrap(pw.state.result));
                const secret = byName(run, "mac-dev-admin-secret", "aws:secretsmanager/secret:Secret");
                assert.strictEqual(secret.inputs.kmsKeyId, byName(run, "mac-dev-secrets-key").state.arn);
                const version = byName(run, "mac-dev-admin-secret-value");
                assert.ok(isSecret(version.inputs.secretString));
                assert.strictEqual(unwrap(version.inputs.secretString), unwrap(pw.state.result));
                assert.ok(!JSON.stringify(cfg).includes(unwrap(pw.state.result)), "password never in config");
            });

            it("points the VPC's DHCP options at the directory", () => {
                const dhcp = byName(run, "mac-dev-dhcp-options");
                assert.strictEqual(dhcp.inputs.domainName, cfg.directory.domainName);
                const assoc = byName(run, "mac-dev-dhcp-association");
                assert.strictEqual(assoc.inputs.vpcId, "vpc-mac-dev-vpc");
                // instances launch only once the VPC uses the directory's DNS (not merely once the options exist)
                for (const inst of ofType(run, "aws:ec2/instance:Instance").filter((r) => r.inputs.tags?.Role !== "bastion")) {
                    assert.ok(inst.dependencies.includes(assoc.urn), `${inst.name} waits for the DHCP association`);
                }
            });

            it("encrypts EFS with its KMS key, enables backups and puts a mount target in each AZ's private subnet", () => {
                const fs = byName(run, "mac-dev-efs", "aws:efs/fileSystem:FileSystem");
                assert.strictEqual(fs.inputs.encrypted, true);
                assert.strictEqual(fs.inputs.kmsKeyId, byName(run, "mac-dev-efs-key").state.arn);
                assert.strictEqual(byName(run, "mac-dev-efs-backup").inputs.backupPolicy.status, "ENABLED");
                const mts = ofType(run, "aws:efs/mountTarget:MountTarget");
                assert.strictEqual(mts.length, 2);
                assert.deepStrictEqual(mts.map((m) => m.inputs.subnetId).sort(), ["subnet-mac-dev-vpc-private-0", "subnet-mac-dev-vpc-private-1"]);
                for (const m of mts) {
                    assert.strictEqual(m.inputs.fileSystemId, "mac-dev-efs-id");
                    assert.deepStrictEqual(m.inputs.securityGroups, ["mac-dev-efs-sg-id"]);
                }
            });

            it("security groups admit exactly: SSH to the bastion from the CIDRs, SSH to Macs from the bastion, NFS from the Macs", () => {
                const vpcCidr = "10.40.0.0/16";
                const cidrs: string[] = cfg.bastion.allowedCidrs;
                const mgmt = cfg.windowsManagement?.enabled === true;
                assert.deepStrictEqual(
                    rulesOf(run, byName(run, "mac-dev-bastion-sg")),
                    sorted([
                        ...cidrs.map((c) => ({ dir: "in", proto: "tcp", port: 22, peer: c })),
                        { dir: "out", proto: "tcp", port: 22, peer: "sg:mac-dev-mac-sg" },
                        { dir: "out", proto: "tcp", port: 443, peer: "0.0.0.0/0" },
                        { dir: "out", proto: "tcp", port: 53, peer: vpcCidr },
                        { dir: "out", proto: "udp", port: 53, peer: vpcCidr },
                        ...(mgmt ? [{ dir: "out", proto: "tcp", port: 3389, peer: "sg:mac-dev-mgmt-sg" }] : []),
                    ]).sort((a, b) => `${a.dir}${a.proto}${a.port}${a.peer}`.localeCompare(`${b.dir}${b.proto}${b.port}${b.peer}`)),
                );
                const macRules = rulesOf(run, byName(run, "mac-dev-mac-sg"));
                assert.deepStrictEqual(
                    macRules.filter((r) => r.dir === "in"),
                    [{ dir: "in", proto: "tcp", port: 22, peer: "sg:mac-dev-bastion-sg" }],
                );
                assert.deepStrictEqual(
                    macRules.filter((r) => r.dir === "out").map((r) => `${r.proto}/${r.port}/${r.peer}`).sort(),
                    [`-1/undefined/${vpcCidr}`, "tcp/443/0.0.0.0/0"],
                );
                assert.deepStrictEqual(rulesOf(run, byName(run, "mac-dev-efs-sg")), [{ dir: "in", proto: "tcp", port: 2049, peer: "sg:mac-dev-mac-sg" }]);
                // The security groups carry no inline rules that could widen this.
                for (const sg of ofType(run, "aws:ec2/securityGroup:SecurityGroup").filter((s) => s.name.startsWith("mac-dev-"))) {
                    assert.strictEqual(sg.inputs.ingress, undefined, sg.name);
                    assert.strictEqual(sg.inputs.egress, undefined, sg.name);
                }
                // Nothing opens 22 or 3389 to the internet.
                for (const r of ofType(run, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")) {
                    assert.notStrictEqual(r.inputs.cidrIpv4, "0.0.0.0/0", r.name);
                }
            });

            it("bastion sits in a public subnet, tagged Role=bastion, SSH only from the configured CIDRs", () => {
                const b = byName(run, "mac-dev-bastion", "aws:ec2/instance:Instance");
                assert.strictEqual(b.inputs.tags.Role, "bastion");
                assert.strictEqual(b.inputs.subnetId, "subnet-mac-dev-vpc-public-0");
                assert.strictEqual(b.inputs.associatePublicIpAddress, true);
                assert.deepStrictEqual(b.inputs.vpcSecurityGroupIds, ["mac-dev-bastion-sg-id"]);
                const ssh = ofType(run, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter((r) => r.name.startsWith("mac-dev-bastion-ssh-in-"));
                assert.deepStrictEqual(ssh.map((r) => r.inputs.cidrIpv4), cfg.bastion.allowedCidrs);
            });

            it("requires IMDSv2 and encrypted root volumes on every instance", () => {
                const instances = mine.filter((r) => r.type === "aws:ec2/instance:Instance");
                assert.strictEqual(instances.length, stack === "prod" ? 4 : 3);
                for (const i of instances) {
                    assert.strictEqual(i.inputs.metadataOptions.httpTokens, "required", i.name);
                    assert.strictEqual(i.inputs.metadataOptions.httpEndpoint, "enabled", i.name);
                    assert.strictEqual(i.inputs.rootBlockDevice.encrypted, true, i.name);
                }
            });

            it("gives the Macs SSM plus only the domain-join access they need", () => {
                const attach = ofType(run, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((a) => a.name.startsWith("mac-dev-mac-"));
                assert.deepStrictEqual(attach.map((a) => a.inputs.policyArn), ["arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"]);
                const st = statements(byName(run, "mac-dev-mac-domain-join").inputs.policy);
                const secretArn = byName(run, "mac-dev-admin-secret").state.arn;
                const bySid = Object.fromEntries(st.map((s: any) => [s.Sid, s]));
                assert.deepStrictEqual(bySid.ReadDirectoryAdminSecret.Resource, secretArn);
                assert.deepStrictEqual(bySid.ReadDirectoryAdminSecret.Action, ["secretsmanager:GetSecretValue"], "what the bootstrap script calls, nothing more");
                assert.strictEqual(bySid.DecryptDirectoryAdminSecret.Resource, byName(run, "mac-dev-secrets-key").state.arn);
                assert.strictEqual(bySid.DecryptDirectoryAdminSecret.Condition.StringEquals["kms:ViaService"], `secretsmanager.${REGION}.amazonaws.com`);
                assert.strictEqual(bySid.FindDirectory, undefined, "no script calls ds:DescribeDirectories");
                for (const s of st) {
                    assert.ok(!String(s.Action).includes("*"), `no wildcard action in ${s.Sid}`);
                    assert.notStrictEqual(s.Resource, "*", s.Sid);
                }
            });

            it("Mac user data joins the domain with dsconfigad and mounts EFS by DNS name", () => {
                const ud: string = byName(run, "mac-dev-mac-us-east-2b").inputs.userData;
                assert.match(ud, new RegExp(`dsconfigad -add ${cfg.directory.domainName.replace(/\./g, "\\.")} -computer macos1`));
                assert.match(ud, /secretsmanager get-secret-value --region us-east-2 --secret-id arn:aws:secretsmanager:us-east-2:\d{12}:secret:/);
                // the NFS options AWS documents for EFS on EC2 Mac (macOS speaks NFS 4.0 only), written literally
                assert.ok(
                    ud.includes(
                        `echo '/opt/nfsshare -fstype=nfs,nfsvers=4.0,rsize=65536,wsize=65536,hard,timeo=600,retrans=2,noresvport,mountport=2049 mac-dev-efs-id.efs.${REGION}.amazonaws.com:/' > /etc/auto_efs`,
                    ),
                    ud,
                );
                assert.ok(ud.includes("/- auto_efs -nosuid' >> /etc/auto_master"), "persistent automount map");
                assert.ok(!ud.includes("mock-Password"), "no password in user data");
            });

            it("Mac user data mounts EFS before the domain join, links each developer's EFS folder into their home, and fails when the domain never resolves", () => {
                const ud: string = byName(run, "mac-dev-mac-us-east-2c").inputs.userData;
                assert.ok(ud.indexOf("automount -vc") < ud.indexOf("dsconfigad -add"), "EFS first");
                assert.ok(ud.includes("mkdir -p /opt/nfsshare/home && chmod 1777 /opt/nfsshare/home"));
                assert.ok(ud.includes(`_efs="/opt/nfsshare/home/$(id -un)"`));
                assert.ok(ud.includes(`[ -e "$HOME/efs" ] || ln -s "$_efs" "$HOME/efs"`));
                assert.ok(ud.includes("cat >> /etc/zprofile <<'ZPROFILE'"), "quoted heredoc: expanded at login, not at boot");
                assert.match(ud, /if \[ "\$resolved" != yes \]; then echo "_ldap\._tcp\.[^"]+ did not resolve[^"]*" >&2; exit 1; fi/);
            });

            it("outputs an SSH config: bastion + one ProxyJump host per Mac", () => {
                const out: any = run.outputs.macDev;
                const ssh: string = out.sshConfig;
                assert.match(ssh, /^Host bastion\n/);
                assert.strictEqual((ssh.match(/ProxyJump bastion/g) ?? []).length, 2);
                assert.match(ssh, /Host macos1\n/);
                assert.match(ssh, /Host macos2\n/);
                assert.ok(ssh.includes(`IdentityFile ~/.ssh/${cfg.adminKeyName}`));
                assert.deepStrictEqual(Object.keys(out.hostIds).sort(), AZS);
            });

            it(stack === "prod" ? "protects hosts, directory, EFS, keys and the secret in prod" : "protects nothing in dev", () => {
                const statefulNames = [
                    "mac-dev-host-us-east-2b",
                    "mac-dev-host-us-east-2c",
                    "mac-dev-directory",
                    "mac-dev-efs",
                    "mac-dev-efs-backup",
                    "mac-dev-secrets-key",
                    "mac-dev-efs-key",
                    "mac-dev-admin-secret",
                    "mac-dev-admin-secret-value",
                ];
                for (const n of statefulNames) {
                    assert.strictEqual(byName(run, n).protect, stack === "prod", n);
                }
                if (stack === "dev") {
                    assert.ok(mine.every((r) => !r.protect));
                }
            });

            it(stack === "prod" ? "prod adds the Windows management instance, RDP only from the bastion, joined via SSM" : "dev has no Windows management instance", () => {
                if (stack === "dev") {
                    assert.ok(!run.resources.some((r) => r.name.startsWith("mac-dev-mgmt")));
                    return;
                }
                const mgmt = byName(run, "mac-dev-mgmt", "aws:ec2/instance:Instance");
                assert.strictEqual(mgmt.inputs.subnetId, "subnet-mac-dev-vpc-private-0");
                assert.deepStrictEqual(rulesOf(run, byName(run, "mac-dev-mgmt-sg")).filter((r) => r.dir === "in"), [
                    { dir: "in", proto: "tcp", port: 3389, peer: "sg:mac-dev-bastion-sg" },
                ]);
                const join = byName(run, "mac-dev-mgmt-domain-join");
                assert.strictEqual(join.inputs.name, "AWS-JoinDirectoryServiceDomain");
                // exactly these two: dnsIpAddresses would reach SSM as one comma-joined string and be rejected
                assert.deepStrictEqual(join.inputs.parameters, { directoryId: "mac-dev-directory-id", directoryName: cfg.directory.domainName });
                assert.deepStrictEqual(join.inputs.targets, [{ key: "InstanceIds", values: ["mac-dev-mgmt-id"] }]);
            });
        });
    }

    describe("scripts", () => {
        it("sshConfig renders the bastion and ProxyJump entries", () => {
            const text = sshConfig({
                bastionHostName: "ec2-1-2-3-4.us-east-2.compute.amazonaws.com",
                user: "ec2-user",
                identityFile: "~/.ssh/mac-admin",
                macs: [{ alias: "macos1", hostName: "10.40.32.10" }],
            });
            assert.strictEqual(
                text,
                "Host bastion\n  HostName ec2-1-2-3-4.us-east-2.compute.amazonaws.com\n  User ec2-user\n  IdentityFile ~/.ssh/mac-admin\n\n" +
                    "Host macos1\n  HostName 10.40.32.10\n  ProxyJump bastion\n  User ec2-user\n  IdentityFile ~/.ssh/mac-admin\n",
            );
        });

        it("macUserData refuses values that could inject shell", () => {
            const base = {
                region: "us-east-2",
                domainName: "corp.example.com",
                shortName: "CORP",
                adminSecretArn: "arn:aws:secretsmanager:us-east-2:111111111111:secret:x",
                efsDnsName: "fs-1.efs.us-east-2.amazonaws.com",
                mountPoint: "/opt/nfsshare",
                computerName: "macos1",
            };
            assert.ok(macUserData(base).startsWith("#!/bin/bash"));
            assert.throws(() => macUserData({ ...base, domainName: "corp.example.com; rm -rf /" }), /unsafe domain name/);
        });
    });

    describe("bad config", () => {
        const mac = (f: (c: any) => any) => withConfig(readStackFile("dev"), "macDev", f);
        const cases: { name: string; raw: () => Record<string, unknown>; path: string; message: RegExp }[] = [
            { name: "a non-Mac instance type", raw: () => mac((c) => ({ ...c, macInstanceType: "m5.metal" })), path: "macDev.macInstanceType", message: /not an EC2 Mac instance type/ },
            { name: "an AZ of another Region", raw: () => mac((c) => ({ ...c, availabilityZones: ["us-east-2b", "us-east-1c"] })), path: "macDev.availabilityZones[1]", message: /not an Availability Zone of us-east-2/ },
            { name: "an AZ that does not exist", raw: () => mac((c) => ({ ...c, availabilityZones: ["us-east-2b", "us-east-2d"] })), path: "macDev.availabilityZones[1]", message: /not an Availability Zone/ },
            { name: "three AZs (the directory takes exactly two)", raw: () => mac((c) => ({ ...c, availabilityZones: ["us-east-2a", "us-east-2b", "us-east-2c"] })), path: "macDev.availabilityZones", message: /exactly two/ },
            { name: "the same AZ twice", raw: () => mac((c) => ({ ...c, availabilityZones: ["us-east-2b", "us-east-2b"] })), path: "macDev.availabilityZones[1]", message: /must differ/ },
            { name: "an open bastion", raw: () => mac((c) => ({ ...c, bastion: { ...c.bastion, allowedCidrs: ["0.0.0.0/0"] } })), path: "macDev.bastion.allowedCidrs[0]", message: /allowOpenBastion/ },
            { name: "a malformed bastion CIDR", raw: () => mac((c) => ({ ...c, bastion: { ...c.bastion, allowedCidrs: ["203.0.113.7/24"] } })), path: "macDev.bastion.allowedCidrs[0]", message: /not a valid IPv4 CIDR/ },
            { name: "no bastion CIDRs", raw: () => mac((c) => ({ ...c, bastion: { ...c.bastion, allowedCidrs: [] } })), path: "macDev.bastion.allowedCidrs", message: /at least one CIDR/ },
            { name: "an invalid domain name", raw: () => mac((c) => ({ ...c, directory: { ...c.directory, domainName: "corp_example" } })), path: "macDev.directory.domainName", message: /not a valid DNS domain name/ },
            { name: "an unknown directory edition", raw: () => mac((c) => ({ ...c, directory: { ...c.directory, edition: "Premium" } })), path: "macDev.directory.edition", message: /Standard|Enterprise/ },
            { name: "a password in config", raw: () => mac((c) => ({ ...c, directory: { ...c.directory, password: "hunter2" } })), path: "macDev.directory.password", message: /not a known config key/ },
            { name: "an unknown account", raw: () => mac((c) => ({ ...c, account: "nobody" })), path: "macDev.account", message: /not a key of accounts/ },
            { name: "a VPC azCount other than the two AZs", raw: () => mac((c) => ({ ...c, vpc: { ...c.vpc, azCount: 3 } })), path: "macDev.vpc.azCount", message: /does not match the 2 availabilityZones/ },
            { name: "a malformed AMI ID", raw: () => mac((c) => ({ ...c, macAmiId: "macos-14" })), path: "macDev.macAmiId", message: /not an AMI ID/ },
            { name: "a VPC CIDR with host bits", raw: () => mac((c) => ({ ...c, vpc: { ...c.vpc, cidrBlock: "10.40.0.1/16" } })), path: "macDev.vpc.cidrBlock", message: /not a valid IPv4 CIDR/ },
        ];
        for (const c of cases) {
            it(`rejects ${c.name} at ${c.path}, registering nothing`, () => assertConfigProblem("dev", c.raw(), c.path, c.message));
        }

        it("accepts every EC2 Mac instance type (listed here, not read from the module under test)", () => {
            const expected = ["mac1.metal", "mac2.metal", "mac2-m1ultra.metal", "mac2-m2.metal", "mac2-m2pro.metal", "mac-m4.metal", "mac-m4pro.metal"];
            const cfg: any = readStackFile("dev")["awsarch:macDev"];
            for (const t of expected) {
                assert.ok(macDevSchema.safeParse({ ...cfg, macInstanceType: t }).success, t);
            }
            assert.deepStrictEqual([...MAC_INSTANCE_TYPES].sort(), [...expected].sort());
        });

        it("accepts 0.0.0.0/0 on the bastion only with allowOpenBastion: true", async () => {
            const run = await runConcern("dev", "macDev", mac((c) => ({ ...c, bastion: { ...c.bastion, allowedCidrs: ["0.0.0.0/0"], allowOpenBastion: true } })));
            assert.strictEqual(byName(run, "mac-dev-bastion-ssh-in-0").inputs.cidrIpv4, "0.0.0.0/0");
        });

        it("uses the configured AMI instead of the lookup", async () => {
            const run = await runConcern("dev", "macDev", mac((c) => ({ ...c, macAmiId: "ami-0c84d9da210c1110b", macInstanceType: "mac1.metal" })));
            assert.strictEqual(byName(run, "mac-dev-mac-us-east-2b").inputs.ami, "ami-0c84d9da210c1110b");
            assert.strictEqual(byName(run, "mac-dev-host-us-east-2c").inputs.instanceType, "mac1.metal");
        });
    });
});
