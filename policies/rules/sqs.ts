import { PolicyResource } from "@pulumi/policy";
import { known, obj, ofTypes, parseJson, regionOf, resourceRule, stackRule, withoutTlsOnlyPolicy } from "./util";

/* eslint-disable @typescript-eslint/no-explicit-any */

export const sqsKms = resourceRule({
    name: "sqs-1-kms-encryption",
    service: "SQS",
    controls: ["SQS.1", "CKV_AWS_27", "AwsSolutions-SQS2"],
    level: "mandatory",
    description: "SQS queues are encrypted with a KMS key (kmsMasterKeyId), not only SSE-SQS.",
    types: ["aws:sqs/queue:Queue"],
    check: (p, _r, report) => {
        if (!p.kmsMasterKeyId) {
            report(`queue has no kmsMasterKeyId${p.sqsManagedSseEnabled ? " (SSE-SQS is not a KMS key)" : ""}`);
        }
    },
});

/**
 * A dead-letter / on-failure field of a resource type: `field` is the top-level
 * input the engine keys property dependencies by, `targets` reads the ARNs
 * inside it that name the dead-letter destination (and nothing else).
 */
interface DlqField {
    field: string;
    targets: (p: Record<string, any>) => unknown[];
}

const deadLetterTargetArn = (p: Record<string, any>) => [obj(p.redrivePolicy)?.deadLetterTargetArn];

/**
 * Resource types that can name a queue as a dead-letter / on-failure destination,
 * and where. Only these fields count: a queue a resource merely sends to, reads
 * from or passes in its environment is not a dead-letter queue.
 */
export const DLQ_FIELDS: Record<string, DlqField[]> = {
    "aws:sqs/queue:Queue": [{ field: "redrivePolicy", targets: deadLetterTargetArn }],
    "aws:sqs/redrivePolicy:RedrivePolicy": [{ field: "redrivePolicy", targets: deadLetterTargetArn }],
    "aws:sns/topicSubscription:TopicSubscription": [{ field: "redrivePolicy", targets: deadLetterTargetArn }],
    "aws:lambda/function:Function": [{ field: "deadLetterConfig", targets: (p) => [obj(p.deadLetterConfig)?.targetArn] }],
    "aws:cloudwatch/eventTarget:EventTarget": [{ field: "deadLetterConfig", targets: (p) => [obj(p.deadLetterConfig)?.arn] }],
    "aws:lambda/eventSourceMapping:EventSourceMapping": [{ field: "destinationConfig", targets: (p) => [obj(obj(p.destinationConfig)?.onFailure)?.destinationArn] }],
    // destinationConfig also carries onSuccess: while the ARNs are unknown (preview) the
    // property dependency cannot tell the two apart, and the queue is given the benefit of the doubt.
    "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig": [{ field: "destinationConfig", targets: (p) => [obj(obj(p.destinationConfig)?.onFailure)?.destination] }],
    "aws:pipes/pipe:Pipe": [
        {
            field: "sourceParameters",
            targets: (p) => {
                const s = obj(p.sourceParameters);
                return [obj(obj(s?.dynamodbStreamParameters)?.deadLetterConfig)?.arn, obj(obj(s?.kinesisStreamParameters)?.deadLetterConfig)?.arn];
            },
        },
    ],
};

/** The dead-letter fields of a resource type ([] for types that have none). */
function dlqFieldsOf(type: string): DlqField[] {
    return Object.prototype.hasOwnProperty.call(DLQ_FIELDS, type) ? DLQ_FIELDS[type] : [];
}

/** Name, Region and account of an SQS queue ARN or URL; undefined for anything else. */
export function parseQueueRef(ref: string): { name: string; region?: string; account?: string } | undefined {
    const arn = /^arn:aws[a-z-]*:sqs:([^:]*):([^:]*):([^:/]+)$/.exec(ref);
    if (arn) {
        return { region: arn[1] || undefined, account: arn[2] || undefined, name: arn[3] };
    }
    // https://sqs.<region>.amazonaws.com[.cn]/<account>/<name> and the legacy https://<region>.queue.amazonaws.com/<account>/<name>
    const url = /^https:\/\/(?:sqs\.([a-z0-9-]+)|([a-z0-9-]+)\.queue)\.amazonaws\.com(?:\.cn)?\/(\d+)\/([^/?#]+)\/?$/.exec(ref);
    if (url) {
        return { region: url[1] ?? url[2], account: url[3], name: url[4] };
    }
    return undefined;
}

/**
 * Whether the ARN/URL `ref` names queue `q`: true/false when it can tell, undefined when
 * none of the queue's ARN, URL or name is known (preview of a new queue, autonamed queue offline).
 */
export function refersToQueue(ref: unknown, q: PolicyResource): boolean | undefined {
    if (typeof ref !== "string" || ref === "") {
        return false;
    }
    const read = (k: string) => known(() => {
        const v = q.props?.[k];
        return typeof v === "string" && v !== "" ? v : undefined;
    }, undefined);
    const arn = read("arn");
    const url = read("url");
    if (ref === arn || ref === url) {
        return true;
    }
    const parsed = parseQueueRef(ref);
    if (!parsed) {
        return false; // an SNS topic, a Lambda function...: not a queue at all
    }
    const name = read("name") ?? (arn ? parseQueueRef(arn)?.name : undefined) ?? (url ? parseQueueRef(url)?.name : undefined);
    if (name === undefined) {
        return undefined;
    }
    const region = known(() => regionOf(q), undefined);
    return parsed.name === name && (!parsed.region || !region || parsed.region === region);
}

/**
 * True when `user`'s dead-letter field `f` names queue `q`: by value when both sides are
 * known, else by the property dependency of that field (never by a plain dependency:
 * a resource that sends to a queue and has its own DLQ depends on both).
 */
function namesQueueIn(user: PolicyResource, f: DlqField, q: PolicyResource): boolean {
    const UNKNOWN = Symbol("unknown");
    const values = known<unknown[] | typeof UNKNOWN>(() => f.targets(user.props ?? {}).filter((v) => v !== undefined && v !== null && v !== ""), UNKNOWN);
    if (values !== UNKNOWN) {
        let undecided = false;
        for (const v of values) {
            const r = refersToQueue(v, q);
            if (r === true) {
                return true;
            }
            undecided ||= r === undefined;
        }
        if (!undecided) {
            return false;
        }
    }
    return user.propertyDependencies?.[f.field]?.some((d) => d.urn === q.urn) ?? false;
}

/** True when `user` names `q` as its dead-letter / on-failure destination. */
export function isDeadLetterTargetOf(user: PolicyResource, q: PolicyResource): boolean {
    return user.urn !== q.urn && dlqFieldsOf(user.type).some((f) => namesQueueIn(user, f, q));
}

/** True when a resource whose `queueUrl` input is queue `q` (RedrivePolicy, RedriveAllowPolicy resources). */
function attachedTo(res: PolicyResource, q: PolicyResource): boolean {
    const byValue = known(() => refersToQueue(res.props?.queueUrl, q), undefined);
    if (byValue !== undefined) {
        return byValue;
    }
    return res.propertyDependencies?.queueUrl?.some((d) => d.urn === q.urn) ?? false;
}

/**
 * True when the `redriveAllowPolicy` input of `res` lets other queues use the queue as their DLQ
 * (allowAll, or byQueue with source queues); `denyAll` does not. Unknown in preview counts as allowing.
 */
function allowsRedrive(res: PolicyResource): boolean {
    return known(() => {
        const p = obj(parseJson(res.props?.redriveAllowPolicy));
        if (p?.redrivePermission === "allowAll") {
            return true;
        }
        return p?.redrivePermission === "byQueue" && Array.isArray(p.sourceQueueArns) && p.sourceQueueArns.length > 0;
    }, true);
}

export const sqsDlq = stackRule({
    name: "sqs-dead-letter-queue",
    service: "SQS",
    controls: ["AWSARCH.SQS.1", "AwsSolutions-SQS3"],
    level: "mandatory",
    description:
        "Every SQS queue has a redrive policy to a dead-letter queue, unless another resource names it in its dead-letter/on-failure field (redrivePolicy, deadLetterConfig, destinationConfig.onFailure) or its redriveAllowPolicy admits source queues.",
    check: (resources, _env, report) => {
        const queues = ofTypes(resources, "aws:sqs/queue:Queue");
        const users = resources.filter((r) => dlqFieldsOf(r.type).length > 0);
        const redrives = ofTypes(resources, "aws:sqs/redrivePolicy:RedrivePolicy");
        const allows = ofTypes(resources, "aws:sqs/redriveAllowPolicy:RedriveAllowPolicy");
        for (const q of queues) {
            const hasRedrive = known(() => !!q.props?.redrivePolicy, true) || redrives.some((r) => attachedTo(r, q));
            if (hasRedrive) {
                continue;
            }
            const isDlq = users.some((u) => isDeadLetterTargetOf(u, q));
            const allowed = allowsRedrive(q) || allows.some((a) => attachedTo(a, q) && allowsRedrive(a));
            if (!isDlq && !allowed) {
                report(`queue ${q.name} has no redrivePolicy (dead-letter queue) and no resource names it as its dead-letter/on-failure destination`, q.urn);
            }
        }
    },
});

export const sqsTlsOnly = stackRule({
    name: "sqs-4-tls-only",
    service: "SQS",
    controls: ["AwsSolutions-SQS4"],
    level: "mandatory",
    description: "Every SQS queue (dead-letter queues too) has a queue policy that denies requests with `aws:SecureTransport` false.",
    check: (resources, _env, report) => {
        for (const q of withoutTlsOnlyPolicy(ofTypes(resources, "aws:sqs/queue:Queue"), ofTypes(resources, "aws:sqs/queuePolicy:QueuePolicy"), attachedTo)) {
            report(`queue ${q.name} has no queue policy denying requests without TLS (aws:SecureTransport false)`, q.urn);
        }
    },
});

export const rules = [sqsKms, sqsDlq, sqsTlsOnly];
