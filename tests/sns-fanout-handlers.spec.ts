import { strict as assert } from "assert";
import type { SQSEvent, SQSRecord } from "aws-lambda";
import { handler as inferenceHandler, infer, messageBody } from "../functions/sns-inference/index";
import { IndexClient, indexRecords, openSearchClient } from "../functions/sns-indexer/index";

function record(id: string, body: string): SQSRecord {
    return {
        messageId: id,
        receiptHandle: `rh-${id}`,
        body,
        attributes: {
            ApproximateReceiveCount: "1",
            SentTimestamp: "1764417600000",
            SenderId: "AIDAEXAMPLE",
            ApproximateFirstReceiveTimestamp: "1764417600001",
        },
        messageAttributes: {},
        md5OfBody: "x",
        eventSource: "aws:sqs",
        eventSourceARN: "arn:aws:sqs:us-east-1:111111111111:awsarch-dev-inference",
        awsRegion: "us-east-1",
    };
}
const event = (...records: SQSRecord[]): SQSEvent => ({ Records: records });

describe("sns-fanout SQS handlers", () => {
    it("reads raw-delivered lines and unwraps SNS envelopes", () => {
        assert.equal(messageBody(record("1", "2026-11-29 ERROR db down")), "2026-11-29 ERROR db down");
        assert.equal(messageBody(record("2", JSON.stringify({ Type: "Notification", Message: "INFO ok" }))), "INFO ok");
        assert.equal(messageBody(record("3", '{"level":"info"}')), '{"level":"info"}');
        assert.deepEqual(infer("m", "x ERROR y"), { messageId: "m", level: "ERROR", anomaly: true, length: 9 });
    });

    it("inference handler reports only the bad record in batchItemFailures", async () => {
        const res = await inferenceHandler(event(record("ok", "INFO fine"), record("bad", "")));
        assert.deepEqual(res, { batchItemFailures: [{ itemIdentifier: "bad" }] });
    });

    it("indexer without a domain only logs and acknowledges every record", async () => {
        const res = await indexRecords(event(record("a", "INFO a")), undefined, "logs");
        assert.deepEqual(res.batchItemFailures, []);
    });

    it("indexer bulk-indexes with the SQS message ID as document ID and reports rejected items", async () => {
        const calls: unknown[][] = [];
        const client: IndexClient = {
            bulk: async ({ body }) => {
                calls.push(body);
                return { body: { errors: true, items: [{ index: { status: 201 } }, { index: { status: 429, error: { type: "es_rejected_execution_exception" } } }] } };
            },
        };
        const res = await indexRecords(event(record("a", "INFO a"), record("b", "WARN b")), client, "logs");
        assert.deepEqual(res.batchItemFailures, [{ itemIdentifier: "b" }]);
        assert.deepEqual(calls[0][0], { index: { _index: "logs", _id: "a" } });
        assert.equal((calls[0][1] as { level: string }).level, "INFO");
        assert.equal((calls[0][3] as { message: string }).message, "WARN b");
    });

    it("indexer reports the whole batch when the bulk call fails", async () => {
        const client: IndexClient = {
            bulk: async () => {
                throw new Error("security_exception: no permissions");
            },
        };
        const res = await indexRecords(event(record("a", "x"), record("b", "y")), client, "logs");
        assert.deepEqual(
            res.batchItemFailures.map((f) => f.itemIdentifier),
            ["a", "b"],
        );
    });

    it("builds a SigV4-signing OpenSearch client for the domain endpoint", () => {
        const c = openSearchClient("search-logs-abc.us-east-1.es.amazonaws.com", "us-east-1") as unknown as { connectionPool: { connections: { url: URL }[] } };
        assert.equal(c.connectionPool.connections[0].url.href, "https://search-logs-abc.us-east-1.es.amazonaws.com/");
    });
});
