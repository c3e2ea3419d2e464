import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";

/**
 * The dependency rule of SPEC.md ("Dependencies point down"): `index.ts` and the composition of
 * concerns (`components/index.ts`) on top, components below, `lib` at the bottom; concerns never
 * import each other. `lib/plan` may read the access contracts (`contracts.ts`, data only) that sit
 * next to the code they describe, and runs the program through its entry point, never importing it.
 */
const ROOT = path.join(__dirname, "..");

function sources(dir: string): string[] {
    return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
        const rel = path.join(dir, e.name);
        return e.isDirectory() ? sources(rel) : e.name.endsWith(".ts") ? [rel] : [];
    });
}

/** Project-relative paths of the modules a file imports (relative imports only). */
function importsOf(file: string): string[] {
    const text = fs.readFileSync(path.join(ROOT, file), "utf8");
    return [...text.matchAll(/(?:from|import\()\s*["'](\.[^"']+)["']/g)].map((m) => path.normalize(path.join(path.dirname(file), m[1])));
}

describe("layers (SPEC.md: dependencies point down)", () => {
    it("lib imports no component, function or the entry point, except access contracts (data files)", () => {
        const bad = sources("lib").flatMap((f) =>
            importsOf(f)
                .filter((i) => /^(components|functions|index)\b/.test(i) && !/(^|\/)contracts?$/.test(i) && !/^functions\/shared\/contract$/.test(i))
                .map((i) => `${f} → ${i}`),
        );
        assert.deepStrictEqual(bad, []);
    });

    it("a concern imports no other concern; only the composition (components/index.ts) imports them all", () => {
        const bad = sources("components")
            .filter((f) => f !== path.join("components", "index.ts"))
            .flatMap((f) => {
                const own = f.split(path.sep)[1];
                return importsOf(f)
                    .filter((i) => i.startsWith(`components${path.sep}`) && i.split(path.sep)[1] !== own)
                    .map((i) => `${f} → ${i}`);
            });
        assert.deepStrictEqual(bad, []);
    });

    it("the composition deploys every concern whose schema the stack config has, in the same order", async () => {
        const { CONCERNS } = await import("../components");
        const { CONCERN_KEYS } = await import("../lib/config/schema");
        assert.deepStrictEqual(Object.keys(CONCERNS), CONCERN_KEYS);
    });
});

describe("defaults are stated once (in the schema)", () => {
    it("a nested config object takes its fields' own defaults (prefault({})), not a copy of them", () => {
        // Allowed: a discriminated union's default (the pipeline source), which has no fields of its own to default.
        const copies = sources(path.join("lib", "config")).flatMap((f) =>
            [...fs.readFileSync(path.join(ROOT, f), "utf8").matchAll(/(\w+)?\.default\(\{(?!\s*\})/g)]
                .filter((m) => m[1] !== "pipelineSourceSchema")
                .map((m) => `${f}: ${m[0]}`),
        );
        assert.deepStrictEqual(copies, []);
    });
});

describe("one way to build each shared piece", () => {
    it("one builder per shared piece: log groups (retainedLogGroup), service trusts (serviceTrustPolicy), TLS-only denies (denyInsecureTransport)", () => {
        // Each building block is written once in lib/aws; everything else calls it.
        const pieces: [RegExp, string][] = [
            [/new aws\.cloudwatch\.LogGroup\(/, path.join("lib", "aws", "lambda.ts")],
            [/"aws:SecureTransport"/, path.join("lib", "aws", "iam.ts")],
            [/Principal: \{ Service: [^}]*\},\s*Action: "sts:AssumeRole",\s*Condition/, path.join("lib", "aws", "iam.ts")],
        ];
        const copies = [...sources("lib"), ...sources("components")]
            .filter((f) => !f.startsWith(path.join("lib", "plan")) && !f.startsWith(path.join("lib", "iam")))
            .flatMap((f) => pieces.filter(([re, home]) => f !== home && re.test(fs.readFileSync(path.join(ROOT, f), "utf8"))).map(([re]) => `${f}: ${re.source}`));
        assert.deepStrictEqual(copies, []);
    });
});
