/**
 * Dated support tables: every versioned thing the program pins or accepts, with the dates its
 * vendor publishes and where they were read. Config validation refuses a version past its end of
 * support on the plan date; the policy pack flags extended support (a cost) and a version ending
 * within {@link WARN_DAYS} days. This file imports nothing, so the policy pack can use it as is.
 *
 * Refreshing: open each table's `source`, update or add rows (dates as `YYYY-MM-DD`, the first day
 * the status no longer holds), set `checked` to the day you read it, run `npm test`. A version the
 * vendor has not dated yet has no end date; it is supported until a row says otherwise.
 */

/** One version and its published dates. */
export interface SupportRow {
    /** The version exactly as the program's config (and the AWS API) spells it. */
    version: string;
    /** When the vendor made it available. */
    released?: string;
    /** First day it is out of standard support (extended support, billed extra, may follow). */
    endOfStandardSupport?: string;
    /** First day it is unsupported: new resources are refused or auto-upgraded. Undefined: none announced. */
    endOfSupport?: string;
    /** Where the row's dates come from when it differs from the table's `source`. */
    source?: string;
    /** Anything a reader must know (recommended version, what replaces it). */
    note?: string;
}

/** A dated support table. */
export interface SupportTable<R extends SupportRow = SupportRow> {
    /** What is versioned, as messages name it. */
    subject: string;
    /** The page the dates are read from. */
    source: string;
    /** The day the rows were last compared with `source`. */
    checked: string;
    /** What extended support costs, when the subject has it (shown by the cost advisory). */
    extendedSupportCost?: string;
    rows: readonly R[];
}

/** A version's status on a day. */
export type SupportState = "unknown" | "standard" | "extended" | "ended";

/** {@link supportStatus}'s answer. */
export interface SupportStatus<R extends SupportRow = SupportRow> {
    state: SupportState;
    row?: R;
    /** The next date the state changes (end of standard support, else end of support). */
    nextChange?: string;
    /** Whole days from the plan date to `nextChange`. */
    daysLeft?: number;
}

/** Days ahead that a coming end of (standard) support is warned about. */
export const WARN_DAYS = 90;

let clock: () => Date = () => new Date();

/** The plan date: today, unless a test or `AWSARCH_PLAN_DATE` (YYYY-MM-DD) sets another. */
export function planDate(): string {
    const fixed = process.env.AWSARCH_PLAN_DATE;
    return fixed && /^\d{4}-\d{2}-\d{2}$/.test(fixed) ? fixed : clock().toISOString().slice(0, 10);
}

/** Replaces the clock every support check reads (tests); returns the previous one. */
export function setSupportClock(next: () => Date): () => Date {
    const prev = clock;
    clock = next;
    return prev;
}

function daysBetween(from: string, to: string): number {
    return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** The status of `version` in `table` on `today` (default: the plan date). */
export function supportStatus<R extends SupportRow>(table: SupportTable<R>, version: string, today: string = planDate()): SupportStatus<R> {
    const row = table.rows.find((r) => r.version === version);
    if (!row) {
        return { state: "unknown" };
    }
    if (row.endOfSupport && today >= row.endOfSupport) {
        return { state: "ended", row };
    }
    const inExtended = !!row.endOfStandardSupport && today >= row.endOfStandardSupport;
    const nextChange = inExtended ? row.endOfSupport : (row.endOfStandardSupport ?? row.endOfSupport);
    return {
        state: inExtended ? "extended" : "standard",
        row,
        nextChange,
        daysLeft: nextChange ? daysBetween(today, nextChange) : undefined,
    };
}

/** Versions usable on `today` (not ended), newest rows last as in the table. */
export function supportedVersions(table: SupportTable, today: string = planDate()): string[] {
    return table.rows.filter((r) => supportStatus(table, r.version, today).state !== "ended").map((r) => r.version);
}

/**
 * Why `version` must not be deployed on `today`, or undefined when it may: unknown to the table,
 * or past its end of support. Names the supported versions.
 */
export function unsupportedReason(table: SupportTable, version: string, today: string = planDate()): string | undefined {
    const s = supportStatus(table, version, today);
    const choices = `supported on ${today}: ${supportedVersions(table, today).join(", ")} (source: ${table.source})`;
    if (s.state === "unknown") {
        return `${version} is not a known ${table.subject}; ${choices}`;
    }
    if (s.state === "ended") {
        return `${table.subject} ${version} reached end of support on ${s.row?.endOfSupport}; ${choices}`;
    }
    return undefined;
}

/** Findings the policy pack reports for a supported version: extended support (cost) and an end within {@link WARN_DAYS} days. */
export function supportAdvisories(table: SupportTable, version: string, today: string = planDate()): { extended?: string; endingSoon?: string } {
    const s = supportStatus(table, version, today);
    const out: { extended?: string; endingSoon?: string } = {};
    if (s.state === "extended") {
        out.extended = `${table.subject} ${version} is in extended support since ${s.row?.endOfStandardSupport}${table.extendedSupportCost ? ` (${table.extendedSupportCost})` : ""}; move to a version in standard support`;
    }
    if ((s.state === "standard" || s.state === "extended") && s.daysLeft !== undefined && s.daysLeft <= WARN_DAYS) {
        const what = s.state === "standard" && s.row?.endOfStandardSupport ? "standard support" : "support";
        out.endingSoon = `${table.subject} ${version}: ${what} ends on ${s.nextChange} (in ${s.daysLeft} days)`;
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// EKS

/** An EKS Kubernetes version and the Cluster Autoscaler release of the same minor. */
export interface EksVersionRow extends SupportRow {
    /** Cluster Autoscaler image tag of the same minor (the autoscaler's minor must equal the cluster's). */
    clusterAutoscalerImageTag: string;
}

/**
 * EKS Kubernetes versions: 14 months of standard support, then 12 months of extended support
 * billed at 6x the control-plane price; after that clusters are auto-upgraded and creating one
 * is refused. Autoscaler tags: registry.k8s.io/autoscaling/cluster-autoscaler releases
 * (github.com/kubernetes/autoscaler/releases, one minor per Kubernetes minor).
 */
export const EKS_VERSIONS: SupportTable<EksVersionRow> = {
    subject: "EKS Kubernetes version",
    source: "Amazon EKS Kubernetes release calendar, https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html",
    checked: "2026-12-02",
    extendedSupportCost: "control plane USD 0.60 instead of 0.10 per cluster-hour, https://aws.amazon.com/eks/pricing/",
    rows: [
        { version: "1.29", released: "2024-01-23", endOfStandardSupport: "2025-03-23", endOfSupport: "2026-03-23", clusterAutoscalerImageTag: "v1.29.0" },
        { version: "1.30", released: "2024-05-23", endOfStandardSupport: "2025-07-23", endOfSupport: "2026-07-23", clusterAutoscalerImageTag: "v1.30.0" },
        { version: "1.31", released: "2024-09-26", endOfStandardSupport: "2025-11-26", endOfSupport: "2026-11-26", clusterAutoscalerImageTag: "v1.31.0" },
        { version: "1.32", released: "2025-01-23", endOfStandardSupport: "2026-03-23", endOfSupport: "2027-03-23", clusterAutoscalerImageTag: "v1.32.0" },
        { version: "1.33", released: "2025-05-29", endOfStandardSupport: "2026-07-29", endOfSupport: "2027-07-29", clusterAutoscalerImageTag: "v1.33.0" },
        { version: "1.34", released: "2025-10-02", endOfStandardSupport: "2026-12-02", endOfSupport: "2027-12-02", clusterAutoscalerImageTag: "v1.34.0" },
        {
            version: "1.35",
            released: "2026-01-27",
            endOfStandardSupport: "2027-03-27",
            endOfSupport: "2028-03-27",
            clusterAutoscalerImageTag: "v1.35.2",
            note: "EKS 1.36 is out (2026) but its calendar dates were not confirmed when this table was checked: add its row from the calendar before using it",
        },
    ],
};

// ---------------------------------------------------------------------------------------------
// MSK

/**
 * Apache Kafka versions of Amazon MSK. After the end of support date MSK refuses new clusters
 * ("MSK will phase out support for newly created clusters") and auto-upgrades existing ones to
 * the recommended version at any time (which makes a pinned `kafkaVersions` of the configuration drift).
 */
export const MSK_KAFKA_VERSIONS: SupportTable = {
    subject: "MSK Apache Kafka version",
    source: "MSK developer guide, Supported Apache Kafka versions, https://docs.aws.amazon.com/msk/latest/developerguide/supported-kafka-versions.html",
    checked: "2026-12-02",
    rows: [
        { version: "3.5.1", released: "2023-09-26", endOfSupport: "2025-10-23" },
        { version: "3.6.0", released: "2023-11-16", endOfSupport: "2026-06-01" },
        { version: "3.7.x", released: "2024-05-29" },
        { version: "3.7.x.kraft", released: "2024-05-29" },
        { version: "3.8.x", released: "2025-02-20", note: "MSK's recommended version" },
        { version: "3.8.x.kraft", released: "2025-02-20" },
        { version: "3.9.x", released: "2025-04-21" },
        { version: "3.9.x.kraft", released: "2025-04-21" },
        { version: "4.0.x", released: "2025-05-16", note: "KRaft only" },
    ],
};

// ---------------------------------------------------------------------------------------------
// Lambda

/**
 * Lambda runtimes and their deprecation dates (the "Lambda runtimes" page, "Supported runtimes":
 * Security Hub Lambda.2 fails a function from its deprecation date; creates and then updates are
 * blocked later). Container images have no runtime.
 */
export const LAMBDA_RUNTIMES: SupportTable = {
    subject: "Lambda runtime",
    source: "Lambda runtimes, Supported runtimes (deprecation date), https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html",
    checked: "2026-12-02",
    rows: [
        { version: "nodejs20.x", endOfSupport: "2026-04-30" },
        { version: "nodejs22.x", endOfSupport: "2027-04-30" },
        { version: "nodejs24.x", endOfSupport: "2028-04-30" },
        { version: "python3.10", endOfSupport: "2026-06-30" },
        { version: "python3.11", endOfSupport: "2027-06-30" },
        { version: "python3.12", endOfSupport: "2028-10-31" },
        { version: "python3.13", endOfSupport: "2029-06-30" },
        { version: "python3.14", endOfSupport: "2029-06-30" },
        { version: "java21", endOfSupport: "2029-06-30" },
        { version: "java25", endOfSupport: "2029-06-30" },
        { version: "dotnet8", endOfSupport: "2026-11-10" },
        { version: "dotnet10", endOfSupport: "2028-11-14" },
        { version: "ruby3.3", endOfSupport: "2027-03-31" },
        { version: "ruby3.4", endOfSupport: "2028-03-31" },
        { version: "provided.al2", endOfSupport: "2026-06-30" },
        { version: "provided.al2023", endOfSupport: "2029-06-30" },
    ],
};

// ---------------------------------------------------------------------------------------------
// OpenSearch

/**
 * OpenSearch engine versions of Amazon OpenSearch Service that the program accepts (OpenSearch 2.x
 * and 3.x; Elasticsearch and OpenSearch 1.x are not offered by this program). AWS dates end of
 * standard support per version with at least 12 months' notice and has dated none of these yet.
 */
export const OPENSEARCH_VERSIONS: SupportTable = {
    subject: "OpenSearch Service engine version",
    source: "OpenSearch Service, Standard and Extended Support, https://docs.aws.amazon.com/opensearch-service/latest/developerguide/what-is.html#choosing-version",
    checked: "2026-12-02",
    extendedSupportCost: "a flat fee per normalized instance-hour on top of the domain, https://aws.amazon.com/opensearch-service/pricing/",
    rows: ["2.3", "2.5", "2.7", "2.9", "2.11", "2.13", "2.15", "2.17", "2.19", "3.1"].map((v) => ({ version: `OpenSearch_${v}` })),
};

// ---------------------------------------------------------------------------------------------
// Flink

/**
 * Apache Flink minor versions the program writes a configuration for (`flink-conf.yaml`, 1.x).
 * The community supports the two latest minors: a minor's support ends with the release of the
 * minor two after it. 1.20 is the 1.x long-term support release (FLIP-458: bug and security fixes
 * for two years, no exact date published on the downloads page when checked).
 */
export const FLINK_VERSIONS: SupportTable = {
    subject: "Apache Flink version",
    source: "Flink downloads, Update Policy for old releases, https://flink.apache.org/downloads/; FLIP-458 for the 1.20 LTS",
    checked: "2026-12-02",
    rows: [
        { version: "1.15", released: "2022-05-05", endOfSupport: "2023-03-23", note: "unsupported since 1.17" },
        { version: "1.16", released: "2022-10-28", endOfSupport: "2023-10-26", note: "unsupported since 1.18" },
        { version: "1.17", released: "2023-03-23", endOfSupport: "2024-03-18", note: "unsupported since 1.19" },
        { version: "1.18", released: "2023-10-26", endOfSupport: "2024-08-02", note: "unsupported since 1.20" },
        { version: "1.19", released: "2024-03-18", endOfSupport: "2025-03-24", note: "unsupported since 2.0" },
        { version: "1.20", released: "2024-08-02", note: "1.x long-term support release (FLIP-458)" },
    ],
};

// ---------------------------------------------------------------------------------------------
// Node.js (what the program, its tests and CI run on)

/**
 * Node.js release lines. `.nvmrc` pins the one CI and the workflows run; `engines.node` in
 * package.json is the floor. End of life is the first day without security fixes.
 */
export const NODE_VERSIONS: SupportTable = {
    subject: "Node.js release line",
    source: "Node.js release schedule, https://github.com/nodejs/Release (schedule.json)",
    checked: "2026-12-02",
    rows: [
        { version: "20", released: "2023-04-18", endOfSupport: "2026-04-30" },
        { version: "22", released: "2024-04-24", endOfSupport: "2027-04-30", note: "maintenance LTS since 2025-10-21" },
        { version: "24", released: "2025-05-06", endOfSupport: "2028-04-30", note: "maintenance LTS since 2026-10-20" },
        { version: "26", released: "2026-04-22", endOfSupport: "2029-04-30", note: "active LTS since 2026-10-28" },
    ],
};

/** Every table, for the README and the tests. */
export const SUPPORT_TABLES = { EKS_VERSIONS, MSK_KAFKA_VERSIONS, LAMBDA_RUNTIMES, OPENSEARCH_VERSIONS, FLINK_VERSIONS, NODE_VERSIONS };
