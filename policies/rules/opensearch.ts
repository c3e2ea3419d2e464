import { asList, environmentOf, isPublicPrincipal, isTrue, known, obj, resourceRule, statementsOf } from "./util";

/* eslint-disable @typescript-eslint/no-explicit-any */

const service = "OpenSearch";
const types = ["aws:opensearch/domain:Domain"];

export const osAtRest = resourceRule({
    name: "opensearch-1-encryption-at-rest",
    service,
    controls: ["Opensearch.1", "CKV_AWS_5", "AwsSolutions-OS8", "NIST.800.53.R5-OpenSearchEncryptedAtRest", "HIPAA.Security-OpenSearchEncryptedAtRest", "awsguard:elasticsearch-encrypted-at-rest"],
    level: "mandatory",
    description: "OpenSearch domains encrypt data at rest (encryptAtRest.enabled).",
    types,
    check: (p, _r, report) => {
        if (!isTrue(obj(p.encryptAtRest)?.enabled)) {
            report("encryptAtRest.enabled is not true");
        }
    },
});

export const osNodeToNode = resourceRule({
    name: "opensearch-3-node-to-node-encryption",
    service,
    controls: ["Opensearch.3", "CKV_AWS_6", "AwsSolutions-OS2", "NIST.800.53.R5-OpenSearchNodeToNodeEncryption", "HIPAA.Security-OpenSearchNodeToNodeEncryption"],
    level: "mandatory",
    description: "OpenSearch domains encrypt traffic between nodes (nodeToNodeEncryption.enabled).",
    types,
    check: (p, _r, report) => {
        if (!isTrue(obj(p.nodeToNodeEncryption)?.enabled)) {
            report("nodeToNodeEncryption.enabled is not true");
        }
    },
});

export const osHttps = resourceRule({
    name: "opensearch-8-https-tls12",
    service,
    controls: ["Opensearch.8", "CKV_AWS_83", "CKV_AWS_228"],
    level: "mandatory",
    description: "OpenSearch domains enforce HTTPS with a TLS 1.2+ security policy.",
    types,
    check: (p, _r, report) => {
        const e = obj(p.domainEndpointOptions);
        if (!isTrue(e?.enforceHttps)) {
            report("domainEndpointOptions.enforceHttps is not true");
        }
        if (!/^Policy-Min-TLS-1-[23]/.test(String(e?.tlsSecurityPolicy ?? ""))) {
            report(`tlsSecurityPolicy is ${e?.tlsSecurityPolicy ?? "not set (TLS 1.0 allowed)"}; use Policy-Min-TLS-1-2-2019-07 or newer`);
        }
    },
});

export const osInVpc = resourceRule({
    name: "opensearch-2-in-vpc-prod",
    service,
    controls: ["Opensearch.2", "AwsSolutions-OS1", "NIST.800.53.R5-OpenSearchInVPCOnly", "HIPAA.Security-OpenSearchInVPCOnly", "awsguard:elasticsearch-in-vpc-only", "CKV_AWS_248"],
    level: "mandatory",
    description: "In prod, OpenSearch domains run in a VPC (vpcOptions with subnets), not on a public endpoint.",
    types,
    check: (p, r, report) => {
        if (environmentOf(r) !== "prod") {
            return;
        }
        if (!known(() => asList(obj(p.vpcOptions)?.subnetIds).length > 0, true)) {
            report("prod domain has a public endpoint; place it in a VPC (vpcOptions.subnetIds)");
        }
    },
});

export const osNoAnonymous = resourceRule({
    name: "opensearch-no-anonymous-access",
    service,
    controls: ["AwsSolutions-OS5"],
    level: "mandatory",
    description: "Fine-grained access control is on with anonymous access off, and the access policy admits no public principal: every request is signed by an allowed role.",
    types,
    check: (p, _r, report) => {
        const sec = obj(p.advancedSecurityOptions);
        if (!isTrue(sec?.enabled) || isTrue(sec?.anonymousAuthEnabled)) {
            report("fine-grained access control is off or admits anonymous requests");
        }
        for (const st of statementsOf(p.accessPolicies).filter((s: any) => s?.Effect === "Allow" && isPublicPrincipal(s.Principal))) {
            report(`access policy statement ${st.Sid ?? ""} admits every principal`.replace("  ", " "));
        }
    },
});

export const osZoneAwarenessProd = resourceRule({
    name: "opensearch-zone-awareness-prod",
    service,
    controls: ["AwsSolutions-OS7"],
    level: "mandatory",
    description: "In prod, a domain of more than one data node spreads them over Availability Zones (zone awareness).",
    types,
    check: (p, r, report) => {
        const c = obj(p.clusterConfig);
        if (environmentOf(r) === "prod" && Number(c?.instanceCount ?? 1) > 1 && !isTrue(c?.zoneAwarenessEnabled)) {
            report("prod domain has several data nodes in one Availability Zone; enable zone awareness");
        }
    },
});

/** Log types a domain must publish: error logs and both slow logs (AwsSolutions-OS9, Opensearch.4). */
const REQUIRED_LOGS = ["ES_APPLICATION_LOGS", "SEARCH_SLOW_LOGS", "INDEX_SLOW_LOGS"];

export const osLogPublishing = resourceRule({
    name: "opensearch-4-log-publishing",
    service,
    controls: [
        "Opensearch.4",
        "Opensearch.5",
        "CKV_AWS_84",
        "AwsSolutions-OS9",
        "NIST.800.53.R5-OpenSearchErrorLogsToCloudWatch",
        "HIPAA.Security-OpenSearchErrorLogsToCloudWatch",
    ],
    level: "mandatory",
    description:
        "OpenSearch domains publish error (application), search slow and index slow logs to CloudWatch Logs, and audit logs too when fine-grained access control is on (logPublishingOptions, each enabled with a log group).",
    types,
    check: (p, _r, report) => {
        // A log group created by the same update has no ARN yet at preview: it counts as given.
        const hasGroup = (o: Record<string, any>) => known(() => typeof o.cloudwatchLogGroupArn === "string" && o.cloudwatchLogGroupArn !== "", true);
        const published = new Set(
            asList(p.logPublishingOptions)
                .map(obj)
                .filter((o): o is Record<string, any> => o !== undefined && !known(() => o.enabled === false || o.enabled === "false", false) && hasGroup(o))
                .map((o) => String(o.logType)),
        );
        const required = isTrue(obj(p.advancedSecurityOptions)?.enabled) ? [...REQUIRED_LOGS, "AUDIT_LOGS"] : REQUIRED_LOGS;
        const missing = required.filter((t) => !published.has(t));
        if (missing.length > 0) {
            report(`logPublishingOptions does not publish ${missing.join(", ")} to a CloudWatch log group`);
        }
    },
});

export const rules = [osAtRest, osNodeToNode, osHttps, osInVpc, osNoAnonymous, osZoneAwarenessProd, osLogPublishing];
