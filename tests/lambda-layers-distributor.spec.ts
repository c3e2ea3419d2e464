import * as assert from "assert";
import { CodePipelineClient, PutJobFailureResultCommand, PutJobSuccessResultCommand } from "@aws-sdk/client-codepipeline";
import { AddLayerVersionPermissionCommand, LambdaClient, PublishLayerVersionCommand } from "@aws-sdk/client-lambda";
import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import type { CodePipelineEvent } from "aws-lambda";
import { Clients, MAX_ZIP_BYTES, distribute, parseUserParameters } from "../functions/layer-distributor";
import { holdToContract } from "./helpers";
import { CONTRACT } from "../functions/layer-distributor/contract";

const ZIP = Buffer.from("PK\u0003\u0004 layer zip bytes");

/** A CodePipeline Lambda-invoke job event exactly as CodePipeline sends it. */
function jobEvent(userParameters: string | undefined, overrides: Partial<CodePipelineEvent["CodePipeline.job"]["data"]> = {}): CodePipelineEvent {
    return {
        "CodePipeline.job": {
            id: "11111111-abcd-1111-abcd-111111abcdef",
            accountId: "333333333333",
            data: {
                actionConfiguration: {
                    configuration: { FunctionName: "LambdaLayerBuilderPipeline-distributor", UserParameters: userParameters as string },
                },
                inputArtifacts: [
                    {
                        name: "layer_zip",
                        revision: null,
                        location: {
                            type: "S3",
                            s3Location: { bucketName: "layer-pipeline-artifacts-1234", objectKey: "LambdaLayerBuilder/layer_zip/AbCdEf" },
                        },
                    },
                ],
                outputArtifacts: [],
                artifactCredentials: { accessKeyId: "ASIAEXAMPLE", secretAccessKey: "secret", sessionToken: "token" },
                ...overrides,
            },
        },
    } as unknown as CodePipelineEvent;
}

const PARAMS = {
    region: "eu-west-1",
    layerName: "common-sdk",
    runtimes: ["nodejs22.x", "nodejs24.x"],
    license: "Apache-2.0",
    description: "Pinned SDK",
    principal: "*",
    organizationId: "o-exampleorg01",
};

/** A GetObject body as the SDK returns it (a stream with transformToByteArray). */
function body(bytes: Buffer): never {
    return { transformToByteArray: async () => new Uint8Array(bytes) } as never;
}

describe("layer distributor handler (concern 3, pipeline mode)", () => {
    const cp = mockClient(CodePipelineClient);
    const s3 = mockClient(S3Client);
    const lambda = mockClient(LambdaClient);
    holdToContract(CONTRACT, [{ mock: cp, service: "codepipeline" }, { mock: s3, service: "s3" }, { mock: lambda, service: "lambda" }]);
    let lambdaRegions: string[];
    let s3Credentials: unknown[];
    let clients: Clients;
    const quiet = { log: console.log, error: console.error };
    before(() => {
        console.log = () => undefined;
        console.error = () => undefined;
    });
    after(() => {
        console.log = quiet.log;
        console.error = quiet.error;
    });

    beforeEach(() => {
        cp.reset();
        s3.reset();
        lambda.reset();
        lambdaRegions = [];
        s3Credentials = [];
        clients = {
            codepipeline: new CodePipelineClient({ region: "us-east-1" }),
            s3: (credentials) => {
                s3Credentials.push(credentials);
                return new S3Client({ region: "us-east-1", credentials });
            },
            lambda: (region) => {
                lambdaRegions.push(region);
                return new LambdaClient({ region });
            },
        };
        cp.on(PutJobSuccessResultCommand).resolves({});
        cp.on(PutJobFailureResultCommand).resolves({});
        s3.on(GetObjectCommand).callsFake(async () => ({ Body: body(ZIP) }));
        lambda.on(PublishLayerVersionCommand).resolves({ LayerVersionArn: "arn:aws:lambda:eu-west-1:333333333333:layer:common-sdk:7", Version: 7 });
        lambda.on(AddLayerVersionPermissionCommand).resolves({ RevisionId: "r1" });
    });

    it("success: downloads the artifact with the job's credentials, publishes and shares in the requested Region, reports success", async () => {
        const result = await distribute(jobEvent(JSON.stringify(PARAMS)), clients, "req-1");
        assert.strictEqual(result.status, "succeeded");
        assert.strictEqual(result.layerVersionArn, "arn:aws:lambda:eu-west-1:333333333333:layer:common-sdk:7");

        const get = s3.commandCalls(GetObjectCommand);
        assert.strictEqual(get.length, 1);
        assert.deepStrictEqual(get[0].args[0].input, { Bucket: "layer-pipeline-artifacts-1234", Key: "LambdaLayerBuilder/layer_zip/AbCdEf" });
        assert.deepStrictEqual(s3Credentials, [{ accessKeyId: "ASIAEXAMPLE", secretAccessKey: "secret", sessionToken: "token" }]);

        assert.deepStrictEqual([...new Set(lambdaRegions)], ["eu-west-1"]);
        const pub = lambda.commandCalls(PublishLayerVersionCommand);
        assert.strictEqual(pub.length, 1);
        const pubInput = pub[0].args[0].input;
        assert.strictEqual(pubInput.LayerName, "common-sdk");
        assert.deepStrictEqual(pubInput.CompatibleRuntimes, ["nodejs22.x", "nodejs24.x"]);
        assert.strictEqual(pubInput.LicenseInfo, "Apache-2.0");
        assert.deepStrictEqual(Buffer.from(pubInput.Content!.ZipFile!), ZIP);

        const perm = lambda.commandCalls(AddLayerVersionPermissionCommand);
        assert.strictEqual(perm.length, 1);
        assert.deepStrictEqual(perm[0].args[0].input, {
            LayerName: "common-sdk",
            VersionNumber: 7,
            StatementId: "awsarch-share",
            Action: "lambda:GetLayerVersion",
            Principal: "*",
            OrganizationId: "o-exampleorg01",
        });

        const ok = cp.commandCalls(PutJobSuccessResultCommand);
        assert.strictEqual(ok.length, 1);
        assert.strictEqual(ok[0].args[0].input.jobId, "11111111-abcd-1111-abcd-111111abcdef");
        assert.match(ok[0].args[0].input.executionDetails!.summary!, /layer:common-sdk:7/);
        assert.strictEqual(cp.commandCalls(PutJobFailureResultCommand).length, 0);
    });

    it("each Region's job publishes only in that Region", async () => {
        for (const region of ["eu-central-1", "us-west-1"]) {
            lambdaRegions = [];
            await distribute(jobEvent(JSON.stringify({ ...PARAMS, region })), clients);
            assert.deepStrictEqual([...new Set(lambdaRegions)], [region]);
        }
        assert.strictEqual(cp.commandCalls(PutJobSuccessResultCommand).length, 2);
    });

    it("S3 failure: reports failure with the message, publishes nothing, does not throw", async () => {
        s3.on(GetObjectCommand).rejects(new Error("Access Denied"));
        const result = await distribute(jobEvent(JSON.stringify(PARAMS)), clients);
        assert.strictEqual(result.status, "failed");
        assert.strictEqual(lambda.commandCalls(PublishLayerVersionCommand).length, 0);
        assert.strictEqual(cp.commandCalls(PutJobSuccessResultCommand).length, 0);
        const fail = cp.commandCalls(PutJobFailureResultCommand);
        assert.strictEqual(fail.length, 1);
        assert.strictEqual(fail[0].args[0].input.jobId, "11111111-abcd-1111-abcd-111111abcdef");
        assert.strictEqual(fail[0].args[0].input.failureDetails!.type, "JobFailed");
        assert.match(fail[0].args[0].input.failureDetails!.message!, /s3:\/\/layer-pipeline-artifacts-1234\/.*Access Denied/);
    });

    it("Lambda publish failure: reports failure with the message, does not throw", async () => {
        lambda.on(PublishLayerVersionCommand).rejects(new Error("Rate exceeded"));
        const result = await distribute(jobEvent(JSON.stringify(PARAMS)), clients);
        assert.strictEqual(result.status, "failed");
        const fail = cp.commandCalls(PutJobFailureResultCommand);
        assert.strictEqual(fail.length, 1);
        assert.match(fail[0].args[0].input.failureDetails!.message!, /publishing common-sdk in eu-west-1 failed: Rate exceeded/);
        assert.strictEqual(cp.commandCalls(PutJobSuccessResultCommand).length, 0);
    });

    it("add-permission failure: reports failure naming the version and principal", async () => {
        lambda.on(AddLayerVersionPermissionCommand).rejects(new Error("InvalidParameterValueException"));
        const result = await distribute(jobEvent(JSON.stringify(PARAMS)), clients);
        assert.strictEqual(result.status, "failed");
        const msg = cp.commandCalls(PutJobFailureResultCommand)[0].args[0].input.failureDetails!.message!;
        assert.match(msg, /sharing arn:aws:lambda:eu-west-1:333333333333:layer:common-sdk:7 with o-exampleorg01 failed/);
    });

    it("bad UserParameters (not JSON, missing fields, empty) report failure without touching S3 or Lambda", async () => {
        const cases: [string | undefined, RegExp][] = [
            ["{not json", /not valid JSON/],
            [JSON.stringify({ layerName: "common-sdk" }), /region must be an AWS Region name.*runtimes.*principal/],
            [JSON.stringify({ ...PARAMS, principal: "everyone" }), /principal must be/],
            [undefined, /UserParameters is empty/],
            ["[1,2]", /must be a JSON object/],
        ];
        for (const [raw, expected] of cases) {
            cp.resetHistory();
            const result = await distribute(jobEvent(raw), clients);
            assert.strictEqual(result.status, "failed", String(raw));
            const fail = cp.commandCalls(PutJobFailureResultCommand);
            assert.strictEqual(fail.length, 1, String(raw));
            assert.match(fail[0].args[0].input.failureDetails!.message!, expected);
        }
        assert.strictEqual(s3.commandCalls(GetObjectCommand).length, 0);
        assert.strictEqual(lambda.commandCalls(PublishLayerVersionCommand).length, 0);
    });

    it("a job without an S3 input artifact or with an oversized zip reports failure", async () => {
        let result = await distribute(jobEvent(JSON.stringify(PARAMS), { inputArtifacts: [] }), clients);
        assert.strictEqual(result.status, "failed");
        assert.match(result.message!, /no S3 input artifact/);
        s3.on(GetObjectCommand).callsFake(async () => ({ Body: body(Buffer.alloc(MAX_ZIP_BYTES + 1)) }));
        result = await distribute(jobEvent(JSON.stringify(PARAMS)), clients);
        assert.strictEqual(result.status, "failed");
        assert.match(result.message!, /at most 52428800 bytes/);
        assert.strictEqual(cp.commandCalls(PutJobFailureResultCommand).length, 2);
    });

    it("when reporting success fails, it reports failure instead", async () => {
        cp.on(PutJobSuccessResultCommand).rejects(new Error("ThrottlingException"));
        const result = await distribute(jobEvent(JSON.stringify(PARAMS)), clients);
        assert.strictEqual(result.status, "failed");
        assert.match(cp.commandCalls(PutJobFailureResultCommand)[0].args[0].input.failureDetails!.message!, /ThrottlingException/);
    });

    it("only throws when CodePipeline refuses the failure report too (nothing else could tell the pipeline)", async () => {
        s3.on(GetObjectCommand).rejects(new Error("Access Denied"));
        cp.on(PutJobFailureResultCommand).rejects(new Error("JobNotFoundException"));
        await assert.rejects(distribute(jobEvent(JSON.stringify(PARAMS)), clients), /could not report the failure.*Access Denied.*JobNotFoundException/);
    });

    it("parseUserParameters accepts what the Distribute stage sends", () => {
        assert.deepStrictEqual(parseUserParameters(JSON.stringify(PARAMS)), PARAMS);
        assert.throws(() => parseUserParameters(JSON.stringify({ ...PARAMS, organizationId: "org" })), /organizationId/);
    });
});
