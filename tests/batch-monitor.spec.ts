import { strict as assert } from "assert";
import { rateExpression } from "../components/batch-monitor";
import { readStackFile } from "../lib/config/load";
import { ProgramRun, runConcern, withConfig } from "../lib/plan/recorder";
import { byName, ofType, statements } from "./helpers";

/* eslint-disable @typescript-eslint/no-explicit-any */

const mine = (run: ProgramRun) => run.resources.filter((r) => r.urn.includes("batch-monitor"));

describe("batch-monitor (prod stack: two Regions)", () => {
    let run: ProgramRun;
    before(async () => {
        run = await runConcern("prod", "batchMonitor");
    });

    it("deploys one monitor per configured Region, each through that Region's provider", () => {
        const comps = ofType(run, "awsarch:batchMonitor:BatchStuckJobMonitor");
        assert.deepEqual(comps.map((c) => c.name).sort(), ["batch-monitor-us-east-1", "batch-monitor-us-west-2"]);
        for (const region of ["us-east-1", "us-west-2"]) {
            const topic = byName(run, `batch-monitor-${region}-topic`);
            assert.equal(topic.region, region);
            assert.equal(topic.accountId, "333333333333");
            assert.ok(topic.provider?.endsWith(`aws-workloadsUs-${region}`));
            assert.equal(byName(run, `batch-monitor-${region}-fn-fn`).region, region);
        }
        assert.ok(mine(run).filter((r) => r.custom).every((r) => r.provider));
    });

    it("encrypts the topic with a KMS key and subscribes the configured e-mail address", () => {
        const topic = byName(run, "batch-monitor-us-east-1-topic");
        assert.equal(topic.inputs.kmsMasterKeyId, byName(run, "batch-monitor-us-east-1-key").state.arn);
        const sub = byName(run, "batch-monitor-us-east-1-email");
        assert.equal(sub.inputs.protocol, "email");
        assert.equal(sub.inputs.endpoint, "batch-oncall@example.com");
        assert.equal(sub.inputs.topic, topic.state.arn);
    });

    it("schedules the function with rate(N minutes) and lets only that rule invoke it", () => {
        const rule = byName(run, "batch-monitor-us-west-2-schedule");
        assert.equal(rule.inputs.scheduleExpression, "rate(15 minutes)");
        const perm = byName(run, "batch-monitor-us-west-2-invoke");
        const fn = byName(run, "batch-monitor-us-west-2-fn-fn");
        assert.equal(perm.inputs.principal, "events.amazonaws.com");
        assert.equal(perm.inputs.sourceArn, rule.state.arn);
        assert.equal(perm.inputs.function, fn.state.name);
        const target = byName(run, "batch-monitor-us-west-2-target");
        assert.equal(target.inputs.arn, fn.state.arn);
        assert.equal(target.inputs.rule, rule.state.name);
        assert.equal(fn.inputs.environment.variables.THRESHOLD_MINUTES, "60");
        assert.equal(fn.inputs.environment.variables.TOPIC_ARN, byName(run, "batch-monitor-us-west-2-topic").state.arn);
    });

    it("gives the function a least-privilege role: Batch reads on * (no resource-level support), Publish on its topic, KMS on its key", () => {
        const policy = statements(byName(run, "batch-monitor-us-east-1-fn-policy").inputs.policy);
        const star = policy.filter((s) => s.Resource === "*");
        assert.deepEqual(
            star.map((s) => s.Action),
            [
                ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
                ["batch:DescribeJobQueues", "batch:ListJobs"],
            ],
        );
        const publish = policy.find((s) => s.Action === "sns:Publish");
        assert.equal(publish.Resource, byName(run, "batch-monitor-us-east-1-topic").state.arn);
        const kms = policy.find((s) => s.Sid === "EncryptForTopic");
        assert.equal(kms.Resource, byName(run, "batch-monitor-us-east-1-key").state.arn);
        assert.ok(policy.every((s) => typeof s.Action === "string" ? !s.Action.includes("*") : s.Action.every((a: string) => !a.includes("*"))));
    });

    it("has a log group with retention and the concern's CMK, Active tracing and an error alarm notifying the topic", () => {
        const fn = byName(run, "batch-monitor-us-east-1-fn-fn");
        assert.deepEqual(fn.inputs.tracingConfig, { mode: "Active" });
        const logs = byName(run, "batch-monitor-us-east-1-fn-logs");
        assert.equal(logs.inputs.retentionInDays, 365);
        assert.equal(logs.protect, true);
        const key = byName(run, "batch-monitor-us-east-1-key");
        assert.equal(logs.inputs.kmsKeyId, key.state.arn);
        const logsStmt = statements(key.inputs.policy).find((s) => s.Principal?.Service === "logs.us-east-1.amazonaws.com");
        assert.deepEqual(logsStmt?.Condition, {
            ArnEquals: { "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:us-east-1:333333333333:log-group:${logs.inputs.name}` },
        });
        const alarm = byName(run, "batch-monitor-us-east-1-fn-errors");
        assert.deepEqual(alarm.inputs.alarmActions, [byName(run, "batch-monitor-us-east-1-topic").state.arn]);
    });
});

describe("batch-monitor config", () => {
    it("defaults to us-east-1 and says `rate(1 minute)` for one minute", async () => {
        const raw = withConfig(readStackFile("dev"), "batchMonitor", (c) => ({ account: c.account, email: c.email, scheduleMinutes: 1 }));
        const run = await runConcern("dev", "batchMonitor", raw);
        assert.deepEqual(
            ofType(run, "awsarch:batchMonitor:BatchStuckJobMonitor").map((c) => c.name),
            ["batch-monitor-us-east-1"],
        );
        assert.equal(byName(run, "batch-monitor-us-east-1-schedule").inputs.scheduleExpression, "rate(1 minute)");
        assert.equal(rateExpression(5), "rate(5 minutes)");
    });

    it("rejects a malformed e-mail, a non-positive threshold and a repeated Region with their key paths", async () => {
        const raw = withConfig(readStackFile("dev"), "batchMonitor", (c) => ({
            ...c,
            email: "oncall-at-example",
            thresholdMinutes: 0,
            regions: ["us-east-1", "us-east-1"],
        }));
        await assert.rejects(runConcern("dev", "batchMonitor", raw), (err: any) => {
            assert.equal(err.name, "ConfigError");
            const paths = err.problems.map((p: any) => p.path);
            assert.ok(paths.includes("batchMonitor.email"), paths.join());
            assert.ok(paths.includes("batchMonitor.thresholdMinutes"), paths.join());
            assert.ok(paths.includes("batchMonitor.regions[1]"), paths.join());
            assert.equal(err.registeredResources, 0);
            return true;
        });
    });
});
