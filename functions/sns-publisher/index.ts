import { SNSClient } from "@aws-sdk/client-sns";
import { PublishSummary, formatSummary, groupIdFromLine, publishLines } from "./publisher";

/** Event of the publisher Lambda: the log lines to publish (or one text blob split on newlines). */
export interface PublisherEvent {
    lines?: string[];
    text?: string;
    /**
     * FIFO topics: run ID of the deduplication IDs (default: a new one per
     * invocation). Send the same `runId` when re-invoking with the same lines so
     * SNS drops what an earlier invocation already delivered (5-minute interval).
     */
    runId?: string;
}

const client = new SNSClient({});

/** Lines of an event, empty ones dropped. */
export function eventLines(event: PublisherEvent): string[] {
    const lines = event.lines ?? (event.text ?? "").split(/\r?\n/);
    return lines.filter((l) => typeof l === "string" && l.trim().length > 0);
}

/**
 * Publishes the event's lines to `$TOPIC_ARN` (`$GROUP_FROM_LINE=true`: FIFO
 * groups from each line's first token; `$DEDUPLICATION=content`: no FIFO
 * deduplication IDs, the topic's content-based deduplication applies).
 * Returns the summary; throws (so the invocation is an error and the error
 * alarm fires) when any message finally failed, with the summary in the error
 * message.
 */
export async function publishEvent(event: PublisherEvent, deps: { client?: Pick<SNSClient, "send">; env?: NodeJS.ProcessEnv } = {}): Promise<PublishSummary> {
    const env = deps.env ?? process.env;
    const topicArn = env.TOPIC_ARN;
    if (!topicArn) {
        throw new Error("TOPIC_ARN is not set");
    }
    const summary = await publishLines(eventLines(event), {
        client: deps.client ?? client,
        topicArn,
        maxAttempts: env.MAX_ATTEMPTS ? Number(env.MAX_ATTEMPTS) : undefined,
        groupId: env.GROUP_FROM_LINE === "true" ? groupIdFromLine : undefined,
        deduplication: env.DEDUPLICATION === "content" ? "content" : "entry",
        runId: event.runId,
    });
    console.log(formatSummary(summary));
    if (summary.failed > 0) {
        throw new Error(`sns-publisher: ${summary.failed} of ${summary.failed + summary.sent} messages failed: ${formatSummary(summary)}`);
    }
    return summary;
}

/** Lambda entry point. */
export const handler = (event: PublisherEvent): Promise<PublishSummary> => publishEvent(event);
