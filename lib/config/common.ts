import { z } from "zod";
import { isAwsRegion } from "../regions";
import { SupportTable, unsupportedReason } from "../support";

/**
 * Building blocks shared by every concern's config schema. Each concern lives in
 * its own module (`lib/config/<concern>.ts`) and is plugged into the root schema
 * in `lib/config/schema.ts`.
 */

/** A commercial AWS Region name such as `us-east-1`. */
export const region = z.string().superRefine((v, ctx) => {
    if (!isAwsRegion(v)) {
        ctx.addIssue({ code: "custom", message: `"${v}" is not an AWS Region` });
    }
});

/**
 * A version from a dated support table (`lib/support`): refused when the table does not know it or
 * when it is past its end of support on the plan date, with the versions that are supported.
 */
export function supportedVersion(table: SupportTable) {
    return z.string().superRefine(supportRefinement(table));
}

/** The check of {@link supportedVersion}, for a schema that narrows the value first (an enum). */
export function supportRefinement(table: SupportTable): (v: string, ctx: z.RefinementCtx) => void {
    return (v, ctx) => {
        const reason = unsupportedReason(table, v);
        if (reason) {
            ctx.addIssue({ code: "custom", message: reason });
        }
    };
}

/** A 12-digit AWS account ID. */
export const accountId = z.string().regex(/^\d{12}$/, { message: "must be a 12-digit AWS account ID" });

/** The key of an entry in the root `accounts` map (checked against it by the root schema). */
export const accountRef = z.string().min(1, { message: "must name an entry of `accounts`" });

/** An IAM role ARN. */
export const roleArn = z
    .string()
    .regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@\/-]+$/, { message: "must be an IAM role ARN" });

/** A strictly positive integer. */
export const positiveInt = z.number().int({ message: "must be an integer" }).positive({ message: "must be positive" });

/** A strictly positive number. */
export const positiveNumber = z.number().positive({ message: "must be positive" });

/** An e-mail address. */
export const email = z.string().regex(/^[^@\s]+@[^@\s]+\.[a-zA-Z]{2,}$/, { message: "is not a valid e-mail address" });

/** Parses an IPv4 CIDR into [network, prefix] or returns undefined when malformed. */
export function parseCidr(cidr: string): { network: number; prefix: number } | undefined {
    const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
    if (!m) {
        return undefined;
    }
    const octets = m.slice(1, 5).map(Number);
    const prefix = Number(m[5]);
    if (octets.some((o) => o > 255) || prefix > 32) {
        return undefined;
    }
    const ip = ((octets[0] << 24) >>> 0) + (octets[1] << 16) + (octets[2] << 8) + octets[3];
    const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
    if ((ip & mask) >>> 0 !== ip) {
        return undefined; // host bits set: 10.0.0.1/16 is almost always a typo
    }
    return { network: ip, prefix };
}

/** True when two well-formed IPv4 CIDRs overlap. */
export function cidrsOverlap(a: string, b: string): boolean {
    const x = parseCidr(a);
    const y = parseCidr(b);
    if (!x || !y) {
        return false;
    }
    const prefix = Math.min(x.prefix, y.prefix);
    const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
    return (x.network & mask) >>> 0 === (y.network & mask) >>> 0;
}

/** An IPv4 CIDR block such as `10.20.0.0/16` (network address, no host bits). */
export const cidr = z.string().superRefine((v, ctx) => {
    if (!parseCidr(v)) {
        ctx.addIssue({ code: "custom", message: `"${v}" is not a valid IPv4 CIDR block` });
    }
});

/** Log retention values CloudWatch Logs accepts (CloudWatch Logs API Reference, PutRetentionPolicy: retentionInDays "Valid Values"; terraform-provider-aws internal/service/logs/group.go validates the same list, plus 0 for "never expire"). */
export const LOG_RETENTION_DAYS = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

export const logRetentionDays = z.number().superRefine((v, ctx) => {
    if (!(LOG_RETENTION_DAYS as readonly number[]).includes(v)) {
        ctx.addIssue({
            code: "custom",
            message: `${v} is not a CloudWatch Logs retention value (${LOG_RETENTION_DAYS.join(", ")})`,
        });
    }
});

/**
 * The VPC shape every concern that owns a VPC uses. The root schema checks that
 * VPCs in one Region do not overlap, by finding every object with a `region`
 * and a `vpc.cidrBlock`.
 */
export const vpcSchema = z
    .object({
        /** The VPC's IPv4 CIDR block. */
        cidrBlock: cidr,
        /** Number of Availability Zones (2 or 3). */
        azCount: z.number().int().min(2, { message: "must be at least 2" }).max(3, { message: "must be at most 3" }).default(2),
        /** `single` (one NAT gateway, dev) or `onePerAz` (one per AZ, production). */
        natGateways: z.enum(["single", "onePerAz"]).default("onePerAz"),
        /** Retention of the VPC's flow log group, in days (every VPC logs all its traffic). */
        flowLogRetentionDays: logRetentionDays.default(90),
    })
    .strict();
export type VpcConfig = z.infer<typeof vpcSchema>;

/**
 * A VPC whose Availability Zones the program chooses by zone ID (MSK, EKS): by default the first
 * `azCount` zones of the account that the service accepts; `availabilityZones` pins the names
 * (recommended once deployed, so a change in the account's zones never moves subnets).
 */
export const zonalVpcSchema = vpcSchema
    .extend({
        /** Zone names to use, in order (`azCount` of them); checked against the service's zone-ID exclusions at preview. */
        availabilityZones: z.array(z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d[a-z]$/, { message: "is not an Availability Zone name" })).optional(),
    })
    .strict()
    .superRefine((v, ctx) => {
        if (v.availabilityZones && v.availabilityZones.length !== v.azCount) {
            ctx.addIssue({ code: "custom", path: ["availabilityZones"], message: `lists ${v.availabilityZones.length} zones but azCount is ${v.azCount}` });
        }
        if (v.availabilityZones && new Set(v.availabilityZones).size !== v.availabilityZones.length) {
            ctx.addIssue({ code: "custom", path: ["availabilityZones"], message: "lists a zone twice" });
        }
    });

/**
 * Adds an issue at `<key>[i]` for every entry of `values` already listed at a
 * lower index (for `.superRefine` on lists that must not repeat, e.g. Regions).
 */
export function addDuplicateIssues(values: readonly string[], key: string, ctx: z.RefinementCtx): void {
    const seen = new Map<string, number>();
    values.forEach((v, i) => {
        if (seen.has(v)) {
            ctx.addIssue({ code: "custom", path: [key, i], message: `"${v}" is already listed at ${key}[${seen.get(v)}]` });
        }
        seen.set(v, i);
    });
}
