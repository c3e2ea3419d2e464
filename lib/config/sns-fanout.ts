import { z } from "zod";

/** Config of the SNS batch fan-out (issue 6) concern. Placeholder until that issue lands. */
export const snsFanoutSchema = z
    .object({
        /** Deploy this concern. */
        enabled: z.boolean().default(false),
    })
    .strict();
