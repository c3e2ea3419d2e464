import { z } from "zod";

/** Config of the MSK with mutual TLS (issue 4) concern. Placeholder until that issue lands. */
export const mskStreamingSchema = z
    .object({
        /** Deploy this concern. */
        enabled: z.boolean().default(false),
    })
    .strict();
