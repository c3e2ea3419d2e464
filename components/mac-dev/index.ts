import * as pulumi from "@pulumi/pulumi";
import { DeployContext, zonesOf } from "../../lib/context";
import { MacDevEnvironment } from "./environment";

export { MacDevEnvironment, MacDevEnvironmentArgs, MacNode } from "./environment";
export * from "./scripts";

/** Stack outputs of the Mac remote development concern. */
export interface MacDevOutputs {
    vpcId: pulumi.Output<string>;
    directoryId: pulumi.Output<string>;
    /** ARN of the secret with the directory `Admin` password (read it with `aws secretsmanager get-secret-value`). */
    adminSecretArn: pulumi.Output<string>;
    fileSystemId: pulumi.Output<string>;
    bastionPublicDns: pulumi.Output<string>;
    /** Dedicated Host IDs by AZ. */
    hostIds: Record<string, pulumi.Output<string>>;
    /** `~/.ssh/config` fragment: bastion + ProxyJump per Mac. */
    sshConfig: pulumi.Output<string>;
}

/** SPEC concern 7: EC2 Mac instances as shared remote development environments. */
export function deployMacDev(ctx: DeployContext): MacDevOutputs | undefined {
    const cfg = ctx.config.macDev;
    if (!cfg || !cfg.enabled) {
        return undefined;
    }
    const env = new MacDevEnvironment("mac-dev", {
        region: cfg.region,
        accountId: ctx.providers.accountId(cfg.account),
        namePrefix: `${ctx.project}-${ctx.stack}`,
        availabilityZones: zonesOf(ctx, "macDev"),
        vpcCidrBlock: cfg.vpc.cidrBlock,
        natGateways: cfg.vpc.natGateways,
        flowLogRetentionDays: cfg.vpc.flowLogRetentionDays,
        macInstanceType: cfg.macInstanceType,
        macAmiId: cfg.macAmiId,
        macOsVersion: cfg.macOsVersion,
        macRootVolumeGiB: cfg.macRootVolumeGiB,
        hostRecovery: cfg.hostRecovery,
        adminKeyName: cfg.adminKeyName,
        domainName: cfg.directory.domainName,
        shortName: cfg.directory.shortName ?? cfg.directory.domainName.split(".")[0].slice(0, 15).toUpperCase(),
        directoryEdition: cfg.directory.edition,
        efsTransitionToIaDays: cfg.efs.transitionToIaDays,
        efsMountPoint: cfg.efs.mountPoint,
        bastionAllowedCidrs: cfg.bastion.allowedCidrs,
        bastionInstanceType: cfg.bastion.instanceType,
        windowsManagement: cfg.windowsManagement.enabled,
        windowsInstanceType: cfg.windowsManagement.instanceType,
        protect: ctx.isProd,
    }, { providers: [ctx.providers.get(cfg.account, cfg.region), ctx.providers.random(), ctx.providers.awsx()] });
    return {
        vpcId: env.vpc.vpcId,
        directoryId: env.directory.id,
        adminSecretArn: env.adminSecret.arn,
        fileSystemId: env.fileSystem.id,
        bastionPublicDns: env.bastion.publicDns,
        hostIds: Object.fromEntries(env.macs.map((m) => [m.az, m.host.id])),
        sshConfig: env.sshConfig,
    };
}
