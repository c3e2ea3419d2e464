import { AccessContract } from "../shared/contract";

/**
 * What the indexer calls (index.ts): one signed `POST /_bulk` per batch on the domain its endpoint
 * names. OpenSearch Service authorizes HTTP requests as `es:ESHttp<Method>` on the domain ARN plus
 * the request path (OpenSearch Service Developer Guide, "ac" / identity-based policies). Without a
 * domain (OPENSEARCH_ENDPOINT unset) it only logs the documents.
 */
export const CONTRACT: AccessContract = {
    handler: "sns-indexer",
    calls: [{ action: "es:ESHttpPost", resource: { env: "OPENSEARCH_ENDPOINT", path: "/_bulk" }, optional: true, why: "bulk-indexes the batch's log lines (SigV4, service es)" }],
};
