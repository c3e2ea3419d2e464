import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { al2023X86AmiId } from "../../lib/aws/ami";

/** One prioritized instance option of the fleet. */
export interface FleetOverride {
    /** Instance type, e.g. `m5.2xlarge`. */
    instanceType: string;
    /** Units of capacity one instance counts for. */
    weightedCapacity: number;
    /** Order of preference (lower first). */
    priority: number;
}

/** Inputs of {@link PrioritizedFleet}. */
export interface PrioritizedFleetArgs {
    /** Subnet the instances launch into (the Outpost subnet). */
    subnetId: string;
    /** True when the subnet is on an Outpost: EBS volumes are gp2 there (the only type Outposts racks offer). */
    onOutpost: boolean;
    /** AMI ID; when omitted the newest Amazon Linux 2023 x86_64 AMI is looked up. */
    amiId?: string;
    /** `on-demand` (Outposts) or `spot` (in-Region only; config validation refuses Spot on an Outpost). Default on-demand. */
    capacityType?: "on-demand" | "spot";
    /** Total target capacity in units. */
    targetCapacity: number;
    /** Overrides in order of preference. */
    overrides: FleetOverride[];
    /** Root device name of the AMI (the encrypted root mapping must name it; config default `/dev/xvda`, Amazon Linux). */
    rootDeviceName: string;
    /** Root volume size in GiB (config default 30). */
    rootVolumeGiB: number;
    /** Security groups for the instances (default: the VPC's default group). */
    securityGroupIds?: string[];
    /** Tags on instances and volumes (provider default tags do not reach instances a fleet launches). */
    instanceTags: Record<string, string>;
}

/**
 * The Outposts post as code: a launch template without an instance type
 * (IMDSv2, encrypted root volume, tags) and an `instant` EC2 Fleet that launches
 * On-Demand capacity in units, trying the overrides by priority. Deleting the
 * fleet terminates its instances.
 */
export class PrioritizedFleet extends pulumi.ComponentResource {
    /** The launch template (no instance type: the overrides choose it). */
    public readonly launchTemplate: aws.ec2.LaunchTemplate;
    /** The instant fleet. */
    public readonly fleet: aws.ec2.Fleet;
    /** The fleet's ID. */
    public readonly fleetId: pulumi.Output<string>;

    constructor(name: string, args: PrioritizedFleetArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super("awsarch:outpostFleet:PrioritizedFleet", name, {}, opts);
        // Children (and invokes) inherit the provider the component is given.
        const child = { parent: this };

        const imageId: pulumi.Input<string> = args.amiId ?? al2023X86AmiId({ parent: this });

        const tagSpec = (resourceType: string) => ({ resourceType, tags: { ...args.instanceTags } });
        this.launchTemplate = new aws.ec2.LaunchTemplate(
            `${name}-lt`,
            {
                description: "Outpost workload: instance type comes from the EC2 Fleet overrides",
                imageId,
                metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1, instanceMetadataTags: "disabled" },
                blockDeviceMappings: [
                    {
                        deviceName: args.rootDeviceName,
                        ebs: {
                            encrypted: "true",
                            deleteOnTermination: "true",
                            volumeSize: args.rootVolumeGiB,
                            volumeType: args.onOutpost ? "gp2" : "gp3",
                        },
                    },
                ],
                vpcSecurityGroupIds: args.securityGroupIds,
                monitoring: { enabled: true },
                tagSpecifications: [tagSpec("instance"), tagSpec("volume")],
                updateDefaultVersion: true,
            },
            // A looked-up AMI changes with every release; an instant fleet would be replaced (instances
            // terminated and relaunched) for it. Pin `amiId` to roll out a new image deliberately.
            { ...child, ignoreChanges: args.amiId ? [] : ["imageId"] },
        );

        const spot = args.capacityType === "spot";
        if (spot && args.onOutpost) {
            throw new Error("Spot capacity is not available on an Outpost");
        }
        this.fleet = new aws.ec2.Fleet(
            `${name}-fleet`,
            {
                type: "instant",
                onDemandOptions: { allocationStrategy: "prioritized" },
                // In-Region Spot honours the priorities on a best-effort basis.
                spotOptions: spot ? { allocationStrategy: "capacity-optimized-prioritized" } : undefined,
                targetCapacitySpecification: {
                    defaultTargetCapacityType: spot ? "spot" : "on-demand",
                    totalTargetCapacity: args.targetCapacity,
                    onDemandTargetCapacity: spot ? 0 : args.targetCapacity,
                    spotTargetCapacity: spot ? args.targetCapacity : 0,
                    // Capacity is in units (the overrides' weights): that is the API default, and
                    // `targetCapacityUnitType` may only be set with attribute-based selection
                    // (instanceRequirements), so it is deliberately left unset.
                },
                launchTemplateConfigs: [
                    {
                        launchTemplateSpecification: {
                            launchTemplateId: this.launchTemplate.id,
                            version: this.launchTemplate.latestVersion.apply((v) => String(v)),
                        },
                        overrides: args.overrides.map((o) => ({
                            instanceType: o.instanceType,
                            weightedCapacity: o.weightedCapacity,
                            priority: o.priority,
                            subnetId: args.subnetId,
                        })),
                    },
                ],
                // Deleting the fleet terminates what it launched (an instant fleet otherwise leaves them running).
                terminateInstances: true,
            },
            child,
        );
        this.fleetId = this.fleet.id;
        this.registerOutputs({ fleetId: this.fleetId, launchTemplateId: this.launchTemplate.id });
    }
}
