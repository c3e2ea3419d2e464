import { z } from "zod";

/** Config of the Lambda layers (issue 5) concern. Placeholder until that issue lands. */
export const lambdaLayersSchema = z
    .object({
        /** Deploy this concern. */
        enabled: z.boolean().default(false),
    })
    .strict();
