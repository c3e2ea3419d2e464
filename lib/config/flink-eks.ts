import { z } from "zod";

/** Config of the Flink on EKS (issue 8) concern. Placeholder until that issue lands. */
export const flinkEksSchema = z
    .object({
        /** Deploy this concern. */
        enabled: z.boolean().default(false),
    })
    .strict();
