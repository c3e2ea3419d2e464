import { AccessContract } from "../shared/contract";

/** What the stuck-job monitor calls (monitor.ts). */
export const CONTRACT: AccessContract = {
    handler: "batch-stuck-monitor",
    calls: [
        { action: "batch:DescribeJobQueues", resource: "*", why: "lists every job queue (the action supports only *)" },
        { action: "batch:ListJobs", resource: "*", why: "pages through SUBMITTED, PENDING and RUNNABLE jobs (the action supports only *)" },
        { action: "sns:Publish", resource: { env: "TOPIC_ARN" }, why: "sends the stuck-job report" },
    ],
};
