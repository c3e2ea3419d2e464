import type { SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { processRecords } from "../shared/sqs-batch";

/** What the inference stub derives from one log line. */
export interface Inference {
    messageId: string;
    level: "ERROR" | "WARN" | "INFO" | "DEBUG" | "UNKNOWN";
    anomaly: boolean;
    length: number;
}

/**
 * The message body of an SQS record from the SNS subscription: the raw log line
 * with raw message delivery, or the SNS envelope's `Message` without it.
 */
export function messageBody(record: SQSRecord): string {
    const body = record.body;
    if (body.startsWith("{")) {
        try {
            const env = JSON.parse(body) as { Type?: string; Message?: unknown };
            if (env.Type === "Notification" && typeof env.Message === "string") {
                return env.Message;
            }
        } catch {
            // not an envelope: a JSON log line delivered raw
        }
    }
    return body;
}

/** Stub model: classifies the line's level and flags errors and very long lines as anomalies. */
export function infer(messageId: string, line: string): Inference {
    const m = /\b(ERROR|WARN|INFO|DEBUG)\b/.exec(line);
    const level = (m ? m[1] : "UNKNOWN") as Inference["level"];
    return { messageId, level, anomaly: level === "ERROR" || line.length > 8192, length: line.length };
}

/**
 * SQS batch handler (event source mapping with ReportBatchItemFailures): a
 * record that cannot be processed is returned in `batchItemFailures`, so only
 * it is retried (and eventually moved to the DLQ), not the whole batch. On a
 * FIFO queue processing stops at the first failure, which is reported with
 * every later record of the batch (see `functions/shared/sqs-batch.ts`).
 */
export async function handler(event: SQSEvent): Promise<SQSBatchResponse> {
    return processRecords(
        event.Records,
        (record) => {
            const line = messageBody(record);
            if (line.length === 0) {
                throw new Error("empty message");
            }
            const result = infer(record.messageId, line);
            if (result.anomaly) {
                console.log(JSON.stringify({ inference: result }));
            }
        },
        (record, err) => console.error(`record ${record.messageId} failed: ${(err as Error).message}`),
    );
}
