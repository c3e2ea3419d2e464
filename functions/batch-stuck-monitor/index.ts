import { BatchClient } from "@aws-sdk/client-batch";
import { SNSClient } from "@aws-sdk/client-sns";
import { MonitorResult, runMonitor } from "./monitor";

export * from "./monitor";

const batch = new BatchClient({});
const sns = new SNSClient({});

/**
 * Scheduled (EventBridge) entry point: reports AWS Batch jobs waiting in
 * SUBMITTED, PENDING or RUNNABLE longer than `$THRESHOLD_MINUTES` to `$TOPIC_ARN`.
 */
export async function handler(): Promise<MonitorResult> {
    const topicArn = process.env.TOPIC_ARN;
    const thresholdMinutes = Number(process.env.THRESHOLD_MINUTES);
    if (!topicArn || !Number.isFinite(thresholdMinutes) || thresholdMinutes <= 0) {
        throw new Error("TOPIC_ARN and a positive THRESHOLD_MINUTES must be set");
    }
    const result = await runMonitor({
        batch,
        sns,
        topicArn,
        region: process.env.AWS_REGION ?? "unknown",
        thresholdMinutes,
        now: () => Date.now(),
    });
    console.log(JSON.stringify(result));
    return result;
}
