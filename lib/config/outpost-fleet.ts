import { z } from "zod";
import { accountRef, positiveInt, positiveNumber, region } from "./common";

/** An EC2 instance type name such as `m5.2xlarge` or `c6gd.large` (future generations allowed). */
export const INSTANCE_TYPE_PATTERN = /^[a-z][a-z0-9-]*\.(nano|micro|small|medium|large|xlarge|\d{1,2}xlarge|metal(-\d+xl)?)$/;

const overrideSchema = z
    .object({
        /** Instance type of this option, e.g. `m5.2xlarge`. */
        instanceType: z.string().regex(INSTANCE_TYPE_PATTERN, { message: "is not an EC2 instance type (family.size, e.g. m5.2xlarge)" }),
        /** Units of capacity one instance of this type counts for (required: the fleet's target is in units). */
        weightedCapacity: positiveNumber,
        /** Order of preference: lower is launched first. Each override has a distinct priority. */
        priority: z.number().min(0, { message: "must not be negative" }),
    })
    .strict();

export const outpostFleetSchema = z
    .object({
        /** Deploy this concern. */
        enabled: z.boolean().default(true),
        /** Key in `accounts` of the account that owns the Outpost (or the in-Region subnet). */
        account: accountRef,
        /** Region the Outpost is anchored to. */
        region: region.default("us-west-2"),
        /** The subnet instances launch into: the Outpost subnet (or an in-Region subnet for a dry run in dev). */
        subnetId: z.string().regex(/^subnet-[0-9a-f]{8,17}$/, { message: "is not a subnet ID (subnet-...)" }),
        /** ARN of the Outpost the subnet belongs to (marks the fleet as running on an Outpost). */
        outpostArn: z
            .string()
            .regex(/^arn:aws[a-z-]*:outposts:[a-z0-9-]+:\d{12}:outpost\/op-[0-9a-f]{17}$/, { message: "is not an Outpost ARN" })
            .optional(),
        /** Set when the subnet is on an Outpost but no `outpostArn` is given. */
        onOutpost: z.boolean().default(false),
        /** The AMI the launch template uses. When omitted, the newest Amazon Linux 2023 AMI is looked up. */
        amiId: z.string().regex(/^ami-[0-9a-f]{8,17}$/, { message: "is not an AMI ID (ami-...)" }).optional(),
        /**
         * Root device name of the AMI (`aws ec2 describe-images --image-ids <ami> --query
         * 'Images[0].RootDeviceName'`): the encrypted root volume mapping must name it, or the
         * template adds a second volume and the root keeps the AMI's own settings. Amazon Linux
         * uses `/dev/xvda`; Ubuntu, RHEL and Windows use `/dev/sda1`.
         */
        rootDeviceName: z
            .string()
            .regex(/^\/dev\/(xvd[a-z]|sd[a-z]1?|nvme[0-9]+n[0-9]+)$/, { message: "is not a device name such as /dev/xvda or /dev/sda1" })
            .default("/dev/xvda"),
        /** Capacity purchase option. Outposts only run On-Demand. */
        capacityType: z.enum(["on-demand", "spot"]).default("on-demand"),
        /** Total target capacity, in units (weights of the overrides). */
        targetCapacity: positiveInt,
        /** Root volume of each instance, in GiB (encrypted). */
        rootVolumeGiB: positiveInt.default(30),
        /** Security groups of the instances (omit for the VPC's default group). */
        securityGroupIds: z.array(z.string().regex(/^sg-[0-9a-f]{8,17}$/, { message: "is not a security group ID (sg-...)" })).optional(),
        /** Tags on the launched instances and volumes. */
        instanceTags: z.record(z.string().min(1).max(128), z.string().max(256)).default({}),
        /** Prioritized instance options, most preferred first; the fleet evaluates them by `priority`. */
        overrides: z.array(overrideSchema).min(1, { message: "must list at least one override" }),
    })
    .strict()
    .superRefine((c, ctx) => {
        if (c.capacityType === "spot" && (c.outpostArn !== undefined || c.onOutpost)) {
            ctx.addIssue({ code: "custom", path: ["capacityType"], message: "spot is not available on an Outpost: use on-demand" });
        }
        const seen = new Map<number, number>();
        c.overrides.forEach((o, i) => {
            const prev = seen.get(o.priority);
            if (prev !== undefined) {
                ctx.addIssue({ code: "custom", path: ["overrides", i, "priority"], message: `${o.priority} is already used by overrides[${prev}]` });
            }
            seen.set(o.priority, i);
        });
    });

export type OutpostFleetConfig = z.infer<typeof outpostFleetSchema>;
