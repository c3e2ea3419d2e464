import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

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
