import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ConfigError, readStackFile } from "../lib/config/load";
import { ProgramRun, runConcern, withConfig } from "../lib/plan/recorder";
import { PRIVILEGED_REASON } from "../components/container-pipelines";
import { asList, byName, concernResources, json, ofType, runBuildspec, statements } from "./helpers";

/* eslint-disable @typescript-eslint/no-explicit-any */

const KEY = "awsarch:containerPipelines";
const PIPELINE = "aws:codepipeline/pipeline:Pipeline";
const PROJECT = "aws:codebuild/project:Project";
const FUNCTION = "aws:lambda/function:Function";
const IMAGE = (account: string) => `${account}.dkr.ecr.us-east-1.amazonaws.com/container-app:1.0.0`;

const concern = (run: ProgramRun) => concernResources(run, "containerPipelines");

describe("container-image Lambda pipelines (concern 4)", () => {
    for (const stack of ["dev", "prod"] as const) {
        for (const withImage of [false, true]) {
            describe(`${stack} stack, ${withImage ? "with" : "without"} function.imageUri`, () => {
                let run: ProgramRun;
                let raw: Record<string, unknown>;
                let cfg: any;
                let accountId: string;
                before(async () => {
                    const base = readStackFile(stack);
                    accountId = (base["awsarch:accounts"] as any)[(base[KEY] as any).account].id;
                    raw = withConfig(base, "containerPipelines", (c) => ({
                        ...c,
                        function: { ...c.function, imageUri: withImage ? IMAGE(accountId) : undefined },
                    }));
                    cfg = {
                        buildPipelineName: "lambda-container-image-deployment-pipeline",
                        deployPipelineName: "lambda-container-function-deployment-pipeline",
                        imageTagFrom: "versionFile",
                        ...(raw[KEY] as object),
                    };
                    run = await runConcern(stack, "containerPipelines", raw);
                });
                const p1 = () => byName(run, "container-pipelines-build-pipeline", PIPELINE);
                const p2 = () => byName(run, "container-pipelines-deploy-pipeline", PIPELINE);
                const key = () => byName(run, "container-pipelines-key");
                const fnName = () => cfg.function?.name ?? "container-app";
                const fnArn = () => `arn:aws:lambda:us-east-1:${accountId}:function:${fnName()}`;

                it("everything lives in the configured account and Region", () => {
                    for (const r of concern(run).filter((x) => x.custom)) {
                        assert.strictEqual(r.region, cfg.region ?? "us-east-1", r.name);
                        assert.strictEqual(r.accountId, accountId, r.name);
                    }
                });

                it("ECR: scan on push, immutable tags, KMS, lifecycle policy; protected in prod", () => {
                    const repo = byName(run, "container-pipelines-repository");
                    assert.strictEqual(repo.inputs.name, cfg.repositoryName);
                    assert.strictEqual(repo.inputs.imageTagMutability, "IMMUTABLE");
                    assert.deepStrictEqual(repo.inputs.imageScanningConfiguration, { scanOnPush: true });
                    assert.deepStrictEqual(repo.inputs.encryptionConfigurations, [{ encryptionType: "KMS", kmsKey: key().state.arn }]);
                    assert.strictEqual(repo.protect, stack === "prod");
                    const rules = json(byName(run, "container-pipelines-repository-lifecycle").inputs.policy).rules;
                    assert.deepStrictEqual(rules.map((r: any) => r.selection.tagStatus), ["untagged", "any"]);
                    assert.ok(rules.every((r: any) => r.action.type === "expire"));
                    assert.strictEqual(rules[1].selection.countType, "imageCountMoreThan");
                    const [pull] = statements(byName(run, "container-pipelines-repository-policy").inputs.policy);
                    assert.deepStrictEqual(pull.Principal, { Service: "lambda.amazonaws.com" });
                    assert.deepStrictEqual(pull.Condition, { ArnLike: { "aws:sourceArn": [fnArn(), `${fnArn()}:*`] } }, "the function and its versions only");
                });

                it("only the image build is privileged, and it says why", () => {
                    const projects = concern(run).filter((r) => r.type === PROJECT);
                    const privileged = projects.filter((p) => p.inputs.environment.privilegedMode === true);
                    assert.deepStrictEqual(privileged.map((p) => p.name), ["container-pipelines-image-build"]);
                    assert.strictEqual(privileged[0].inputs.tags["privileged-reason"], PRIVILEGED_REASON);
                    for (const p of projects) {
                        assert.strictEqual(p.inputs.encryptionKey, key().state.arn, p.name);
                        assert.strictEqual(p.inputs.logsConfig.cloudwatchLogs.status, "ENABLED", p.name);
                    }
                    const env = Object.fromEntries(privileged[0].inputs.environment.environmentVariables.map((v: any) => [v.name, v.value]));
                    assert.strictEqual(env.IMAGE_TAG_FROM, cfg.imageTagFrom);
                    assert.strictEqual(env.REPOSITORY_URI, `${accountId}.dkr.ecr.us-east-1.amazonaws.com/${cfg.repositoryName}`);
                    assert.strictEqual(privileged[0].inputs.source.buildspec, "buildspec.yml");
                });

                it("pipeline 1 builds from the configured source and passes the commit ID to the build", () => {
                    const [source, build] = (p1().inputs.stages as any[]).map((s) => s.actions[0]);
                    if (cfg.source.type === "codeCommit") {
                        assert.strictEqual(source.provider, "CodeCommit");
                        assert.strictEqual(source.configuration.RepositoryName, cfg.source.repositoryName);
                        assert.strictEqual(byName(run, "container-pipelines-source").protect, stack === "prod");
                        const start = byName(run, "container-pipelines-on-commit-target");
                        assert.strictEqual(start.inputs.arn, p1().state.arn);
                    } else {
                        assert.strictEqual(source.provider, "CodeStarSourceConnection");
                        assert.strictEqual(source.configuration.FullRepositoryId, cfg.source.fullRepositoryId);
                        assert.strictEqual(source.configuration.DetectChanges, "true");
                        assert.strictEqual(source.configuration.ConnectionArn, byName(run, "container-pipelines-source").state.arn);
                    }
                    assert.strictEqual(source.namespace, "SourceVariables");
                    assert.strictEqual(build.configuration.ProjectName, byName(run, "container-pipelines-image-build").inputs.name);
                    assert.deepStrictEqual(JSON.parse(build.configuration.EnvironmentVariables), [
                        { name: "COMMIT_ID", value: "#{SourceVariables.CommitId}", type: "PLAINTEXT" },
                    ]);
                });

                it("pipeline 2 never starts on a commit: only pipeline 1's success starts it", () => {
                    const [source, deploy] = (p2().inputs.stages as any[]).map((s) => s.actions[0]);
                    if (source.provider === "CodeCommit") {
                        assert.strictEqual(source.configuration.PollForSourceChanges, "false");
                    } else {
                        assert.strictEqual(source.configuration.DetectChanges, "false");
                    }
                    assert.strictEqual(deploy.configuration.ProjectName, byName(run, "container-pipelines-function-update").inputs.name);
                    const targets = ofType(run, "aws:cloudwatch/eventTarget:EventTarget").filter((t) => t.inputs.arn === p2().state.arn);
                    assert.deepStrictEqual(targets.map((t) => t.name), ["container-pipelines-on-image-pushed-target"]);
                });

                it("the EventBridge rule matches pipeline 1 SUCCEEDED and targets pipeline 2 with a role that can only start it", () => {
                    const rule = byName(run, "container-pipelines-on-image-pushed");
                    const pattern = json(rule.inputs.eventPattern);
                    assert.deepStrictEqual(pattern, {
                        source: ["aws.codepipeline"],
                        "detail-type": ["CodePipeline Pipeline Execution State Change"],
                        resources: [p1().state.arn],
                        detail: { pipeline: [cfg.buildPipelineName], state: ["SUCCEEDED"] },
                    });
                    assert.strictEqual(rule.region, "us-east-1");
                    const target = byName(run, "container-pipelines-on-image-pushed-target");
                    assert.strictEqual(target.inputs.rule, rule.state.name);
                    assert.strictEqual(target.inputs.arn, p2().state.arn);
                    assert.strictEqual(p2().state.arn, `arn:aws:codepipeline:us-east-1:${accountId}:${cfg.deployPipelineName}`);
                    const role = byName(run, "container-pipelines-on-image-pushed-role");
                    assert.strictEqual(target.inputs.roleArn, role.state.arn);
                    const [trust] = statements(role.inputs.assumeRolePolicy);
                    assert.deepStrictEqual(trust.Principal, { Service: "events.amazonaws.com" });
                    const st = statements(byName(run, "container-pipelines-on-image-pushed-role-policy").inputs.policy);
                    assert.deepStrictEqual(st, [
                        { Sid: "StartOnlyThisPipeline", Effect: "Allow", Action: "codepipeline:StartPipelineExecution", Resource: p2().state.arn },
                    ]);
                });

                it("pipeline 2's CodeBuild role can update only this function and read only this repository", () => {
                    const st = statements(byName(run, "container-pipelines-function-update-role-policy").inputs.policy);
                    const lambda = st.filter((s) => asList(s.Action).some((a: string) => a.startsWith("lambda:")));
                    assert.strictEqual(lambda.length, 1);
                    assert.strictEqual(lambda[0].Resource, fnArn());
                    assert.ok(asList(lambda[0].Action).includes("lambda:UpdateFunctionCode"));
                    const ecr = st.find((s) => asList(s.Action).includes("ecr:DescribeImages"));
                    assert.strictEqual(ecr.Resource, `arn:aws:ecr:us-east-1:${accountId}:repository/${cfg.repositoryName}`);
                    assert.ok(st.every((s) => !asList(s.Resource).includes("*")), "no * resources");
                    assert.ok(st.every((s) => !asList(s.Action).some((a: string) => a.includes("*"))), "no * actions");
                    assert.strictEqual(byName(run, "container-pipelines-function-update").inputs.environment.privilegedMode, false);
                });

                it("the image build role pushes only to this repository (ECR login is the only * resource)", () => {
                    const st = statements(byName(run, "container-pipelines-image-build-role-policy").inputs.policy);
                    const star = st.filter((s) => asList(s.Resource).includes("*"));
                    assert.deepStrictEqual(star.map((s) => s.Action), ["ecr:GetAuthorizationToken"]);
                    const push = st.find((s) => asList(s.Action).includes("ecr:PutImage"));
                    assert.strictEqual(push.Resource, `arn:aws:ecr:us-east-1:${accountId}:repository/${cfg.repositoryName}`);
                });

                it("both pipelines store artifacts in the encrypted, versioned, TLS-only bucket", () => {
                    for (const p of [p1(), p2()]) {
                        const [store] = p.inputs.artifactStores;
                        assert.deepStrictEqual(store.encryptionKey, { type: "KMS", id: key().state.arn });
                    }
                    assert.strictEqual(byName(run, "container-pipelines-artifacts-sse").inputs.rules[0].applyServerSideEncryptionByDefault.sseAlgorithm, "aws:kms");
                    assert.strictEqual(byName(run, "container-pipelines-artifacts-versioning").inputs.versioningConfiguration.status, "Enabled");
                    const [deny] = statements(byName(run, "container-pipelines-artifacts-policy").inputs.policy);
                    assert.deepStrictEqual(deny.Condition, { Bool: { "aws:SecureTransport": "false" } });
                    for (const lg of concern(run).filter((r) => r.type === "aws:cloudwatch/logGroup:LogGroup")) {
                        assert.ok(lg.inputs.retentionInDays > 0, lg.name);
                        assert.strictEqual(lg.inputs.kmsKeyId, key().state.arn, lg.name);
                    }
                });

                if (withImage) {
                    it("creates the image function from imageUri, tracing Active, with log group and error alarm", () => {
                        const fn = byName(run, "container-pipelines-function", FUNCTION);
                        assert.strictEqual(fn.inputs.packageType, "Image");
                        assert.strictEqual(fn.inputs.imageUri, IMAGE(accountId));
                        assert.strictEqual(fn.inputs.name, fnName());
                        assert.deepStrictEqual(fn.inputs.tracingConfig, { mode: "Active" });
                        assert.strictEqual(byName(run, "container-pipelines-function-logs").inputs.name, `/aws/lambda/${fnName()}`);
                        const alarm = byName(run, "container-pipelines-function-errors");
                        assert.deepStrictEqual(alarm.inputs.dimensions, { FunctionName: fnName() });
                        assert.deepStrictEqual(alarm.inputs.alarmActions, [byName(run, "container-pipelines-alarms").state.arn]);
                        assert.strictEqual((run.outputs.containerPipelines as any).functionArn, fnArn());
                    });
                    it("does not fight pipeline 2 over the image (ignoreChanges imageUri)", () => {
                        assert.deepStrictEqual(byName(run, "container-pipelines-function", FUNCTION).ignoreChanges, ["imageUri"]);
                    });
                    it("waits for the repository and its policy (CreateFunction pulls the image with that grant)", () => {
                        const deps = byName(run, "container-pipelines-function", FUNCTION).dependencies;
                        assert.ok(deps.includes(byName(run, "container-pipelines-repository").urn), "repository");
                        assert.ok(deps.includes(byName(run, "container-pipelines-repository-policy").urn), "repository policy");
                    });
                } else {
                    it("creates no function before an image exists (first deploy does not fail)", () => {
                        assert.strictEqual(concern(run).filter((r) => r.type === FUNCTION).length, 0);
                        assert.strictEqual((run.outputs.containerPipelines as any).functionArn, undefined);
                        // The pipelines exist already, ready to build the first image.
                        assert.ok(p1() && p2());
                    });
                }
            });
        }
    }

    describe("the stacks as configured", () => {
        it("both stacks deploy from nothing: no imageUri of the repository they create (dev CodeCommit, prod GitHub connection)", () => {
            const dev = readStackFile("dev")[KEY] as any;
            const prod = readStackFile("prod")[KEY] as any;
            assert.strictEqual(dev.function.imageUri, undefined);
            assert.strictEqual(dev.source.type, "codeCommit");
            assert.strictEqual(prod.function.imageUri, undefined, "CreateFunction would find no image in the repository the same up creates");
            assert.strictEqual(prod.source.type, "codeStarConnection");
        });
    });

    describe("config validation", () => {
        it("rejects an image from another Region, equal pipeline names and a bad repository name, with key paths", async () => {
            const raw = withConfig(readStackFile("dev"), "containerPipelines", (c) => ({
                ...c,
                repositoryName: "Container_App",
                deployPipelineName: c.buildPipelineName ?? "lambda-container-image-deployment-pipeline",
                buildPipelineName: "lambda-container-image-deployment-pipeline",
                function: { name: "container-app", imageUri: "111111111111.dkr.ecr.eu-west-1.amazonaws.com/container-app:1.0.0" },
            }));
            try {
                await runConcern("dev", "containerPipelines", raw);
                assert.fail("expected a ConfigError");
            } catch (err) {
                assert.ok(err instanceof ConfigError, String(err));
                const paths = err.problems.map((p) => p.path);
                assert.ok(paths.includes("containerPipelines.function.imageUri"), JSON.stringify(err.problems));
                assert.ok(paths.includes("containerPipelines.deployPipelineName"), JSON.stringify(err.problems));
                assert.ok(paths.includes("containerPipelines.repositoryName"), JSON.stringify(err.problems));
                assert.strictEqual((err as any).registeredResources, 0);
            }
        });
    });

    describe("example app and buildspecs", () => {
        const root = path.join(__dirname, "..");
        it("the example Dockerfile builds on the Lambda Node.js 22 base image", () => {
            const dockerfile = fs.readFileSync(path.join(root, "examples/container-app/Dockerfile"), "utf8");
            assert.match(dockerfile, /^FROM public\.ecr\.aws\/lambda\/nodejs:22$/m);
            assert.match(dockerfile, /CMD \[ "app\.handler" \]/);
            assert.match(fs.readFileSync(path.join(root, "examples/container-app/VERSION"), "utf8"), /^\d+\.\d+\.\d+\s*$/);
        });
        it("the example handler answers with the VERSION baked next to it (as the Dockerfile copies both into LAMBDA_TASK_ROOT)", async () => {
            const task = fs.mkdtempSync(path.join(os.tmpdir(), "task-root-"));
            try {
                fs.copyFileSync(path.join(root, "examples/container-app/src/app.js"), path.join(task, "app.js"));
                fs.copyFileSync(path.join(root, "examples/container-app/VERSION"), path.join(task, "VERSION"));
                const app = require(path.join(task, "app.js"));
                const res = await app.handler({ ping: 1 });
                assert.strictEqual(res.statusCode, 200);
                const body = JSON.parse(res.body);
                assert.strictEqual(body.version, fs.readFileSync(path.join(root, "examples/container-app/VERSION"), "utf8").trim());
                assert.deepStrictEqual(body.input, { ping: 1 });
            } finally {
                fs.rmSync(task, { recursive: true, force: true });
            }
        });

        describe("buildspecs run as CodeBuild runs them, against stub aws and docker CLIs", () => {
            const URI = "111111111111.dkr.ecr.us-east-1.amazonaws.com/container-app";
            let work: string;
            let bin: string;
            let log: string;
            const calls = () => fs.readFileSync(log, "utf8").split("\n").filter(Boolean);
            beforeEach(() => {
                work = fs.mkdtempSync(path.join(os.tmpdir(), "codebuild-"));
                bin = path.join(work, "bin");
                log = path.join(work, "calls.log");
                fs.mkdirSync(bin);
                fs.writeFileSync(log, "");
                // aws: ECR tag lookups and Lambda calls answer from STUB_* variables; everything is logged
                fs.writeFileSync(
                    path.join(bin, "aws"),
                    [
                        "#!/bin/bash",
                        'echo "aws $*" >> "$STUB_LOG"',
                        'case "$1 $2" in',
                        '  "ecr get-login-password") echo token ;;',
                        '  "ecr describe-images") if [[ "$*" == *imageTag=* ]]; then [ "${STUB_TAG_EXISTS:-0}" = 1 ]; exit $?; else echo "${STUB_LATEST_TAG:-None}"; fi ;;',
                        '  "lambda get-function-configuration") if [[ "$*" == *--query* ]]; then echo \'{"state":"Active"}\'; else [ "${STUB_FUNCTION_EXISTS:-0}" = 1 ]; exit $?; fi ;;',
                        "esac",
                        "exit 0",
                    ].join("\n"),
                    { mode: 0o755 },
                );
                fs.writeFileSync(path.join(bin, "docker"), '#!/bin/bash\necho "docker $*" >> "$STUB_LOG"\ncat > /dev/null\n', { mode: 0o755 });
            });
            afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

            const pipeline1 = (env: Record<string, string>) => {
                const src = path.join(work, "src");
                fs.mkdirSync(src, { recursive: true });
                fs.writeFileSync(path.join(src, "VERSION"), "1.4.2\n");
                const r = runBuildspec(
                    path.join(root, "examples/container-app/buildspec.yml"),
                    src,
                    { STUB_LOG: log, REPOSITORY_URI: URI, REPOSITORY_NAME: "container-app", AWS_REGION: "us-east-1", ...env },
                    bin,
                );
                return { r, src };
            };

            it("pipeline 1 tags from VERSION, logs in to the registry, builds, pushes and writes imageDetail.json", () => {
                const { r, src } = pipeline1({ IMAGE_TAG_FROM: "versionFile", COMMIT_ID: "0123456789abcdef" });
                assert.strictEqual(r.status, 0, r.output);
                const c = calls();
                assert.ok(c.includes("aws ecr describe-images --repository-name container-app --image-ids imageTag=1.4.2"), c.join("\n"));
                assert.ok(c.includes("docker login --username AWS --password-stdin 111111111111.dkr.ecr.us-east-1.amazonaws.com"), c.join("\n"));
                assert.ok(c.includes(`docker build --provenance=false -t ${URI}:1.4.2 .`), c.join("\n"));
                assert.strictEqual(c[c.length - 1], `docker push ${URI}:1.4.2`);
                assert.deepStrictEqual(JSON.parse(fs.readFileSync(path.join(src, "imageDetail.json"), "utf8")), { ImageURI: `${URI}:1.4.2` });
            });

            it("pipeline 1 tags from the first 12 characters of the commit when configured so", () => {
                const { r } = pipeline1({ IMAGE_TAG_FROM: "commit", COMMIT_ID: "0123456789abcdef" });
                assert.strictEqual(r.status, 0, r.output);
                assert.ok(calls().includes(`docker push ${URI}:0123456789ab`));
            });

            it("pipeline 1 stops before building when the tag already exists (immutable tags: bump VERSION)", () => {
                const { r } = pipeline1({ IMAGE_TAG_FROM: "versionFile", STUB_TAG_EXISTS: "1" });
                assert.notStrictEqual(r.status, 0);
                assert.match(r.output, /tag 1\.4\.2 already exists and tags are immutable: bump VERSION/);
                assert.ok(!calls().some((l) => l.startsWith("docker build") || l.startsWith("docker push")));
            });

            const pipeline2 = (env: Record<string, string>) =>
                runBuildspec(
                    path.join(root, "components/container-pipelines/deploy-buildspec.yml"),
                    work,
                    { STUB_LOG: log, REPOSITORY_URI: URI, REPOSITORY_NAME: "container-app", FUNCTION_NAME: "container-app-fn", ...env },
                    bin,
                );

            it("pipeline 2 moves the function onto the newest tagged image and waits for the update", () => {
                const r = pipeline2({ STUB_LATEST_TAG: "1.4.2", STUB_FUNCTION_EXISTS: "1" });
                assert.strictEqual(r.status, 0, r.output);
                const c = calls();
                assert.ok(c.includes(`aws lambda update-function-code --function-name container-app-fn --image-uri ${URI}:1.4.2 --publish`), c.join("\n"));
                assert.ok(c.indexOf("aws lambda wait function-updated-v2 --function-name container-app-fn") > c.findIndex((l) => l.includes("update-function-code")));
            });

            it("pipeline 2 fails with the config key to set when the function does not exist yet, and when no image is tagged", () => {
                const missing = pipeline2({ STUB_LATEST_TAG: "1.4.2", STUB_FUNCTION_EXISTS: "0" });
                assert.notStrictEqual(missing.status, 0);
                assert.match(missing.output, /set awsarch:containerPipelines\.function\.imageUri to 111111111111\.dkr\.ecr\.us-east-1\.amazonaws\.com\/container-app:1\.4\.2/);
                assert.ok(!calls().some((l) => l.includes("update-function-code")));
                const none = pipeline2({ STUB_FUNCTION_EXISTS: "1" });
                assert.notStrictEqual(none.status, 0);
                assert.match(none.output, /no tagged image in container-app yet/);
            });
        });

        it("pipeline 2's deploy project runs that buildspec with every variable it reads, unprivileged", async () => {
            const run = await runConcern("dev", "containerPipelines");
            const text = fs.readFileSync(path.join(root, "components/container-pipelines/deploy-buildspec.yml"), "utf8");
            const deploy = concern(run).filter((r) => r.type === PROJECT && r.inputs.source?.buildspec === text);
            assert.strictEqual(deploy.length, 1, "exactly one project embeds deploy-buildspec.yml");
            assert.strictEqual(deploy[0].inputs.environment.privilegedMode, false);
            const vars = deploy[0].inputs.environment.environmentVariables.map((v: any) => v.name).sort();
            const used = [...new Set([...text.matchAll(/\$([A-Z][A-Z_]+)/g)].map((m) => m[1]))].filter((v) => !["IMAGE_URI", "TAG"].includes(v)).sort();
            assert.deepStrictEqual(vars, used);
        });
    });
});
