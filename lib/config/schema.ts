import { z } from "zod";
import { accountId, cidrsOverlap, parseCidr, roleArn } from "./common";
import { batchMonitorSchema } from "./batch-monitor";
import { containerPipelinesSchema } from "./container-pipelines";
import { flinkEksAccessProblems, flinkEksEnvironmentChecks, flinkEksSchema } from "./flink-eks";
import { lambdaLayersSchema } from "./lambda-layers";
import { macDevSchema } from "./mac-dev";
import { mskStreamingSchema } from "./msk";
import { outpostFleetSchema } from "./outpost-fleet";
import { securityEventsSchema } from "./security-events";
import { snsFanoutSchema } from "./sns-fanout";

/** The Pulumi project name; config keys are `<PROJECT>:<key>`. */
export const PROJECT = "awsarch";

const accountSchema = z
    .object({
        /** The 12-digit account ID; providers for this account only ever act in it (`allowedAccountIds`). */
        id: accountId,
        /** A deployment role the program assumes in this account (omit to use the caller's credentials). */
        deploymentRoleArn: roleArn.optional(),
        /** External ID the deployment role's trust policy requires, if any. */
        externalId: z.string().min(2).max(1224).optional(),
    })
    .strict();

/**
 * The concerns' config schemas by config key, in deploy order: the stack schema's concern keys
 * come from here, and the composition (`program.ts`) maps each key to its deploy function.
 */
export const CONCERN_SCHEMAS = {
    securityEvents: securityEventsSchema,
    msk: mskStreamingSchema,
    lambdaLayers: lambdaLayersSchema,
    containerPipelines: containerPipelinesSchema,
    snsFanout: snsFanoutSchema,
    batchMonitor: batchMonitorSchema,
    macDev: macDevSchema,
    outpostFleet: outpostFleetSchema,
    flinkEks: flinkEksSchema,
} as const;

/** A concern's config key. */
export type ConcernKey = keyof typeof CONCERN_SCHEMAS;

/** Every concern's config key, in deploy order. */
export const CONCERN_KEYS = Object.keys(CONCERN_SCHEMAS) as ConcernKey[];

const optionalConcerns = Object.fromEntries(CONCERN_KEYS.map((k) => [k, CONCERN_SCHEMAS[k].optional()])) as {
    [K in ConcernKey]: z.ZodOptional<(typeof CONCERN_SCHEMAS)[K]>;
};

/**
 * The whole stack config: every `awsarch:*` key of `Pulumi.<stack>.yaml`.
 * Each concern is optional; an absent or `enabled: false` concern deploys nothing.
 */
export const stackConfigSchema = z
    .object({
        /** This stack's layer: `platform` (the default: every AWS resource). Workloads stacks use `workloadsStackSchema`. */
        layer: z.literal("platform").optional(),
        /** `dev` or `prod`: prod protects stateful resources and uses production sizes. */
        environment: z.enum(["dev", "prod"]),
        /** Owner tag on every resource (team or person). */
        owner: z.string().min(1, { message: "must not be empty" }),
        /** Cost-centre tag on every resource. */
        costCentre: z.string().min(1, { message: "must not be empty" }),
        /** AWS accounts by logical key (e.g. `security`, `workloads`). */
        accounts: z
            .record(z.string().regex(/^[a-z][a-zA-Z0-9-]{0,30}$/, { message: "account keys are lower camelCase words" }), accountSchema)
            .refine((a) => Object.keys(a).length > 0, { message: "must define at least one account" }),
        ...optionalConcerns,
    })
    .strict();

export type StackConfig = z.infer<typeof stackConfigSchema>;
export type AccountConfig = StackConfig["accounts"][string];

/** One problem found in the config, with the config key path it concerns. */
export interface ConfigProblem {
    path: string;
    message: string;
}

/** Renders a zod path as a config key path: `securityEvents.sources[1].region`. */
export function formatPath(path: readonly PropertyKey[]): string {
    let out = "";
    for (const p of path) {
        if (typeof p === "number") {
            out += `[${p}]`;
        } else {
            out += out ? `.${String(p)}` : String(p);
        }
    }
    return out || "(root)";
}

type Json = unknown;
function isObject(v: Json): v is Record<string, Json> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Visits every object in `value` with its path. */
function walk(value: Json, path: PropertyKey[], visit: (obj: Record<string, Json>, path: PropertyKey[]) => void): void {
    if (Array.isArray(value)) {
        value.forEach((v, i) => walk(v, [...path, i], visit));
    } else if (isObject(value)) {
        visit(value, path);
        for (const [k, v] of Object.entries(value)) {
            walk(v, [...path, k], visit);
        }
    }
}

/**
 * Checks that span concerns. They run on the raw input (not the parsed result)
 * so they are reported together with every shape error, in one pass.
 */
export function crossChecks(raw: Record<string, Json>): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    const accounts = isObject(raw.accounts) ? raw.accounts : {};
    const prod = raw.environment === "prod";

    // 1. Every `account` / `*Account` reference names an entry of `accounts`.
    for (const [key, value] of Object.entries(raw)) {
        if (key === "accounts") {
            continue;
        }
        walk(value, [key], (obj, path) => {
            for (const [k, v] of Object.entries(obj)) {
                if ((k === "account" || /Account$/.test(k)) && typeof v === "string" && !(v in accounts)) {
                    problems.push({
                        path: formatPath([...path, k]),
                        message: `"${v}" is not a key of accounts (${Object.keys(accounts).join(", ") || "none defined"})`,
                    });
                }
            }
        });
    }

    // 2. VPC CIDRs in one Region do not overlap (they may need peering or a TGW later).
    // A `vpc` takes the Region of its object or of the nearest enclosing one (snsFanout.openSearch.vpc).
    const vpcs: { path: string; region: string; cidr: string }[] = [];
    const visit = (value: Json, path: PropertyKey[], inherited: string | undefined): void => {
        if (Array.isArray(value)) {
            value.forEach((v, i) => visit(v, [...path, i], inherited));
            return;
        }
        if (!isObject(value)) {
            return;
        }
        const region = typeof value.region === "string" ? value.region : inherited;
        const vpc = value.vpc;
        if (region && isObject(vpc) && typeof vpc.cidrBlock === "string" && parseCidr(vpc.cidrBlock)) {
            vpcs.push({ path: formatPath([...path, "vpc", "cidrBlock"]), region, cidr: vpc.cidrBlock });
        }
        for (const [k, v] of Object.entries(value)) {
            visit(v, [...path, k], region);
        }
    };
    visit(raw, [], undefined);
    for (let i = 0; i < vpcs.length; i++) {
        for (let j = 0; j < i; j++) {
            if (vpcs[i].region === vpcs[j].region && cidrsOverlap(vpcs[i].cidr, vpcs[j].cidr)) {
                problems.push({
                    path: vpcs[i].path,
                    message: `${vpcs[i].cidr} overlaps ${vpcs[j].path} (${vpcs[j].cidr}) in ${vpcs[i].region}`,
                });
            }
        }
    }

    // 3. In prod, the security account is separate from the source (workload) accounts.
    const se = raw.securityEvents;
    if (prod && isObject(se) && isObject(se.hub) && Array.isArray(se.sources)) {
        const hubAccount = se.hub.account;
        const hubId = typeof hubAccount === "string" && isObject(accounts[hubAccount]) ? accounts[hubAccount].id : undefined;
        se.sources.forEach((s, i) => {
            if (!isObject(s) || typeof s.account !== "string") {
                return;
            }
            const src = accounts[s.account];
            if (s.account === hubAccount || (isObject(src) && hubId !== undefined && src.id === hubId)) {
                problems.push({
                    path: formatPath(["securityEvents", "sources", i, "account"]),
                    message: "must be a workload account separate from the security account in prod",
                });
            }
        });
    }
    // 4. Concern checks that depend on `environment` or on `accounts`.
    problems.push(...flinkEksEnvironmentChecks(raw));
    problems.push(...flinkEksAccessProblems(raw));
    return problems;
}

/**
 * The config of a workloads stack (`layer: workloads`): the Kubernetes half of the Flink concern,
 * deployed from inside the cluster's VPC by the platform stack's in-VPC deployer. Everything it
 * deploys comes from the platform stack's outputs; it names only that stack.
 */
export const workloadsStackSchema = z
    .object({
        /** `workloads`. */
        layer: z.literal("workloads"),
        /** `dev` or `prod` (as the platform stack's). */
        environment: z.enum(["dev", "prod"]),
        /** The platform stack whose `flinkEks.workloads` output this stack deploys, `<organization>/<project>/<stack>`. */
        platformStack: z.string().regex(/^[\w.-]+\/[\w.-]+\/[\w.-]+$/, { message: "must be <organization>/<project>/<stack>" }),
    })
    .strict();
export type WorkloadsStackConfig = z.infer<typeof workloadsStackSchema>;
