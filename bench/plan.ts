import { spawnSync } from "child_process";
import * as path from "path";
import { performance } from "perf_hooks";
import { readStackFile } from "../lib/config/load";
import { simulateAccess } from "../lib/plan/access";
import { runPolicies } from "../lib/plan/policy-runner";
import { runProgram } from "../lib/plan/recorder";
import { explainGrant } from "../lib/plan/wirings";

/**
 * The offline plan's cost on this machine: `npm run plan -- <stack>` as a user runs it (a fresh
 * process: ts-node start, the program under the recording mock, the policy pack, the access
 * simulation, the report), the median of three, and the in-process phases of one warm run.
 */
export async function run(): Promise<void> {
    const root = path.join(__dirname, "..");
    for (const stack of ["dev", "prod"]) {
        const walls: number[] = [];
        for (let i = 0; i < 3; i++) {
            const t0 = performance.now();
            const r = spawnSync(process.execPath, [require.resolve("ts-node/dist/bin"), "--transpile-only", "lib/plan/cli.ts", stack], { cwd: root, encoding: "utf8" });
            walls.push(performance.now() - t0);
            if (r.status !== 0) {
                console.log(`plan ${stack} exited ${r.status}: ${r.stdout.slice(-400)}${r.stderr.slice(-400)}`);
            }
        }
        walls.sort((a, b) => a - b);
        console.log(`npm run plan -- ${stack}: median ${(walls[1] / 1000).toFixed(2)} s (runs: ${walls.map((w) => (w / 1000).toFixed(2)).join(", ")})`);
    }
    for (const stack of ["prod"]) {
        await runProgram(stack); // warm the module and bundle caches
        const t0 = performance.now();
        const recorded = await runProgram(stack, readStackFile(stack)); // a config of its own: not the cached run
        const t1 = performance.now();
        await runPolicies(recorded, {});
        const t2 = performance.now();
        simulateAccess(recorded, explainGrant);
        const t3 = performance.now();
        console.log(`${stack} phases (warm, in-process): program ${(t1 - t0).toFixed(0)} ms, policies ${(t2 - t1).toFixed(0)} ms, access simulation ${(t3 - t2).toFixed(0)} ms (${recorded.resources.length} resources)`);
    }
}
