import { AccessContract } from "../shared/contract";

/** What the publisher calls (publisher.ts). */
export const CONTRACT: AccessContract = {
    handler: "sns-publisher",
    calls: [{ action: "sns:Publish", resource: { env: "TOPIC_ARN" }, why: "PublishBatch: log lines 10 entries per request, retrying failed entries (authorized as sns:Publish; the reference has no sns:PublishBatch)" }],
};
