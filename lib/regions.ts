/**
 * Commercial AWS Regions this program accepts, with the letter suffixes of their
 * Availability Zones. GovCloud and China partitions are excluded on purpose:
 * cross-Region EventBridge routing does not reach them.
 */
export const AWS_REGIONS: Readonly<Record<string, readonly string[]>> = {
    "us-east-1": ["a", "b", "c", "d", "e", "f"],
    "us-east-2": ["a", "b", "c"],
    "us-west-1": ["a", "b", "c"],
    "us-west-2": ["a", "b", "c", "d"],
    "af-south-1": ["a", "b", "c"],
    "ap-east-1": ["a", "b", "c"],
    "ap-south-1": ["a", "b", "c"],
    "ap-south-2": ["a", "b", "c"],
    "ap-southeast-1": ["a", "b", "c"],
    "ap-southeast-2": ["a", "b", "c"],
    "ap-southeast-3": ["a", "b", "c"],
    "ap-southeast-4": ["a", "b", "c"],
    "ap-southeast-5": ["a", "b", "c"],
    "ap-southeast-7": ["a", "b", "c"],
    "ap-northeast-1": ["a", "c", "d"],
    "ap-northeast-2": ["a", "b", "c", "d"],
    "ap-northeast-3": ["a", "b", "c"],
    "ca-central-1": ["a", "b", "d"],
    "ca-west-1": ["a", "b", "c"],
    "eu-central-1": ["a", "b", "c"],
    "eu-central-2": ["a", "b", "c"],
    "eu-west-1": ["a", "b", "c"],
    "eu-west-2": ["a", "b", "c"],
    "eu-west-3": ["a", "b", "c"],
    "eu-south-1": ["a", "b", "c"],
    "eu-south-2": ["a", "b", "c"],
    "eu-north-1": ["a", "b", "c"],
    "il-central-1": ["a", "b", "c"],
    "me-south-1": ["a", "b", "c"],
    "me-central-1": ["a", "b", "c"],
    "mx-central-1": ["a", "b", "c"],
    "sa-east-1": ["a", "b", "c"],
};

/** True when `region` is a commercial AWS Region this program knows. */
export function isAwsRegion(region: string): boolean {
    return Object.prototype.hasOwnProperty.call(AWS_REGIONS, region);
}

/** True when `az` (e.g. `us-east-2b`) is an Availability Zone name of `region`. */
export function isAzOfRegion(az: string, region: string): boolean {
    const suffixes = AWS_REGIONS[region];
    if (!suffixes || !az.startsWith(region)) {
        return false;
    }
    return suffixes.includes(az.slice(region.length));
}

/** The first `count` Availability Zone names of `region`, in order. */
export function defaultAzs(region: string, count: number): string[] {
    const suffixes = AWS_REGIONS[region] ?? ["a", "b", "c"];
    return suffixes.slice(0, count).map((s) => `${region}${s}`);
}
