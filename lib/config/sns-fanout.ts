import { z } from "zod";
import { OPENSEARCH_VERSIONS } from "../support";
import { accountRef, email, logRetentionDays, positiveInt, region, supportedVersion, vpcSchema } from "./common";

/** Settings shared by the Lambda functions of this concern. */
const functionSchema = z
    .object({
        /** Memory in MB (128-10240). */
        memoryMb: z.number().int().min(128).max(10240).default(256),
        /** Timeout in seconds (1-900); each queue's visibility timeout is six times this. */
        timeoutSeconds: z.number().int().min(1).max(900).default(30),
        /** Records per SQS batch given to one invocation (1-10; FIFO queues allow at most 10). */
        batchSize: z.number().int().min(1).max(10).default(10),
    })
    .strict();

export const snsFanoutSchema = z
    .object({
        /** Deploy this concern (on when the key is present). */
        enabled: z.boolean().default(true),
        /** Key in `accounts` of the workload account. */
        account: accountRef,
        /** Region of the topic and its subscribers (us-east-1 in the post). */
        region: region.default("us-east-1"),
        /** Prefix of physical names (topic, queues, stream, domain). Lower case, short: OpenSearch domain names are at most 28 characters. */
        namePrefix: z
            .string()
            .regex(/^[a-z][a-z0-9-]{1,19}$/, { message: "must be 2-20 lower-case letters, digits or dashes, starting with a letter" })
            .default("log-fanout"),
        /** FIFO variant: topic and queues end in `.fifo`, ordered per message group. */
        fifo: z
            .object({
                /** Use a FIFO topic and FIFO queues. */
                enabled: z.boolean().default(false),
                /** Let SNS deduplicate on a SHA-256 of the body (the publisher sends its own deduplication IDs anyway). */
                contentBasedDeduplication: z.boolean().default(false),
            })
            .strict()
            .prefault({}),
        /** The two SQS subscribers (inference, indexing). */
        queues: z
            .object({
                /** Receives before a message moves to its DLQ. */
                maxReceiveCount: z.number().int().min(1).max(1000).default(5),
                /** Retention of the queues' messages in seconds (60-1209600). */
                messageRetentionSeconds: z.number().int().min(60).max(1209600).default(345600),
                /** Retention of DLQ messages in seconds (60-1209600): long, so failures can be inspected and redriven. */
                dlqRetentionSeconds: z.number().int().min(60).max(1209600).default(1209600),
                /** Deliver the raw log line to the queues (no SNS JSON envelope). */
                rawMessageDelivery: z.boolean().default(true),
            })
            .strict()
            .prefault({}),
        /** Lambda consumers of the queues. */
        functions: functionSchema.prefault({}),
        /** Deploy the publisher as a Lambda (event `{ lines: [...] }`), besides the CLI. */
        publisherFunction: z.boolean().default(true),
        /** Kinesis Data Firehose subscription archiving every message to S3. Standard topics only. */
        firehose: z
            .object({
                /** Subscribe a Firehose delivery stream to the topic. */
                enabled: z.boolean().default(true),
                /** Buffer interval in seconds (0-900). */
                bufferingIntervalSeconds: z.number().int().min(0).max(900).default(300),
                /** Buffer size in MiB (1-128). */
                bufferingSizeMb: z.number().int().min(1).max(128).default(5),
            })
            .strict()
            .prefault({}),
        /** Lifecycle of the S3 archive bucket. */
        archive: z
            .object({
                /** Days before objects move to Glacier Instant Retrieval. */
                transitionDays: positiveInt.default(30),
                /** Days before objects expire (0 keeps them forever). */
                expirationDays: z.number().int().min(0).default(365),
                /** Days a noncurrent (overwritten or deleted) version is kept. */
                noncurrentVersionDays: positiveInt.default(30),
            })
            .strict()
            .prefault({}),
        /** Optional OpenSearch domain the indexer writes to (off in dev: it bills per hour). */
        openSearch: z
            .object({
                /** Create the domain and let the indexer write to it. */
                enabled: z.boolean().default(false),
                /** Engine version, e.g. `OpenSearch_2.19` (one of `OPENSEARCH_VERSIONS` that is supported on the plan date). */
                engineVersion: supportedVersion(OPENSEARCH_VERSIONS).default("OpenSearch_2.19"),
                /** Data node instance type (`*.search`). */
                instanceType: z.string().regex(/^[a-z0-9]+\.[a-z0-9]+\.search$/, { message: "must be an OpenSearch instance type such as t3.small.search" }).default("t3.small.search"),
                /** Number of data nodes (spread across two AZs when even). */
                instanceCount: positiveInt.default(1),
                /** EBS volume size per node in GiB. */
                volumeSizeGb: z.number().int().min(10).max(16384).default(10),
                /** Index the indexer writes to. */
                indexName: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,100}$/, { message: "must be a lower-case OpenSearch index name" }).default("logs"),
                /**
                 * Place the domain and the indexer in a VPC of their own (isolated subnets in two zones, no
                 * NAT; an X-Ray endpoint for the indexer's traces). Required in prod by the pack
                 * (opensearch-2-in-vpc). Absent: a public endpoint, limited to the indexer's role.
                 */
                // The shared VPC shape's CIDR and flow-log retention (zones: two, chosen by zone ID; no NAT).
                vpc: vpcSchema.pick({ cidrBlock: true, flowLogRetentionDays: true }).strict().optional(),
            })
            .strict()
            .prefault({}),
        /** Retention of every log group of this concern. */
        logRetentionDays: logRetentionDays.default(30),
        /**
         * E-mail subscribed to the concern's alarm topic (DLQ not empty, function
         * errors). Optional: the topic exists either way, for other subscribers.
         */
        alarmEmail: email.optional(),
    })
    .strict()
    .superRefine((c, ctx) => {
        if (c.fifo.enabled && c.firehose.enabled) {
            ctx.addIssue({
                code: "custom",
                path: ["firehose", "enabled"],
                message: "Kinesis Data Firehose can only subscribe to a standard topic; set firehose.enabled: false or fifo.enabled: false",
            });
        }
        if (!c.fifo.enabled && c.fifo.contentBasedDeduplication) {
            ctx.addIssue({ code: "custom", path: ["fifo", "contentBasedDeduplication"], message: "only applies to a FIFO topic (fifo.enabled: true)" });
        }
        if (c.archive.expirationDays > 0 && c.archive.expirationDays <= c.archive.transitionDays) {
            ctx.addIssue({
                code: "custom",
                path: ["archive", "expirationDays"],
                message: `${c.archive.expirationDays} must be greater than archive.transitionDays (${c.archive.transitionDays}) or 0`,
            });
        }
    });

export type SnsFanoutConfig = z.infer<typeof snsFanoutSchema>;
