import { strict as assert } from "assert";
import type { SQSEvent, SQSRecord } from "aws-lambda";
import { handler as inferenceHandler, infer, messageBody } from "../functions/sns-inference/index";
import { IndexClient, indexRecords, openSearchClient } from "../functions/sns-indexer/index";
import { isFifoRecord, partialBatchResponse, processRecords } from "../functions/shared/sqs-batch";

const STANDARD_QUEUE = "arn:aws:sqs:us-east-1:111111111111:awsarch-dev-inference";
const FIFO_QUEUE = "arn:aws:sqs:us-east-1:111111111111:awsarch-dev-inference.fifo";

function record(id: string, body: string, queueArn = STANDARD_QUEUE): SQSRecord {
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
        eventSourceARN: queueArn,
        awsRegion: "us-east-1",
    };
}
const event = (...records: SQSRecord[]): SQSEvent => ({ Records: records });
const ids = (r: { batchItemFailures: { itemIdentifier: string }[] }): string[] => r.batchItemFailures.map((f) => f.itemIdentifier);

/** Runs `fn` with console.log/console.error captured; returns what was logged. */
async function captureConsole<T>(fn: () => Promise<T>): Promise<{ result: T; logged: string[] }> {
    const logged: string[] = [];
    const { log, error } = console;
    console.log = (...a: unknown[]) => void logged.push(a.join(" "));
    console.error = (...a: unknown[]) => void logged.push(a.join(" "));
    try {
        return { result: await fn(), logged };
    } finally {
        console.log = log;
        console.error = error;
    }
}

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

    describe("partial batch responses, standard vs FIFO", () => {
        it("tells FIFO records from standard ones by the queue ARN's .fifo suffix", () => {
            assert.equal(isFifoRecord(record("a", "x", FIFO_QUEUE)), true);
            assert.equal(isFifoRecord(record("a", "x", STANDARD_QUEUE)), false);
            assert.equal(isFifoRecord(record("a", "x", "arn:aws:sqs:us-east-1:111111111111:fifo-like")), false);
        });

        it("standard queue: reports exactly the failed records", () => {
            const recs = ["a", "b", "c", "d"].map((id) => record(id, "x"));
            assert.deepEqual(ids(partialBatchResponse(recs, new Set(["b", "d"]))), ["b", "d"]);
            assert.deepEqual(ids(partialBatchResponse(recs, new Set())), []);
        });

        it("FIFO queue: reports the first failed record and every later one, in batch order", () => {
            const recs = ["a", "b", "c", "d"].map((id) => record(id, "x", FIFO_QUEUE));
            assert.deepEqual(ids(partialBatchResponse(recs, new Set(["d", "b"]))), ["b", "c", "d"]);
            assert.deepEqual(ids(partialBatchResponse(recs, new Set(["a"]))), ["a", "b", "c", "d"]);
            assert.deepEqual(ids(partialBatchResponse(recs, new Set())), []);
        });

        it("FIFO queue: processRecords stops at the first failure and never processes the later records", async () => {
            const seen: string[] = [];
            const fail = async (r: SQSRecord): Promise<void> => {
                seen.push(r.messageId);
                if (r.body === "bad") {
                    throw new Error("boom");
                }
            };
            const fifo = await processRecords(["ok", "bad", "ok", "bad"].map((b, i) => record(`m${i}`, b, FIFO_QUEUE)), fail);
            assert.deepEqual(ids(fifo), ["m1", "m2", "m3"]);
            assert.deepEqual(seen, ["m0", "m1"]);

            seen.length = 0;
            const std = await processRecords(["ok", "bad", "ok", "bad"].map((b, i) => record(`m${i}`, b)), fail);
            assert.deepEqual(ids(std), ["m1", "m3"]);
            assert.deepEqual(seen, ["m0", "m1", "m2", "m3"], "a standard queue goes on after a failure");
        });

        it("inference handler on a FIFO queue reports the empty record and every later one, and infers nothing after it", async () => {
            const { result, logged } = await captureConsole(() =>
                inferenceHandler(event(record("f1", "INFO fine", FIFO_QUEUE), record("f2", "", FIFO_QUEUE), record("f3", "ERROR later", FIFO_QUEUE))),
            );
            assert.deepEqual(ids(result), ["f2", "f3"]);
            assert.ok(!logged.some((l) => l.includes('"messageId":"f3"')), "f3 was not processed");

            const std = await captureConsole(() => inferenceHandler(event(record("s1", "INFO fine"), record("s2", ""), record("s3", "ERROR later"))));
            assert.deepEqual(ids(std.result), ["s2"]);
            assert.ok(std.logged.some((l) => l.includes('"messageId":"s3"')), "a standard queue still infers s3");
        });

        it("indexer on a FIFO queue reports the first rejected document and every later one", async () => {
            const client: IndexClient = {
                bulk: async () => ({
                    body: { errors: true, items: [{ index: { status: 201 } }, { index: { status: 429 } }, { index: { status: 201 } }, { index: { status: 200 } }] },
                }),
            };
            const fifo = await indexRecords(event(...["a", "b", "c", "d"].map((id) => record(id, `INFO ${id}`, FIFO_QUEUE))), client, "logs");
            assert.deepEqual(ids(fifo), ["b", "c", "d"]);
            const std = await indexRecords(event(...["a", "b", "c", "d"].map((id) => record(id, `INFO ${id}`))), client, "logs");
            assert.deepEqual(ids(std), ["b"]);
        });

        it("indexer counts a document OpenSearch gave no item for as rejected", async () => {
            const client: IndexClient = { bulk: async () => ({ body: { errors: true, items: [{ index: { status: 201 } }] } }) };
            const res = await indexRecords(event(record("a", "INFO a"), record("b", "INFO b")), client, "logs");
            assert.deepEqual(ids(res), ["b"]);
        });
    });
});
