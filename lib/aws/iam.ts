/**
 * IAM policy building blocks shared by the components (JSON shapes, built with
 * `JSON.stringify` / `pulumi.jsonStringify` by the caller).
 */

/**
 * The trust policy of a role that the AWS service `service` (e.g.
 * `lambda.amazonaws.com`) assumes, only on behalf of `accountId`, as a JSON
 * string (several accounts: any of them). The condition key is `aws:SourceAccount` unless the service passes
 * the account another way (Firehose: `sts:ExternalId`); `sourceArnLike` also
 * bounds it to the service's resources (`aws:SourceArn`, e.g. the account's
 * flow logs; IAM User Guide, "confused-deputy").
 */
export function serviceTrustPolicy(
    service: string,
    accountId: string | string[],
    opts: { conditionKey?: "aws:SourceAccount" | "sts:ExternalId"; sourceArnLike?: string } = {},
): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Principal: { Service: service },
                Action: "sts:AssumeRole",
                Condition: {
                    StringEquals: { [opts.conditionKey ?? "aws:SourceAccount"]: accountId },
                    ...(opts.sourceArnLike ? { ArnLike: { "aws:SourceArn": opts.sourceArnLike } } : {}),
                },
            },
        ],
    });
}

/**
 * The resource-policy statement denying every request to `resource` not made over TLS
 * (`aws:SecureTransport` false): buckets (S3.5), queues (cdk-nag SQS4), topics (SNS3). `action`
 * is what it covers (`s3:*`, `sqs:*`, `sns:Publish`).
 */
export function denyInsecureTransport(action: string, resource: unknown): object {
    return { Sid: "DenyInsecureTransport", Effect: "Deny", Principal: "*", Action: action, Resource: resource, Condition: { Bool: { "aws:SecureTransport": "false" } } };
}
