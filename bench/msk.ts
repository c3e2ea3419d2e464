import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { BatchWriteCommand, DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import type { MSKEvent, MSKRecord } from "aws-lambda";
import { consume } from "../functions/msk-factor-consumer";
import { factor, factorBaseline } from "../functions/msk-factor-consumer/factor";

/**
 * `npm run bench -- msk`: the consumer's factor function against the post's
 * square-root loop (re-implemented as `factorBaseline`) on a fixed, seeded
 * corpus per magnitude, and DynamoDB write calls per 1,000 records.
 */

/** Deterministic PRNG (mulberry32) so the corpus is the same on every run. */
function prng(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

/** Numbers per magnitude: the baseline costs ~sqrt(n) divisions per number, so fewer at the top. */
const CORPUS_SIZES: [number, number][] = [
    [3, 5000],
    [6, 2000],
    [9, 200],
    [12, 20],
    [15, 4],
];

/** Worst cases for trial division, added to the random numbers: a prime and a semiprime of two near-equal primes. */
const HARD: Record<number, number[]> = {
    3: [997, 31 * 37],
    6: [999_983, 997 * 1009],
    9: [999_999_937, 31_607 * 31_627],
    12: [999_999_999_989, 999_983 * 1_000_003],
    15: [999_999_999_999_989, 31_622_743 * 31_622_777],
};

export function corpus(): { magnitude: number; numbers: number[] }[] {
    const rand = prng(20260101);
    return CORPUS_SIZES.map(([k, count]) => {
        const lo = 10 ** k;
        const numbers = Array.from({ length: count }, () => lo + Math.floor(rand() * lo)); // in [10^k, 2*10^k)
        return { magnitude: k, numbers: [...numbers, ...HARD[k]] };
    });
}

function timeIt(fn: (n: number) => unknown, numbers: number[], minMs: number): { perSec: number; ms: number } {
    let done = 0;
    const start = process.hrtime.bigint();
    let elapsed = 0;
    do {
        for (const n of numbers) {
            fn(n);
        }
        done += numbers.length;
        elapsed = Number(process.hrtime.bigint() - start) / 1e6;
    } while (elapsed < minMs);
    return { perSec: (done / elapsed) * 1000, ms: elapsed };
}

const fmt = (x: number) => (x >= 100 ? Math.round(x).toLocaleString("en-US") : x.toFixed(2));

async function writeCallsPer1000(unprocessedEveryNth: number): Promise<number> {
    const ddb = mockClient(DynamoDBDocumentClient);
    let call = 0;
    ddb.on(BatchWriteCommand).callsFake((input: { RequestItems: Record<string, { PutRequest: unknown }[]> }) => {
        call++;
        const [table, reqs] = Object.entries(input.RequestItems)[0];
        // Every Nth call leaves the last 5 items unprocessed (throttled partition), as DynamoDB may.
        const unprocessed = unprocessedEveryNth > 0 && call % unprocessedEveryNth === 0 ? reqs.slice(-5) : [];
        return { UnprocessedItems: unprocessed.length ? { [table]: unprocessed } : {} };
    });
    const records: MSKRecord[] = Array.from({ length: 1000 }, (_, i) => ({
        topic: "exampleTopic",
        partition: i % 4,
        offset: i,
        timestamp: 0,
        timestampType: "CREATE_TIME",
        key: "",
        value: Buffer.from(JSON.stringify({ number: 1000 + i })).toString("base64"),
        headers: [],
    }));
    const byPartition: Record<string, MSKRecord[]> = {};
    for (const r of records) {
        (byPartition[`exampleTopic-${r.partition}`] ??= []).push(r);
    }
    const event: MSKEvent = { eventSource: "aws:kafka", eventSourceArn: "arn:aws:kafka:us-east-1:111111111111:cluster/x/y", bootstrapServers: "", records: byPartition };
    const log = console.log;
    console.log = () => undefined;
    try {
        const res = await consume(event, DynamoDBDocumentClient.from(new DynamoDBClient({ region: "us-east-1" })), { tableName: "t", maxNumber: 1e15 }, { sleep: async () => undefined });
        return res.writeCalls;
    } finally {
        console.log = log;
        ddb.restore();
    }
}

export async function run(): Promise<void> {
    console.log("Factor throughput (numbers/s), fixed seeded corpus per magnitude (+1 prime, +1 balanced semiprime)");
    console.log("| magnitude | numbers | baseline (post's sqrt loop) | factor (trial 6k±1 + Pollard rho) | ratio |");
    console.log("|---|---:|---:|---:|---:|");
    const started = Date.now();
    for (const { magnitude, numbers } of corpus()) {
        for (const n of numbers) {
            const a = factor(n);
            const b = [...new Set(factorBaseline(n))].sort((x, y) => x - y);
            if (a.length !== b.length || a.some((v, i) => v !== b[i])) {
                throw new Error(`factor(${n}) disagrees with the baseline`);
            }
        }
        const base = timeIt(factorBaseline, numbers, magnitude >= 12 ? 1 : 300);
        const ours = timeIt(factor, numbers, 300);
        console.log(`| 10^${magnitude} | ${numbers.length} | ${fmt(base.perSec)} | ${fmt(ours.perSec)} | ${fmt(ours.perSec / base.perSec)}x |`);
    }
    console.log(`(factor run ${((Date.now() - started) / 1000).toFixed(1)} s)\n`);

    console.log("DynamoDB write calls per 1,000 good records (mocked client)");
    console.log("| case | calls |");
    console.log("|---|---:|");
    console.log(`| post's handler: PutItem per record | 1000 |`);
    console.log(`| BatchWriteItem x25, all processed | ${await writeCallsPer1000(0)} |`);
    console.log(`| BatchWriteItem x25, every 4th call leaves 5 unprocessed (retried) | ${await writeCallsPer1000(4)} |`);
}

if (require.main === module) {
    run().catch((e: unknown) => {
        console.error(e);
        process.exit(1);
    });
}
