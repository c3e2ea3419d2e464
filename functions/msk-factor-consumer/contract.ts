import { AccessContract } from "../shared/contract";

/** What the factor consumer calls (index.ts): batched writes of the factors, nothing else. */
export const CONTRACT: AccessContract = {
    handler: "msk-factor-consumer",
    calls: [{ action: "dynamodb:BatchWriteItem", resource: { env: "TABLE_NAME" }, why: "writes {msg_id, msg, factors} 25 items per call, retrying unprocessed ones" }],
};
