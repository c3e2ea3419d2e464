import { EKS_VERSIONS, supportStatus } from "../support";
import { monthly, priceOf } from "../support/prices";
import { PlannedResource } from "./diff";

/**
 * A monthly cost estimate from an offline plan: every resource with a fixed price, as price x
 * quantity (x 730 hours for hourly prices), grouped by concern and Region; usage-priced resources
 * are listed by kind, never guessed. Prices: `lib/support/prices.ts`.
 */

/** One priced line. */
export interface CostLine {
    component: string;
    region: string;
    /** `<type> <name>` of the resource the line prices. */
    resource: string;
    /** The price table item. */
    item: string;
    quantity: number;
    unitUsd?: number;
    per?: string;
    /** Undefined when the tables have no price for the item (excluded from totals). */
    monthlyUsd?: number;
    note?: string;
}

export interface CostEstimate {
    lines: CostLine[];
    /** USD a month by component, then Region. */
    byComponent: Record<string, Record<string, number>>;
    totalUsd: number;
    /** Resource kinds billed by use (requests, GB, invocations), with how many the stack has. */
    usagePriced: Record<string, number>;
    /** Items without a price in the tables. */
    unpriced: string[];
}

/** Kinds whose cost depends on use only (no hourly or monthly fee of their own). */
const USAGE_PRICED: Record<string, string> = {
    "aws:lambda/function:Function": "Lambda (requests, GB-seconds)",
    "aws:s3/bucket:Bucket": "S3 (GB-month, requests)",
    "aws:sqs/queue:Queue": "SQS (requests)",
    "aws:sns/topic:Topic": "SNS (publishes, deliveries)",
    "aws:dynamodb/table:Table": "DynamoDB on-demand (requests, GB-month)",
    "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream": "Firehose (GB ingested)",
    "aws:cloudwatch/logGroup:LogGroup": "CloudWatch Logs (GB ingested, stored)",
    // Flow logs to CloudWatch Logs bill as vended logs (GB delivered), on top of the group's storage.
    "aws:ec2/flowLog:FlowLog": "VPC Flow Logs (vended GB delivered)",
    "aws:codebuild/project:Project": "CodeBuild (build minutes)",
    "aws:codepipeline/pipeline:Pipeline": "CodePipeline V2 (action execution minutes)",
    "aws:efs/fileSystem:FileSystem": "EFS (GB-month, access)",
    "aws:ecr/repository:Repository": "ECR (GB-month)",
    "aws:cloudwatch/eventRule:EventRule": "EventBridge (events)",
    "aws:ec2/fleet:Fleet": "EC2 Fleet on Outposts (the Outpost's capacity is prepaid)",
};

/** The priced quantities of one resource: [item, quantity, note?][]. */
function quantities(r: PlannedResource): [string, number, string?][] {
    const p = r.inputs as Record<string, any>;
    switch (r.type) {
        case "awsx:ec2:Vpc": {
            const strategy = p.natGateways?.strategy ?? "OnePerAz";
            const azs = Array.isArray(p.availabilityZoneNames) ? p.availabilityZoneNames.length : (p.numberOfAvailabilityZones ?? 3);
            const n = strategy === "OnePerAz" ? azs : strategy === "Single" ? 1 : 0;
            return n > 0 ? [["vpc.natGateway", n, `${strategy}, ${azs} AZs (plus per-GB processing)`]] : [];
        }
        case "aws:msk/cluster:Cluster": {
            const brokers = Number(p.numberOfBrokerNodes ?? 0);
            const gib = Number(p.brokerNodeGroupInfo?.storageInfo?.ebsStorageInfo?.volumeSize ?? 0);
            return [
                [`msk.broker.${p.brokerNodeGroupInfo?.instanceType}`, brokers],
                ["msk.storage", brokers * gib, `${brokers} x ${gib} GiB`],
            ];
        }
        case "aws:acmpca/certificateAuthority:CertificateAuthority":
            return [[`acmpca.ca.${p.usageMode ?? "GENERAL_PURPOSE"}`, 1]];
        case "aws:ec2/dedicatedHost:DedicatedHost":
            return [[`ec2.host.${p.instanceType ?? p.instanceFamily}`, 1, "billed from allocation, 24-hour minimum"]];
        case "eks:index:Cluster": {
            const extended = supportStatus(EKS_VERSIONS, String(p.version ?? "")).state === "extended";
            return [[extended ? "eks.cluster.extended" : "eks.cluster", 1, extended ? `Kubernetes ${p.version} in extended support` : `Kubernetes ${p.version}`]];
        }
        case "eks:index:ManagedNodeGroup": {
            const desired = Number(p.scalingConfig?.desiredSize ?? 0);
            const type = Array.isArray(p.instanceTypes) ? p.instanceTypes[0] : undefined;
            if (p.capacityType === "SPOT") {
                return [];
            }
            return desired > 0 ? [[`ec2.${type}`, desired, `${desired} x ${type} at the desired size`]] : [];
        }
        case "aws:ec2/instance:Instance": {
            if (p.hostId) {
                return []; // on a dedicated host: the host is billed
            }
            const windows = String(p.tags?.Role ?? "") === "directory-management";
            return [[`ec2.${p.instanceType}${windows ? ".windows" : ""}`, 1]];
        }
        case "aws:opensearch/domain:Domain": {
            const n = Number(p.clusterConfig?.instanceCount ?? 1);
            const gib = Number(p.ebsOptions?.volumeSize ?? 0);
            return [
                [`opensearch.${p.clusterConfig?.instanceType}`, n],
                ["opensearch.gp3", n * gib, `${n} x ${gib} GiB`],
            ];
        }
        case "aws:directoryservice/directory:Directory":
            return [[`directory.microsoftAd.${p.edition ?? "Enterprise"}`, 1, "two domain controllers"]];
        case "aws:kinesis/stream:Stream":
            return p.streamModeDetails?.streamMode === "ON_DEMAND" ? [] : [["kinesis.shard", Number(p.shardCount ?? 1), `${p.shardCount} shards`]];
        case "aws:kms/key:Key":
            return [["kms.key", 1]];
        case "aws:secretsmanager/secret:Secret":
            return [["secretsmanager.secret", 1]];
        case "aws:cloudwatch/metricAlarm:MetricAlarm":
            return [["cloudwatch.alarm", 1]];
        case "aws:cloudwatch/dashboard:Dashboard":
            return [["cloudwatch.dashboard", 1]];
        case "aws:ec2/vpcEndpoint:VpcEndpoint":
            return p.vpcEndpointType === "Interface" ? [["vpc.interfaceEndpoint", Array.isArray(p.subnetIds) ? p.subnetIds.length : 1, "per AZ (plus per-GB)"]] : [];
        default:
            return [];
    }
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/** The monthly estimate of the planned resources. */
export function estimateCost(resources: PlannedResource[]): CostEstimate {
    const lines: CostLine[] = [];
    const usagePriced: Record<string, number> = {};
    for (const r of resources) {
        if (USAGE_PRICED[r.type]) {
            usagePriced[USAGE_PRICED[r.type]] = (usagePriced[USAGE_PRICED[r.type]] ?? 0) + 1;
        }
        if (r.type === "eks:index:ManagedNodeGroup" && (r.inputs as Record<string, unknown>).capacityType === "SPOT") {
            usagePriced["EC2 Spot node groups (market price, at most on-demand)"] = (usagePriced["EC2 Spot node groups (market price, at most on-demand)"] ?? 0) + 1;
        }
        for (const [item, quantity, note] of quantities(r)) {
            const price = priceOf(item, r.region);
            lines.push({
                component: r.component,
                region: r.region,
                resource: `${r.type} ${r.name}`,
                item,
                quantity,
                ...(price ? { unitUsd: price.usd, per: price.per, monthlyUsd: round2(monthly(price, quantity)) } : {}),
                ...(note ? { note } : {}),
            });
        }
    }
    const byComponent: Record<string, Record<string, number>> = {};
    let total = 0;
    for (const l of lines) {
        if (l.monthlyUsd === undefined) {
            continue;
        }
        const c = (byComponent[l.component] ??= {});
        c[l.region] = round2((c[l.region] ?? 0) + l.monthlyUsd);
        total += l.monthlyUsd;
    }
    const unpriced = [...new Set(lines.filter((l) => l.monthlyUsd === undefined).map((l) => `${l.item} (${l.region})`))].sort();
    return { lines, byComponent, totalUsd: round2(total), usagePriced, unpriced };
}
