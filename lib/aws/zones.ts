import * as aws from "@pulumi/aws";
import { ConfigProblem } from "../config/schema";
import { excludedZoneIds, INSTANCE_TYPE_OFFERINGS_HINT, ZONE_EXCLUSIONS, ZonalService } from "../support/zones";

/** What one concern needs placed: `count` zones of its Region in its account. */
export interface ZoneRequest {
    /** Config key path of the concern's zone settings, e.g. `msk.vpc` (problems are reported under it). */
    key: string;
    /** The provider of the concern's account and Region (the lookups run with it). */
    provider: aws.Provider;
    region: string;
    /** How many zones. */
    count: number;
    /** The service whose zone-ID exclusions apply (see `ZONE_EXCLUSIONS`). */
    service?: ZonalService;
    /** Zone names the config pins; `pinnedKey` is their config path (default `<key>.availabilityZones`). */
    pinned?: string[];
    pinnedKey?: string;
    /** An instance type every chosen zone must offer (Mac hosts). */
    instanceType?: string;
}

/** The zones chosen for a request (names in order, with their IDs), or the problems that stop the program. */
export interface ZoneChoice {
    names: string[];
    zoneIds: string[];
    problems: ConfigProblem[];
}

/**
 * Chooses a concern's Availability Zones by zone ID. The account's zones come from
 * `aws.getAvailabilityZones` (regular zones only, whatever their current state, so a zone that is
 * briefly impaired never shifts the choice and moves subnets); the service's refused zone IDs
 * are skipped; a pinned list is checked instead of chosen. With `instanceType`, every zone must
 * offer it (`aws.ec2.getInstanceTypeOfferings` by zone ID). These are invokes: they run at
 * `pulumi preview` with the account's credentials, before any resource is created.
 */
export async function chooseZones(req: ZoneRequest): Promise<ZoneChoice> {
    const azs = await aws.getAvailabilityZones({ allAvailabilityZones: false }, { provider: req.provider });
    const idOf = new Map(azs.names.map((n, i) => [n, azs.zoneIds[i]]));
    const excluded = new Set(req.service ? excludedZoneIds(req.service) : []);
    const why = (id: string) => {
        const e = ZONE_EXCLUSIONS.find((x) => x.service === req.service && x.zoneIds.includes(id));
        return `zone ${id}, which ${req.service?.toUpperCase()} refuses (${e?.source})`;
    };
    const problems: ConfigProblem[] = [];
    let names: string[];
    if (req.pinned) {
        const key = req.pinnedKey ?? `${req.key}.availabilityZones`;
        names = req.pinned;
        req.pinned.forEach((n, i) => {
            const id = idOf.get(n);
            if (!id) {
                problems.push({ path: `${key}[${i}]`, message: `"${n}" is not an Availability Zone of ${req.region} in this account (it has ${azs.names.join(", ")})` });
            } else if (excluded.has(id)) {
                problems.push({ path: `${key}[${i}]`, message: `${n} is ${why(id)}` });
            }
        });
    } else {
        const usable = azs.names.filter((n) => !excluded.has(idOf.get(n) ?? ""));
        names = usable.slice(0, req.count);
        if (usable.length < req.count) {
            const skipped = azs.names.filter((n) => !usable.includes(n)).map((n) => `${n} (${idOf.get(n)})`);
            problems.push({
                path: `${req.key}.azCount`,
                message: `${req.count} zones wanted but ${req.region} has only ${usable.length} that ${req.service?.toUpperCase() ?? "the program"} accepts${skipped.length ? ` (skipped ${skipped.join(", ")})` : ""}`,
            });
        }
    }
    if (req.instanceType && problems.length === 0) {
        const offers = await aws.ec2.getInstanceTypeOfferings(
            { locationType: "availability-zone-id", filters: [{ name: "instance-type", values: [req.instanceType] }] },
            { provider: req.provider },
        );
        const offered = new Set(offers.locations);
        const key = req.pinnedKey ?? `${req.key}.availabilityZones`;
        names.forEach((n, i) => {
            const id = idOf.get(n) ?? "";
            if (!offered.has(id)) {
                problems.push({
                    path: req.pinned ? `${key}[${i}]` : `${req.key}.azCount`,
                    message: `${n} (${id}) does not offer ${req.instanceType}; it is offered in ${[...offered].sort().join(", ") || "no zone"} of ${req.region} (${INSTANCE_TYPE_OFFERINGS_HINT})`,
                });
            }
        });
    }
    return { names, zoneIds: names.map((n) => idOf.get(n) ?? ""), problems };
}
