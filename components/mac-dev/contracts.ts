import { AccessContract } from "../../functions/shared/contract";

/**
 * What a Mac host calls with its instance role itself (scripts.ts, the domain-join script): the
 * directory admin password, once, to join the domain. Session Manager and the SSM agent use the
 * AWS managed AmazonSSMManagedInstanceCore policy.
 */
export const MAC_HOST: AccessContract = {
    handler: "mac-host",
    calls: [{ action: "secretsmanager:GetSecretValue", resource: { env: "ADMIN_SECRET" }, why: "aws secretsmanager get-secret-value in the domain-join script" }],
};
