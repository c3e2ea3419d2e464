import { z } from "zod";

/** Config of the EC2 Fleet for Outposts (issue 7) concern. Placeholder until that issue lands. */
export const outpostFleetSchema = z
    .object({
        /** Deploy this concern. */
        enabled: z.boolean().default(false),
    })
    .strict();
