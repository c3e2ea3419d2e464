import { PolicyProviderResource, PolicyResource, ReportViolation } from "@pulumi/policy";
import {
    applyPackConfig,
    findSuppression,
    levelFor,
    PackConfig,
    PackSettings,
    settings as currentSettings,
    SuppressionStatus,
    suppressionStatus,
    useSettings,
} from "../../policies/config";
import { allRules, envFromStack, packPolicies, ResourceLike, Rule } from "../../policies/rules";
import { readStackFile } from "../config/load";
import { PROJECT } from "../config/schema";
import { ProgramRun, RecordedResource } from "./recorder";

/* eslint-disable @typescript-eslint/no-explicit-any */

/** One policy finding on a recorded resource (or the whole stack). */
export interface PolicyFinding {
    rule: string;
    level: "mandatory" | "advisory";
    message: string;
    urn?: string;
    resourceName?: string;
    resourceType?: string;
    region?: string;
    /** Set when a configured suppression silences the finding; the text is its reason. */
    suppressedReason?: string;
}

export interface RunPoliciesOptions {
    /** Stack environment (`dev`/`prod`); default: `awsarch:environment` of `Pulumi.<stack>.yaml`, else from the stack name. */
    environment?: string;
    /** Levels and suppressions; default: `policies/suppressions.json` (the file the pack reads too). */
    settings?: PackSettings;
    /** Rules to run; default: every rule of the pack. */
    rules?: Rule[];
    /**
     * Pack config (`--policy-pack-config`, parsed with `loadPackConfig`/`parsePackConfig`):
     * its levels, suppressions and per-rule `environment` apply on top of `settings`.
     */
    packConfig?: PackConfig;
}

/** The settings a run uses: `opts.settings` (default: the settings file) with the pack config applied. */
export function effectiveSettings(opts: Pick<RunPoliciesOptions, "settings" | "packConfig"> = {}): PackSettings {
    const base = opts.settings ?? currentSettings();
    return opts.packConfig ? applyPackConfig(base, opts.packConfig, packPolicies.map((p) => p.name)) : base;
}

/**
 * Every suppression in effect for a run (settings file and pack config), with the
 * resources it matches and a warning when a logical name matches several.
 */
export function activeSuppressions(run: ProgramRun, opts: Pick<RunPoliciesOptions, "settings" | "packConfig"> = {}): SuppressionStatus[] {
    return suppressionStatus(run.resources, effectiveSettings(opts).suppressions);
}

function environmentFor(run: ProgramRun, explicit?: string): string {
    if (explicit) {
        return explicit;
    }
    try {
        const env = readStackFile(run.stack)[`${PROJECT}:environment`];
        if (typeof env === "string") {
            return env;
        }
    } catch {
        // No stack file (custom stack in tests): fall back to the name.
    }
    return envFromStack(run.stack);
}

/**
 * Converts recorded registrations into the shapes CrossGuard passes rules:
 * props are the inputs, the provider is the recorded provider's inputs (for a
 * remote component: its own package's provider, as the engine records it),
 * dependencies and parent are linked.
 */
export function toPolicyResources(run: ProgramRun, environment: string, ruleConfig: () => Record<string, unknown> = () => ({})): PolicyResource[] {
    const byUrn = new Map(run.resources.map((r) => [r.urn, r]));
    const getConfig = <T extends object>(): T => ({ environment, ...ruleConfig() }) as unknown as T;
    const providerOf = (r: RecordedResource): PolicyProviderResource | undefined => {
        // What the engine records: the provider the registration named (for a remote component, one of its own package).
        const p = r.provider ? byUrn.get(r.provider) : undefined;
        return p ? { type: p.type, name: p.name, urn: p.urn, props: p.inputs } : undefined;
    };
    const out = new Map<string, PolicyResource>();
    for (const r of run.resources) {
        const pr: PolicyResource & { getConfig: typeof getConfig } = {
            type: r.type,
            name: r.name,
            urn: r.urn,
            props: r.inputs ?? {},
            opts: {
                protect: r.protect,
                ignoreChanges: r.ignoreChanges ?? [],
                aliases: [],
                customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
                additionalSecretOutputs: [],
                parent: r.parent,
            },
            provider: providerOf(r),
            dependencies: [],
            propertyDependencies: {},
            isType: () => false,
            asType: () => undefined,
            getConfig,
        };
        out.set(r.urn, pr);
    }
    for (const r of run.resources) {
        const pr = out.get(r.urn)!;
        pr.parent = r.parent ? out.get(r.parent) : undefined;
        pr.dependencies = r.dependencies.map((d) => out.get(d)).filter((d): d is PolicyResource => !!d);
        for (const [k, urns] of Object.entries(r.propertyDependencies ?? {})) {
            pr.propertyDependencies[k] = urns.map((d) => out.get(d)).filter((d): d is PolicyResource => !!d);
        }
    }
    return [...out.values()];
}

/**
 * Runs every CrossGuard rule (resource and stack rules) over a recorded run,
 * the way `pulumi preview --policy-pack policies [--policy-pack-config <file>]`
 * would, and returns every finding; suppressed ones carry the suppression's reason.
 */
export async function runPolicies(run: ProgramRun, opts: RunPoliciesOptions = {}): Promise<PolicyFinding[]> {
    const environment = environmentFor(run, opts.environment);
    const previous = opts.settings || opts.packConfig ? useSettings(effectiveSettings(opts)) : undefined;
    try {
        // The pack config of the rule being run, as `getConfig()` returns it to that rule only.
        let ruleConfig: Record<string, unknown> = {};
        const resources = toPolicyResources(run, environment, () => ruleConfig);
        const recorded = new Map(run.resources.map((r) => [r.urn, r]));
        const findings: PolicyFinding[] = [];
        const add = (rule: Rule, message: string, urn?: string) => {
            const level = levelFor(rule.name, rule.level);
            if (level === "disabled" as string) {
                return;
            }
            const rec = urn ? recorded.get(urn) : undefined;
            const sup = findSuppression(rule.name, urn, rec?.name);
            findings.push({
                rule: rule.name,
                level,
                message,
                urn,
                resourceName: rec?.name,
                resourceType: rec?.type,
                region: rec?.region,
                suppressedReason: sup?.reason,
            });
        };
        for (const rule of opts.rules ?? allRules) {
            ruleConfig = opts.packConfig?.config[rule.name] ?? {};
            if (rule.kind === "resource") {
                for (const res of resources) {
                    if (rule.types.includes(res.type)) {
                        rule.check(res.props, res as ResourceLike, (message) => add(rule, message, res.urn));
                    }
                }
            } else {
                const report: ReportViolation = (message, urn) => add(rule, message, urn);
                const env = typeof ruleConfig.environment === "string" ? ruleConfig.environment : environment;
                rule.check(resources, env, report);
            }
        }
        return findings;
    } finally {
        if (previous) {
            useSettings(previous);
        }
    }
}

/** The settings in effect (re-exported for the plan CLI and tests). */
export { currentSettings as policySettings };
