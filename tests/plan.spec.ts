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
        // The access simulation judges the plan too (its exit code counts denied calls and unexplained grants).
        assert.deepStrictEqual([report.access.denied, report.access.excess], [[], []]);
        assert.ok(report.access.calls > 300 && report.access.explained.length > 0);
        assert.match(result.text, /^Access: \d+ stated calls simulated against \d+ policies \(\d+ statements\): 0 denied, 0 unexplained grant\(s\)/m);
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

    it("warns about first-deploy prerequisites: a trail for CloudTrail events, an image in the repository the stack creates; the exit code does not change", async () => {
        const dev = await plan("dev", { outDir });
        assert.strictEqual(dev.code, 0, dev.text);
        assert.deepStrictEqual(dev.report!.prerequisites!.map((p) => p.key), ["securityEvents.sources[0].trailLogging"]);
        assert.match(dev.text, /WARNING awsarch:securityEvents\.sources\[0\]\.trailLogging: the default bus of sandbox in us-east-1 receives CloudTrail API calls only while a trail logs management events/);
        const prodRaw = readStackFile("prod");
        const withImage = withConfig(prodRaw, "containerPipelines", (c) => ({ ...c, function: { ...c.function, imageUri: "333333333333.dkr.ecr.us-east-1.amazonaws.com/container-app:1.0.0" } }));
        const prod = await plan("prod", { config: withImage, outDir });
        assert.strictEqual(prod.code, 0, prod.text);
        assert.deepStrictEqual(prod.report!.prerequisites!.map((p) => p.key), ["containerPipelines.function.imageUri"]);
        assert.match(prod.text, /names container-app, the repository this stack creates: CreateFunction fails until pipeline 1 has pushed that image/);
    });

    it("the shipped stacks deploy from nothing: no prerequisite that needs an image pushed first", async () => {
        for (const stack of ["dev", "prod"]) {
            const { report } = await plan(stack, { outDir });
            assert.deepStrictEqual(report!.prerequisites!.filter((p) => /imageUri|imageTag/.test(p.key)), [], stack);
        }
    });
});
