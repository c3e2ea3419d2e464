/**
 * Dated list prices (USD, on-demand, Linux, no Savings Plans or free tier) of the resources with a
 * fixed price that the stacks create, one table per Region the stacks use plus the prices AWS
 * charges the same everywhere. The offline review multiplies them by the quantities the plan
 * records (hourly prices by 730 hours a month). Dependency-free.
 *
 * Refreshing: open each row's `source` (the service's pricing page, Region selected), update
 * `usd`, set `checked` of the table, run `npm test` (the cost specs pin a few lines computed by
 * hand). Prices change rarely; a Region or item missing here is reported as "no price", never guessed.
 */

/** One price. */
export interface Price {
    usd: number;
    /** `hour`: billed per hour (x 730 a month); `month`: per month; `gb-month`: per GB-month. */
    per: "hour" | "month" | "gb-month";
    source: string;
}

/** A price table: when it was read, and its items by key. */
export interface PriceTable {
    checked: string;
    items: Record<string, Price>;
}

/** Hours in a month, as AWS's pricing calculator counts them. */
export const HOURS_PER_MONTH = 730;

const EC2 = "https://aws.amazon.com/ec2/pricing/on-demand/";
const VPC = "https://aws.amazon.com/vpc/pricing/";
const MSK = "https://aws.amazon.com/msk/pricing/";
const OS = "https://aws.amazon.com/opensearch-service/pricing/";
const MAC = "https://aws.amazon.com/ec2/dedicated-hosts/pricing/";
const DS = "https://aws.amazon.com/directoryservice/pricing/";
const KINESIS = "https://aws.amazon.com/kinesis/data-streams/pricing/";

/** Prices that are the same in every commercial Region the stacks use. */
export const GLOBAL_PRICES: PriceTable = {
    checked: "2026-12-02",
    items: {
        "eks.cluster": { usd: 0.1, per: "hour", source: "https://aws.amazon.com/eks/pricing/ (standard support)" },
        "eks.cluster.extended": { usd: 0.6, per: "hour", source: "https://aws.amazon.com/eks/pricing/ (extended support)" },
        "kms.key": { usd: 1.0, per: "month", source: "https://aws.amazon.com/kms/pricing/" },
        "secretsmanager.secret": { usd: 0.4, per: "month", source: "https://aws.amazon.com/secrets-manager/pricing/" },
        "cloudwatch.alarm": { usd: 0.1, per: "month", source: "https://aws.amazon.com/cloudwatch/pricing/ (standard-resolution metric alarm)" },
        "cloudwatch.dashboard": { usd: 3.0, per: "month", source: "https://aws.amazon.com/cloudwatch/pricing/" },
        "acmpca.ca.GENERAL_PURPOSE": { usd: 400, per: "month", source: "https://aws.amazon.com/private-ca/pricing/ (general-purpose mode)" },
        "acmpca.ca.SHORT_LIVED_CERTIFICATE": { usd: 50, per: "month", source: "https://aws.amazon.com/private-ca/pricing/ (short-lived certificate mode)" },
    },
};

/** Prices by Region (only the items the stacks use there). */
export const REGIONAL_PRICES: Record<string, PriceTable> = {
    "us-east-1": {
        checked: "2026-12-02",
        items: {
            "vpc.natGateway": { usd: 0.045, per: "hour", source: VPC },
            "vpc.interfaceEndpoint": { usd: 0.01, per: "hour", source: "https://aws.amazon.com/privatelink/pricing/ (per AZ)" },
            "msk.broker.kafka.t3.small": { usd: 0.0456, per: "hour", source: MSK },
            "msk.broker.kafka.m5.large": { usd: 0.21, per: "hour", source: MSK },
            "msk.storage": { usd: 0.1, per: "gb-month", source: MSK },
            "opensearch.t3.small.search": { usd: 0.036, per: "hour", source: OS },
            "opensearch.r6g.large.search": { usd: 0.167, per: "hour", source: OS },
            "opensearch.gp3": { usd: 0.122, per: "gb-month", source: OS },
        },
    },
    "us-east-2": {
        checked: "2026-12-02",
        items: {
            "vpc.natGateway": { usd: 0.045, per: "hour", source: VPC },
            "ec2.host.mac2.metal": { usd: 0.65, per: "hour", source: MAC },
            "ec2.host.mac1.metal": { usd: 1.083, per: "hour", source: MAC },
            "ec2.t3.micro": { usd: 0.0104, per: "hour", source: EC2 },
            "ec2.t3.medium.windows": { usd: 0.06, per: "hour", source: `${EC2} (Windows)` },
            "directory.microsoftAd.Standard": { usd: 0.12, per: "hour", source: DS },
            "directory.microsoftAd.Enterprise": { usd: 0.4, per: "hour", source: DS },
        },
    },
    "us-west-2": {
        checked: "2026-12-02",
        items: {
            "vpc.natGateway": { usd: 0.045, per: "hour", source: VPC },
            "ec2.m5.large": { usd: 0.096, per: "hour", source: EC2 },
            "ec2.m6i.large": { usd: 0.096, per: "hour", source: EC2 },
            "kinesis.shard": { usd: 0.015, per: "hour", source: KINESIS },
        },
    },
    "eu-central-1": { checked: "2026-12-02", items: {} },
    "eu-west-1": { checked: "2026-12-02", items: {} },
    "us-west-1": { checked: "2026-12-02", items: {} },
    "ap-southeast-1": { checked: "2026-12-02", items: {} },
};

/** The price of `item` in `region` (or the global one), or undefined when the tables have none. */
export function priceOf(item: string, region: string): Price | undefined {
    return REGIONAL_PRICES[region]?.items[item] ?? GLOBAL_PRICES.items[item];
}

/** A price as a monthly amount for `quantity` units (hours x 730; GB-month and month as they are). */
export function monthly(price: Price, quantity: number): number {
    return price.usd * quantity * (price.per === "hour" ? HOURS_PER_MONTH : 1);
}
