import { AccessContract } from "../shared/contract";

/** What the inference consumer calls (index.ts): no AWS API. It reads the batch Lambda hands it and logs its result. */
export const CONTRACT: AccessContract = { handler: "sns-inference", calls: [] };
