import { z } from "zod";

/** Config of the EC2 Mac remote dev (issue 7) concern. Placeholder until that issue lands. */
export const macDevSchema = z
    .object({
        /** Deploy this concern. */
        enabled: z.boolean().default(false),
    })
    .strict();
