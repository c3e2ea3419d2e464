import { z } from "zod";
import { MSK_KAFKA_VERSIONS } from "../support";
import { accountRef, email, logRetentionDays, positiveInt, positiveNumber, region, supportedVersion, zonalVpcSchema } from "./common";

/** Apache Kafka versions Amazon MSK (provisioned) offers and this program accepts. */

/** The largest number the consumer accepts: 2^53 - 1 (JavaScript's exact-integer limit, JSON-safe). */
export const MAX_SAFE_FACTOR_INPUT = Number.MAX_SAFE_INTEGER;

/** Lambda's limit on the batch size of an Amazon MSK event source mapping. */
export const MSK_MAX_BATCH_SIZE = 10000;

/** A Kafka topic name: 1-249 characters of letters, digits, `.`, `_` and `-`, not `.` or `..`. */
const topicName = z
    .string()
    .regex(/^[a-zA-Z0-9._-]{1,249}$/, { message: "must be 1-249 characters of letters, digits, . _ -" })
    .refine((v) => v !== "." && v !== "..", { message: "must not be \".\" or \"..\"" });

export const mskStreamingSchema = z
    .object({
        /** Deploy this concern. */
        enabled: z.boolean().default(true),
        /** Key in `accounts` of the workload account that owns the cluster and functions. */
        account: accountRef,
        /** Region of the cluster and everything around it (us-east-1 in the posts). */
        region: region.default("us-east-1"),
        /** The VPC the brokers, the functions and the event source mapping's pollers live in. */
        vpc: zonalVpcSchema,
        /** Prefix of physical names (cluster, functions, table, dashboard). */
        namePrefix: z
            .string()
            .regex(/^[a-z][a-z0-9-]{1,30}$/, { message: "must be lower-case letters, digits and dashes (2-31)" })
            .default("awsarch-msk"),
        /** The MSK cluster (provisioned). */
        cluster: z
            .object({
                /** Apache Kafka version (one of the versions MSK offers). */
                kafkaVersion: supportedVersion(MSK_KAFKA_VERSIONS).default("3.8.x"),
                /** Broker instance type, e.g. `kafka.t3.small` (dev) or `kafka.m5.large` (production). */
                instanceType: z.string().regex(/^kafka\.[a-z0-9]+\.[a-z0-9]+$/, { message: "must be an MSK broker type such as kafka.m5.large" }),
                /** Number of brokers: a multiple of the VPC's AZ count. */
                brokerCount: positiveInt,
                /** EBS volume per broker in GiB (1-16384). */
                volumeSizeGiB: z.number().int().min(1, { message: "must be at least 1" }).max(16384, { message: "must be at most 16384" }).default(100),
                /** MSK enhanced monitoring level. */
                enhancedMonitoring: z.enum(["DEFAULT", "PER_BROKER", "PER_TOPIC_PER_BROKER", "PER_TOPIC_PER_PARTITION"]).default("PER_TOPIC_PER_BROKER"),
                /** Retention of the broker log group, in days. */
                logRetentionDays: logRetentionDays.default(30),
            })
            .strict(),
        /** The ACM Private CA and the Lambda client certificate. */
        ca: z
            .object({
                /** Common name of the private root CA (used only for client authentication). */
                commonName: z.string().min(1).max(64).default("awsarch MSK client root CA"),
                /**
                 * `GENERAL_PURPOSE` (USD 400/month, certificates of any validity) or
                 * `SHORT_LIVED_CERTIFICATE` (USD 50/month, certificates of at most 7 days).
                 */
                usageMode: z.enum(["GENERAL_PURPOSE", "SHORT_LIVED_CERTIFICATE"]).default("GENERAL_PURPOSE"),
                /** Validity of the root CA certificate, in years. */
                rootValidityYears: positiveInt.max(30, { message: "must be at most 30" }).default(10),
                /** Validity of the Lambda client certificate, in days (at most 7 in short-lived mode). */
                clientCertValidityDays: positiveInt.max(3650, { message: "must be at most 3650" }).default(365),
                /**
                 * Days before the client certificate expires that its alarm fires (the monitor checks daily).
                 * Default: 30, or a quarter of the validity when that is shorter (short-lived mode).
                 */
                clientCertExpiryAlarmDays: positiveInt.optional(),
            })
            .strict()
            .prefault({})
            .superRefine((c, ctx) => {
                if (c.usageMode === "SHORT_LIVED_CERTIFICATE" && c.clientCertValidityDays > 7) {
                    ctx.addIssue({
                        code: "custom",
                        path: ["clientCertValidityDays"],
                        message: `${c.clientCertValidityDays} exceeds the 7 days a SHORT_LIVED_CERTIFICATE CA can issue`,
                    });
                }
                if (c.clientCertExpiryAlarmDays !== undefined && c.clientCertExpiryAlarmDays >= c.clientCertValidityDays) {
                    ctx.addIssue({
                        code: "custom",
                        path: ["clientCertExpiryAlarmDays"],
                        message: `${c.clientCertExpiryAlarmDays} must be less than clientCertValidityDays (${c.clientCertValidityDays}), or the alarm fires from the first day`,
                    });
                }
                if (c.clientCertExpiryAlarmDays === undefined && c.clientCertValidityDays < 2) {
                    ctx.addIssue({
                        code: "custom",
                        path: ["clientCertValidityDays"],
                        message: "must be at least 2 days: the expiry monitor checks once a day",
                    });
                }
            })
            // The alarm's lead time, stated here once: 30 days, or a quarter of a shorter validity.
            .transform((c) => ({ ...c, clientCertExpiryAlarmDays: c.clientCertExpiryAlarmDays ?? Math.max(1, Math.min(30, Math.floor(c.clientCertValidityDays / 4))) })),
        /** The Kafka topic (created by the producer, read by the consumer). */
        topic: z
            .object({
                /** The topic the producer writes and the consumer reads. */
                name: topicName.default("exampleTopic"),
                /** Partitions of the topic (the consumer scales to at most one poller per partition). */
                partitions: positiveInt.default(3),
                /** Replication factor of the topic (at most the broker count). */
                replicationFactor: positiveInt.default(2),
            })
            .strict()
            .prefault({}),
        /** The factor consumer and its event source mapping. */
        consumer: z
            .object({
                /** Records per invocation (1-10000 for Amazon MSK). */
                batchSize: z
                    .number()
                    .int({ message: "must be an integer" })
                    .min(1, { message: "must be at least 1" })
                    .max(MSK_MAX_BATCH_SIZE, { message: `must be at most ${MSK_MAX_BATCH_SIZE}` })
                    .default(10),
                /** Where a new consumer group starts reading. */
                startingPosition: z.enum(["TRIM_HORIZON", "LATEST"]).default("TRIM_HORIZON"),
                /** Largest number the consumer factors; larger inputs are logged and skipped (at most 2^53 - 1). */
                maxNumber: positiveInt
                    .max(MAX_SAFE_FACTOR_INPUT, { message: `must be at most ${MAX_SAFE_FACTOR_INPUT} (2^53 - 1)` })
                    .default(1_000_000_000_000_000),
                /**
                 * Event source mapping metrics to turn on (OffsetLag is published for every Kafka
                 * mapping regardless; these add event, error and per-consumer Kafka metrics).
                 */
                esmMetrics: z
                    .array(z.enum(["EventCount", "ErrorCount", "KafkaMetrics"]))
                    .max(3)
                    .default(["EventCount", "ErrorCount", "KafkaMetrics"]),
                /** Memory of the consumer function, in MB. */
                memoryMb: z.number().int().min(128).max(10240).default(512),
                /** Timeout of the consumer function, in seconds. */
                timeoutSeconds: z.number().int().min(1).max(900).default(60),
            })
            .strict()
            .prefault({}),
        /** Retention of every function's log group, in days. */
        logRetentionDays: logRetentionDays.default(30),
        /** OffsetLag and error alarms. */
        alarms: z
            .object({
                /** Alarm when the consumer's maximum OffsetLag (records) exceeds this. */
                offsetLagThreshold: positiveNumber.default(1000),
                /** Consecutive one-minute periods above the threshold before the alarm fires. */
                offsetLagEvaluationPeriods: positiveInt.default(5),
                /** Alarm when a function reports at least this many errors in five minutes. */
                errorThreshold: positiveNumber.default(1),
                /** E-mail subscribed to the alarm topic (optional; confirm the subscription once). */
                email: email.optional(),
            })
            .strict()
            .prefault({}),
    })
    .strict()
    .superRefine((c, ctx) => {
        const azs = c.vpc.azCount;
        if (c.cluster.brokerCount % azs !== 0) {
            ctx.addIssue({
                code: "custom",
                path: ["cluster", "brokerCount"],
                message: `${c.cluster.brokerCount} is not a multiple of the AZ count ${azs}`,
            });
        }
        if (c.topic.replicationFactor > c.cluster.brokerCount) {
            ctx.addIssue({
                code: "custom",
                path: ["topic", "replicationFactor"],
                message: `${c.topic.replicationFactor} exceeds the broker count ${c.cluster.brokerCount}`,
            });
        }
    });

export type MskStreamingConfig = z.infer<typeof mskStreamingSchema>;
