import { AccessContract } from "../shared/contract";

/** What the producer calls (index.ts); Kafka itself is reached over mutual TLS, not IAM. */
export const CONTRACT: AccessContract = {
    handler: "msk-producer",
    calls: [{ action: "secretsmanager:GetSecretValue", resource: { env: "CLIENT_CERT_SECRET_ARN" }, why: "reads the client certificate and key for mTLS" }],
};
