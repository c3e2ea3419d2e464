import * as fs from "fs";
import * as path from "path";

/**
 * `npm run bench [-- <name>...]`: runs every `bench/<name>.ts` that exports
 * `run()`, in order, printing each one's figures. Benchmarks are not tests: they
 * assert nothing and report numbers.
 */
async function main(): Promise<void> {
    const wanted = process.argv.slice(2);
    const files = fs
        .readdirSync(__dirname)
        .filter((f) => f.endsWith(".ts") && f !== "index.ts")
        .filter((f) => wanted.length === 0 || wanted.includes(path.basename(f, ".ts")))
        .sort();
    if (files.length === 0) {
        console.log("no benchmarks found");
        return;
    }
    for (const f of files) {
        const mod = (await import(path.join(__dirname, f))) as { run?: () => Promise<void> };
        if (typeof mod.run !== "function") {
            continue;
        }
        console.log(`\n=== bench/${f} ===`);
        await mod.run();
    }
}

main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
});
