import { asList, environmentOf, isTrue, known, obj, resourceRule } from "./util";

const service = "OpenSearch";
const types = ["aws:opensearch/domain:Domain"];

export const osAtRest = resourceRule({
    name: "opensearch-1-encryption-at-rest",
    service,
    controls: ["Opensearch.1", "CKV_AWS_5"],
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
    controls: ["Opensearch.3", "CKV_AWS_6"],
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

export const rules = [osAtRest, osNodeToNode, osHttps, osInVpc];
