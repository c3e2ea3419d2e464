/**
 * Zonal facts AWS enforces and the program relies on, by Availability Zone *ID* (zone names map
 * to different IDs in every account; IDs are the same everywhere). Dependency-free, like the
 * version tables beside it.
 */

/** A zonal service whose subnets the program chooses. */
export type ZonalService = "msk" | "eks";

/** Zone IDs a service refuses, with where that is stated. */
export interface ZoneExclusion {
    service: ZonalService;
    zoneIds: readonly string[];
    source: string;
    note?: string;
}

export const ZONE_EXCLUSIONS: readonly ZoneExclusion[] = [
    {
        service: "msk",
        zoneIds: ["use1-az3"],
        source: "MSK API reference, BrokerNodeGroupInfo.ClientSubnets: \"Client subnets can't occupy the Availability Zone with ID use1-az3\", https://docs.aws.amazon.com/msk/1.0/apireference/clusters.html",
    },
    {
        service: "eks",
        zoneIds: ["use1-az3", "usw1-az2", "cac1-az3", "cnn1-az4"],
        source: "EKS CreateCluster UnsupportedAvailabilityZoneException (https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateCluster.html); eksctl pkg/az/az.go zoneIDsToAvoid",
        note: "eksctl now avoids only cnn1-az4 (eksctl#3916); it avoided use1-az3, usw1-az2 and cac1-az3 until AWS stopped refusing them for most accounts. Excluding them costs nothing (other zones are chosen) while one refused zone fails CreateCluster, so all four stay excluded.",
    },
];

/** The zone IDs `service` refuses (in any Region). */
export function excludedZoneIds(service: ZonalService): string[] {
    return ZONE_EXCLUSIONS.filter((e) => e.service === service).flatMap((e) => e.zoneIds);
}

/**
 * How a user finds the zones that offer an instance type (Mac hosts: mac1.metal and mac2.metal are
 * offered in some zones only; the program checks the configured zones with the same call at preview).
 */
export const INSTANCE_TYPE_OFFERINGS_HINT =
    "aws ec2 describe-instance-type-offerings --location-type availability-zone-id --filters Name=instance-type,Values=<type> --region <region>";
