import { X509Certificate } from "crypto";
import { CloudWatchClient, PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";

import { METRIC, secretDimension } from "./contract";

export { METRIC };

/** Whole days from `now` until the first certificate of the PEM bundle expires (negative once expired). */
export function daysToExpiry(pem: string, now: Date): number {
    const first = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem);
    if (!first) {
        throw new Error("the secret holds no PEM certificate");
    }
    const notAfter = new Date(new X509Certificate(first[0]).validTo);
    return Math.floor((notAfter.getTime() - now.getTime()) / 86_400_000);
}

/**
 * Reads the MSK client certificate from its secret (`{certificate, privateKey}`, the shape the
 * event source mapping reads) and publishes its days to expiry; the alarm fires before the
 * consumer would lose its connection (components/msk: `clientCertExpiryAlarmDays`).
 */
export async function publishDaysToExpiry(
    secrets: SecretsManagerClient,
    cloudwatch: CloudWatchClient,
    secretArn: string,
    now: Date,
): Promise<{ daysToExpiry: number }> {
    const value = await secrets.send(new GetSecretValueCommand({ SecretId: secretArn }));
    const certificate = (JSON.parse(value.SecretString ?? "{}") as { certificate?: string }).certificate;
    if (!certificate) {
        throw new Error(`${secretArn} has no certificate field`);
    }
    const days = daysToExpiry(certificate, now);
    await cloudwatch.send(
        new PutMetricDataCommand({
            Namespace: METRIC.namespace,
            MetricData: [{ MetricName: METRIC.name, Dimensions: [{ Name: METRIC.dimension, Value: secretDimension(secretArn) }], Value: days, Unit: "Count", Timestamp: now }],
        }),
    );
    return { daysToExpiry: days };
}

let clients: { secrets: SecretsManagerClient; cloudwatch: CloudWatchClient } | undefined;

/** EventBridge schedule entry point. */
export async function handler(): Promise<{ daysToExpiry: number }> {
    clients ??= { secrets: new SecretsManagerClient({}), cloudwatch: new CloudWatchClient({}) };
    const arn = process.env.CERT_SECRET_ARN;
    if (!arn) {
        throw new Error("CERT_SECRET_ARN is not set");
    }
    return publishDaysToExpiry(clients.secrets, clients.cloudwatch, arn, new Date());
}
