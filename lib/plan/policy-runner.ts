import { ProgramRun } from "./recorder";

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

/**
 * Runs every CrossGuard rule (resource and stack rules) over a recorded run.
 * Placeholder until the policy pack lands (issue 3).
 */
export async function runPolicies(run: ProgramRun): Promise<PolicyFinding[]> {
    void run;
    return [];
}
