import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { BatchWriteCommand, BatchWriteCommandOutput, DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { MSKEvent, MSKRecord } from "aws-lambda";
import { factor } from "./factor";

/** DynamoDB's BatchWriteItem limit. */
export const BATCH_SIZE = 25;
/** Attempts of one BatchWriteItem chunk while items stay unprocessed (first try included). */
export const MAX_ATTEMPTS = 6;

/** One item written per good record. */
export interface FactorItem {
    /** `topic-partition-offset`: unique per record, so a retried batch overwrites rather than duplicates. */
    msg_id: string;
    /** The decoded message. */
    msg: string;
    /** Sorted, unique divisors. */
    factors: number[];
}

/** A record that was logged and skipped. */
export interface Rejected {
    id: string;
    reason: string;
}

/** Settings the handler reads from its environment. */
export interface ConsumerSettings {
    tableName: string;
    maxNumber: number;
}

/**
 * Decodes one Kafka record and factors it, or explains why it is rejected.
 * Rejected: value not base64 JSON, `number` missing, not a positive integer, or over `maxNumber`.
 */
export function processRecord(record: MSKRecord, maxNumber: number): FactorItem | Rejected {
    const id = `${record.topic}-${record.partition}-${record.offset}`;
    if (typeof record.value !== "string" || record.value.length === 0) {
        return { id, reason: "empty value" };
    }
    const text = Buffer.from(record.value, "base64").toString("utf8");
    let body: unknown;
    try {
        body = JSON.parse(text);
    } catch {
        return { id, reason: "value is not base64-encoded JSON" };
    }
    if (typeof body !== "object" || body === null || !("number" in body)) {
        return { id, reason: "field \"number\" is missing" };
    }
    const n = (body as { number: unknown }).number;
    if (typeof n !== "number" || !Number.isInteger(n) || n < 1) {
        return { id, reason: `${JSON.stringify(n)} is not a positive integer` };
    }
    if (n > maxNumber || !Number.isSafeInteger(n)) {
        return { id, reason: `${n} is over the maximum ${maxNumber}` };
    }
    return { msg_id: id, msg: text, factors: factor(n) };
}

/** Every record of every topic-partition of an MSK event, in order. */
export function allRecords(event: MSKEvent): MSKRecord[] {
    return Object.values(event.records ?? {}).flat();
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Options of {@link writeItems} (tests shorten the backoff). */
export interface WriteOptions {
    /** Base of the exponential backoff, in ms. Default 50. */
    baseDelayMs?: number;
    /** Sleep function (injectable for tests). */
    sleep?: (ms: number) => Promise<void>;
}

/**
 * Writes items with BatchWriteItem, 25 per call, retrying UnprocessedItems with
 * exponential backoff and jitter. Throws when items are still unprocessed after
 * {@link MAX_ATTEMPTS}, and lets any SDK error (throttling, 5xx) propagate, so
 * the invocation fails and Lambda retries the batch. Returns the number of calls.
 */
export async function writeItems(doc: DynamoDBDocumentClient, tableName: string, items: FactorItem[], opts: WriteOptions = {}): Promise<number> {
    const base = opts.baseDelayMs ?? 50;
    const wait = opts.sleep ?? sleep;
    let calls = 0;
    for (let i = 0; i < items.length; i += BATCH_SIZE) {
        let requests = items.slice(i, i + BATCH_SIZE).map((Item) => ({ PutRequest: { Item } }));
        for (let attempt = 1; requests.length > 0; attempt++) {
            if (attempt > MAX_ATTEMPTS) {
                throw new Error(`${requests.length} items still unprocessed after ${MAX_ATTEMPTS} BatchWriteItem attempts`);
            }
            if (attempt > 1) {
                await wait(Math.round(base * 2 ** (attempt - 2) * (1 + Math.random())));
            }
            calls++;
            const out: BatchWriteCommandOutput = await doc.send(new BatchWriteCommand({ RequestItems: { [tableName]: requests } }));
            requests = (out.UnprocessedItems?.[tableName] ?? []) as typeof requests;
        }
    }
    return calls;
}

/** Result of one invocation (also logged). */
export interface ConsumerResult {
    written: number;
    rejected: Rejected[];
    writeCalls: number;
}

/** The handler's logic with its dependencies passed in. */
export async function consume(event: MSKEvent, doc: DynamoDBDocumentClient, settings: ConsumerSettings, opts: WriteOptions = {}): Promise<ConsumerResult> {
    const items: FactorItem[] = [];
    const rejected: Rejected[] = [];
    for (const record of allRecords(event)) {
        const result = processRecord(record, settings.maxNumber);
        if ("reason" in result) {
            console.warn(JSON.stringify({ level: "WARN", message: "skipping bad record", record: result.id, reason: result.reason }));
            rejected.push(result);
        } else {
            items.push(result);
        }
    }
    const writeCalls = await writeItems(doc, settings.tableName, items, opts);
    const summary = { written: items.length, rejected, writeCalls };
    console.log(JSON.stringify({ level: "INFO", message: "batch done", written: items.length, rejected: rejected.length, writeCalls }));
    return summary;
}

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));

/** Lambda entry point: Amazon MSK event source mapping with mutual TLS. */
export async function handler(event: MSKEvent): Promise<ConsumerResult> {
    return consume(event, doc, {
        tableName: process.env.TABLE_NAME ?? "",
        maxNumber: Number(process.env.MAX_NUMBER ?? Number.MAX_SAFE_INTEGER),
    });
}
