import { createHash, randomUUID } from "crypto";
import { createInterface } from "readline";
import { Readable } from "stream";
import {
    MessageAttributeValue,
    PublishBatchCommand,
    PublishBatchCommandOutput,
    PublishBatchRequestEntry,
    SNSClient,
} from "@aws-sdk/client-sns";

/** SNS PublishBatch accepts at most 10 entries per request. */
export const MAX_BATCH_ENTRIES = 10;
/** SNS PublishBatch accepts at most 256 KiB of payload (all messages and their attributes) per request. */
export const MAX_BATCH_BYTES = 262_144;
/** Default group of every message on a FIFO topic (one ordered stream). */
export const DEFAULT_GROUP_ID = "log-lines";

/** Batch-level error codes SNS returns for a malformed request (the whole request is rejected). */
export const BATCH_LEVEL_ERRORS = [
    "BatchEntryIdsNotDistinctException",
    "BatchRequestTooLongException",
    "EmptyBatchRequestException",
    "TooManyEntriesInBatchRequestException",
    "InvalidBatchEntryIdException",
] as const;

/** One message to publish. */
export interface OutgoingMessage {
    /** The message body (one log line). */
    message: string;
    /** Optional SNS message attributes. */
    attributes?: Record<string, MessageAttributeValue>;
}

/** What finally failed for one message. */
export interface FailedMessage {
    /** Position of the message in the input (0-based). */
    index: number;
    /** SNS error code, `EntryTooLarge` (never sent) or the name of the error a batch-level failure threw. */
    code: string;
    /** Human-readable reason. */
    reason: string;
    /** True when SNS blamed the request (not retried). */
    senderFault: boolean;
    /** Number of times this message was sent. */
    attempts: number;
}

/** A request SNS (or the SDK) rejected as a whole. */
export interface BatchError {
    /** Error name, e.g. `BatchEntryIdsNotDistinctException` or `ThrottlingException` after the SDK's own retries. */
    name: string;
    /** Error message. */
    message: string;
    /** Input indexes of every message of that request (all are reported failed). */
    indexes: number[];
}

/** What {@link publishMessages} did. */
export interface PublishSummary {
    /** Messages SNS accepted. */
    sent: number;
    /** Messages re-sent after a retryable failure (counted once per re-send). */
    retried: number;
    /** Messages that finally failed. */
    failed: number;
    /** PublishBatch API calls made. */
    calls: number;
    /** Details of every final failure, by input index. */
    failures: FailedMessage[];
    /** Requests rejected as a whole: never swallowed, every entry of them is in `failures` too. */
    batchErrors: BatchError[];
}

/** Options of the publisher. */
export interface PublisherOptions {
    /** The SNS client (mock it in tests). */
    client: Pick<SNSClient, "send">;
    /** Target topic ARN; a `.fifo` suffix turns on group and deduplication IDs. */
    topicArn: string;
    /** Total attempts per message, first send included (default 4). */
    maxAttempts?: number;
    /** Base of the exponential backoff in ms (default 100). */
    baseDelayMs?: number;
    /** Cap of one backoff delay in ms (default 5000). */
    maxDelayMs?: number;
    /** Sleeps `ms` milliseconds (inject a no-op in tests). */
    sleep?: (ms: number) => Promise<void>;
    /** Uniform random in [0, 1) for jitter (inject for deterministic tests). */
    random?: () => number;
    /** FIFO only: the MessageGroupId of a message (default: {@link DEFAULT_GROUP_ID} for all). */
    groupId?: (message: OutgoingMessage, index: number) => string;
    /**
     * FIFO only: how each entry's MessageDeduplicationId is chosen.
     * - `"entry"` (default): {@link entryDeduplicationId} of the run ID, the
     *   message's position in the input and its body. A retried entry keeps its
     *   ID (SNS drops the duplicate if the first send did get through), while
     *   identical lines at different positions are all delivered.
     * - `"content"`: no MessageDeduplicationId is sent, so SNS derives one from
     *   the body (SHA-256). The topic must have `ContentBasedDeduplication`
     *   (SNS rejects the entries otherwise), and identical lines within SNS's
     *   5-minute deduplication interval are accepted but delivered once.
     */
    deduplication?: "entry" | "content";
    /**
     * FIFO, `"entry"` deduplication: the ID of this run, part of every
     * deduplication ID (default: a random UUID per call). Reuse it when the same
     * input is published again (e.g. a retried Lambda invocation) so SNS drops
     * what the earlier run already delivered within the 5-minute interval.
     */
    runId?: string;
    /** FIFO only: a custom MessageDeduplicationId for a message (overrides `deduplication`). */
    deduplicationId?: (message: OutgoingMessage, index: number) => string;
}

const utf8 = (s: string | undefined): number => (s === undefined ? 0 : Buffer.byteLength(s, "utf8"));

/**
 * Bytes SNS counts for one entry: the UTF-8 message plus every attribute's
 * name, data type and value.
 */
export function entryBytes(m: OutgoingMessage): number {
    let n = utf8(m.message);
    for (const [name, attr] of Object.entries(m.attributes ?? {})) {
        n += utf8(name) + utf8(attr.DataType) + utf8(attr.StringValue) + (attr.BinaryValue ? attr.BinaryValue.byteLength : 0);
    }
    return n;
}

/** Derives a FIFO group from a log line: its first whitespace-separated token (e.g. a service name), sanitised. */
export function groupIdFromLine(m: OutgoingMessage): string {
    const token = m.message.trim().split(/\s+/)[0] ?? "";
    const clean = token.replace(/[^A-Za-z0-9!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/g, "").slice(0, 128);
    return clean || DEFAULT_GROUP_ID;
}

/**
 * The default FIFO deduplication ID of the message at `index` of a run: hex
 * SHA-256 (64 characters, within SNS's 128) of the run ID, the index and the
 * body. Stable across retries of that entry within the run; different for the
 * same line at another position or in another run.
 */
export function entryDeduplicationId(runId: string, index: number, m: OutgoingMessage): string {
    return createHash("sha256").update(`${runId}\n${index}\n`, "utf8").update(m.message, "utf8").digest("hex");
}

/**
 * Packs message indexes into requests of at most {@link MAX_BATCH_ENTRIES}
 * entries and {@link MAX_BATCH_BYTES} bytes, in input order. Messages larger
 * than the limit on their own are returned in `tooLarge` (never sent).
 */
export function packBatches(
    indexes: number[],
    sizeOf: (i: number) => number,
    maxEntries = MAX_BATCH_ENTRIES,
    maxBytes = MAX_BATCH_BYTES,
): { batches: number[][]; tooLarge: number[] } {
    const batches: number[][] = [];
    const tooLarge: number[] = [];
    let current: number[] = [];
    let bytes = 0;
    for (const i of indexes) {
        const size = sizeOf(i);
        if (size > maxBytes) {
            tooLarge.push(i);
            continue;
        }
        if (current.length === maxEntries || bytes + size > maxBytes) {
            batches.push(current);
            current = [];
            bytes = 0;
        }
        current.push(i);
        bytes += size;
    }
    if (current.length > 0) {
        batches.push(current);
    }
    return { batches, tooLarge };
}

/** Full-jitter exponential backoff: a uniform delay in [0, min(cap, base * 2^(retry-1))]. */
export function backoffDelay(retry: number, baseMs: number, capMs: number, random: () => number): number {
    return Math.floor(random() * Math.min(capMs, baseMs * 2 ** (retry - 1)));
}

/** Entry ID of input message `index` (unique within a request because indexes are). */
export const entryId = (index: number): string => `m${index}`;

/**
 * Publishes `messages` to an SNS topic with PublishBatch: packed by count and
 * bytes, FIFO group/deduplication IDs when the topic is FIFO, only the failed
 * entries that are not the sender's fault retried with backoff, for at most
 * `maxAttempts` sends per message. A request rejected as a whole (a thrown
 * error, e.g. `BatchEntryIdsNotDistinctException`, or a throttling error the
 * SDK gave up on) is not retried here: every entry of it is reported failed with
 * the error's name, and the error is listed in `batchErrors`.
 */
export async function publishMessages(messages: OutgoingMessage[], opts: PublisherOptions): Promise<PublishSummary> {
    const maxAttempts = Math.max(1, opts.maxAttempts ?? 4);
    const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    const random = opts.random ?? Math.random;
    const fifo = opts.topicArn.endsWith(".fifo");
    const groupId = opts.groupId ?? (() => DEFAULT_GROUP_ID);
    const runId = opts.runId ?? randomUUID();
    const dedupId: ((m: OutgoingMessage, i: number) => string) | undefined =
        opts.deduplicationId ?? (opts.deduplication === "content" ? undefined : (m, i) => entryDeduplicationId(runId, i, m));
    const sizes = messages.map(entryBytes);
    const attempts = new Array<number>(messages.length).fill(0);
    const summary: PublishSummary = { sent: 0, retried: 0, failed: 0, calls: 0, failures: [], batchErrors: [] };

    const fail = (index: number, code: string, reason: string, senderFault: boolean): void => {
        summary.failures.push({ index, code, reason, senderFault, attempts: attempts[index] });
    };

    const toEntry = (i: number): PublishBatchRequestEntry => {
        const m = messages[i];
        const entry: PublishBatchRequestEntry = { Id: entryId(i), Message: m.message };
        if (m.attributes && Object.keys(m.attributes).length > 0) {
            entry.MessageAttributes = m.attributes;
        }
        if (fifo) {
            entry.MessageGroupId = groupId(m, i);
            if (dedupId) {
                entry.MessageDeduplicationId = dedupId(m, i);
            }
        }
        return entry;
    };

    let pending = messages.map((_, i) => i);
    for (let attempt = 1; attempt <= maxAttempts && pending.length > 0; attempt++) {
        if (attempt > 1) {
            summary.retried += pending.length;
            await sleep(backoffDelay(attempt - 1, opts.baseDelayMs ?? 100, opts.maxDelayMs ?? 5000, random));
        }
        const { batches, tooLarge } = packBatches(pending, (i) => sizes[i]);
        for (const i of tooLarge) {
            fail(i, "EntryTooLarge", `message is ${sizes[i]} bytes with attributes; the request limit is ${MAX_BATCH_BYTES}`, true);
        }
        const retry: number[] = [];
        for (const batch of batches) {
            batch.forEach((i) => attempts[i]++);
            summary.calls++;
            let out: PublishBatchCommandOutput;
            try {
                out = await opts.client.send(new PublishBatchCommand({ TopicArn: opts.topicArn, PublishBatchRequestEntries: batch.map(toEntry) }));
            } catch (err) {
                const e = err as Error;
                const name = e?.name || "Error";
                const message = e?.message || String(err);
                summary.batchErrors.push({ name, message, indexes: [...batch] });
                for (const i of batch) {
                    fail(i, name, `the whole PublishBatch request failed: ${message}`, true);
                }
                continue;
            }
            const byId = new Map(batch.map((i) => [entryId(i), i]));
            const answered = new Set<string>();
            for (const ok of out.Successful ?? []) {
                if (ok.Id && byId.has(ok.Id)) {
                    answered.add(ok.Id);
                    summary.sent++;
                }
            }
            for (const bad of out.Failed ?? []) {
                const i = bad.Id !== undefined ? byId.get(bad.Id) : undefined;
                if (i === undefined) {
                    continue;
                }
                answered.add(bad.Id!);
                if (bad.SenderFault === false && attempts[i] < maxAttempts) {
                    retry.push(i);
                } else {
                    fail(i, bad.Code ?? "Unknown", bad.Message ?? "no message", bad.SenderFault !== false);
                }
            }
            // An entry SNS did not mention at all is treated as a retryable failure.
            for (const i of batch) {
                if (!answered.has(entryId(i))) {
                    if (attempts[i] < maxAttempts) {
                        retry.push(i);
                    } else {
                        fail(i, "NoResult", "SNS returned neither success nor failure for this entry", false);
                    }
                }
            }
        }
        pending = retry.sort((a, b) => a - b);
    }
    summary.failures.sort((a, b) => a.index - b.index);
    summary.failed = summary.failures.length;
    return summary;
}

/** Publishes log lines (empty lines are skipped by {@link readLines}, not here). */
export function publishLines(lines: string[], opts: PublisherOptions): Promise<PublishSummary> {
    return publishMessages(
        lines.map((message) => ({ message })),
        opts,
    );
}

/** Reads the non-empty lines of a stream (a file or stdin); a trailing `\r` is dropped. */
export async function readLines(input: Readable): Promise<string[]> {
    const lines: string[] = [];
    const rl = createInterface({ input, crlfDelay: Infinity });
    for await (const line of rl) {
        if (line.trim().length > 0) {
            lines.push(line);
        }
    }
    return lines;
}

/** One-line summary for humans and logs: `{sent, retried, failed, calls}` plus batch errors. */
export function formatSummary(s: PublishSummary): string {
    const head = JSON.stringify({ sent: s.sent, retried: s.retried, failed: s.failed, calls: s.calls });
    const errs = s.batchErrors.map((b) => `\n  batch error ${b.name}: ${b.message} (${b.indexes.length} messages failed)`).join("");
    const fails = s.failures
        .slice(0, 20)
        .map((f) => `\n  message #${f.index}: ${f.code}: ${f.reason} (attempts: ${f.attempts})`)
        .join("");
    const more = s.failures.length > 20 ? `\n  ... and ${s.failures.length - 20} more failures` : "";
    return head + errs + fails + more;
}
