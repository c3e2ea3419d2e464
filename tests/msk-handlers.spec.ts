import * as assert from "assert";
import { DynamoDBClient, ProvisionedThroughputExceededException } from "@aws-sdk/client-dynamodb";
import { BatchWriteCommand, DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { mockClient } from "aws-sdk-client-mock";
import type { MSKEvent, MSKRecord } from "aws-lambda";
import { assertFactorable, factor, factorBaseline, isProbablePrime, primeFactors } from "../functions/msk-factor-consumer/factor";
import { consume, handler, MAX_ATTEMPTS, processRecord, writeItems } from "../functions/msk-factor-consumer";
import { KafkaPort, numbersFor, parseClientCert, produce, handler as producerHandler } from "../functions/msk-producer";
import { actionOfCommand, holdToContract } from "./helpers";
import { CONTRACT as CONSUMER_CONTRACT } from "../functions/msk-factor-consumer/contract";
import { CONTRACT as PRODUCER_CONTRACT } from "../functions/msk-producer/contract";

/* eslint-disable @typescript-eslint/no-explicit-any */

const CLUSTER_ARN = "arn:aws:kafka:us-east-1:111111111111:cluster/awsarch-msk-dev/abcd-1234";
const b64 = (s: string) => Buffer.from(s).toString("base64");

function rec(topic: string, partition: number, offset: number, value: string): MSKRecord {
    return { topic, partition, offset, timestamp: 1700000000000 + offset, timestampType: "CREATE_TIME", key: b64(String(offset)), value, headers: [] };
}
const num = (n: unknown) => b64(JSON.stringify({ number: n }));

function event(records: Record<string, MSKRecord[]>): MSKEvent {
    return {
        eventSource: "aws:kafka",
        eventSourceArn: CLUSTER_ARN,
        bootstrapServers: "b-1.awsarch-msk-dev.kafka.us-east-1.amazonaws.com:9094,b-2.awsarch-msk-dev.kafka.us-east-1.amazonaws.com:9094",
        records,
    };
}

/** Brute-force divisors, for cross-checking. */
function divisorsBrute(n: number): number[] {
    const out: number[] = [];
    for (let d = 1; d <= n; d++) {
        if (n % d === 0) {
            out.push(d);
        }
    }
    return out;
}

describe("msk factor function", () => {
    it("1 has the single divisor 1", () => {
        assert.deepStrictEqual(factor(1), [1]);
    });
    it("primes have exactly 1 and themselves (small and large)", () => {
        for (const p of [2, 3, 97, 7919, 1_000_000_007, 999_999_999_989, 9_007_199_254_740_881]) {
            assert.deepStrictEqual(factor(p), [1, p], String(p));
        }
    });
    it("perfect squares list the root once (the post's loop lists it twice)", () => {
        assert.deepStrictEqual(factor(36), [1, 2, 3, 4, 6, 9, 12, 18, 36]);
        assert.deepStrictEqual(factor(49), [1, 7, 49]);
        assert.deepStrictEqual(factorBaseline(49), [1, 49, 7, 7]);
        const p = 1_000_003;
        assert.deepStrictEqual(factor(p * p), [1, p, p * p]);
    });
    it("powers of two give every power up to n", () => {
        assert.deepStrictEqual(factor(1024), [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024]);
        const big = 2 ** 52;
        assert.deepStrictEqual(factor(big), Array.from({ length: 53 }, (_, i) => 2 ** i));
    });
    it("large semiprimes split into their two primes", () => {
        const p = 999_983;
        const q = 1_000_003;
        assert.deepStrictEqual(factor(p * q), [1, p, q, p * q]);
        const a = 94_906_249; // a * b < 2^53
        const b = 94_906_247;
        assert.ok(isProbablePrime(BigInt(a)) && isProbablePrime(BigInt(b)));
        assert.deepStrictEqual(factor(a * b), [1, b, a, a * b]);
    });
    it("matches brute force on 1..2000 and 4000..6000 (both code paths; sorted, unique)", () => {
        const ns = [...Array.from({ length: 2000 }, (_, i) => i + 1), ...Array.from({ length: 2001 }, (_, i) => 4000 + i)];
        for (const n of ns) {
            assert.deepStrictEqual(factor(n), divisorsBrute(n), String(n));
        }
    });
    it("matches the baseline (sorted, unique) on mixed numbers up to 10^12", () => {
        for (const n of [720_720, 600_851_475_143, 999_999_999_999, 123_456_789_012, 2 ** 20 * 3 ** 5 * 7]) {
            assert.deepStrictEqual(factor(n), [...new Set(factorBaseline(n))].sort((x, y) => x - y), String(n));
        }
    });
    it("prime factorisation multiplies back to n", () => {
        const n = 2 ** 3 * 3 ** 2 * 5 * 999_983;
        assert.deepStrictEqual([...primeFactors(n)].sort((x, y) => x[0] - y[0]), [[2, 3], [3, 2], [5, 1], [999_983, 1]]);
    });
    it("rejects inputs above 2^53 - 1, zero, negatives and fractions clearly", () => {
        for (const bad of [2 ** 53, 2 ** 60, 0, -5, 1.5, Number.NaN]) {
            assert.throws(() => assertFactorable(bad), RangeError, String(bad));
            assert.throws(() => factor(bad), /not a positive integer at most 2\^53 - 1/);
        }
    });
});

describe("msk factor consumer handler", () => {
    const ddb = mockClient(DynamoDBDocumentClient);
    holdToContract(CONSUMER_CONTRACT, [{ mock: ddb, service: "dynamodb" }]);
    const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: "us-east-1" }));
    const settings = { tableName: "awsarch-msk-dev-factors", maxNumber: 1_000_000 };
    const noSleep = { sleep: async () => undefined };
    let logs: string[];
    const origWarn = console.warn;
    const origLog = console.log;
    beforeEach(() => {
        ddb.reset();
        logs = [];
        console.warn = (m: string) => logs.push(m);
        console.log = () => undefined;
    });
    afterEach(() => {
        console.warn = origWarn;
        console.log = origLog;
    });

    it("processes records across several topic-partitions and writes {msg_id, msg, factors}", async () => {
        ddb.on(BatchWriteCommand).resolves({ UnprocessedItems: {} });
        const res = await consume(
            event({
                "exampleTopic-0": [rec("exampleTopic", 0, 10, num(12)), rec("exampleTopic", 0, 11, num(7))],
                "exampleTopic-1": [rec("exampleTopic", 1, 3, num(1))],
            }),
            doc,
            settings,
            noSleep,
        );
        assert.strictEqual(res.written, 3);
        const calls = ddb.commandCalls(BatchWriteCommand);
        assert.strictEqual(calls.length, 1);
        const puts = calls[0].args[0].input.RequestItems![settings.tableName].map((r: any) => r.PutRequest.Item);
        assert.deepStrictEqual(puts, [
            { msg_id: "exampleTopic-0-10", msg: '{"number":12}', factors: [1, 2, 3, 4, 6, 12] },
            { msg_id: "exampleTopic-0-11", msg: '{"number":7}', factors: [1, 7] },
            { msg_id: "exampleTopic-1-3", msg: '{"number":1}', factors: [1] },
        ]);
    });

    it("logs and skips bad records without failing the batch", async () => {
        ddb.on(BatchWriteCommand).resolves({});
        const res = await consume(
            event({
                "t-0": [
                    rec("t", 0, 1, b64("not json")),
                    rec("t", 0, 2, b64(JSON.stringify({ value: 5 }))),
                    rec("t", 0, 3, num(-4)),
                    rec("t", 0, 4, num(2.5)),
                    rec("t", 0, 5, num("12")),
                    rec("t", 0, 6, num(1_000_001)),
                    rec("t", 0, 7, num(0)),
                    rec("t", 0, 8, num(30)),
                    rec("t", 0, 9, "%%%not-base64%%%"),
                ],
            }),
            doc,
            settings,
            noSleep,
        );
        assert.strictEqual(res.written, 1);
        assert.deepStrictEqual(
            res.rejected.map((r) => r.id),
            ["t-0-1", "t-0-2", "t-0-3", "t-0-4", "t-0-5", "t-0-6", "t-0-7", "t-0-9"],
        );
        assert.match(res.rejected[0].reason, /not base64-encoded JSON/);
        assert.match(res.rejected[1].reason, /missing/);
        assert.match(res.rejected[2].reason, /not a positive integer/);
        assert.match(res.rejected[5].reason, /over the maximum 1000000/);
        assert.strictEqual(logs.length, 8);
        assert.ok(logs.every((l) => JSON.parse(l).message === "skipping bad record"));
        const items = ddb.commandCalls(BatchWriteCommand)[0].args[0].input.RequestItems![settings.tableName];
        assert.deepStrictEqual(items.map((r: any) => r.PutRequest.Item.msg_id), ["t-0-8"]);
    });

    it("writes in batches of 25 (60 records -> 3 calls of 25, 25, 10)", async () => {
        ddb.on(BatchWriteCommand).resolves({});
        const records = Array.from({ length: 60 }, (_, i) => rec("t", i % 3, i, num(i + 1)));
        const res = await consume(event({ "t-0": records.filter((r) => r.partition === 0), "t-1": records.filter((r) => r.partition === 1), "t-2": records.filter((r) => r.partition === 2) }), doc, settings, noSleep);
        assert.strictEqual(res.written, 60);
        const sizes = ddb.commandCalls(BatchWriteCommand).map((c) => c.args[0].input.RequestItems![settings.tableName].length);
        assert.deepStrictEqual(sizes, [25, 25, 10]);
    });

    it("retries unprocessed items with backoff until they are written", async () => {
        const items = Array.from({ length: 3 }, (_, i) => ({ msg_id: `t-0-${i}`, msg: "{}", factors: [1] }));
        ddb.on(BatchWriteCommand)
            .resolvesOnce({ UnprocessedItems: { tbl: [{ PutRequest: { Item: items[1] } }, { PutRequest: { Item: items[2] } }] } })
            .resolvesOnce({ UnprocessedItems: { tbl: [{ PutRequest: { Item: items[2] } }] } })
            .resolves({ UnprocessedItems: {} });
        const waits: number[] = [];
        const calls = await writeItems(doc, "tbl", items, { baseDelayMs: 10, sleep: async (ms) => void waits.push(ms) });
        assert.strictEqual(calls, 3);
        const sent = ddb.commandCalls(BatchWriteCommand).map((c) => c.args[0].input.RequestItems!.tbl.map((r: any) => r.PutRequest.Item.msg_id));
        assert.deepStrictEqual(sent, [["t-0-0", "t-0-1", "t-0-2"], ["t-0-1", "t-0-2"], ["t-0-2"]]);
        assert.strictEqual(waits.length, 2);
        assert.ok(waits[0] >= 10 && waits[0] <= 20 && waits[1] >= 20 && waits[1] <= 40, `exponential backoff: ${waits}`);
    });

    it("throws (so the batch is retried) when items stay unprocessed after the bounded retries", async () => {
        const item = { msg_id: "t-0-0", msg: "{}", factors: [1] };
        ddb.on(BatchWriteCommand).resolves({ UnprocessedItems: { tbl: [{ PutRequest: { Item: item } }] } });
        await assert.rejects(writeItems(doc, "tbl", [item], noSleep), /still unprocessed after 6/);
        assert.strictEqual(ddb.commandCalls(BatchWriteCommand).length, MAX_ATTEMPTS);
    });

    it("a throttling error fails the invocation instead of being swallowed", async () => {
        ddb.on(BatchWriteCommand).rejects(new ProvisionedThroughputExceededException({ message: "Rate exceeded", $metadata: {} }));
        await assert.rejects(consume(event({ "t-0": [rec("t", 0, 1, num(10))] }), doc, settings, noSleep), (e: Error) => e.name === "ProvisionedThroughputExceededException");
    });

    it("makes no DynamoDB call when every record is bad", async () => {
        const res = await consume(event({ "t-0": [rec("t", 0, 1, num(0))] }), doc, settings, noSleep);
        assert.strictEqual(res.written, 0);
        assert.strictEqual(ddb.commandCalls(BatchWriteCommand).length, 0);
    });

    it("handler reads TABLE_NAME and MAX_NUMBER from the environment", async () => {
        process.env.TABLE_NAME = "factors-from-env";
        process.env.MAX_NUMBER = "100";
        try {
            ddb.on(BatchWriteCommand).resolves({});
            const res = await handler(event({ "t-0": [rec("t", 0, 1, num(100)), rec("t", 0, 2, num(101))] }));
            assert.strictEqual(res.written, 1);
            assert.deepStrictEqual(Object.keys(ddb.commandCalls(BatchWriteCommand)[0].args[0].input.RequestItems!), ["factors-from-env"]);
        } finally {
            delete process.env.TABLE_NAME;
            delete process.env.MAX_NUMBER;
        }
    });

    it("processRecord accepts numbers up to 2^53 - 1 when the maximum allows and rejects beyond", () => {
        const ok = processRecord(rec("t", 0, 1, num(Number.MAX_SAFE_INTEGER)), Number.MAX_SAFE_INTEGER);
        assert.ok("factors" in ok && ok.factors[0] === 1 && ok.factors[ok.factors.length - 1] === Number.MAX_SAFE_INTEGER);
        // 2^53 + 1 is not representable: JSON parses it to 2^53, which is rejected.
        const tooBig = processRecord(rec("t", 0, 2, b64('{"number": 9007199254740993}')), Number.MAX_SAFE_INTEGER);
        assert.ok("reason" in tooBig && /over the maximum/.test(tooBig.reason));
    });
});

describe("msk producer handler", () => {
    class FakeKafka implements KafkaPort {
        topics: string[] = [];
        created: { topic: string; partitions: number; rf: number }[] = [];
        sent: { topic: string; messages: { key: string; value: string }[] }[] = [];
        disconnected = 0;
        async listTopics() {
            return [...this.topics];
        }
        async createTopic(topic: string, partitions: number, rf: number) {
            this.created.push({ topic, partitions, rf });
            this.topics.push(topic);
            return true;
        }
        async send(topic: string, messages: { key: string; value: string }[]) {
            this.sent.push({ topic, messages });
        }
        async disconnect() {
            this.disconnected++;
        }
    }
    const settings = { brokers: ["b-1:9094"], topic: "exampleTopic", partitions: 3, replicationFactor: 2, maxNumber: 1000 };

    it("creates the topic once with partitions and replication from config, then publishes N numbers", async () => {
        const kafka = new FakeKafka();
        const first = await produce({ count: 5 }, kafka, settings);
        const second = await produce({ count: 7 }, kafka, settings);
        assert.deepStrictEqual(first, { created: true, published: 5 });
        assert.deepStrictEqual(second, { created: false, published: 7 });
        assert.deepStrictEqual(kafka.created, [{ topic: "exampleTopic", partitions: 3, rf: 2 }]);
        assert.deepStrictEqual(kafka.sent.map((s) => s.messages.length), [5, 7]);
        for (const m of kafka.sent.flatMap((s) => s.messages)) {
            const n = JSON.parse(m.value).number;
            assert.ok(Number.isInteger(n) && n >= 1 && n <= 1000, m.value);
        }
        assert.strictEqual(kafka.disconnected, 2);
    });

    it("publishes explicit numbers as {\"number\": n} and disconnects even on failure", async () => {
        const kafka = new FakeKafka();
        kafka.topics = ["exampleTopic"];
        await produce({ numbers: [12, 97] }, kafka, settings);
        assert.deepStrictEqual(kafka.sent[0].messages.map((m) => m.value), ['{"number":12}', '{"number":97}']);
        kafka.send = async () => {
            throw new Error("broker down");
        };
        await assert.rejects(produce({ count: 1 }, kafka, settings), /broker down/);
        assert.strictEqual(kafka.disconnected, 2);
    });

    it("rejects a count outside 1..10000 and caps random numbers at the maximum", () => {
        assert.throws(() => numbersFor({ count: 0 }, 10), RangeError);
        assert.throws(() => numbersFor({ count: 10_001 }, 10), RangeError);
        assert.deepStrictEqual(numbersFor({ count: 3, max: 10_000 }, 10, () => 0.999), [10, 10, 10]);
    });

    it("parses the client certificate secret and insists on both fields", () => {
        assert.deepStrictEqual(parseClientCert('{"certificate":"C","privateKey":"K"}'), { certificate: "C", privateKey: "K" });
        assert.throws(() => parseClientCert('{"certificate":"C"}'), /certificate, privateKey/);
    });

    it("handler reads the secret named by CLIENT_CERT_SECRET_ARN before connecting", async () => {
        const sm = mockClient(SecretsManagerClient);
        sm.on(GetSecretValueCommand).resolves({ SecretString: '{"certificate":"C"}' });
        process.env.CLIENT_CERT_SECRET_ARN = "arn:aws:secretsmanager:us-east-1:111111111111:secret:awsarch-msk-dev/mtls/lambda/clientcert-AbCdEf";
        try {
            await assert.rejects(producerHandler({ count: 1 }), /certificate, privateKey/);
            assert.strictEqual(sm.commandCalls(GetSecretValueCommand)[0].args[0].input.SecretId, process.env.CLIENT_CERT_SECRET_ARN);
            // Everything it sent is its contract (functions/msk-producer/contract.ts), and the contract is all it sent.
            assert.deepStrictEqual(
                sm.calls().map((c) => actionOfCommand(c.args[0], "secretsmanager")),
                PRODUCER_CONTRACT.calls.map((c) => c.action),
            );
        } finally {
            delete process.env.CLIENT_CERT_SECRET_ARN;
            sm.restore();
        }
    });
});
