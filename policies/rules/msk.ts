import { METRIC } from "../../functions/msk-cert-monitor/contract";
import { asList, isFalse, isTrue, known, obj, ofTypes, resourceRule, stackRule } from "./util";

/* eslint-disable @typescript-eslint/no-explicit-any */

const service = "MSK";
const types = ["aws:msk/cluster:Cluster"];

function transit(p: Record<string, any>): Record<string, any> {
    return obj(obj(p.encryptionInfo)?.encryptionInTransit) ?? {};
}

export const mskInClusterTls = resourceRule({
    name: "msk-1-in-cluster-tls",
    service,
    controls: ["MSK.1", "CKV_AWS_81", "AwsSolutions-MSK3"],
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
    controls: ["CKV_AWS_81", "MSK.1", "AwsSolutions-MSK2"],
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
    controls: ["CKV_AWS_80", "AwsSolutions-MSK6"],
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

export const clientCertExpiry = stackRule({
    name: "acmpca-client-cert-expiry-alarm",
    service: "ACM PCA",
    controls: ["AWSARCH.MSK.1"],
    level: "mandatory",
    description: `A stack that issues client-authentication certificates from a private CA (EndEntityClientAuthCertificate) has an alarm with actions on ${METRIC.namespace} ${METRIC.name} that also fires on missing data, so a certificate never lapses unnoticed.`,
    check: (resources, _env, report) => {
        const certs = ofTypes(resources, "aws:acmpca/certificate:Certificate").filter((c) => known(() => String(c.props?.templateArn ?? "").includes("EndEntityClientAuthCertificate"), false));
        const alarms = ofTypes(resources, "aws:cloudwatch/metricAlarm:MetricAlarm").filter((a) =>
            known(() => a.props?.namespace === METRIC.namespace && a.props?.metricName === METRIC.name && a.props?.treatMissingData === "breaching" && asList(a.props?.alarmActions).length > 0, true),
        );
        for (const c of certs) {
            if (alarms.length === 0) {
                report(`client certificate ${c.name} has no expiry alarm (${METRIC.name}, missing data breaching, with actions)`, c.urn);
            }
        }
    },
});

export const rules = [mskInClusterTls, mskClientBrokerTls, mskAtRestCmk, mskClientAuth, mskBrokerLogs, clientCertExpiry];
