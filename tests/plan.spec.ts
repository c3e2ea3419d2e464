import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { readStackFile } from "../lib/config/load";
import { plan } from "../lib/plan/cli";
import { withConfig } from "../lib/plan/recorder";

describe("offline plan", () => {
    const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-"));

    it("renders prod grouped by Region and component, with counts, and writes JSON", async () => {
        const result = await plan("prod", { outDir });
        assert.strictEqual(result.code, 0, result.text);
        const report = JSON.parse(fs.readFileSync(path.join(outDir, "prod.json"), "utf8"));
        assert.strictEqual(report.config.valid, true);
        assert.ok(report.regions["ap-southeast-1"]["awsarch:securityEvents:SecurityEventHub security-hub"].length >= 8);
        assert.ok(report.totals.byRegion["eu-central-1"] > 0);
        const sum = Object.values(report.totals.byRegion as Record<string, number>).reduce((a, b) => a + b, 0);
        assert.strictEqual(sum, report.totals.resources);
        assert.match(result.text, /^ap-southeast-1 {2}\(\d+ resources\)$/m);
        assert.match(result.text, /\[protected\] aws:cloudwatch\/logGroup:LogGroup {2}security-hub-analysis-logs/);
    });

    it("exits 1 with the config errors when the config is invalid", async () => {
        const bad = withConfig(readStackFile("dev"), "owner", () => "");
        const result = await plan("dev", { config: bad, outDir });
        assert.strictEqual(result.code, 1);
        assert.match(result.text, /config INVALID/);
        assert.match(result.text, /awsarch:owner: must not be empty/);
        const report = JSON.parse(fs.readFileSync(path.join(outDir, "dev.json"), "utf8"));
        assert.deepStrictEqual(report.config, { valid: false, problems: [{ path: "owner", message: "must not be empty" }] });
    });
});
