import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import { Client } from "@opensearch-project/opensearch";
import { AwsSigv4Signer } from "@opensearch-project/opensearch/aws";
import { defaultProvider } from "@aws-sdk/credential-provider-node";
import { messageBody } from "../sns-inference/index";
import { partialBatchResponse } from "../shared/sqs-batch";

/** The part of the OpenSearch client the indexer uses (mock it in tests). */
export interface IndexClient {
    bulk(params: { body: unknown[]; refresh?: boolean }): Promise<{ body: { errors: boolean; items: Record<string, { status: number; error?: unknown }>[] } }>;
}

/** A document for one log line. */
export interface LogDocument {
    message: string;
    level: string;
    sqsMessageId: string;
    receivedAt: string;
}

/** The document indexed for a log line. */
export function toDocument(messageId: string, line: string, sentTimestamp: string): LogDocument {
    const m = /\b(ERROR|WARN|INFO|DEBUG)\b/.exec(line);
    return { message: line, level: m ? m[1] : "UNKNOWN", sqsMessageId: messageId, receivedAt: new Date(Number(sentTimestamp) || 0).toISOString() };
}

/** An OpenSearch client signing requests with SigV4 (service `es`) with the function's role. */
export function openSearchClient(endpoint: string, region: string): IndexClient {
    return new Client({
        ...AwsSigv4Signer({ region, service: "es", getCredentials: () => defaultProvider()() }),
        node: endpoint.startsWith("https://") ? endpoint : `https://${endpoint}`,
    }) as unknown as IndexClient;
}

let cached: IndexClient | undefined;

/**
 * Indexes an SQS batch: one bulk request with every record (the SQS message ID
 * is the document ID, so a redelivery overwrites instead of duplicating). Items
 * OpenSearch rejects are reported in `batchItemFailures`; when the bulk call
 * itself fails every record is. On a FIFO queue the first rejected record and
 * every later record of the batch are reported (the later ones may already be
 * indexed: their redelivery overwrites the same document IDs), so no later
 * message of a group is deleted before the failed one is retried. When no
 * domain is configured (`client` undefined) the documents are only logged.
 */
export async function indexRecords(event: SQSEvent, client: IndexClient | undefined, index: string): Promise<SQSBatchResponse> {
    const docs = event.Records.map((r) => ({ id: r.messageId, doc: toDocument(r.messageId, messageBody(r), r.attributes.SentTimestamp) }));
    if (!client) {
        for (const d of docs) {
            console.log(JSON.stringify({ index, id: d.id, document: d.doc }));
        }
        return { batchItemFailures: [] };
    }
    if (docs.length === 0) {
        return { batchItemFailures: [] };
    }
    const body = docs.flatMap((d) => [{ index: { _index: index, _id: d.id } }, d.doc]);
    try {
        const res = await client.bulk({ body });
        if (!res.body.errors) {
            return { batchItemFailures: [] };
        }
        // An item OpenSearch did not answer for (short `items`) counts as rejected.
        const rejected = new Set(
            docs
                .filter((_, i) => {
                    const item = res.body.items[i] ? Object.values(res.body.items[i])[0] : undefined;
                    return !item || item.status >= 300;
                })
                .map((d) => d.id),
        );
        console.error(`bulk indexing: ${rejected.size} of ${docs.length} documents rejected`);
        return partialBatchResponse(event.Records, rejected);
    } catch (err) {
        console.error(`bulk indexing failed: ${(err as Error).message}`);
        return partialBatchResponse(event.Records, new Set(docs.map((d) => d.id)));
    }
}

/** SQS batch handler; `$OPENSEARCH_ENDPOINT` (optional) and `$INDEX_NAME` come from the program. */
export async function handler(event: SQSEvent): Promise<SQSBatchResponse> {
    const endpoint = process.env.OPENSEARCH_ENDPOINT;
    if (endpoint && !cached) {
        cached = openSearchClient(endpoint, process.env.AWS_REGION ?? "us-east-1");
    }
    return indexRecords(event, endpoint ? cached : undefined, process.env.INDEX_NAME ?? "logs");
}
