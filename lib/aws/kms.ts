import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/**
 * KMS building blocks shared by the components: the key-policy skeleton every
 * customer-managed key of this program uses (the account administers the key,
 * IAM policies grant its use) and a rotating key. Plain functions: resources are
 * created with the caller's options, so parents and URNs are the caller's.
 */

/** Actions CloudWatch Logs needs on a key that encrypts log groups. */
export const LOGS_KEY_ACTIONS = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"];

/** Options of {@link keyPolicy}. */
export interface KeyPolicyOptions {
    /** Sid of the account-administration statement (default `AccountAdministration`). */
    adminSid?: string;
    /** Optional policy `Id` (written after `Statement`). */
    id?: string;
}

/**
 * The statement letting the account root administer the key, so IAM policies
 * of the account decide who may use it.
 */
export function accountAdminStatement(accountId: string, sid = "AccountAdministration"): object {
    return { Sid: sid, Effect: "Allow", Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: "kms:*", Resource: "*" };
}

/**
 * A key policy as a JSON string: {@link accountAdminStatement} followed by
 * `extra` service statements (see {@link logsKeyStatement}, {@link serviceKeyStatement}).
 */
export function keyPolicy(accountId: string, extra: object[] = [], options: KeyPolicyOptions = {}): string {
    const doc: Record<string, unknown> = {
        Version: "2012-10-17",
        Statement: [accountAdminStatement(accountId, options.adminSid), ...extra],
    };
    if (options.id !== undefined) doc.Id = options.id;
    return JSON.stringify(doc);
}

/**
 * The statement letting CloudWatch Logs of `region` use the key, limited by the
 * encryption context to the log group ARN(s) given (`ArnEquals`, or `ArnLike`
 * for patterns).
 */
export function logsKeyStatement(
    sid: string,
    region: string,
    logGroupArns: string | string[],
    operator: "ArnEquals" | "ArnLike" = "ArnEquals",
): object {
    return {
        Sid: sid,
        Effect: "Allow",
        Principal: { Service: `logs.${region}.amazonaws.com` },
        Action: LOGS_KEY_ACTIONS,
        Resource: "*",
        Condition: { [operator]: { "kms:EncryptionContext:aws:logs:arn": logGroupArns } },
    };
}

/**
 * The statement letting an AWS service principal (e.g. `sns.amazonaws.com`,
 * `cloudwatch.amazonaws.com`) use the key with `actions`, only on behalf of
 * `accountId` (`aws:SourceAccount`).
 */
export function serviceKeyStatement(sid: string, service: string, actions: string[], accountId: string): object {
    return {
        Sid: sid,
        Effect: "Allow",
        Principal: { Service: service },
        Action: actions,
        Resource: "*",
        Condition: { StringEquals: { "aws:SourceAccount": accountId } },
    };
}

/**
 * What a service publishing to, or delivering into, a topic or queue encrypted with the key calls:
 * GenerateDataKey and Decrypt (SNS Developer Guide, "sns-key-management", and SQS Developer Guide,
 * "sqs-key-management": the documented `kms:GenerateDataKey*` stands for this one action; the
 * key-pair and without-plaintext variants are not called). Checked by lib/plan/access.ts.
 */
export const ENCRYPTED_MESSAGING_KEY_ACTIONS = ["kms:GenerateDataKey", "kms:Decrypt"];

/** {@link serviceKeyStatement} for a service that publishes into an encrypted topic or queue (SNS, CloudWatch alarms, EventBridge). */
export function messagingKeyStatement(sid: string, service: string, accountId: string): object {
    return serviceKeyStatement(sid, service, ENCRYPTED_MESSAGING_KEY_ACTIONS, accountId);
}

/** Inputs of {@link rotatingKey}. */
export interface RotatingKeyArgs {
    /** What the key encrypts. */
    description: pulumi.Input<string>;
    /** Key policy JSON (see {@link keyPolicy}). */
    policy: pulumi.Input<string>;
}

/**
 * A customer-managed symmetric key with yearly rotation and a 30-day deletion
 * window, created with the caller's `opts` (parent, provider, protect).
 */
export function rotatingKey(name: string, args: RotatingKeyArgs, opts: pulumi.CustomResourceOptions): aws.kms.Key {
    return new aws.kms.Key(name, { description: args.description, enableKeyRotation: true, deletionWindowInDays: 30, policy: args.policy }, opts);
}
