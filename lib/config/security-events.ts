import { z } from "zod";
import { accountRef, logRetentionDays, region } from "./common";

/** An EventBridge event bus name (custom buses; `default` is the account's default bus). */
const busName = z
    .string()
    .regex(/^[\w.\-/]{1,256}$/, { message: "must be 1-256 characters of letters, digits, . - _ /" })
    .refine((v) => !v.startsWith("aws."), { message: "must not start with \"aws.\" (reserved)" });

/** An EventBridge `source` value such as `com.mycompany.orders`. */
const eventSource = z.string().regex(/^[A-Za-z0-9][\w.\-]{0,255}$/, { message: "is not a valid event source" });

const sourceSchema = z
    .object({
        /** Stable logical name of this source (used in resource names; never rename it). */
        name: z.string().regex(/^[a-z][a-z0-9-]{1,40}$/, { message: "must be lower-case letters, digits and dashes (2-41)" }),
        /** Key in `accounts` of the account that owns the bus. */
        account: accountRef,
        /** Region of the bus. */
        region,
        /** `default` for the account's default bus, otherwise the name of a custom bus this program creates. */
        bus: z.union([z.literal("default"), busName]),
        /**
         * Event sources forwarded from a custom bus. Required for custom buses; ignored on
         * the default bus, which forwards the CloudTrail security API calls.
         */
        eventSources: z.array(eventSource).min(1).optional(),
        /** Forward these CloudTrail event names from the default bus (defaults to the security set). */
        cloudTrailEventNames: z.array(z.string().regex(/^[A-Za-z]+$/)).min(1).optional(),
        /**
         * The account has a trail logging management events in this Region (an organization trail
         * counts). EventBridge receives "AWS API Call via CloudTrail" events on the default bus only
         * from CloudTrail, so without one the rule never matches: the offline plan warns until this
         * is `true`. Default bus only.
         */
        trailLogging: z.boolean().default(false),
    })
    .strict()
    .superRefine((s, ctx) => {
        if (s.bus !== "default" && !s.eventSources) {
            ctx.addIssue({ code: "custom", path: ["eventSources"], message: "is required for a custom bus" });
        }
    });

export const securityEventsSchema = z
    .object({
        /** Deploy this concern. */
        enabled: z.boolean().default(true),
        hub: z
            .object({
                /** Key in `accounts` of the security account. */
                account: accountRef,
                /** Region of the security hub (Singapore in the post). */
                region: region.default("ap-southeast-1"),
                /** Name of the hub's custom event bus. */
                busName: busName.default("SecurityEventBus"),
                /** The security team's own event source prefix; the hub rule logs every other source. */
                ownSourcePrefix: eventSource.default("com.security"),
                /** Retention of `/aws/events/SecurityAnalysisRule`. */
                logRetentionDays: logRetentionDays.default(365),
                /** Admit `PutEvents` from every account of this AWS Organization instead of listing accounts. */
                organizationId: z.string().regex(/^o-[a-z0-9]{10,32}$/, { message: "is not an AWS Organization ID" }).optional(),
            })
            .strict(),
        /** One entry per (Region, account, bus) whose events reach the hub. */
        sources: z.array(sourceSchema).min(1, { message: "must list at least one source" }),
    })
    .strict()
    .superRefine((c, ctx) => {
        const seen = new Map<string, number>();
        const buses = new Map<string, number>();
        c.sources.forEach((s, i) => {
            const prev = seen.get(s.name);
            if (prev !== undefined) {
                ctx.addIssue({ code: "custom", path: ["sources", i, "name"], message: `"${s.name}" is already used by sources[${prev}]` });
            }
            seen.set(s.name, i);
            // One source per bus: a bus has one resource policy (a second would overwrite the
            // first), and a custom bus is created by its source (a second would fail at AWS).
            const bus = `${s.account}/${s.region}/${s.bus}`;
            const prevBus = buses.get(bus);
            if (prevBus !== undefined) {
                ctx.addIssue({
                    code: "custom",
                    path: ["sources", i, "bus"],
                    message: `bus "${s.bus}" of account ${s.account} in ${s.region} is already forwarded by sources[${prevBus}]; list its event sources there`,
                });
            }
            buses.set(bus, i);
            if (s.region === c.hub.region && s.account === c.hub.account && s.bus === c.hub.busName) {
                ctx.addIssue({ code: "custom", path: ["sources", i, "bus"], message: "is the hub bus itself" });
            }
        });
    });

export type SecurityEventsConfig = z.infer<typeof securityEventsSchema>;
export type SecurityEventSourceConfig = SecurityEventsConfig["sources"][number];
