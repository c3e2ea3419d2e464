/**
 * IAM policy building blocks shared by the components (JSON shapes, built with
 * `JSON.stringify` / `pulumi.jsonStringify` by the caller).
 */

/**
 * The trust policy of a role that the AWS service `service` (e.g.
 * `lambda.amazonaws.com`) assumes, only on behalf of `accountId`
 * (`aws:SourceAccount`), as a JSON string.
 */
export function serviceTrustPolicy(service: string, accountId: string): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Principal: { Service: service },
                Action: "sts:AssumeRole",
                Condition: { StringEquals: { "aws:SourceAccount": accountId } },
            },
        ],
    });
}
