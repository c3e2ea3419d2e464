import { PolicyResource, ResourceValidationArgs } from "@pulumi/policy";
import { ResourceRule, Rule, StackRule } from "../policies/rules";

/* eslint-disable @typescript-eslint/no-explicit-any */

/** Provider inputs as the engine hands them to policies: nested values arrive as JSON text. */
export function providerProps(region = "us-east-1", account = "111111111111"): Record<string, any> {
    return {
        region,
        allowedAccountIds: JSON.stringify([account]),
        defaultTags: JSON.stringify({ tags: { project: "awsarch", stack: "dev", owner: "platform", "cost-centre": "CC-1" } }),
        skipCredentialsValidation: "false",
    };
}

export function providerUrn(stack: string, name: string): string {
    return `urn:pulumi:${stack}::awsarch::pulumi:providers:aws::${name}`;
}

export interface FixtureOpts {
    stack?: string;
    region?: string;
    account?: string;
    protect?: boolean;
    /** Pack config the policy sees (`args.getConfig()`). */
    config?: Record<string, unknown>;
    /** No provider at all. */
    noProvider?: boolean;
}

/** `ResourceValidationArgs` built like the engine builds them for a resource with these inputs. */
export function resourceArgs(type: string, props: Record<string, any>, name = "res", o: FixtureOpts = {}): ResourceValidationArgs {
    const stack = o.stack ?? "dev";
    const region = o.region ?? "us-east-1";
    const pname = `aws-main-${region}`;
    return {
        type,
        props,
        name,
        urn: `urn:pulumi:${stack}::awsarch::${type}::${name}`,
        opts: {
            protect: o.protect ?? false,
            ignoreChanges: [],
            aliases: [],
            customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
            additionalSecretOutputs: [],
        },
        provider: o.noProvider ? undefined : { type: "pulumi:providers:aws", name: pname, urn: providerUrn(stack, pname), props: providerProps(region, o.account) },
        stackTags: new Map(),
        isType: () => false,
        asType: () => undefined,
        getConfig: <T extends object>() => (o.config ?? {}) as T,
        notApplicable: (reason?: string): never => {
            throw new Error(`notApplicable: ${reason}`);
        },
    };
}

/** Violation messages `rule` reports on `args` (through the real CrossGuard callback). */
export async function violations(rule: ResourceRule, args: ResourceValidationArgs): Promise<string[]> {
    const out: string[] = [];
    for (const v of [rule.validateResource!].flat()) {
        await v(args, (m) => out.push(m));
    }
    return out;
}

/** A `PolicyResource` for stack fixtures. */
export function policyResource(
    type: string,
    props: Record<string, any>,
    name: string,
    o: FixtureOpts & { deps?: PolicyResource[]; propDeps?: Record<string, PolicyResource[]>; parentType?: string } = {},
): PolicyResource {
    const a = resourceArgs(type, props, name, o);
    return {
        type,
        props,
        name,
        // A child of a component carries its parent's type in the URN (`parent$child`): same name, another URN.
        urn: o.parentType ? a.urn.replace(`::${type}::`, `::${o.parentType}$${type}::`) : a.urn,
        opts: a.opts,
        provider: a.provider,
        // Like the engine: every property dependency is also a dependency.
        dependencies: [...new Set([...(o.deps ?? []), ...Object.values(o.propDeps ?? {}).flat()])],
        propertyDependencies: o.propDeps ?? {},
        isType: () => false,
        asType: () => undefined,
    };
}

/** The provider resource itself, as a stack sees it. */
export function providerResource(stack = "dev", region = "us-east-1", props?: Record<string, any>): PolicyResource {
    const name = `aws-main-${region}`;
    return {
        type: "pulumi:providers:aws",
        name,
        urn: providerUrn(stack, name),
        props: props ?? providerProps(region),
        opts: { protect: false, ignoreChanges: [], aliases: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 }, additionalSecretOutputs: [] },
        dependencies: [],
        propertyDependencies: {},
        isType: () => false,
        asType: () => undefined,
    };
}

/** Violations `(message, urn)` a stack rule reports. */
export async function stackViolations(rule: StackRule, resources: PolicyResource[], config: Record<string, unknown> = {}): Promise<{ message: string; urn?: string }[]> {
    const out: { message: string; urn?: string }[] = [];
    await rule.validateStack(
        {
            resources,
            stackTags: new Map(),
            getConfig: <T extends object>() => config as T,
            notApplicable: (): never => {
                throw new Error("notApplicable");
            },
        },
        (message, urn) => out.push({ message, urn }),
    );
    return out;
}

/** Names of every resource rule in `rules` that fires on `args`. */
export async function firing(rules: Rule[], args: ResourceValidationArgs): Promise<string[]> {
    const names: string[] = [];
    for (const r of rules) {
        if (r.kind === "resource" && (await violations(r, args)).length > 0) {
            names.push(r.name);
        }
    }
    return names;
}
