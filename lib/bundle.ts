import * as path from "path";
import * as esbuild from "esbuild";
import * as pulumi from "@pulumi/pulumi";

/** Lambda runtime used by every function this program bundles. */
export const LAMBDA_RUNTIME = "nodejs22.x";

const cache = new Map<string, string>();

/**
 * Bundles a TypeScript Lambda handler (and its dependencies) into one CommonJS
 * file with esbuild. The AWS SDK v3 is left out: the Node.js Lambda runtime
 * ships it. The result is cached per entry for the life of the process.
 */
export function bundleSource(entryFile: string): string {
    const entry = path.resolve(entryFile);
    const cached = cache.get(entry);
    if (cached !== undefined) {
        return cached;
    }
    const result = esbuild.buildSync({
        entryPoints: [entry],
        bundle: true,
        platform: "node",
        target: "node22",
        format: "cjs",
        write: false,
        minify: false,
        sourcemap: false,
        legalComments: "none",
        external: ["@aws-sdk/*", "@smithy/*"],
        logLevel: "silent",
    });
    const code = result.outputFiles[0].text;
    cache.set(entry, code);
    return code;
}

/**
 * The Lambda code archive for a handler: `index.js` exporting `handler`
 * (use handler name `index.handler`).
 */
export function bundleFunction(entryFile: string): pulumi.asset.AssetArchive {
    return new pulumi.asset.AssetArchive({ "index.js": new pulumi.asset.StringAsset(bundleSource(entryFile)) });
}
