/**
 * AWS quotas the program can exceed by itself, which no mock or `preview` checks (the API refuses
 * at `pulumi up`). Dependency-free: read by the policy pack. Checked 2026-12-02.
 */

/**
 * CloudWatch Logs resource policies per account and Region; the quota cannot be raised
 * (CloudWatch Logs API Reference, PutResourcePolicy: "An account can have up to 10 resource
 * policies per AWS Region"; LimitExceededException beyond).
 */
export const LOG_RESOURCE_POLICIES_PER_REGION = 10;

/** Longest policy document PutResourcePolicy takes (AWS::Logs::ResourcePolicy PolicyDocument: Maximum 5120). */
export const LOG_RESOURCE_POLICY_MAX_CHARS = 5120;
