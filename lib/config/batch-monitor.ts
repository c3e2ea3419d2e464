import { z } from "zod";

/** Config of the Batch stuck-job monitor (issue 6) concern. Placeholder until that issue lands. */
export const batchMonitorSchema = z
    .object({
        /** Deploy this concern. */
        enabled: z.boolean().default(false),
    })
    .strict();
