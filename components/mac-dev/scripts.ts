/**
 * Pure builders for the Mac environment's user data and SSH config, kept
 * separate from the resources so they can be tested directly.
 */

/** What the Mac bootstrap script needs. */
export interface MacUserDataInput {
    /** Region of the directory admin secret. */
    region: string;
    /** Fully qualified AD domain name. */
    domainName: string;
    /** NetBIOS name of the domain. */
    shortName: string;
    /** ARN of the Secrets Manager secret holding the directory `Admin` password. */
    adminSecretArn: string;
    /** DNS name of the EFS file system (`fs-....efs.<region>.amazonaws.com`). */
    efsDnsName: string;
    /** Where EFS is mounted (home directories live below it). */
    mountPoint: string;
    /** Computer name of this Mac in the directory (at most 15 characters). */
    computerName: string;
}

/** Rejects values that would break out of the script's quoting. */
function safe(value: string, what: string): string {
    if (!/^[\w.:/@+-]+$/.test(value)) {
        throw new Error(`unsafe ${what} for a shell script: ${value}`);
    }
    return value;
}

/** NFS options AWS documents for EFS on EC2 Mac (the macOS client speaks NFS 4.0 only). */
export const MAC_EFS_NFS_OPTIONS = "nfsvers=4.0,rsize=65536,wsize=65536,hard,timeo=600,retrans=2,noresvport,mountport=2049";

/**
 * macOS user data (run once by ec2-macos-init):
 * 1. mounts EFS persistently through an automount map with the NFS options
 *    AWS documents for Mac ({@link MAC_EFS_NFS_OPTIONS}) and prepares
 *    `<mount>/home` (sticky, world-writable like `/tmp`);
 * 2. installs a zsh login snippet (`/etc/zprofile`) that gives each directory
 *    user a private folder `<mount>/home/<user>` (mode 700) and links it into
 *    their home as `~/efs`, as the post links the share into the developer's home;
 * 3. waits for the domain's SRV record (the VPC's DHCP options point at the
 *    directory's DNS) and fails loudly if it never resolves, then joins the AWS
 *    Managed AD with `dsconfigad`, reading the admin password from Secrets
 *    Manager at boot (never baked into the user data).
 * EFS is mounted first, so a directory problem does not leave the Mac without it.
 */
export function macUserData(i: MacUserDataInput): string {
    const region = safe(i.region, "region");
    const domain = safe(i.domainName, "domain name");
    const short = safe(i.shortName, "short name");
    const secret = safe(i.adminSecretArn, "secret ARN");
    const efs = safe(i.efsDnsName, "EFS DNS name");
    const mount = safe(i.mountPoint, "mount point");
    const computer = safe(i.computerName.slice(0, 15), "computer name");
    return [
        "#!/bin/bash",
        "set -euo pipefail",
        "exec >>/var/log/awsarch-bootstrap.log 2>&1",
        "",
        "# --- mount EFS (developer folders) over NFS 4.0, persistently ---",
        `mkdir -p ${mount}`,
        "grep -q auto_efs /etc/auto_master || echo '/- auto_efs -nosuid' >> /etc/auto_master",
        `echo '${mount} -fstype=nfs,${MAC_EFS_NFS_OPTIONS} ${efs}:/' > /etc/auto_efs`,
        "chmod 644 /etc/auto_efs",
        "automount -vc",
        `ls ${mount} >/dev/null`,
        `mkdir -p ${mount}/home && chmod 1777 ${mount}/home`,
        "",
        "# --- link each developer's EFS folder into their home at login ---",
        "if ! grep -q awsarch-efs-home /etc/zprofile 2>/dev/null; then",
        "cat >> /etc/zprofile <<'ZPROFILE'",
        "# awsarch-efs-home: the developer's persistent folder on EFS, linked as ~/efs",
        `if [ "$(id -u)" -ge 1000 ] && [ -d ${mount}/home ]; then`,
        `  _efs="${mount}/home/$(id -un)"`,
        '  [ -d "$_efs" ] || { mkdir -p "$_efs" && chmod 700 "$_efs"; }',
        '  [ -e "$HOME/efs" ] || ln -s "$_efs" "$HOME/efs"',
        "  unset _efs",
        "fi",
        "ZPROFILE",
        "fi",
        "",
        "# --- join the AWS Managed Microsoft AD ---",
        `scutil --set ComputerName ${computer}`,
        `scutil --set LocalHostName ${computer}`,
        `scutil --set HostName ${computer}.${domain}`,
        "resolved=no",
        "for i in $(seq 1 60); do",
        `  if host -t SRV _ldap._tcp.${domain} >/dev/null 2>&1; then resolved=yes; break; fi`,
        "  sleep 10",
        "done",
        `if [ "$resolved" != yes ]; then echo "_ldap._tcp.${domain} did not resolve in 10 minutes: check the VPC DHCP options" >&2; exit 1; fi`,
        `ADMIN_PASSWORD="$(/usr/local/bin/aws secretsmanager get-secret-value --region ${region} --secret-id ${secret} --query SecretString --output text)"`,
        `if ! dsconfigad -show | grep -qi "${domain}"; then`,
        `  dsconfigad -add ${domain} -computer ${computer} -username Admin -password "$ADMIN_PASSWORD" -mobile disable -localhome enable -useuncpath disable -shell /bin/zsh -force`,
        "fi",
        "unset ADMIN_PASSWORD",
        'dscl /Search -create / SearchPolicy CSPSearchPath',
        `dscl /Search -append / CSPSearchPath "/Active Directory/${short}/All Domains" || true`,
        `dsconfigad -alldomains enable -groups "${short}\\\\AWS Delegated Administrators" || true`,
        "",
    ].join("\n");
}

/** One Mac in the SSH config. */
export interface SshHost {
    /** The `Host` alias (e.g. `macos1`). */
    alias: string;
    /** Private IP or DNS name of the Mac. */
    hostName: string;
}

/** Inputs of {@link sshConfig}. */
export interface SshConfigInput {
    /** Public DNS name (or IP) of the bastion. */
    bastionHostName: string;
    /** Login user on the bastion and Macs (the local admin is `ec2-user`). */
    user: string;
    /** Private key file, e.g. `~/.ssh/mac-admin`. */
    identityFile: string;
    /** The Macs, in AZ order. */
    macs: SshHost[];
}

/** An `~/.ssh/config` fragment: the bastion plus one ProxyJump entry per Mac, as the post sets it up. */
export function sshConfig(c: SshConfigInput): string {
    const lines = ["Host bastion", `  HostName ${c.bastionHostName}`, `  User ${c.user}`, `  IdentityFile ${c.identityFile}`, ""];
    for (const m of c.macs) {
        lines.push(`Host ${m.alias}`, `  HostName ${m.hostName}`, "  ProxyJump bastion", `  User ${c.user}`, `  IdentityFile ${c.identityFile}`, "");
    }
    return lines.join("\n");
}
