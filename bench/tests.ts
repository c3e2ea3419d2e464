import { spawnSync } from "child_process";
import * as path from "path";
import { performance } from "perf_hooks";

/**
 * `npm test`'s wall time on this machine (type-check, then every spec in parallel workers), one
 * run, with the spec count mocha reports. A benchmark: it reports, it asserts nothing.
 */
export async function run(): Promise<void> {
    const root = path.join(__dirname, "..");
    const npm = process.platform === "win32" ? "npm.cmd" : "npm";
    for (const script of ["typecheck", "test:unit"]) {
        const t0 = performance.now();
        const r = spawnSync(npm, ["run", "-s", script], { cwd: root, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
        const s = (performance.now() - t0) / 1000;
        const passing = /(\d+) passing/.exec(r.stdout)?.[1];
        console.log(`npm run ${script}: ${s.toFixed(1)} s, exit ${r.status}${passing ? `, ${passing} passing` : ""}`);
    }
}
