import { z } from "zod";

/** Config of the container-image pipelines (issue 5) concern. Placeholder until that issue lands. */
export const containerPipelinesSchema = z
    .object({
        /** Deploy this concern. */
        enabled: z.boolean().default(false),
    })
    .strict();
