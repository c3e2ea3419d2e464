import type { SQSBatchItemFailure, SQSBatchResponse, SQSRecord } from "aws-lambda";

/**
 * Partial batch responses (`ReportBatchItemFailures`) for SQS event sources,
 * shared by the SNS fan-out consumers. No dependencies: bundled into each
 * handler by esbuild.
 *
 * Standard queue: only the records that failed are reported, the others are
 * deleted. FIFO queue (the ARN ends in `.fifo`): Lambda's documentation asks
 * the function to stop processing at the first failure and to report that
 * record and every later record of the batch; otherwise later messages of the
 * failed message's group would be deleted before it is retried, breaking the
 * group's order.
 */

/** True when the record comes from a FIFO queue (its `eventSourceARN` ends in `.fifo`). */
export function isFifoRecord(record: SQSRecord): boolean {
    return typeof record.eventSourceARN === "string" && record.eventSourceARN.endsWith(".fifo");
}

/** True when the batch comes from a FIFO queue (one event source mapping reads one queue). */
export function isFifoBatch(records: readonly SQSRecord[]): boolean {
    return records.length > 0 && isFifoRecord(records[0]);
}

const item = (r: SQSRecord): SQSBatchItemFailure => ({ itemIdentifier: r.messageId });

/**
 * The partial batch response for `records` given the message IDs that failed:
 * standard queue, exactly those; FIFO queue, the first failed record (in batch
 * order) and every record after it, failed or not.
 */
export function partialBatchResponse(records: readonly SQSRecord[], failed: ReadonlySet<string>): SQSBatchResponse {
    if (!isFifoBatch(records)) {
        return { batchItemFailures: records.filter((r) => failed.has(r.messageId)).map(item) };
    }
    const first = records.findIndex((r) => failed.has(r.messageId));
    return { batchItemFailures: first < 0 ? [] : records.slice(first).map(item) };
}

/**
 * Processes `records` one at a time, in batch order; a record whose `process`
 * throws (or rejects) is failed and `onError` is told. On a FIFO queue the
 * records after the first failure are not processed at all (they are reported
 * with it, see {@link partialBatchResponse}); on a standard queue processing
 * goes on.
 */
export async function processRecords(
    records: readonly SQSRecord[],
    process: (record: SQSRecord) => void | Promise<void>,
    onError: (record: SQSRecord, err: unknown) => void = () => undefined,
): Promise<SQSBatchResponse> {
    const fifo = isFifoBatch(records);
    const failed = new Set<string>();
    for (const record of records) {
        try {
            await process(record);
        } catch (err) {
            onError(record, err);
            failed.add(record.messageId);
            if (fifo) {
                break;
            }
        }
    }
    return partialBatchResponse(records, failed);
}
