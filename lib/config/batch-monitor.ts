import { z } from "zod";
import { accountRef, email, logRetentionDays, positiveInt, region } from "./common";

export const batchMonitorSchema = z
    .object({
        /** Deploy this concern (on when the key is present). */
        enabled: z.boolean().default(true),
        /** Key in `accounts` of the account running the AWS Batch queues. */
        account: accountRef,
        /** Regions to monitor: one topic, rule and function per Region. */
        regions: z.array(region).min(1, { message: "must list at least one Region" }).default(["us-east-1"]),
        /** Who receives the notifications (the subscription must be confirmed from the e-mail). */
        email,
        /** Run the check every N minutes (`rate(N minutes)`). */
        scheduleMinutes: positiveInt.default(15),
        /** A job waiting in SUBMITTED, PENDING or RUNNABLE longer than this many minutes is reported. */
        thresholdMinutes: positiveInt.default(60),
        /** Retention of the monitor's log group. */
        logRetentionDays: logRetentionDays.default(30),
    })
    .strict()
    .superRefine((c, ctx) => {
        const seen = new Map<string, number>();
        c.regions.forEach((r, i) => {
            if (seen.has(r)) {
                ctx.addIssue({ code: "custom", path: ["regions", i], message: `"${r}" is already listed at regions[${seen.get(r)}]` });
            }
            seen.set(r, i);
        });
    });

export type BatchMonitorConfig = z.infer<typeof batchMonitorSchema>;
