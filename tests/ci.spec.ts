import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { readStackFile } from "../lib/config/load";
import { runProgram } from "../lib/plan/recorder";

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

    it("main deploys dev, then prod behind the prod environment: each platform stack from the runner, then its workloads stack from inside the VPC", () => {
        const wf = yamlOf(".github/workflows/deploy.yml");
        assert.deepStrictEqual(wf.on.push.branches, ["main"]);
        assert.strictEqual(wf.concurrency["cancel-in-progress"], false, "a running update is never cancelled");
        const jobs = wf.jobs;
        assert.deepStrictEqual(Object.keys(jobs), ["test", "up-dev", "workloads-dev", "up-prod", "workloads-prod"]);
        assert.strictEqual(jobs["up-dev"].needs, "test");
        assert.strictEqual(jobs["workloads-dev"].needs, "up-dev");
        assert.strictEqual(jobs["up-prod"].needs, "workloads-dev", "prod only after dev (both halves) succeeded");
        assert.strictEqual(jobs["workloads-prod"].needs, "up-prod");
        assert.strictEqual(jobs["up-prod"].environment, "prod", "reviewers approve prod");
        for (const stack of ["dev", "prod"]) {
            const [up] = stepsUsing(jobs[`up-${stack}`].steps, "./.github/actions/pulumi-up");
            assert.strictEqual(up.with.stack, stack);
            assert.match(up.with["role-to-assume"], new RegExp(`AWS_DEPLOY_ROLE_${stack}`));
            const [wl] = stepsUsing(jobs[`workloads-${stack}`].steps, "./.github/actions/run-deployer");
            assert.strictEqual(wl.with.stack, stack, "the deployer of that platform stack");
        }
        const action = yamlOf(".github/actions/pulumi-up/action.yml");
        assert.strictEqual(action.runs.using, "composite");
        const [pulumi] = stepsUsing(action.runs.steps, "pulumi/actions@");
        assert.strictEqual(pulumi.with.command, "up");
        assert.strictEqual(pulumi.with["stack-name"], "${{ inputs.stack }}");
        assert.strictEqual(pulumi.with.policyPacks, "policies");
        assert.ok(action.runs.steps.every((s: any) => s.uses || s.shell), "composite run steps declare their shell");
    });

    it("no GitHub-hosted runner runs pulumi against a workloads stack: the deployer action starts the in-VPC build", () => {
        for (const f of [".github/workflows/deploy.yml", ".github/workflows/preview.yml", ".github/actions/pulumi-up/action.yml", ".github/actions/run-deployer/action.yml"]) {
            const text = fs.readFileSync(path.join(ROOT, f), "utf8");
            assert.ok(!/stack-name:\s*\S*workloads/.test(text) && !/pulumi (up|preview)[^\n]*workloads/.test(text), f);
        }
        const action = yamlOf(".github/actions/run-deployer/action.yml");
        assert.ok(action.runs.steps.some((s: any) => s.run === 'scripts/run-deployer.sh "${{ inputs.stack }}"' && s.shell === "bash"));
        const buildspec = parse(fs.readFileSync(path.join(ROOT, "components/flink-eks/deployer-buildspec.yml"), "utf8"));
        assert.deepStrictEqual(buildspec.phases.build.commands, [
            'pulumi stack select --create --stack "${WORKLOADS_STACK}"',
            'pulumi up --yes --stack "${WORKLOADS_STACK}" --policy-pack policies',
        ]);
        assert.ok(buildspec.phases.install.commands.includes("source .ci/use-node"), "the build runs on the .nvmrc Node, like CI");
    });

    it("the deployer script reads exactly the flinkEks.deployer output the platform stack exports", async () => {
        const script = fs.readFileSync(path.join(ROOT, "scripts/run-deployer.sh"), "utf8");
        const read = [...script.matchAll(/jq -r '\.deployer\.(\w+)'/g)].map((m) => m[1]).sort();
        const run = await runProgram("prod");
        const deployer = (run.outputs.flinkEks as { deployer: Record<string, unknown> }).deployer;
        assert.deepStrictEqual(read, Object.keys(deployer).sort());
        assert.match(script, /jq -r '\.region'/);
        assert.strictEqual(deployer.workloadsStack, "organization/awsarch/prod-workloads");
        assert.strictEqual(readStackFile("prod-workloads")["awsarch:platformStack"], "organization/awsarch/prod", "the workloads stack reads the stack that names it");
    });
});

describe("scripts/run-deployer.sh against stub pulumi and aws CLIs", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { spawnSync } = require("child_process") as typeof import("child_process");
    const os = require("os") as typeof import("os");

    function runWith(buildStatus: string): { status: number | null; calls: string[]; output: string } {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "deployer-"));
        const log = path.join(dir, "calls.log");
        const out = JSON.stringify({
            region: "us-west-2",
            kubeconfig: "[secret]",
            deployer: { projectName: "flink-prod-workloads", sourceBucket: "src-bucket", sourceKey: "source/awsarch.zip", tokenSecretArn: "arn:secret", workloadsStack: "organization/awsarch/prod-workloads" },
        });
        fs.writeFileSync(path.join(dir, "pulumi"), `#!/usr/bin/env bash\necho "pulumi $*" >> ${log}\necho '${out}'\n`, { mode: 0o755 });
        fs.writeFileSync(
            path.join(dir, "aws"),
            `#!/usr/bin/env bash
echo "aws AWS_REGION=$AWS_REGION $*" >> ${log}
case "$1 $2" in
  "s3api put-object") echo "v123" ;;
  "codebuild start-build") echo "build:1" ;;
  "codebuild batch-get-builds") echo "${buildStatus}" ;;
esac
`,
            { mode: 0o755 },
        );
        const r = spawnSync("bash", [path.join(ROOT, "scripts/run-deployer.sh"), "prod"], {
            cwd: ROOT,
            encoding: "utf8",
            env: { ...process.env, PATH: `${dir}:${process.env.PATH}`, PULUMI_ACCESS_TOKEN: "tok" },
        });
        return { status: r.status, calls: fs.existsSync(log) ? fs.readFileSync(log, "utf8").trim().split("\n") : [], output: `${r.stdout}${r.stderr}` };
    }

    it("uploads the checkout, refreshes the token, starts the build on that object version and waits for success", () => {
        const r = runWith("SUCCEEDED");
        assert.strictEqual(r.status, 0, r.output);
        assert.deepStrictEqual(
            r.calls.map((c) => c.replace(/--body \S+/, "--body ARCHIVE")),
            [
                "pulumi stack output --stack prod flinkEks --json --show-secrets",
                "aws AWS_REGION=us-west-2 s3api put-object --bucket src-bucket --key source/awsarch.zip --body ARCHIVE --query VersionId --output text",
                "aws AWS_REGION=us-west-2 secretsmanager put-secret-value --secret-id arn:secret --secret-string tok",
                "aws AWS_REGION=us-west-2 codebuild start-build --project-name flink-prod-workloads --source-version v123 --query build.id --output text",
                "aws AWS_REGION=us-west-2 codebuild batch-get-builds --ids build:1 --query builds[0].buildStatus --output text",
            ],
        );
        assert.ok(!r.output.includes("[secret]"), "prints no part of the output");
    });

    it("fails when the build fails", () => {
        const r = runWith("FAILED");
        assert.strictEqual(r.status, 1);
        assert.match(r.output, /build build:1 ended FAILED/);
    });
});

describe("pull-request review workflows", () => {
    it("review plans every stack against the base branch with no credentials and uploads the markdown", () => {
        const wf = yamlOf(".github/workflows/review.yml");
        assert.ok("pull_request" in wf.on);
        assert.deepStrictEqual(wf.permissions, { contents: "read" }, "read-only: runs for forks");
        const steps = wf.jobs.review.steps;
        assert.strictEqual(stepsUsing(steps, "actions/checkout@")[0].with["fetch-depth"], 0, "the base ref must be there");
        assert.ok(!JSON.stringify(wf).includes("secrets."), "no secrets");
        assert.ok(!stepsUsing(steps, "aws-actions/").length && !stepsUsing(steps, "pulumi/actions").length);
        const planStep = steps.find((s: any) => typeof s.run === "string" && s.run.includes("npm run plan"));
        for (const stack of ["dev", "prod", "dev-workloads", "prod-workloads"]) {
            assert.ok(planStep.run.includes(stack), stack);
        }
        assert.match(planStep.run, /--base "origin\/\$\{\{ github\.base_ref \}\}"/);
        assert.ok(steps.some((s: any) => s.run === "test ! -s plan/failed.txt"), "config errors and mandatory violations still fail");
        assert.strictEqual(stepsUsing(steps, "actions/upload-artifact@")[0].with.path, "plan/");
    });

    it("review-comment posts each stack's review as one comment it finds again by the review marker", () => {
        const wf = yamlOf(".github/workflows/review-comment.yml");
        assert.deepStrictEqual(wf.on.workflow_run, { workflows: ["review"], types: ["completed"] });
        assert.strictEqual(wf.permissions["pull-requests"], "write");
        const script = stepsUsing(wf.jobs.comment.steps, "actions/github-script@")[0].with.script as string;
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { reviewMarker } = require("../lib/plan/review");
        assert.ok(script.includes("`<!-- awsarch-review:${stack} -->`") && reviewMarker("prod") === "<!-- awsarch-review:prod -->");
        assert.ok(script.includes("updateComment") && script.includes("createComment"));
        assert.ok(!stepsUsing(wf.jobs.comment.steps, "actions/checkout@").length, "runs none of the PR's code");
    });
});
