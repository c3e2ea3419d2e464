// Mocha settings. Specs run in parallel worker processes, one per CPU (at least two): each spec
// file is independent (the recording mock is set once per process), and whole-program runs are
// CPU-bound, so two cores halve the wall time. `npm run bench` measures it; tests do not time.
const os = require("os");

module.exports = {
    require: ["ts-node/register/transpile-only"],
    extension: ["ts"],
    timeout: 120000,
    reporter: "spec",
    parallel: true,
    jobs: Math.max(2, typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length),
};
