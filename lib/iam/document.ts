/**
 * IAM policy documents as the program and the engine pass them: JSON text or an object, whose
 * `Statement` is a list or a single statement (both are valid: IAM User Guide, "IAM JSON policy
 * elements: Statement"). Dependency-free: the policy pack, the access model, the validator and the
 * specs all read documents here.
 */

/** One statement of a policy document, as written. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type PolicyStatement = Record<string, any>;

/** The document as an object; undefined when it is missing or text that is not a JSON object. */
export function parsePolicyDocument(doc: unknown): Record<string, unknown> | undefined {
    let value = doc;
    if (typeof doc === "string") {
        try {
            value = JSON.parse(doc);
        } catch {
            return undefined;
        }
    }
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** The statements of a policy document (none when it has none or is not a document). */
export function policyStatements(doc: unknown): PolicyStatement[] {
    const s = parsePolicyDocument(doc)?.Statement;
    return s === undefined || s === null ? [] : ((Array.isArray(s) ? s : [s]) as PolicyStatement[]);
}
