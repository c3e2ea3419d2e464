import { linked, ofTypes, parseJson, resourceRule, stackRule } from "./util";

/* eslint-disable @typescript-eslint/no-explicit-any */

export const sqsKms = resourceRule({
    name: "sqs-1-kms-encryption",
    service: "SQS",
    controls: ["SQS.1", "CKV_AWS_27"],
    level: "mandatory",
    description: "SQS queues are encrypted with a KMS key (kmsMasterKeyId), not only SSE-SQS.",
    types: ["aws:sqs/queue:Queue"],
    check: (p, _r, report) => {
        if (!p.kmsMasterKeyId) {
            report(`queue has no kmsMasterKeyId${p.sqsManagedSseEnabled ? " (SSE-SQS is not a KMS key)" : ""}`);
        }
    },
});

/** Resource types whose input can point at a queue as a dead-letter / on-failure destination. */
const DLQ_USERS = [
    "aws:sqs/queue:Queue",
    "aws:sqs/redrivePolicy:RedrivePolicy",
    "aws:lambda/function:Function",
    "aws:lambda/eventSourceMapping:EventSourceMapping",
    "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig",
    "aws:sns/topicSubscription:TopicSubscription",
    "aws:cloudwatch/eventTarget:EventTarget",
    "aws:pipes/pipe:Pipe",
];

function declaresDlq(r: { type: string; props: Record<string, any> }): boolean {
    const p = r.props ?? {};
    return !!(p.redrivePolicy || p.deadLetterConfig || p.destinationConfig || p.redriveAllowPolicy);
}

export const sqsDlq = stackRule({
    name: "sqs-dead-letter-queue",
    service: "SQS",
    controls: ["AWSARCH.SQS.1"],
    level: "mandatory",
    description:
        "Every SQS queue has a redrive policy to a dead-letter queue, unless it is itself a dead-letter/on-failure destination of another resource.",
    check: (resources, _env, report) => {
        const queues = ofTypes(resources, "aws:sqs/queue:Queue");
        const users = ofTypes(resources, ...DLQ_USERS).filter(declaresDlq);
        const redrives = ofTypes(resources, "aws:sqs/redrivePolicy:RedrivePolicy");
        for (const q of queues) {
            if (q.props?.redrivePolicy || linked(q, redrives, "queueUrl").length > 0) {
                continue;
            }
            const isDlq = users.some((u) => u.urn !== q.urn && u.dependencies?.some((d) => d.urn === q.urn));
            const named = parseJson(q.props?.redriveAllowPolicy) !== undefined;
            if (!isDlq && !named) {
                report(`queue ${q.name} has no redrivePolicy (dead-letter queue)`, q.urn);
            }
        }
    },
});

export const rules = [sqsKms, sqsDlq];
