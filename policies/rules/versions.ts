import { EKS_VERSIONS, LAMBDA_RUNTIMES, MSK_KAFKA_VERSIONS, OPENSEARCH_VERSIONS, SupportTable, supportAdvisories, unsupportedReason } from "../../lib/support";
import { asList, parseJson, resourceRule } from "./util";

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * Versions against the dated support tables of lib/support (the same tables config validation
 * reads): a version past its end of support is a violation; extended support is a cost
 * advisory; a version whose (standard) support ends within 90 days is an advisory warning.
 */

const service = "Versions";

/** Where each versioned resource type keeps its version(s), and the table that dates them. */
const VERSIONED: Record<string, { table: SupportTable; versions: (p: Record<string, any>) => string[]; skip?: (p: Record<string, any>) => boolean }> = {
    "eks:index:Cluster": { table: EKS_VERSIONS, versions: (p) => asList<string>(p.version) },
    "aws:eks/cluster:Cluster": { table: EKS_VERSIONS, versions: (p) => asList<string>(p.version) },
    "eks:index:ManagedNodeGroup": { table: EKS_VERSIONS, versions: (p) => asList<string>(p.version) },
    "aws:msk/cluster:Cluster": { table: MSK_KAFKA_VERSIONS, versions: (p) => asList<string>(p.kafkaVersion) },
    "aws:msk/configuration:Configuration": { table: MSK_KAFKA_VERSIONS, versions: (p) => asList<string>(parseJson(p.kafkaVersions)) },
    "aws:opensearch/domain:Domain": { table: OPENSEARCH_VERSIONS, versions: (p) => asList<string>(p.engineVersion) },
    "aws:lambda/function:Function": { table: LAMBDA_RUNTIMES, versions: (p) => asList<string>(p.runtime), skip: (p) => p.packageType === "Image" },
    "aws:lambda/layerVersion:LayerVersion": { table: LAMBDA_RUNTIMES, versions: (p) => asList<string>(parseJson(p.compatibleRuntimes)) },
};

function versionsOf(type: string, p: Record<string, any>): { table: SupportTable; version: string }[] {
    const v = VERSIONED[type];
    if (!v || v.skip?.(p)) {
        return [];
    }
    return v.versions(p).filter((x) => typeof x === "string" && x.length > 0).map((version) => ({ table: v.table, version }));
}

export const supportedVersion = resourceRule({
    name: "supported-engine-version",
    service,
    controls: ["EKS.2", "AWSARCH.VERSION.1"],
    level: "mandatory",
    description:
        "EKS, MSK (cluster and configuration), OpenSearch and Lambda layer versions are known to the dated support tables (lib/support) and not past their end of support (Lambda functions: lambda-2-supported-runtime).",
    types: Object.keys(VERSIONED).filter((t) => t !== "aws:lambda/function:Function"),
    check: (p, r, report) => {
        for (const { table, version } of versionsOf(r.type, p)) {
            const reason = unsupportedReason(table, version);
            if (reason) {
                report(reason);
            }
        }
    },
});

/** A rule over every versioned type that reports one of `supportAdvisories`' findings. */
function advisoryRule(def: { name: string; service: string; controls: string[]; description: string }, pick: (a: ReturnType<typeof supportAdvisories>) => string | undefined) {
    return resourceRule({
        ...def,
        level: "advisory",
        types: Object.keys(VERSIONED),
        check: (p, r, report) => {
            for (const { table, version } of versionsOf(r.type, p)) {
                const message = pick(supportAdvisories(table, version));
                if (message) {
                    report(message);
                }
            }
        },
    });
}

export const extendedSupportCost = advisoryRule(
    {
        name: "cost-extended-support",
        service: "Cost",
        controls: ["AWSARCH.COST.4"],
        description: "A version in extended support (EKS control plane at 6x, OpenSearch per instance-hour) costs more than one in standard support.",
    },
    (a) => a.extended,
);

export const endingSoon = advisoryRule(
    {
        name: "version-support-ending-soon",
        service,
        controls: ["AWSARCH.VERSION.2"],
        description: "Warns when a version's standard support (or its support) ends within 90 days of the plan date: plan the upgrade.",
    },
    (a) => a.endingSoon,
);

export const rules = [supportedVersion, extendedSupportCost, endingSoon];
