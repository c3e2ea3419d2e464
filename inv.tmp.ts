import { runProgram } from "./lib/plan/recorder";
import { simulateAccess } from "./lib/plan/access";
import { explainGrant } from "./lib/plan/wirings";
(async () => {
  const run = await runProgram(process.argv[2] ?? "prod");
  const rep = simulateAccess(run, explainGrant);
  console.log(`policies ${rep.policies} statements ${rep.statements} calls ${rep.calls.length} denied ${rep.denied.length} excess ${rep.excess.length} explained ${rep.explained.length}`);
  for (const d of rep.denied) console.log("DENIED", JSON.stringify(d.call.principal), d.call.action, d.call.resource, "|", d.reason, "|", d.call.from);
  for (const e of rep.excess) console.log("EXCESS", e.role, e.sid ?? "", e.action, e.resource);
  for (const w of rep.wildcards) console.log("WILDCARD", w.role, w.pattern, w.actions);
  for (const n of rep.notSimulated) console.log("NOTSIM", n);
})();
