import { strict as assert } from "assert";
import { BatchClient, DescribeJobQueuesCommand, ListJobsCommand, ListJobsCommandInput } from "@aws-sdk/client-batch";
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { mockClient } from "aws-sdk-client-mock";
import { buildNotifications, formatAge, runMonitor, scanStuckJobs, StuckJob } from "../functions/batch-stuck-monitor/monitor";
import { holdToContract } from "./helpers";
import { CONTRACT } from "../functions/batch-stuck-monitor/contract";

const batchMock = mockClient(BatchClient);
const snsMock = mockClient(SNSClient);
const batch = new BatchClient({ region: "us-east-1" });
const sns = new SNSClient({ region: "us-east-1" });
const TOPIC = "arn:aws:sns:us-east-1:111111111111:batch-stuck-jobs";
const NOW = Date.UTC(2026, 10, 29, 12, 0, 0);
const MIN = 60_000;

/** A queue fixture: status -> pages of [jobId, createdAt]. */
type Fixture = Record<string, Partial<Record<string, [string, number][][]>>>;

function serve(fixture: Fixture, failing: Record<string, Error> = {}, queuePages: string[][] = [Object.keys(fixture)]): void {
    batchMock.on(DescribeJobQueuesCommand).callsFake((input: { nextToken?: string }) => {
        const i = input.nextToken ? Number(input.nextToken) : 0;
        return {
            jobQueues: queuePages[i].map((q) => ({ jobQueueName: q, jobQueueArn: `arn:aws:batch:us-east-1:111111111111:job-queue/${q}` })),
            nextToken: i + 1 < queuePages.length ? String(i + 1) : undefined,
        };
    });
    batchMock.on(ListJobsCommand).callsFake((input: ListJobsCommandInput) => {
        if (failing[input.jobQueue!]) {
            throw failing[input.jobQueue!];
        }
        const pages = fixture[input.jobQueue!]?.[input.jobStatus!] ?? [[]];
        const i = input.nextToken ? Number(input.nextToken.replace("tok-", "")) : 0;
        return {
            jobSummaryList: pages[i].map(([id, createdAt]) => ({ jobId: id, jobName: `name-${id}`, createdAt, status: input.jobStatus })),
            nextToken: i + 1 < pages.length ? `tok-${i + 1}` : undefined,
        };
    });
}

describe("batch-stuck-monitor handler", () => {
    holdToContract(CONTRACT, [{ mock: batchMock, service: "batch" }, { mock: snsMock, service: "sns" }]);
    beforeEach(() => {
        batchMock.reset();
        snsMock.reset();
        snsMock.on(PublishCommand).resolves({ MessageId: "m-1" });
    });

    it("follows every DescribeJobQueues page and every ListJobs page (3+ pages via nextToken) for SUBMITTED, PENDING and RUNNABLE", async () => {
        const old = NOW - 5 * 60 * MIN;
        serve(
            {
                q1: { RUNNABLE: [[["r1", old]], [["r2", old]], [["r3", old]], [["r4", old]]] },
                q2: { SUBMITTED: [[["s1", old]]], PENDING: [[["p1", old]], [["p2", old]]] },
            },
            {},
            [["q1"], ["q2"]],
        );
        const scan = await scanStuckJobs(batch, 60 * MIN, NOW);
        assert.equal(batchMock.commandCalls(DescribeJobQueuesCommand).length, 2);
        assert.deepEqual(scan.stuck.map((j) => j.jobId).sort(), ["p1", "p2", "r1", "r2", "r3", "r4", "s1"]);
        const calls = batchMock.commandCalls(ListJobsCommand).map((c) => c.args[0].input);
        const q1Runnable = calls.filter((c) => c.jobQueue === "q1" && c.jobStatus === "RUNNABLE");
        assert.deepEqual(
            q1Runnable.map((c) => c.nextToken),
            [undefined, "tok-1", "tok-2", "tok-3"],
        );
        assert.deepEqual([...new Set(calls.map((c) => c.jobStatus))].sort(), ["PENDING", "RUNNABLE", "SUBMITTED"]);
        // q1: 4 RUNNABLE + 1 SUBMITTED + 1 PENDING; q2: 1 + 2 + 1 (RUNNABLE empty)
        assert.equal(scan.listJobsCalls, 10);
    });

    it("threshold edge: exactly the threshold is not stuck, one millisecond more is", async () => {
        serve({ q: { RUNNABLE: [[["at", NOW - 60 * MIN], ["over", NOW - 60 * MIN - 1], ["young", NOW - 59 * MIN]]] } });
        const scan = await scanStuckJobs(batch, 60 * MIN, NOW);
        assert.deepEqual(
            scan.stuck.map((j) => j.jobId),
            ["over"],
        );
    });

    it("renders multi-day ages as days, hours and minutes", async () => {
        assert.equal(formatAge(((3 * 24 + 4) * 60 + 5) * MIN + 59_000), "3d 4h 5m");
        assert.equal(formatAge(2 * 24 * 60 * MIN), "2d 0h 0m");
        assert.equal(formatAge(90 * MIN), "1h 30m");
        assert.equal(formatAge(7 * MIN), "7m");
        const created = NOW - ((10 * 24 + 2) * 60 + 30) * MIN; // 10 days 2 h 30 m ago, across a month boundary
        serve({ q: { PENDING: [[["ancient", created]]] } });
        await runMonitor({ batch, sns, topicArn: TOPIC, region: "us-east-1", thresholdMinutes: 30, now: () => NOW });
        const msg = snsMock.commandCalls(PublishCommand)[0].args[0].input.Message!;
        assert.match(msg, /q\tPENDING\tancient\tname-ancient\t10d 2h 30m \(created 2026-11-19T09:30:00\.000Z\)/);
    });

    it("publishes one message listing queue, status, job id, name and age, to the topic, with a short subject", async () => {
        serve({ "gpu-queue": { RUNNABLE: [[["j-1", NOW - 120 * MIN]]] }, "cpu-queue": { SUBMITTED: [[["j-2", NOW - 61 * MIN]]] } });
        const r = await runMonitor({ batch, sns, topicArn: TOPIC, region: "us-east-1", thresholdMinutes: 60, now: () => NOW });
        assert.equal(r.published, 1);
        const input = snsMock.commandCalls(PublishCommand)[0].args[0].input;
        assert.equal(input.TopicArn, TOPIC);
        assert.equal(input.Subject, "AWS Batch: 2 stuck jobs in us-east-1");
        assert.match(input.Message!, /cpu-queue\tSUBMITTED\tj-2\tname-j-2\t1h 1m/);
        assert.match(input.Message!, /gpu-queue\tRUNNABLE\tj-1\tname-j-1\t2h 0m/);
    });

    it("a failing queue is reported in the message and does not hide the others", async () => {
        const denied = new Error("User is not authorized to perform batch:ListJobs");
        denied.name = "ClientException";
        serve({ broken: {}, healthy: { RUNNABLE: [[["ok-1", NOW - 3 * 60 * MIN]]] } }, { broken: denied });
        const r = await runMonitor({ batch, sns, topicArn: TOPIC, region: "us-east-1", thresholdMinutes: 60, now: () => NOW });
        assert.equal(r.stuck, 1);
        assert.equal(r.failures, 3, "each status of the broken queue");
        const msg = snsMock.commandCalls(PublishCommand)[0].args[0].input.Message!;
        assert.match(msg, /broken\tRUNNABLE\tERROR ClientException: User is not authorized/);
        assert.match(msg, /healthy\tRUNNABLE\tok-1/);
        assert.match(snsMock.commandCalls(PublishCommand)[0].args[0].input.Subject!, /1 stuck job, 3 queue errors/);
    });

    it("splits into several publishes when the message would exceed the SNS size limit", async () => {
        const jobs: StuckJob[] = Array.from({ length: 3000 }, (_, i) => ({
            queue: "bulk",
            status: "RUNNABLE",
            jobId: `job-${String(i).padStart(6, "0")}-${"f".repeat(30)}`,
            jobName: `nightly-etl-${"x".repeat(60)}-${i}`,
            createdAt: NOW - 2 * 24 * 60 * MIN,
            ageMs: 2 * 24 * 60 * MIN,
        }));
        const notes = buildNotifications({ stuck: jobs, failures: [] }, { region: "eu-west-1", thresholdMinutes: 60 });
        assert.ok(notes.length >= 2, `expected a split, got ${notes.length}`);
        for (const [i, n] of notes.entries()) {
            assert.ok(Buffer.byteLength(n.message, "utf8") <= 262_144);
            assert.ok(n.subject.length <= 100);
            assert.match(n.subject, new RegExp(`part ${i + 1}/${notes.length}`));
        }
        const listed = notes.flatMap((n) => n.message.split("\n").filter((l) => l.startsWith("bulk\t")));
        assert.equal(listed.length, 3000, "every job appears exactly once across the parts");

        // and end to end with a small limit: every part is published
        serve({ q: { RUNNABLE: [Array.from({ length: 40 }, (_, i) => [`j${i}`, NOW - 100 * MIN] as [string, number])] } });
        const r = await runMonitor({ batch, sns, topicArn: TOPIC, region: "us-east-1", thresholdMinutes: 60, now: () => NOW, maxMessageBytes: 1500 });
        assert.ok(r.published > 1);
        assert.equal(snsMock.commandCalls(PublishCommand).length, r.published);
        assert.ok(snsMock.commandCalls(PublishCommand).every((c) => Buffer.byteLength(c.args[0].input.Message!, "utf8") <= 1500));
    });

    it("keeps subjects under 100 ASCII characters", () => {
        const notes = buildNotifications(
            { stuck: [], failures: [{ queue: "q", error: "x" }] },
            { region: "ap-southeast-1-with-a-ridiculously-long-name-that-goes-on-and-on-and-on-and-on-and-on-ünïcode", thresholdMinutes: 1 },
        );
        assert.ok(notes[0].subject.length <= 100);
        assert.match(notes[0].subject, /^[\x20-\x7e]+$/);
    });

    it("sends nothing when nothing is stuck", async () => {
        serve({ q1: { RUNNABLE: [[["fresh", NOW - 5 * MIN]]] }, q2: {} });
        const r = await runMonitor({ batch, sns, topicArn: TOPIC, region: "us-east-1", thresholdMinutes: 60, now: () => NOW });
        assert.equal(r.published, 0);
        assert.equal(snsMock.commandCalls(PublishCommand).length, 0);
    });
});
