import { z } from "zod";
import { isAzOfRegion } from "../regions";
import { accountRef, cidr, parseCidr, positiveInt, region, vpcSchema } from "./common";

/**
 * EC2 Mac instance types (bare-metal Mac minis / Mac Studios on Dedicated Hosts).
 * Anything else cannot be placed on a Mac Dedicated Host.
 */
export const MAC_INSTANCE_TYPES = [
    "mac1.metal",
    "mac2.metal",
    "mac2-m1ultra.metal",
    "mac2-m2.metal",
    "mac2-m2pro.metal",
    "mac-m4.metal",
    "mac-m4pro.metal",
] as const;

/** True for an Apple-silicon Mac type (arm64 AMIs); `mac1.metal` is Intel (x86_64). */
export function isAppleSilicon(instanceType: string): boolean {
    return instanceType !== "mac1.metal";
}

/** A DNS domain name such as `corp.example.com` (at least two labels). */
const dnsName = z
    .string()
    .regex(/^(?=.{1,253}$)([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$/, {
        message: "is not a valid DNS domain name (e.g. corp.example.com)",
    });

/** A general-purpose EC2 instance type name (`t3.micro`, `m6i.large`). */
const instanceType = z.string().regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, { message: "is not an EC2 instance type" });

/** An AMI ID. */
const amiId = z.string().regex(/^ami-[0-9a-f]{8,17}$/, { message: "is not an AMI ID (ami-...)" });

export const macDevSchema = z
    .object({
        /** Deploy this concern. */
        enabled: z.boolean().default(true),
        /** Key in `accounts` of the account that owns the environment. */
        account: accountRef,
        /** Region of the environment (us-east-2 in the post). */
        region: region.default("us-east-2"),
        /**
         * The two Availability Zones: one Dedicated Host and one Mac per AZ; the
         * Managed AD takes exactly these two subnets. Mac hosts are not offered in every AZ.
         */
        availabilityZones: z.array(z.string()).default(["us-east-2b", "us-east-2c"]),
        /** The environment's VPC (public subnets for the bastion, private subnets for the Macs). */
        vpc: vpcSchema,
        /** EC2 Mac instance type of the hosts and instances (`mac1.metal`, `mac2.metal`, ...). */
        macInstanceType: z.string().default("mac2.metal"),
        /** macOS AMI. When omitted, the newest Amazon macOS AMI of `macOsVersion` is looked up. */
        macAmiId: amiId.optional(),
        /** macOS major version for the AMI lookup (e.g. `14` for Sonoma). */
        macOsVersion: z.string().regex(/^\d{2}(\.\d+)?$/, { message: "is not a macOS version such as 14 or 15" }).default("14"),
        /** Root EBS volume of each Mac, in GiB (encrypted). */
        macRootVolumeGiB: positiveInt.default(200),
        /** Host recovery on the Dedicated Hosts (`on` restarts the instance on a new host after a hardware failure). */
        hostRecovery: z.enum(["on", "off"]).default("off"),
        /** Name of an existing EC2 key pair for the local admin user (`ec2-user`) on the bastion and Macs. */
        adminKeyName: z.string().min(1).max(255).optional(),
        /** AWS Managed Microsoft AD. */
        directory: z
            .object({
                /** Fully qualified domain name, e.g. `corp.example.com`. */
                domainName: dnsName,
                /** NetBIOS name (defaults to the first label, upper-case). */
                shortName: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9-]{0,14}$/, { message: "must be 1-15 letters, digits or dashes" }).optional(),
                /** `Standard` or `Enterprise`. */
                edition: z.enum(["Standard", "Enterprise"]).default("Standard"),
            })
            .strict(),
        /** EFS file system for the shared home directories. */
        efs: z
            .object({
                /** Move files not read for this many days to Infrequent Access (omit to keep everything in Standard). */
                transitionToIaDays: z.union([z.literal(1), z.literal(7), z.literal(14), z.literal(30), z.literal(60), z.literal(90), z.literal(180), z.literal(270), z.literal(365)]).optional(),
                /** Mount point on the Macs. */
                mountPoint: z.string().regex(/^\/[\w./-]+$/, { message: "must be an absolute path" }).default("/opt/nfsshare"),
            })
            .strict()
            .prefault({}),
        /** Internet-facing SSH bastion (the only way in). */
        bastion: z
            .object({
                /** Source CIDRs admitted to SSH on the bastion. */
                allowedCidrs: z.array(cidr).min(1, { message: "must list at least one CIDR" }),
                /** Allow `0.0.0.0/0` in `allowedCidrs` (refused unless set). */
                allowOpenBastion: z.boolean().default(false),
                /** Bastion instance type. */
                instanceType: instanceType.default("t3.micro"),
            })
            .strict(),
        /** Optional Windows instance for administering the directory (RDP through the bastion). */
        windowsManagement: z
            .object({
                /** Create the Windows management instance. */
                enabled: z.boolean().default(false),
                /** Its instance type. */
                instanceType: instanceType.default("t3.medium"),
            })
            .strict()
            .prefault({}),
    })
    .strict()
    .superRefine((c, ctx) => {
        if (!(MAC_INSTANCE_TYPES as readonly string[]).includes(c.macInstanceType)) {
            ctx.addIssue({
                code: "custom",
                path: ["macInstanceType"],
                message: `"${c.macInstanceType}" is not an EC2 Mac instance type (${MAC_INSTANCE_TYPES.join(", ")})`,
            });
        }
        if (c.availabilityZones.length !== 2) {
            ctx.addIssue({
                code: "custom",
                path: ["availabilityZones"],
                message: `must list exactly two Availability Zones (the directory takes exactly two subnets), got ${c.availabilityZones.length}`,
            });
        } else if (c.availabilityZones[0] === c.availabilityZones[1]) {
            ctx.addIssue({ code: "custom", path: ["availabilityZones", 1], message: "must differ from availabilityZones[0]" });
        }
        c.availabilityZones.forEach((az, i) => {
            if (!isAzOfRegion(az, c.region)) {
                ctx.addIssue({ code: "custom", path: ["availabilityZones", i], message: `"${az}" is not an Availability Zone of ${c.region}` });
            }
        });
        if (c.vpc.azCount !== c.availabilityZones.length) {
            ctx.addIssue({
                code: "custom",
                path: ["vpc", "azCount"],
                message: `${c.vpc.azCount} does not match the ${c.availabilityZones.length} availabilityZones`,
            });
        }
        c.bastion.allowedCidrs.forEach((b, i) => {
            const p = parseCidr(b);
            if (p && p.prefix === 0 && !c.bastion.allowOpenBastion) {
                ctx.addIssue({
                    code: "custom",
                    path: ["bastion", "allowedCidrs", i],
                    message: `${b} opens SSH to the internet; set bastion.allowOpenBastion: true to allow it`,
                });
            }
        });
    });

export type MacDevConfig = z.infer<typeof macDevSchema>;
