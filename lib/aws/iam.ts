/**
 * IAM policy building blocks shared by the components (JSON shapes, built with
 * `JSON.stringify` / `pulumi.jsonStringify` by the caller).
 */

/**
 * The trust policy of a role that the AWS service `service` (e.g.
 * `lambda.amazonaws.com`) assumes, only on behalf of `accountId`, as a JSON
 * string. The condition key is `aws:SourceAccount` unless the service passes
 * the account another way (Firehose: `sts:ExternalId`).
 */
export function serviceTrustPolicy(service: string, accountId: string, conditionKey: "aws:SourceAccount" | "sts:ExternalId" = "aws:SourceAccount"): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Principal: { Service: service },
                Action: "sts:AssumeRole",
                Condition: { StringEquals: { [conditionKey]: accountId } },
            },
        ],
    });
}
