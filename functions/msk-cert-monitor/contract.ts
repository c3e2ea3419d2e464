import { AccessContract } from "../shared/contract";

/** Namespace, name and dimension of the metric the expiry alarm watches (the component reads it from here: data only). */
export const METRIC = { namespace: "awsarch/MSK", name: "ClientCertificateDaysToExpiry", dimension: "Secret" };

/** The metric's dimension value for a secret: its name with Secrets Manager's suffix (the ARN's last field). */
export function secretDimension(secretArn: string): string {
    return secretArn.split(":").pop() ?? secretArn;
}

/**
 * What the client-certificate monitor calls (index.ts): it reads the certificate from the secret
 * the event source mapping uses, and publishes its days to expiry. PutMetricData's only resource
 * type is an optional CloudWatch dataset (Service Authorization Reference), so the role grants it on
 * `*`, limited with `cloudwatch:namespace`.
 */
export const CONTRACT: AccessContract = {
    handler: "msk-cert-monitor",
    calls: [
        { action: "secretsmanager:GetSecretValue", resource: { env: "CERT_SECRET_ARN" }, why: "reads the client certificate (PEM) to learn its expiry" },
        { action: "cloudwatch:PutMetricData", resource: "*", context: { "cloudwatch:namespace": METRIC.namespace }, why: "publishes ClientCertificateDaysToExpiry, which the expiry alarm watches; the action's only resource type is an optional CloudWatch dataset, which the monitor does not use" },
    ],
};
