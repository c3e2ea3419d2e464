import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";

/* eslint-disable @typescript-eslint/no-explicit-any */

const ROOT = path.join(__dirname, "..");
const yamlOf = (file: string): any => parse(fs.readFileSync(path.join(ROOT, file), "utf8"));
const stepsUsing = (steps: any[], action: string) => steps.filter((s) => typeof s.uses === "string" && s.uses.startsWith(action));

describe("CI and delivery", () => {
    it(".ci/run installs from the lockfile and runs the README's test command", () => {
        const run = fs.readFileSync(path.join(ROOT, ".ci/run"), "utf8");
        const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
        assert.match(run, /^npm ci\b/m);
        assert.match(run, /^npm test$/m);
        assert.match(readme, /^npm ci\s/m);
        assert.match(readme, /^npm test\s/m);
        assert.ok(readme.indexOf("npm ci") < readme.indexOf("## Deploy"), "set-up commands come first");
    });

    it("pull requests preview dev and prod with the policy pack and comment on the PR", () => {
        const wf = yamlOf(".github/workflows/preview.yml");
        assert.ok(wf.on.pull_request);
        assert.strictEqual(wf.permissions["pull-requests"], "write");
        const job = wf.jobs.preview;
        assert.deepStrictEqual(job.strategy.matrix.stack, ["dev", "prod"]);
        const [pulumi] = stepsUsing(job.steps, "pulumi/actions@");
        assert.strictEqual(pulumi.with.command, "preview");
        assert.strictEqual(pulumi.with["comment-on-pr"], true);
        assert.strictEqual(pulumi.with.policyPacks, "policies");
        assert.ok(job.steps.some((s: any) => s.run === "npm ci" && s["working-directory"] === "policies"), "the pack's own dependencies");
    });

    it("main deploys dev first, then prod behind the prod environment, both with the policy pack", () => {
        const wf = yamlOf(".github/workflows/deploy.yml");
        assert.deepStrictEqual(wf.on.push.branches, ["main"]);
        assert.strictEqual(wf.concurrency["cancel-in-progress"], false, "a running update is never cancelled");
        const { test, "up-dev": dev, "up-prod": prod } = wf.jobs;
        assert.ok(test && dev && prod);
        assert.strictEqual(dev.needs, "test");
        assert.strictEqual(prod.needs, "up-dev", "prod only after dev succeeded");
        assert.strictEqual(prod.environment, "prod", "reviewers approve prod");
        for (const [job, stack] of [[dev, "dev"], [prod, "prod"]] as const) {
            const [up] = stepsUsing(job.steps, "./.github/actions/pulumi-up");
            assert.strictEqual(up.with.stack, stack);
            assert.match(up.with["role-to-assume"], new RegExp(`AWS_DEPLOY_ROLE_${stack}`));
        }
        const action = yamlOf(".github/actions/pulumi-up/action.yml");
        assert.strictEqual(action.runs.using, "composite");
        const [pulumi] = stepsUsing(action.runs.steps, "pulumi/actions@");
        assert.strictEqual(pulumi.with.command, "up");
        assert.strictEqual(pulumi.with["stack-name"], "${{ inputs.stack }}");
        assert.strictEqual(pulumi.with.policyPacks, "policies");
        assert.ok(action.runs.steps.every((s: any) => s.uses || s.shell), "composite run steps declare their shell");
    });
});
