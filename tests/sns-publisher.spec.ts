import { strict as assert } from "assert";
import { Readable } from "stream";
import { PublishBatchCommand, PublishBatchCommandInput, SNSClient } from "@aws-sdk/client-sns";
import { mockClient } from "aws-sdk-client-mock";
import {
    DEFAULT_GROUP_ID,
    MAX_BATCH_BYTES,
    entryBytes,
    entryDeduplicationId,
    groupIdFromLine,
    packBatches,
    publishLines,
    readLines,
} from "../functions/sns-publisher/publisher";
import { main, parseArgs } from "../functions/sns-publisher/cli";
import { publishEvent } from "../functions/sns-publisher/index";
import { holdToContract } from "./helpers";
import { CONTRACT } from "../functions/sns-publisher/contract";

const TOPIC = "arn:aws:sns:us-east-1:111111111111:awsarch-dev-logs";
const FIFO_TOPIC = "arn:aws:sns:us-east-1:111111111111:awsarch-dev-logs.fifo";

const snsMock = mockClient(SNSClient);
const client = new SNSClient({ region: "us-east-1" });
const noSleep = async (): Promise<void> => undefined;

/** Every request SNS got, in order. */
function requests(): PublishBatchCommandInput[] {
    return snsMock.commandCalls(PublishBatchCommand).map((c) => c.args[0].input);
}

/** An SNS that accepts every entry. */
function acceptAll(): void {
    snsMock.on(PublishBatchCommand).callsFake((input: PublishBatchCommandInput) => ({
        Successful: input.PublishBatchRequestEntries!.map((e) => ({ Id: e.Id, MessageId: `mid-${e.Id}` })),
        Failed: [],
    }));
}

describe("sns-publisher library", () => {
    holdToContract(CONTRACT, [{ mock: snsMock, service: "sns" }]);
    beforeEach(() => snsMock.reset());

    it("packs by count: 25 small lines make 3 requests of 10, 10 and 5 entries", async () => {
        acceptAll();
        const lines = Array.from({ length: 25 }, (_, i) => `line ${i}`);
        const s = await publishLines(lines, { client, topicArn: TOPIC, sleep: noSleep });
        assert.deepEqual(
            requests().map((r) => r.PublishBatchRequestEntries!.length),
            [10, 10, 5],
        );
        assert.deepEqual({ sent: s.sent, retried: s.retried, failed: s.failed, calls: s.calls }, { sent: 25, retried: 0, failed: 0, calls: 3 });
        assert.ok(requests().every((r) => r.TopicArn === TOPIC));
    });

    it("packs by bytes: no request exceeds 262,144 bytes of messages plus attributes", async () => {
        acceptAll();
        // 100 KiB each: two fit (200 KiB), a third would exceed 256 KiB.
        const big = "x".repeat(100 * 1024);
        const lines = [big, big, big, big, big];
        const s = await publishLines(lines, { client, topicArn: TOPIC, sleep: noSleep });
        const reqs = requests();
        assert.deepEqual(
            reqs.map((r) => r.PublishBatchRequestEntries!.length),
            [2, 2, 1],
        );
        for (const r of reqs) {
            const bytes = r.PublishBatchRequestEntries!.reduce((n, e) => n + Buffer.byteLength(e.Message!, "utf8"), 0);
            assert.ok(bytes <= MAX_BATCH_BYTES);
        }
        assert.equal(s.sent, 5);
    });

    it("counts UTF-8 bytes (not characters) and attributes when packing", () => {
        const euro = "€".repeat(30_000); // 90,000 bytes, 30,000 characters
        assert.equal(entryBytes({ message: euro }), 90_000);
        assert.equal(
            entryBytes({ message: "abc", attributes: { level: { DataType: "String", StringValue: "ERROR" } } }),
            3 + "level".length + "String".length + "ERROR".length,
        );
        // three 90,000-byte messages = 270,000 bytes > 262,144: split 2 + 1 although they are only 90,000 characters.
        const { batches } = packBatches([0, 1, 2], () => 90_000);
        assert.deepEqual(batches, [[0, 1], [2]]);
        // exactly at the limit still fits in one request
        assert.deepEqual(packBatches([0, 1], () => MAX_BATCH_BYTES / 2).batches, [[0, 1]]);
    });

    it("reports a single entry over 256 KiB as failed without calling SNS for it", async () => {
        acceptAll();
        const s = await publishLines(["small", "y".repeat(MAX_BATCH_BYTES + 1)], { client, topicArn: TOPIC, sleep: noSleep });
        assert.equal(s.sent, 1);
        assert.equal(s.failed, 1);
        assert.equal(s.failures[0].index, 1);
        assert.equal(s.failures[0].code, "EntryTooLarge");
        assert.equal(s.failures[0].attempts, 0);
        assert.deepEqual(
            requests().flatMap((r) => r.PublishBatchRequestEntries!.map((e) => e.Message)),
            ["small"],
        );
    });

    it("uses entry IDs that are unique within every request (and across the run)", async () => {
        acceptAll();
        await publishLines(
            Array.from({ length: 37 }, () => "same line"),
            { client, topicArn: TOPIC, sleep: noSleep },
        );
        const all: string[] = [];
        for (const r of requests()) {
            const ids = r.PublishBatchRequestEntries!.map((e) => e.Id!);
            assert.equal(new Set(ids).size, ids.length, `duplicate IDs in ${ids.join(",")}`);
            assert.ok(ids.every((id) => /^[A-Za-z0-9_-]{1,80}$/.test(id)));
            all.push(...ids);
        }
        assert.equal(new Set(all).size, 37);
    });

    it("sets MessageGroupId and MessageDeduplicationId (run ID, position and line) only on a .fifo topic", async () => {
        acceptAll();
        await publishLines(["svc-a started", "svc-b failed"], { client, topicArn: FIFO_TOPIC, sleep: noSleep, runId: "run-1" });
        const fifoEntries = requests()[0].PublishBatchRequestEntries!;
        assert.deepEqual(
            fifoEntries.map((e) => e.MessageGroupId),
            [DEFAULT_GROUP_ID, DEFAULT_GROUP_ID],
        );
        assert.equal(fifoEntries[0].MessageDeduplicationId, entryDeduplicationId("run-1", 0, { message: "svc-a started" }));
        assert.equal(fifoEntries[1].MessageDeduplicationId, entryDeduplicationId("run-1", 1, { message: "svc-b failed" }));
        assert.match(fifoEntries[0].MessageDeduplicationId!, /^[0-9a-f]{64}$/);
        assert.notEqual(fifoEntries[0].MessageDeduplicationId, fifoEntries[1].MessageDeduplicationId);

        snsMock.reset();
        acceptAll();
        await publishLines(["svc-a started", "svc-b failed"], { client, topicArn: FIFO_TOPIC, sleep: noSleep, groupId: groupIdFromLine });
        assert.deepEqual(
            requests()[0].PublishBatchRequestEntries!.map((e) => e.MessageGroupId),
            ["svc-a", "svc-b"],
        );

        snsMock.reset();
        acceptAll();
        await publishLines(["svc-a started"], { client, topicArn: TOPIC, sleep: noSleep });
        const std = requests()[0].PublishBatchRequestEntries![0];
        assert.equal(std.MessageGroupId, undefined);
        assert.equal(std.MessageDeduplicationId, undefined);
    });

    it("FIFO: identical lines get different deduplication IDs, so SNS delivers every one of them", async () => {
        acceptAll();
        const s = await publishLines(["GET /health 200", "GET /health 200", "GET /health 200"], { client, topicArn: FIFO_TOPIC, sleep: noSleep });
        const dedup = requests()[0].PublishBatchRequestEntries!.map((e) => e.MessageDeduplicationId!);
        assert.equal(new Set(dedup).size, 3, dedup.join());
        assert.ok(dedup.every((d) => /^[0-9a-f]{64}$/.test(d)));
        assert.equal(s.sent, 3);
    });

    it("FIFO: a retried entry keeps its deduplication ID (SNS still drops it if the first send got through)", async () => {
        let call = 0;
        snsMock.on(PublishBatchCommand).callsFake((input: PublishBatchCommandInput) => {
            call++;
            const entries = input.PublishBatchRequestEntries!;
            const failIds = call === 1 ? ["m1"] : [];
            return {
                Successful: entries.filter((e) => !failIds.includes(e.Id!)).map((e) => ({ Id: e.Id, MessageId: "x", SequenceNumber: "1" })),
                Failed: entries.filter((e) => failIds.includes(e.Id!)).map((e) => ({ Id: e.Id, Code: "InternalError", SenderFault: false })),
            };
        });
        const s = await publishLines(["same line", "same line", "other"], { client, topicArn: FIFO_TOPIC, sleep: noSleep, random: () => 0 });
        const [first, retry] = requests().map((r) => r.PublishBatchRequestEntries!);
        assert.deepEqual(
            retry.map((e) => e.Id),
            ["m1"],
        );
        assert.equal(retry[0].MessageDeduplicationId, first[1].MessageDeduplicationId, "same ID on the retry");
        assert.notEqual(first[0].MessageDeduplicationId, first[1].MessageDeduplicationId, "the identical line at index 0 is a different entry");
        assert.equal(s.sent, 3);
        assert.equal(s.retried, 1);
    });

    it("FIFO: a new run gets new deduplication IDs unless it reuses the run ID", async () => {
        acceptAll();
        await publishLines(["a", "b"], { client, topicArn: FIFO_TOPIC, sleep: noSleep });
        await publishLines(["a", "b"], { client, topicArn: FIFO_TOPIC, sleep: noSleep });
        await publishLines(["a", "b"], { client, topicArn: FIFO_TOPIC, sleep: noSleep, runId: "batch-42" });
        await publishLines(["a", "b"], { client, topicArn: FIFO_TOPIC, sleep: noSleep, runId: "batch-42" });
        const [r1, r2, r3, r4] = requests().map((r) => r.PublishBatchRequestEntries!.map((e) => e.MessageDeduplicationId));
        assert.notDeepEqual(r1, r2, "default: one random run ID per call");
        assert.deepEqual(r3, r4, "same run ID, same input: same IDs");
    });

    it("FIFO with deduplication 'content': sends no MessageDeduplicationId (the topic's content-based deduplication applies)", async () => {
        acceptAll();
        await publishLines(["x", "x"], { client, topicArn: FIFO_TOPIC, sleep: noSleep, deduplication: "content" });
        const entries = requests()[0].PublishBatchRequestEntries!;
        assert.deepEqual(
            entries.map((e) => [e.MessageGroupId, e.MessageDeduplicationId]),
            [
                [DEFAULT_GROUP_ID, undefined],
                [DEFAULT_GROUP_ID, undefined],
            ],
        );
        snsMock.reset();
        acceptAll();
        await publishLines(["x"], { client, topicArn: FIFO_TOPIC, sleep: noSleep, deduplication: "content", deduplicationId: () => "custom" });
        assert.equal(requests()[0].PublishBatchRequestEntries![0].MessageDeduplicationId, "custom", "a custom function wins");
    });

    it("retries only the failed entries (SenderFault false) once, then reports what still fails", async () => {
        let call = 0;
        snsMock.on(PublishBatchCommand).callsFake((input: PublishBatchCommandInput) => {
            call++;
            const entries = input.PublishBatchRequestEntries!;
            // m1 fails with a server fault every time; m2 fails once then succeeds; m3 is the sender's fault.
            const failIds = call === 1 ? ["m1", "m2", "m3"] : ["m1"];
            return {
                Successful: entries.filter((e) => !failIds.includes(e.Id!)).map((e) => ({ Id: e.Id, MessageId: "x" })),
                Failed: entries
                    .filter((e) => failIds.includes(e.Id!))
                    .map((e) =>
                        e.Id === "m3"
                            ? { Id: e.Id, Code: "InvalidParameter", Message: "bad attribute", SenderFault: true }
                            : { Id: e.Id, Code: "InternalError", Message: "try again", SenderFault: false },
                    ),
            };
        });
        const sleeps: number[] = [];
        const s = await publishLines(["a", "b", "c", "d"], {
            client,
            topicArn: TOPIC,
            maxAttempts: 2,
            baseDelayMs: 100,
            random: () => 0.5,
            sleep: async (ms) => {
                sleeps.push(ms);
            },
        });
        const reqs = requests();
        assert.equal(reqs.length, 2);
        assert.deepEqual(
            reqs[1].PublishBatchRequestEntries!.map((e) => e.Id),
            ["m1", "m2"],
            "only the server-side failures are re-sent",
        );
        assert.deepEqual(sleeps, [50], "one backoff with jitter before the retry");
        assert.equal(s.sent, 2, "m0 at once, m2 on the retry");
        assert.equal(s.retried, 2);
        assert.equal(s.calls, 2);
        assert.equal(s.failed, 2);
        assert.deepEqual(
            s.failures.map((f) => [f.index, f.code, f.senderFault, f.attempts]),
            [
                [1, "InternalError", false, 2],
                [3, "InvalidParameter", true, 1],
            ],
        );
    });

    it("backs off exponentially and stops after maxAttempts", async () => {
        snsMock.on(PublishBatchCommand).resolves({ Successful: [], Failed: [{ Id: "m0", Code: "InternalError", SenderFault: false }] });
        const sleeps: number[] = [];
        const s = await publishLines(["only"], {
            client,
            topicArn: TOPIC,
            maxAttempts: 4,
            baseDelayMs: 100,
            random: () => 0.999,
            sleep: async (ms) => {
                sleeps.push(ms);
            },
        });
        assert.equal(requests().length, 4);
        assert.deepEqual(sleeps, [99, 199, 399]);
        assert.equal(s.failed, 1);
        assert.equal(s.failures[0].attempts, 4);
        assert.equal(s.retried, 3);
    });

    it("reports a batch-level error (BatchEntryIdsNotDistinct) with its name: every entry of that request failed, others still sent", async () => {
        let call = 0;
        snsMock.on(PublishBatchCommand).callsFake((input: PublishBatchCommandInput) => {
            call++;
            if (call === 1) {
                const err = new Error("Two or more batch entries in the request have the same Id.");
                err.name = "BatchEntryIdsNotDistinctException";
                throw err;
            }
            return { Successful: input.PublishBatchRequestEntries!.map((e) => ({ Id: e.Id, MessageId: "x" })), Failed: [] };
        });
        const lines = Array.from({ length: 12 }, (_, i) => `l${i}`);
        const s = await publishLines(lines, { client, topicArn: TOPIC, sleep: noSleep });
        assert.equal(s.calls, 2, "a batch-level error is not retried blindly");
        assert.equal(s.sent, 2);
        assert.equal(s.failed, 10);
        assert.equal(s.batchErrors.length, 1);
        assert.equal(s.batchErrors[0].name, "BatchEntryIdsNotDistinctException");
        assert.deepEqual(s.batchErrors[0].indexes, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
        assert.ok(s.failures.every((f) => f.code === "BatchEntryIdsNotDistinctException"));
    });

    it("reports any thrown service error (e.g. AuthorizationError) the same way, never swallowed", async () => {
        const err = new Error("not authorized to perform SNS:Publish");
        err.name = "AuthorizationErrorException";
        snsMock.on(PublishBatchCommand).rejects(err);
        const s = await publishLines(["a"], { client, topicArn: TOPIC, sleep: noSleep });
        assert.equal(s.failed, 1);
        assert.equal(s.batchErrors[0].name, "AuthorizationErrorException");
        assert.match(s.failures[0].reason, /not authorized/);
    });

    it("reads non-empty lines from a stream (CRLF tolerated)", async () => {
        const lines = await readLines(Readable.from(["one\r\ntwo\n", "\n  \nthree"]));
        assert.deepEqual(lines, ["one", "two", "three"]);
    });
});

describe("sns-publisher CLI and Lambda wrapper", () => {
    holdToContract(CONTRACT, [{ mock: snsMock, service: "sns" }]);
    beforeEach(() => snsMock.reset());

    it("CLI reads stdin, publishes and prints {sent, retried, failed, calls}", async () => {
        acceptAll();
        const printed: string[] = [];
        const s = await main(["--topic-arn", TOPIC], { stdin: Readable.from(["a\nb\nc\n"]), out: (x) => printed.push(x), client });
        assert.equal(s.sent, 3);
        assert.deepEqual(JSON.parse(printed[0].split("\n")[0]), { sent: 3, retried: 0, failed: 0, calls: 1 });
    });

    it("CLI rejects a missing or malformed topic ARN and unknown flags", () => {
        assert.throws(() => parseArgs([], {}), /topic-arn/);
        assert.throws(() => parseArgs(["--topic-arn", "not-an-arn"], {}), /topic-arn/);
        assert.throws(() => parseArgs(["--topic-arn", TOPIC, "--bogus"], {}), /unknown option/);
        assert.equal(parseArgs(["app.log"], { TOPIC_ARN: FIFO_TOPIC }).file, "app.log");
        const fifo = parseArgs(["--run-id", "nightly-1", "--content-dedup", "app.log"], { TOPIC_ARN: FIFO_TOPIC });
        assert.equal(fifo.runId, "nightly-1");
        assert.equal(fifo.contentDedup, true);
        assert.equal(parseArgs([], { TOPIC_ARN: FIFO_TOPIC }).contentDedup, false);
        assert.throws(() => parseArgs(["--run-id"], { TOPIC_ARN: FIFO_TOPIC }), /run-id needs a value/);
    });

    it("CLI --run-id makes a re-run send the same FIFO deduplication IDs; --content-dedup sends none", async () => {
        acceptAll();
        const io = { stdin: Readable.from(["a\na\n"]), out: () => undefined, client };
        await main(["--topic-arn", FIFO_TOPIC, "--run-id", "r1"], io);
        await main(["--topic-arn", FIFO_TOPIC, "--run-id", "r1"], { ...io, stdin: Readable.from(["a\na\n"]) });
        await main(["--topic-arn", FIFO_TOPIC, "--content-dedup"], { ...io, stdin: Readable.from(["a\na\n"]) });
        const [r1, r2, r3] = requests().map((r) => r.PublishBatchRequestEntries!.map((e) => e.MessageDeduplicationId));
        assert.deepEqual(r1, [entryDeduplicationId("r1", 0, { message: "a" }), entryDeduplicationId("r1", 1, { message: "a" })]);
        assert.deepEqual(r2, r1);
        assert.deepEqual(r3, [undefined, undefined]);
    });

    it("Lambda wrapper takes the run ID from the event and content deduplication from $DEDUPLICATION", async () => {
        acceptAll();
        await publishEvent({ lines: ["a", "a"], runId: "evt-7" }, { client, env: { TOPIC_ARN: FIFO_TOPIC } });
        await publishEvent({ lines: ["a", "a"] }, { client, env: { TOPIC_ARN: FIFO_TOPIC, DEDUPLICATION: "content" } });
        const [r1, r2] = requests().map((r) => r.PublishBatchRequestEntries!.map((e) => e.MessageDeduplicationId));
        assert.deepEqual(r1, [entryDeduplicationId("evt-7", 0, { message: "a" }), entryDeduplicationId("evt-7", 1, { message: "a" })]);
        assert.deepEqual(r2, [undefined, undefined]);
    });

    it("Lambda wrapper publishes the event's lines and fails the invocation when messages finally failed", async () => {
        acceptAll();
        const ok = await publishEvent({ text: "x\ny\n" }, { client, env: { TOPIC_ARN: TOPIC } });
        assert.equal(ok.sent, 2);
        snsMock.reset();
        snsMock.on(PublishBatchCommand).resolves({ Successful: [], Failed: [{ Id: "m0", Code: "InvalidParameter", SenderFault: true }] });
        await assert.rejects(publishEvent({ lines: ["x"] }, { client, env: { TOPIC_ARN: TOPIC } }), /1 of 1 messages failed/);
    });
});
