import { BatchClient, DescribeJobQueuesCommand, JobStatus, ListJobsCommand } from "@aws-sdk/client-batch";
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";

/** The statuses a job waits in before it runs: a job stuck here never started. */
export const WAITING_STATUSES: JobStatus[] = ["SUBMITTED", "PENDING", "RUNNABLE"];
/** SNS message size limit (256 KiB). */
export const SNS_MAX_MESSAGE_BYTES = 262_144;
/** SNS subject limit (characters, ASCII, no line breaks). */
export const SNS_MAX_SUBJECT_CHARS = 100;

/** One job waiting longer than the threshold. */
export interface StuckJob {
    queue: string;
    status: string;
    jobId: string;
    jobName: string;
    /** Creation time, epoch milliseconds. */
    createdAt: number;
    /** now - createdAt, milliseconds. */
    ageMs: number;
}

/** A queue (and status) the monitor could not list. */
export interface QueueFailure {
    queue: string;
    status?: string;
    error: string;
}

/** What a scan found. */
export interface ScanResult {
    stuck: StuckJob[];
    failures: QueueFailure[];
    queues: number;
    describeCalls: number;
    listJobsCalls: number;
}

/** One SNS publish. */
export interface Notification {
    subject: string;
    message: string;
}

const errText = (err: unknown): string => {
    const e = err as Error;
    return `${e?.name || "Error"}: ${e?.message || String(err)}`;
};

/** Renders an age as days, hours and minutes: `3d 4h 5m`, `2h 0m`, `7m` (seconds are dropped). */
export function formatAge(ms: number): string {
    const totalMinutes = Math.floor(Math.max(0, ms) / 60_000);
    const d = Math.floor(totalMinutes / 1440);
    const h = Math.floor((totalMinutes % 1440) / 60);
    const m = totalMinutes % 60;
    if (d > 0) {
        return `${d}d ${h}h ${m}m`;
    }
    if (h > 0) {
        return `${h}h ${m}m`;
    }
    return `${m}m`;
}

/**
 * Lists every job queue (all DescribeJobQueues pages), then for each queue and
 * waiting status every ListJobs page, and keeps the jobs created more than
 * `thresholdMs` before `now` (strictly older; createdAt is epoch ms, so time
 * zones do not matter). A queue/status that fails to list is recorded in
 * `failures` and the scan goes on.
 */
export async function scanStuckJobs(
    batch: Pick<BatchClient, "send">,
    thresholdMs: number,
    now: number,
    statuses: JobStatus[] = WAITING_STATUSES,
): Promise<ScanResult> {
    const result: ScanResult = { stuck: [], failures: [], queues: 0, describeCalls: 0, listJobsCalls: 0 };
    const queues: string[] = [];
    let token: string | undefined;
    do {
        result.describeCalls++;
        const page = await batch.send(new DescribeJobQueuesCommand({ maxResults: 100, nextToken: token }));
        for (const q of page.jobQueues ?? []) {
            if (q.jobQueueName) {
                queues.push(q.jobQueueName);
            }
        }
        token = page.nextToken;
    } while (token);
    result.queues = queues.length;

    for (const queue of queues) {
        for (const status of statuses) {
            let next: string | undefined;
            try {
                do {
                    result.listJobsCalls++;
                    const page = await batch.send(new ListJobsCommand({ jobQueue: queue, jobStatus: status, maxResults: 100, nextToken: next }));
                    for (const j of page.jobSummaryList ?? []) {
                        if (j.createdAt === undefined) {
                            continue;
                        }
                        const ageMs = now - j.createdAt;
                        if (ageMs > thresholdMs) {
                            result.stuck.push({
                                queue,
                                status: j.status ?? status,
                                jobId: j.jobId ?? "?",
                                jobName: j.jobName ?? "?",
                                createdAt: j.createdAt,
                                ageMs,
                            });
                        }
                    }
                    next = page.nextToken;
                } while (next);
            } catch (err) {
                result.failures.push({ queue, status, error: errText(err) });
            }
        }
    }
    // Oldest first within each queue: the worst offenders lead the message.
    result.stuck.sort((a, b) => a.queue.localeCompare(b.queue) || b.ageMs - a.ageMs || a.jobId.localeCompare(b.jobId));
    return result;
}

/** An SNS subject: ASCII without control characters, at most 100 characters. */
export function safeSubject(s: string): string {
    const ascii = s.replace(/[^\x20-\x7e]/g, "?").trim();
    return ascii.length <= SNS_MAX_SUBJECT_CHARS ? ascii : `${ascii.slice(0, SNS_MAX_SUBJECT_CHARS - 3)}...`;
}

/** One line per stuck job. */
export function jobLine(j: StuckJob): string {
    return `${j.queue}\t${j.status}\t${j.jobId}\t${j.jobName}\t${formatAge(j.ageMs)} (created ${new Date(j.createdAt).toISOString()})`;
}

/**
 * Builds the run's notification(s): a header, one line per stuck job and one
 * per failing queue. Split into several messages when one would exceed
 * `maxBytes` (UTF-8); each part says which part it is. Empty when there is
 * nothing to report.
 */
export function buildNotifications(
    scan: Pick<ScanResult, "stuck" | "failures">,
    opts: { region: string; thresholdMinutes: number; maxBytes?: number },
): Notification[] {
    if (scan.stuck.length === 0 && scan.failures.length === 0) {
        return [];
    }
    const maxBytes = opts.maxBytes ?? SNS_MAX_MESSAGE_BYTES;
    const header =
        `AWS Batch jobs waiting longer than ${formatAge(opts.thresholdMinutes * 60_000)} in ${opts.region}: ${scan.stuck.length}` +
        (scan.failures.length > 0 ? `; ${scan.failures.length} queue listing(s) failed` : "");
    const body: string[] = [];
    if (scan.failures.length > 0) {
        body.push("Queues that could not be checked (their jobs are NOT in this report):");
        for (const f of scan.failures) {
            body.push(`${f.queue}${f.status ? `\t${f.status}` : ""}\tERROR ${f.error}`);
        }
        body.push("");
    }
    if (scan.stuck.length > 0) {
        body.push("queue\tstatus\tjob id\tjob name\tage");
        body.push(...scan.stuck.map(jobLine));
    }
    // Room for the header and the "(part i/n)" line of each part.
    const reserve = Buffer.byteLength(header, "utf8") + 64;
    const budget = maxBytes - reserve;
    if (budget <= 0) {
        throw new Error(`maxBytes ${maxBytes} is too small for the header`);
    }
    const parts: string[][] = [];
    let current: string[] = [];
    let size = 0;
    for (let line of body) {
        let bytes = Buffer.byteLength(line, "utf8") + 1;
        if (bytes > budget) {
            // A single absurd line (a huge job name): cut it rather than fail the run.
            line = Buffer.from(line, "utf8").subarray(0, budget - 8).toString("utf8").replace(/\uFFFD$/, "") + " [...]";
            bytes = Buffer.byteLength(line, "utf8") + 1;
        }
        if (size + bytes > budget && current.length > 0) {
            parts.push(current);
            current = [];
            size = 0;
        }
        current.push(line);
        size += bytes;
    }
    if (current.length > 0) {
        parts.push(current);
    }
    const n = parts.length;
    const count = `${scan.stuck.length} stuck job${scan.stuck.length === 1 ? "" : "s"}`;
    const failed = scan.failures.length > 0 ? `, ${scan.failures.length} queue error${scan.failures.length === 1 ? "" : "s"}` : "";
    return parts.map((lines, i) => {
        const part = n > 1 ? ` (part ${i + 1}/${n})` : "";
        return {
            subject: safeSubject(`AWS Batch: ${count}${failed} in ${opts.region}${part}`),
            message: [header + part, "", ...lines].join("\n"),
        };
    });
}

/** Dependencies of {@link runMonitor} (all injectable for tests). */
export interface MonitorDeps {
    batch: Pick<BatchClient, "send">;
    sns: Pick<SNSClient, "send">;
    topicArn: string;
    region: string;
    thresholdMinutes: number;
    now: () => number;
    maxMessageBytes?: number;
}

/** What one run did. */
export interface MonitorResult {
    stuck: number;
    failures: number;
    queues: number;
    listJobsCalls: number;
    published: number;
}

/** One monitor run: scan, then publish the notification(s); nothing is published when nothing is stuck or failing. */
export async function runMonitor(deps: MonitorDeps): Promise<MonitorResult> {
    const scan = await scanStuckJobs(deps.batch, deps.thresholdMinutes * 60_000, deps.now());
    const notes = buildNotifications(scan, { region: deps.region, thresholdMinutes: deps.thresholdMinutes, maxBytes: deps.maxMessageBytes });
    for (const n of notes) {
        await deps.sns.send(new PublishCommand({ TopicArn: deps.topicArn, Subject: n.subject, Message: n.message }));
    }
    return { stuck: scan.stuck.length, failures: scan.failures.length, queues: scan.queues, listJobsCalls: scan.listJobsCalls, published: notes.length };
}
