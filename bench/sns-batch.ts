/**
 * Benchmark of SPEC concerns 5 and 6 (not timed: it counts API calls).
 *
 * 1. PublishBatch calls per message for 10,000 log lines of mixed sizes
 *    (deterministic generator), against a mocked SNS client. SNS allows 10
 *    entries per request, so 0.1 calls per message is the floor for small
 *    messages; the 256 KiB request limit pushes large messages above it.
 * 2. ListJobs calls of the stuck-job monitor for a fixture of queues and pages.
 *
 *   npx ts-node --transpile-only bench/sns-batch.ts
 */
import { DescribeJobQueuesCommand, ListJobsCommand, ListJobsCommandInput } from "@aws-sdk/client-batch";
import { PublishBatchCommand, PublishBatchCommandInput } from "@aws-sdk/client-sns";
import { MAX_BATCH_ENTRIES, PublishSummary, publishLines } from "../functions/sns-publisher/publisher";
import { scanStuckJobs } from "../functions/batch-stuck-monitor/monitor";

/** Deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

/** Mix of sizes: the size classes and their share of the lines. */
export const SIZE_MIX = [
    { name: "small (80-400 B)", share: 0.7, min: 80, max: 400 },
    { name: "medium (1-8 KiB)", share: 0.2, min: 1024, max: 8 * 1024 },
    { name: "large (20-64 KiB)", share: 0.08, min: 20 * 1024, max: 64 * 1024 },
    { name: "huge (100-200 KiB)", share: 0.02, min: 100 * 1024, max: 200 * 1024 },
];

/** `n` log lines of mixed sizes, the same on every run. */
export function generateLines(n: number, seed = 42, mix = SIZE_MIX): string[] {
    const r = rng(seed);
    const levels = ["INFO", "WARN", "ERROR", "DEBUG"];
    const lines: string[] = [];
    for (let i = 0; i < n; i++) {
        let p = r();
        let cls = mix[mix.length - 1];
        for (const c of mix) {
            if (p < c.share) {
                cls = c;
                break;
            }
            p -= c.share;
        }
        const size = cls.min + Math.floor(r() * (cls.max - cls.min));
        const head = `2026-11-29T03:${String(i % 60).padStart(2, "0")}:00Z svc-${i % 7} ${levels[i % 4]} req=${i} `;
        lines.push(head + "x".repeat(Math.max(0, size - head.length)));
    }
    return lines;
}

/** A mocked SNS client: counts calls, fails a deterministic share of entries with a retryable error. */
function mockSns(failRate: number, seed = 7): { send: (cmd: unknown) => Promise<unknown>; calls: number } {
    const r = rng(seed);
    const client = {
        calls: 0,
        send: async (cmd: unknown) => {
            client.calls++;
            const input = (cmd as PublishBatchCommand).input as PublishBatchCommandInput;
            const entries = input.PublishBatchRequestEntries ?? [];
            if (entries.length > MAX_BATCH_ENTRIES) {
                throw Object.assign(new Error("too many entries"), { name: "TooManyEntriesInBatchRequestException" });
            }
            const bytes = entries.reduce((n, e) => n + Buffer.byteLength(e.Message ?? "", "utf8"), 0);
            if (bytes > 262_144) {
                throw Object.assign(new Error(`request is ${bytes} bytes`), { name: "BatchRequestTooLongException" });
            }
            const failed = entries.filter(() => r() < failRate);
            return {
                Successful: entries.filter((e) => !failed.includes(e)).map((e) => ({ Id: e.Id, MessageId: `id-${e.Id}` })),
                Failed: failed.map((e) => ({ Id: e.Id, Code: "InternalError", SenderFault: false })),
            };
        },
    };
    return client;
}

interface Row {
    scenario: string;
    messages: number;
    calls: number;
    callsPerMessage: string;
    floor: string;
    sent: number;
    retried: number;
    failed: number;
}

async function publishScenario(name: string, lines: string[], failRate: number): Promise<Row> {
    const sns = mockSns(failRate);
    const s: PublishSummary = await publishLines(lines, {
        client: sns as never,
        topicArn: "arn:aws:sns:us-east-1:111111111111:log-fanout-logs",
        sleep: async () => undefined,
        random: rng(3),
    });
    return {
        scenario: name,
        messages: lines.length,
        calls: s.calls,
        callsPerMessage: (s.calls / lines.length).toFixed(4),
        floor: (Math.ceil(lines.length / MAX_BATCH_ENTRIES) / lines.length).toFixed(4),
        sent: s.sent,
        retried: s.retried,
        failed: s.failed,
    };
}

/** Queues and their ListJobs pages per status for the monitor fixture. */
export const MONITOR_FIXTURE: Record<string, { SUBMITTED: number; PENDING: number; RUNNABLE: number }> = {
    "etl-nightly": { SUBMITTED: 1, PENDING: 1, RUNNABLE: 5 },
    "gpu-training": { SUBMITTED: 1, PENDING: 2, RUNNABLE: 12 },
    "spot-batch": { SUBMITTED: 3, PENDING: 1, RUNNABLE: 8 },
    "cpu-small": { SUBMITTED: 1, PENDING: 1, RUNNABLE: 1 },
    "genomics": { SUBMITTED: 2, PENDING: 4, RUNNABLE: 20 },
};

async function monitorScenario(): Promise<{ queues: number; pages: number; listJobsCalls: number; describeCalls: number; stuck: number }> {
    const now = Date.UTC(2026, 10, 29, 3, 0, 0);
    const names = Object.keys(MONITOR_FIXTURE);
    const batch = {
        send: async (cmd: unknown) => {
            if (cmd instanceof DescribeJobQueuesCommand) {
                // two pages of queues
                const first = !cmd.input.nextToken;
                return { jobQueues: (first ? names.slice(0, 3) : names.slice(3)).map((q) => ({ jobQueueName: q })), nextToken: first ? "p2" : undefined };
            }
            const input = (cmd as ListJobsCommand).input as ListJobsCommandInput;
            const pages = MONITOR_FIXTURE[input.jobQueue!][input.jobStatus as "SUBMITTED" | "PENDING" | "RUNNABLE"];
            const i = input.nextToken ? Number(input.nextToken) : 0;
            // 100 jobs per page, ages spread over 0-72 h: about a third older than the 24 h threshold
            const jobs = Array.from({ length: 100 }, (_, k) => ({
                jobId: `${input.jobQueue}-${input.jobStatus}-${i}-${k}`,
                jobName: "job",
                createdAt: now - ((k * 37 + i * 11) % 72) * 3_600_000,
                status: input.jobStatus,
            }));
            return { jobSummaryList: jobs, nextToken: i + 1 < pages ? String(i + 1) : undefined };
        },
    };
    const scan = await scanStuckJobs(batch as never, 24 * 3_600_000, now);
    const pages = Object.values(MONITOR_FIXTURE).reduce((n, q) => n + q.SUBMITTED + q.PENDING + q.RUNNABLE, 0);
    return { queues: scan.queues, pages, listJobsCalls: scan.listJobsCalls, describeCalls: scan.describeCalls, stuck: scan.stuck.length };
}

export async function run(): Promise<void> {
    const mixed = generateLines(10_000);
    const rows: Row[] = [
        await publishScenario("10,000 mixed lines", mixed, 0),
        await publishScenario("10,000 mixed lines, 2% transient entry failures", mixed, 0.02),
        await publishScenario("10,000 small lines only", generateLines(10_000, 42, [SIZE_MIX[0]]), 0),
    ];
    const bytes = mixed.reduce((n, l) => n + Buffer.byteLength(l, "utf8"), 0);
    console.log(`\nSNS PublishBatch: API calls per message (floor 0.1 = 10 entries/request; ${(bytes / 1048576).toFixed(1)} MiB in the mixed set)`);
    console.table(rows);
    const m = await monitorScenario();
    console.log("\nBatch stuck-job monitor: ListJobs calls for the fixture (5 queues x 3 statuses, paginated)");
    console.table([
        {
            queues: m.queues,
            "DescribeJobQueues calls": m.describeCalls,
            "ListJobs pages in fixture": m.pages,
            "ListJobs calls": m.listJobsCalls,
            "calls per page": (m.listJobsCalls / m.pages).toFixed(2),
            "stuck jobs found (>24 h)": m.stuck,
        },
    ]);
}

if (require.main === module) {
    run().catch((err) => {
        console.error(err);
        process.exit(1);
    });
}
