import { RecordedResource, ProgramRun } from "../lib/plan/recorder";

/* eslint-disable @typescript-eslint/no-explicit-any */

/** Every recorded resource of `type`. */
export function ofType(run: ProgramRun, type: string): RecordedResource[] {
    return run.resources.filter((r) => r.type === type);
}

/** The one resource with logical `name` (and `type`, when given); throws with the candidates otherwise. */
export function byName(run: ProgramRun, name: string, type?: string): RecordedResource {
    const found = run.resources.filter((r) => r.name === name && (!type || r.type === type));
    if (found.length !== 1) {
        const names = run.resources.filter((r) => !type || r.type === type).map((r) => r.name);
        throw new Error(`expected one resource named ${name}${type ? ` of ${type}` : ""}, found ${found.length}; have: ${names.join(", ")}`);
    }
    return found[0];
}

/** Resources whose ancestor chain includes the resource with URN `ancestorUrn`. */
export function descendantsOf(run: ProgramRun, ancestorUrn: string): RecordedResource[] {
    const byUrn = new Map(run.resources.map((r) => [r.urn, r]));
    return run.resources.filter((r) => {
        let p = r.parent;
        while (p) {
            if (p === ancestorUrn) {
                return true;
            }
            p = byUrn.get(p)?.parent;
        }
        return false;
    });
}

/** Parses a JSON policy/pattern input whether the program passed a string or an object. */
export function json(value: unknown): any {
    return typeof value === "string" ? JSON.parse(value) : value;
}

/** Policy statements as an array, whatever shape the document used. */
export function statements(policy: unknown): any[] {
    const doc = json(policy);
    return Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
}

/** A value or list as a list. */
export function asList<T>(v: T | T[] | undefined): T[] {
    return v === undefined ? [] : Array.isArray(v) ? v : [v];
}
