import { isFalse, isTrue, obj, resourceRule } from "./util";

/* eslint-disable @typescript-eslint/no-explicit-any */

const service = "MSK";
const types = ["aws:msk/cluster:Cluster"];

function transit(p: Record<string, any>): Record<string, any> {
    return obj(obj(p.encryptionInfo)?.encryptionInTransit) ?? {};
}

export const mskInClusterTls = resourceRule({
    name: "msk-1-in-cluster-tls",
    service,
    controls: ["MSK.1", "CKV_AWS_81"],
    level: "mandatory",
    description: "MSK clusters encrypt traffic between brokers (encryptionInTransit.inCluster is not false; AWS default true).",
    types,
    check: (p, _r, report) => {
        if (isFalse(transit(p).inCluster)) {
            report("encryptionInTransit.inCluster is false");
        }
    },
});

export const mskClientBrokerTls = resourceRule({
    name: "ckv-aws-81-client-broker-tls",
    service,
    controls: ["CKV_AWS_81", "MSK.1"],
    level: "mandatory",
    description: "MSK client-broker traffic is TLS only (encryptionInTransit.clientBroker TLS; AWS default TLS).",
    types,
    check: (p, _r, report) => {
        const cb = transit(p).clientBroker ?? "TLS";
        if (cb !== "TLS") {
            report(`encryptionInTransit.clientBroker is ${cb}; use TLS`);
        }
    },
});

export const mskAtRestCmk = resourceRule({
    name: "ckv-aws-81-at-rest-cmk",
    service,
    controls: ["CKV_AWS_81"],
    level: "mandatory",
    description: "MSK clusters encrypt data at rest with a customer managed key (encryptionInfo.encryptionAtRestKmsKeyArn).",
    types,
    check: (p, _r, report) => {
        if (!obj(p.encryptionInfo)?.encryptionAtRestKmsKeyArn) {
            report("encryptionInfo.encryptionAtRestKmsKeyArn is not set (AWS managed key)");
        }
    },
});

export const mskClientAuth = resourceRule({
    name: "msk-6-client-authentication",
    service,
    controls: ["MSK.6"],
    level: "mandatory",
    description: "MSK clusters require client authentication (SASL/IAM, SASL/SCRAM or mTLS) and disable unauthenticated access.",
    types,
    check: (p, _r, report) => {
        const ca = obj(p.clientAuthentication);
        const sasl = obj(ca?.sasl);
        const tls = obj(ca?.tls);
        const some = isTrue(sasl?.iam) || isTrue(sasl?.scram) || (tls?.certificateAuthorityArns?.length ?? 0) > 0;
        if (!some) {
            report("clientAuthentication sets no SASL/IAM, SASL/SCRAM or TLS certificate authority");
        }
        if (isTrue(ca?.unauthenticated)) {
            report("clientAuthentication.unauthenticated is true");
        }
    },
});

export const mskBrokerLogs = resourceRule({
    name: "ckv-aws-80-broker-logs",
    service,
    controls: ["CKV_AWS_80"],
    level: "mandatory",
    description: "MSK broker logs are delivered (CloudWatch Logs, Firehose or S3 enabled).",
    types,
    check: (p, _r, report) => {
        const b = obj(obj(p.loggingInfo)?.brokerLogs) ?? {};
        if (![b.cloudwatchLogs, b.firehose, b.s3].some((x) => isTrue(obj(x)?.enabled))) {
            report("loggingInfo.brokerLogs enables no destination");
        }
    },
});

export const rules = [mskInClusterTls, mskClientBrokerTls, mskAtRestCmk, mskClientAuth, mskBrokerLogs];
