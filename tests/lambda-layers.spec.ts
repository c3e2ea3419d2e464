import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { ConfigError, readStackFile } from "../lib/config/load";
import { ProgramRun, runConcern, withConfig } from "../lib/plan/recorder";
import { NPM_CI_ARGS, buildLayerArchive } from "../components/lambda-layers/build";
import { accountIdIn, asList, byName, concernResources, json, ofType, rejectedConfig, runBuildspec, statements } from "./helpers";

/* eslint-disable @typescript-eslint/no-explicit-any */

type LayersCfg = { account: string; regions: string[]; layerName: string; compatibleRuntimes: string[]; license: string; principal?: string; organizationId?: string; mode: string; pipeline?: any };
const KEY = "awsarch:lambdaLayers";
const LAYER = "aws:lambda/layerVersion:LayerVersion";
const PERMISSION = "aws:lambda/layerVersionPermission:LayerVersionPermission";
const PIPELINE = "aws:codepipeline/pipeline:Pipeline";

function cfgOf(raw: Record<string, unknown>): LayersCfg {
    return raw[KEY] as LayersCfg;
}
/** Resources of this concern (below the concern's component). */
const concern = (run: ProgramRun) => concernResources(run, "lambdaLayers");
const configError = (raw: Record<string, unknown>): Promise<ConfigError> => rejectedConfig("dev", raw);

describe("Lambda layers (concern 3)", () => {
    for (const stack of ["dev", "prod"] as const) {
        describe(`${stack} stack, direct mode`, () => {
            let run: ProgramRun;
            let raw: Record<string, unknown>;
            let cfg: LayersCfg;
            before(async () => {
                raw = withConfig(readStackFile(stack), "lambdaLayers", (c) => ({ ...c, mode: "direct" }));
                cfg = cfgOf(raw);
                run = await runConcern(stack, "lambdaLayers", raw);
            });

            it("publishes one layer version per configured Region through that Region's provider", () => {
                const versions = ofType(run, LAYER);
                assert.deepStrictEqual(versions.map((v) => v.region).sort(), [...cfg.regions].sort());
                const providers = ofType(run, "pulumi:providers:aws");
                for (const v of versions) {
                    const provider = providers.find((p) => p.urn === v.provider);
                    assert.ok(provider, `${v.name} has an explicit provider`);
                    assert.strictEqual(provider!.inputs.region, v.region, v.name);
                    assert.strictEqual(v.accountId, accountIdIn(raw, cfg.account), v.name);
                    assert.strictEqual(v.name, `lambda-layer-${v.region}`);
                }
            });

            it("each version has the layer name, compatible runtimes, license and keeps old versions", () => {
                for (const v of ofType(run, LAYER)) {
                    assert.strictEqual(v.inputs.layerName, cfg.layerName);
                    assert.deepStrictEqual(v.inputs.compatibleRuntimes, cfg.compatibleRuntimes);
                    assert.strictEqual(v.inputs.licenseInfo, cfg.license);
                    assert.strictEqual(v.inputs.skipDestroy, true);
                    assert.ok(v.inputs.code, "has the built archive");
                }
            });

            it("each version is shared with the configured principal in its own Region", () => {
                const perms = ofType(run, PERMISSION);
                assert.deepStrictEqual(perms.map((p) => p.region).sort(), [...cfg.regions].sort());
                for (const p of perms) {
                    const version = byName(run, `lambda-layer-${p.region}`, LAYER);
                    assert.strictEqual(p.provider, version.provider, p.name);
                    assert.strictEqual(p.inputs.layerName, cfg.layerName);
                    assert.strictEqual(p.inputs.versionNumber, Number(version.state.version));
                    assert.strictEqual(p.inputs.action, "lambda:GetLayerVersion");
                    assert.strictEqual(p.inputs.principal, cfg.principal ?? accountIdIn(raw, cfg.account));
                    assert.strictEqual(p.inputs.organizationId, cfg.organizationId);
                }
            });

            it("outputs the layer version ARN per Region", () => {
                const out = run.outputs.lambdaLayers as { mode: string; layerVersionArns: Record<string, string> };
                assert.strictEqual(out.mode, "direct");
                assert.deepStrictEqual(Object.keys(out.layerVersionArns).sort(), [...cfg.regions].sort());
                for (const r of cfg.regions) {
                    assert.strictEqual(out.layerVersionArns[r], `arn:aws:lambda:${r}:${accountIdIn(raw, cfg.account)}:layer:${cfg.layerName}:1`);
                }
            });

            it("creates no pipeline in direct mode", () => {
                const types = new Set(concern(run).map((r) => r.type));
                assert.deepStrictEqual([...types].sort(), ["awsarch:lambdaLayers:LayerDistribution", LAYER, PERMISSION].sort());
            });

            it("adding a Region publishes there too and changes nothing else", async () => {
                const more = await runConcern(stack, "lambdaLayers", withConfig(raw, "lambdaLayers", (c) => ({ ...c, regions: [...c.regions, "ap-southeast-2"] })));
                const before = new Map(run.resources.map((r) => [r.urn, JSON.stringify(r.inputs)]));
                const after = new Map(more.resources.map((r) => [r.urn, JSON.stringify(r.inputs)]));
                const added = [...after.keys()].filter((u) => !before.has(u));
                assert.deepStrictEqual(
                    added.map((u) => more.resources.find((r) => r.urn === u)!.name).sort(),
                    ["aws-" + cfg.account + "-ap-southeast-2", "lambda-layer-ap-southeast-2", "lambda-layer-ap-southeast-2-permission"]
                        .filter((n) => !run.resources.some((r) => r.name === n))
                        .sort(),
                );
                for (const [urn, inputs] of before) {
                    assert.strictEqual(after.get(urn), inputs, `unchanged: ${urn}`);
                }
                assert.strictEqual(byName(more, "lambda-layer-ap-southeast-2", LAYER).region, "ap-southeast-2");
            });
        });

        describe(`${stack} stack, pipeline mode`, () => {
            let run: ProgramRun;
            let raw: Record<string, unknown>;
            let cfg: LayersCfg;
            let accountId: string;
            before(async () => {
                raw = withConfig(readStackFile(stack), "lambdaLayers", (c) => ({ ...c, mode: "pipeline" }));
                cfg = cfgOf(raw);
                accountId = accountIdIn(raw, cfg.account);
                run = await runConcern(stack, "lambdaLayers", raw);
            });
            const pipelineRegion = () => cfg.pipeline?.region ?? "us-east-1";
            const pipeline = () => byName(run, "layer-pipeline-pipeline", PIPELINE);
            const stage = (name: string) => (pipeline().inputs.stages as any[]).find((s) => s.name === name);
            const distributorName = () => `${cfg.pipeline?.name ?? "LambdaLayerBuilderPipeline"}-distributor`;

            it("publishes no layer version itself: the pipeline does", () => {
                assert.strictEqual(ofType(run, LAYER).length, 0);
                assert.strictEqual(ofType(run, PERMISSION).length, 0);
            });

            it("has Source, Build and Distribute stages in the pipeline's Region", () => {
                assert.deepStrictEqual((pipeline().inputs.stages as any[]).map((s) => s.name), ["Source", "Build", "Distribute"]);
                assert.strictEqual(pipeline().region, pipelineRegion());
                const build = stage("Build").actions[0];
                assert.strictEqual(build.provider, "CodeBuild");
                assert.deepStrictEqual(build.outputArtifacts, ["layer_zip"]);
                assert.strictEqual(build.configuration.ProjectName, byName(run, "layer-pipeline-build").inputs.name);
            });

            it("Distribute has one parallel Lambda-invoke action per Region with that Region's user parameters", () => {
                const actions = stage("Distribute").actions as any[];
                assert.deepStrictEqual(actions.map((a) => a.name).sort(), cfg.regions.map((r) => `distribute-${r}`).sort());
                assert.deepStrictEqual([...new Set(actions.map((a) => a.runOrder))], [1], "same runOrder: parallel");
                for (const a of actions) {
                    assert.strictEqual(a.category, "Invoke");
                    assert.strictEqual(a.provider, "Lambda");
                    assert.deepStrictEqual(a.inputArtifacts, ["layer_zip"]);
                    assert.strictEqual(a.configuration.FunctionName, distributorName());
                    const params = JSON.parse(a.configuration.UserParameters);
                    assert.strictEqual(`distribute-${params.region}`, a.name);
                    assert.strictEqual(params.layerName, cfg.layerName);
                    assert.deepStrictEqual(params.runtimes, cfg.compatibleRuntimes);
                    assert.strictEqual(params.principal, cfg.principal ?? accountId);
                    assert.strictEqual(params.organizationId, cfg.organizationId);
                    assert.strictEqual(params.license, cfg.license);
                }
                assert.strictEqual(byName(run, "layer-pipeline-distributor").inputs.name, distributorName());
            });

            it("artifact store is encrypted with the concern's KMS key; the bucket is versioned, private and TLS-only", () => {
                const key = byName(run, "layer-pipeline-key");
                const [store] = pipeline().inputs.artifactStores as any[];
                assert.strictEqual(store.type, "S3");
                assert.deepStrictEqual(store.encryptionKey, { type: "KMS", id: key.state.arn });
                const sse = byName(run, "layer-pipeline-artifacts-sse").inputs.rules[0].applyServerSideEncryptionByDefault;
                assert.deepStrictEqual(sse, { sseAlgorithm: "aws:kms", kmsMasterKeyId: key.state.arn });
                assert.strictEqual(byName(run, "layer-pipeline-artifacts-versioning").inputs.versioningConfiguration.status, "Enabled");
                const pab = byName(run, "layer-pipeline-artifacts-public-access-block").inputs;
                for (const k of ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"]) {
                    assert.strictEqual(pab[k], true, k);
                }
                const [deny] = statements(byName(run, "layer-pipeline-artifacts-policy").inputs.policy);
                assert.strictEqual(deny.Effect, "Deny");
                assert.deepStrictEqual(deny.Condition, { Bool: { "aws:SecureTransport": "false" } });
                assert.strictEqual(byName(run, "layer-pipeline-build").inputs.encryptionKey, key.state.arn);
                assert.strictEqual(key.inputs.enableKeyRotation, true);
            });

            it("key and artifact bucket are protected only in prod", () => {
                assert.strictEqual(byName(run, "layer-pipeline-key").protect, stack === "prod");
                assert.strictEqual(byName(run, "layer-pipeline-artifacts").protect, stack === "prod");
            });

            it("the distributor can publish and share only this layer name, in the configured Regions", () => {
                const st = statements(byName(run, "layer-pipeline-distributor-role-policy").inputs.policy);
                // Each action on the resource type it acts on: PublishLayerVersion on the layer,
                // AddLayerVersionPermission on its versions (Service Authorization Reference).
                const lambdaSt = st.filter((s) => asList(s.Action).some((a: string) => a.startsWith("lambda:")));
                const grants = Object.fromEntries(lambdaSt.map((s) => [asList(s.Action).join(","), asList(s.Resource).sort()]));
                const layers = cfg.regions.map((r) => `arn:aws:lambda:${r}:${accountId}:layer:${cfg.layerName}`).sort();
                assert.deepStrictEqual(grants, { "lambda:PublishLayerVersion": layers, "lambda:AddLayerVersionPermission": layers.map((a) => `${a}:*`) });
                // "*" only where the service has no resource-level permissions.
                for (const s of st.filter((x) => asList(x.Resource).includes("*"))) {
                    for (const a of asList(s.Action) as string[]) {
                        assert.ok(["codepipeline:PutJobSuccessResult", "codepipeline:PutJobFailureResult", "xray:PutTraceSegments", "xray:PutTelemetryRecords"].includes(a), a);
                    }
                }
                for (const s of st) {
                    assert.ok(!asList(s.Action).some((a: string) => a.includes("*")), `no wildcard actions: ${JSON.stringify(s.Action)}`);
                }
                // It downloads with the job's artifactCredentials: no bucket or key access of its own.
                assert.ok(!st.some((s) => asList(s.Action).some((a: string) => a.startsWith("s3:") || a.startsWith("kms:Decrypt"))), JSON.stringify(st.map((s) => s.Action)));
            });

            it("the pipeline role invokes only the distributor and starts only its build project", () => {
                const st = statements(byName(run, "layer-pipeline-pipeline-role-policy").inputs.policy);
                const invoke = st.find((s) => asList(s.Action).includes("lambda:InvokeFunction"));
                assert.strictEqual(invoke.Resource, `arn:aws:lambda:${pipelineRegion()}:${accountId}:function:${distributorName()}`);
                const build = st.find((s) => asList(s.Action).includes("codebuild:StartBuild"));
                assert.strictEqual(build.Resource, byName(run, "layer-pipeline-build").state.arn);
                assert.ok(st.every((s) => !asList(s.Resource).includes("*")));
            });

            it("the distributor runs with tracing, a log group with retention and an error alarm", () => {
                const fn = byName(run, "layer-pipeline-distributor");
                assert.deepStrictEqual(fn.inputs.tracingConfig, { mode: "Active" });
                assert.strictEqual(fn.inputs.handler, "index.handler");
                assert.match(fn.inputs.runtime, /^nodejs2\d\.x$/);
                const lg = byName(run, "layer-pipeline-distributor-logs");
                assert.strictEqual(lg.inputs.name, `/aws/lambda/${distributorName()}`);
                assert.strictEqual(lg.inputs.retentionInDays, cfg.pipeline?.logRetentionDays ?? 90);
                const alarm = byName(run, "layer-pipeline-distributor-errors");
                assert.strictEqual(alarm.inputs.metricName, "Errors");
                assert.deepStrictEqual(alarm.inputs.dimensions, { FunctionName: distributorName() });
                assert.deepStrictEqual(alarm.inputs.alarmActions, [byName(run, "layer-pipeline-alarms").state.arn]);
            });

            it("a push to the source branch starts the pipeline (CodeCommit source)", () => {
                const rule = byName(run, "layer-pipeline-on-commit");
                const pattern = json(rule.inputs.eventPattern);
                assert.deepStrictEqual(pattern.source, ["aws.codecommit"]);
                assert.deepStrictEqual(pattern.detail.referenceName, [cfg.pipeline?.source?.branch ?? "main"]);
                assert.strictEqual(byName(run, "layer-pipeline-on-commit-target").inputs.arn, pipeline().state.arn);
                const [st] = statements(byName(run, "layer-pipeline-on-commit-role-policy").inputs.policy);
                assert.strictEqual(st.Action, "codepipeline:StartPipelineExecution");
                assert.strictEqual(st.Resource, pipeline().state.arn);
            });

            it("outputs the layer ARN per Region and the pipeline", () => {
                const out = run.outputs.lambdaLayers as any;
                assert.strictEqual(out.mode, "pipeline");
                assert.deepStrictEqual(Object.keys(out.layerArns).sort(), [...cfg.regions].sort());
                assert.strictEqual(out.pipelineName, pipeline().inputs.name);
            });
        });
    }

    describe("the stacks as configured", () => {
        it("dev uses direct mode and prod uses pipeline mode", () => {
            assert.strictEqual(cfgOf(readStackFile("dev")).mode, "direct");
            assert.strictEqual(cfgOf(readStackFile("prod")).mode, "pipeline");
        });
    });

    describe("a GitHub source through a CodeStar connection", () => {
        it("creates the connection and uses it in the Source action; the pipeline role may use only it", async () => {
            const run = await runConcern("dev", "lambdaLayers",
                withConfig(readStackFile("dev"), "lambdaLayers", (c) => ({
                    ...c,
                    mode: "pipeline",
                    pipeline: { source: { type: "codeStarConnection", fullRepositoryId: "example-org/layer-src" } },
                })),
            );
            const conn = byName(run, "layer-pipeline-source", "aws:codestarconnections/connection:Connection");
            const source = (byName(run, "layer-pipeline-pipeline", PIPELINE).inputs.stages as any[])[0].actions[0];
            assert.strictEqual(source.provider, "CodeStarSourceConnection");
            assert.strictEqual(source.configuration.ConnectionArn, conn.state.arn);
            assert.strictEqual(source.configuration.FullRepositoryId, "example-org/layer-src");
            const st = statements(byName(run, "layer-pipeline-pipeline-role-policy").inputs.policy).find((s) =>
                asList(s.Action).includes("codestar-connections:UseConnection"),
            );
            assert.strictEqual(st.Resource, conn.state.arn);
            assert.strictEqual(ofType(run, "aws:codecommit/repository:Repository").filter((r) => r.name.startsWith("layer-")).length, 0);
        });
    });

    describe("config validation", () => {
        const dev = () => readStackFile("dev");
        it('rejects principal "*" without an organization unless allowPublic is set', async () => {
            const err = await configError(withConfig(dev(), "lambdaLayers", (c) => ({ ...c, principal: "*" })));
            assert.ok(err.problems.some((p) => p.path === "lambdaLayers.principal" && /allowPublic/.test(p.message)), JSON.stringify(err.problems));
            assert.strictEqual((err as any).registeredResources, 0);
        });
        it("shares publicly only when allowPublic is true", async () => {
            const run = await runConcern("dev", "lambdaLayers", withConfig(dev(), "lambdaLayers", (c) => ({ ...c, principal: "*", allowPublic: true })));
            for (const p of ofType(run, PERMISSION)) {
                assert.strictEqual(p.inputs.principal, "*");
                assert.strictEqual(p.inputs.organizationId, undefined);
            }
        });
        it("shares with an organization through principal * and organizationId", async () => {
            const run = await runConcern("dev", "lambdaLayers", withConfig(dev(), "lambdaLayers", (c) => ({ ...c, principal: "*", organizationId: "o-abcdefghij" })));
            for (const p of ofType(run, PERMISSION)) {
                assert.strictEqual(p.inputs.principal, "*");
                assert.strictEqual(p.inputs.organizationId, "o-abcdefghij");
            }
        });
        it("rejects an organization with an account principal, allowPublic without *, duplicate and unknown Regions", async () => {
            let err = await configError(withConfig(dev(), "lambdaLayers", (c) => ({ ...c, organizationId: "o-abcdefghij" })));
            assert.ok(err.problems.some((p) => p.path === "lambdaLayers.principal"), JSON.stringify(err.problems));
            err = await configError(withConfig(dev(), "lambdaLayers", (c) => ({ ...c, allowPublic: true })));
            assert.ok(err.problems.some((p) => p.path === "lambdaLayers.allowPublic"), JSON.stringify(err.problems));
            err = await configError(withConfig(dev(), "lambdaLayers", (c) => ({ ...c, regions: ["eu-west-1", "eu-west-1", "mars-north-1"] })));
            assert.ok(err.problems.some((p) => p.path === "lambdaLayers.regions[1]" && /already listed/.test(p.message)), JSON.stringify(err.problems));
            assert.ok(err.problems.some((p) => p.path === "lambdaLayers.regions[2]"), JSON.stringify(err.problems));
        });
        it("pipeline mode: accepts UserParameters of exactly 1,000 characters (CodePipeline's limit) and rejects one more, naming lambdaLayers.description", async () => {
            const prod = () => readStackFile("prod");
            const longest = (run: ProgramRun) =>
                Math.max(...(byName(run, "layer-pipeline-pipeline").inputs.stages as any[]).flatMap((st) => st.actions).filter((a: any) => a.provider === "Lambda").map((a: any) => a.configuration.UserParameters.length));
            const base = await runConcern("prod", "lambdaLayers");
            const baseCfg = cfgOf(prod()) as any;
            const description = "d".repeat(256);
            const baseLicense: string = baseCfg.license ?? "Apache-2.0";
            const baseDescription: string = baseCfg.description ?? "Pinned AWS SDK v3 clients and the AWS X-Ray SDK";
            // characters the license must take in the JSON; a quote is escaped to two, which is how a
            // 512-character license can push the parameters over the limit
            const target = 1000 - (longest(base) - baseLicense.length) - (description.length - baseDescription.length);
            const quotes = Math.floor(target / 2);
            const license = `${'"'.repeat(quotes)}${"x".repeat(target - 2 * quotes)}`;
            assert.ok(license.length < 512, "the boundary is reachable within the field limits");
            const atLimit = await runConcern("prod", "lambdaLayers", withConfig(prod(), "lambdaLayers", (c) => ({ ...c, description, license })));
            assert.strictEqual(longest(atLimit), 1000);
            const err = await configError(withConfig(prod(), "lambdaLayers", (c) => ({ ...c, description, license: `${license}x` })));
            const p = err.problems.find((x) => x.path === "lambdaLayers.description");
            assert.ok(p && /1001 characters; CodePipeline allows 1000/.test(p.message), JSON.stringify(err.problems));
            // direct mode has no UserParameters: the same values are fine
            await runConcern("dev", "lambdaLayers", withConfig(readStackFile("dev"), "lambdaLayers", (c) => ({ ...c, description, license: `${license}x` })));
        });
        it("rejects a principal that is neither an account ID nor *, and an unknown account key", async () => {
            const err = await configError(withConfig(dev(), "lambdaLayers", (c) => ({ ...c, principal: "12345", account: "nobody" })));
            assert.ok(err.problems.some((p) => p.path === "lambdaLayers.principal"), JSON.stringify(err.problems));
            assert.ok(err.problems.some((p) => p.path === "lambdaLayers.account"), JSON.stringify(err.problems));
        });
    });

    describe("layer archive build", () => {
        let root: string;
        beforeEach(() => {
            root = fs.mkdtempSync(path.join(os.tmpdir(), "layer-build-test-"));
        });
        afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

        it("runs npm ci --omit=dev in <build>/nodejs from the lockfile, once per lockfile hash", () => {
            const calls: { command: string; args: string[]; cwd: string }[] = [];
            const runner = (command: string, args: string[], cwd: string) => {
                calls.push({ command, args, cwd });
                fs.mkdirSync(path.join(cwd, "node_modules", "aws-xray-sdk-core"), { recursive: true });
            };
            const first = buildLayerArchive("layers/common-sdk", { install: true, buildRoot: root, runner });
            assert.strictEqual(first.installed, true);
            assert.strictEqual(calls.length, 1);
            assert.strictEqual(calls[0].command, "npm");
            assert.deepStrictEqual(calls[0].args, NPM_CI_ARGS);
            assert.ok(calls[0].args.includes("ci") && calls[0].args.includes("--omit=dev") && calls[0].args.includes("--ignore-scripts"));
            assert.strictEqual(calls[0].cwd, path.join(first.dir, "nodejs"));
            assert.ok(fs.existsSync(path.join(first.dir, "nodejs", "package-lock.json")));
            assert.ok(fs.existsSync(path.join(first.dir, "nodejs", "node_modules", "aws-xray-sdk-core")));
            const second = buildLayerArchive("layers/common-sdk", { install: true, buildRoot: root, runner });
            assert.strictEqual(second.dir, first.dir);
            assert.strictEqual(calls.length, 1, "a finished build is reused");
        });

        it("without install (tests, offline plan) runs nothing and keeps only the manifests", () => {
            let ran = false;
            const b = buildLayerArchive("layers/common-sdk", { install: false, buildRoot: root, runner: () => (ran = true) });
            assert.strictEqual(ran, false);
            assert.strictEqual(b.installed, false);
            assert.deepStrictEqual(fs.readdirSync(path.join(b.dir, "nodejs")).sort(), ["package-lock.json", "package.json"]);
        });

        it("refuses a source without a lockfile", () => {
            const src = fs.mkdtempSync(path.join(os.tmpdir(), "layer-src-"));
            try {
                fs.writeFileSync(path.join(src, "package.json"), "{}");
                assert.throws(() => buildLayerArchive(src, { install: false, buildRoot: root }), /package-lock.json not found/);
            } finally {
                fs.rmSync(src, { recursive: true, force: true });
            }
        });

        it("the pipeline's buildspec, run as CodeBuild runs version 0.2 (one shell), leaves the layer layout without the lockfile", () => {
            const spec = parseYaml(fs.readFileSync(path.join(__dirname, "..", "layers", "buildspec.yml"), "utf8"));
            assert.strictEqual(spec.version, 0.2);
            assert.strictEqual(spec.artifacts["base-directory"], "layer");
            const specFile = path.join(__dirname, "..", "layers", "buildspec.yml");
            // a source with no dependencies: npm ci needs no network, the shell sequence is what is tested
            const src = path.join(root, "src");
            fs.mkdirSync(src);
            fs.writeFileSync(path.join(src, "package.json"), JSON.stringify({ name: "layer-test", version: "1.0.0", private: true }));
            fs.writeFileSync(
                path.join(src, "package-lock.json"),
                JSON.stringify({ name: "layer-test", version: "1.0.0", lockfileVersion: 3, requires: true, packages: { "": { name: "layer-test", version: "1.0.0" } } }),
            );
            const r = runBuildspec(specFile, src, { npm_config_offline: "true" });
            assert.strictEqual(r.status, 0, r.output);
            const layer = path.join(src, spec.artifacts["base-directory"]);
            assert.ok(fs.existsSync(path.join(layer, "nodejs", "package.json")), "nodejs/package.json in the artifact root");
            assert.ok(!fs.existsSync(path.join(layer, "nodejs", "package-lock.json")), "lockfile removed from the layer");
            assert.ok(!fs.existsSync(path.join(layer, "nodejs", "layer")), "no nested layer/ from a leaked cd");
            // and the lockfile is required
            fs.rmSync(path.join(src, "package-lock.json"));
            fs.rmSync(layer, { recursive: true, force: true });
            const bad = runBuildspec(specFile, src, {});
            assert.notStrictEqual(bad.status, 0);
            assert.match(bad.output, /package-lock.json is required/);
        });

        it("the shipped layer source pins the SDK clients and the X-Ray SDK", () => {
            const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "layers", "common-sdk", "package.json"), "utf8"));
            assert.ok(pkg.dependencies["aws-xray-sdk-core"]);
            assert.ok(Object.keys(pkg.dependencies).some((d) => d.startsWith("@aws-sdk/client-")));
            for (const v of Object.values(pkg.dependencies) as string[]) {
                assert.match(v, /^\d+\.\d+\.\d+$/, "exact versions");
            }
        });
    });
});
