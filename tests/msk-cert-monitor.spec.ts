import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { mockClient } from "aws-sdk-client-mock";
import { CloudWatchClient, PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { CONTRACT } from "../functions/msk-cert-monitor/contract";
import { METRIC, daysToExpiry, publishDaysToExpiry } from "../functions/msk-cert-monitor/index";
import { holdToContract } from "./helpers";

/** A self-signed certificate generated with openssl for this spec: notAfter 2027-12-02T07:18:02Z. */
const PEM = fs.readFileSync(path.join(__dirname, "fixtures", "msk-client-cert.pem"), "utf8");
const SECRET = "arn:aws:secretsmanager:us-east-1:333333333333:secret:awsarch-msk-prod/mtls/lambda/clientcert-AbCdEf";

describe("MSK client certificate monitor (functions/msk-cert-monitor)", () => {
    const secrets = mockClient(SecretsManagerClient);
    const cloudwatch = mockClient(CloudWatchClient);
    beforeEach(() => {
        secrets.reset();
        cloudwatch.reset();
    });
    holdToContract(CONTRACT, [
        { mock: secrets, service: "secretsmanager" },
        { mock: cloudwatch, service: "cloudwatch" },
    ]);

    it("counts whole days to the certificate's notAfter, negative once expired", () => {
        assert.strictEqual(daysToExpiry(PEM, new Date("2026-12-02T08:00:00Z")), 364);
        assert.strictEqual(daysToExpiry(PEM, new Date("2027-11-02T07:18:02Z")), 30);
        assert.strictEqual(daysToExpiry(PEM, new Date("2027-12-03T00:00:00Z")), -1);
        assert.throws(() => daysToExpiry("no certificate", new Date()), /no PEM certificate/);
    });

    it("reads the certificate from the secret the event source mapping uses and publishes its days to expiry", async () => {
        secrets.on(GetSecretValueCommand, { SecretId: SECRET }).resolves({ SecretString: JSON.stringify({ certificate: `${PEM}\n${PEM}`, privateKey: "-----BEGIN PRIVATE KEY-----" }) });
        cloudwatch.on(PutMetricDataCommand).resolves({});
        const out = await publishDaysToExpiry(new SecretsManagerClient({}), new CloudWatchClient({}), SECRET, new Date("2027-11-22T07:18:02Z"));
        assert.deepStrictEqual(out, { daysToExpiry: 10 });
        const put = cloudwatch.commandCalls(PutMetricDataCommand)[0].args[0].input;
        assert.strictEqual(put.Namespace, METRIC.namespace);
        assert.deepStrictEqual(put.MetricData?.map((m) => [m.MetricName, m.Value, m.Dimensions]), [[METRIC.name, 10, [{ Name: "Secret", Value: "awsarch-msk-prod/mtls/lambda/clientcert-AbCdEf" }]]]);
    });

    it("fails (so the alarm's missing data breaches) when the secret has no certificate", async () => {
        secrets.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ privateKey: "x" }) });
        await assert.rejects(publishDaysToExpiry(new SecretsManagerClient({}), new CloudWatchClient({}), SECRET, new Date()), /has no certificate field/);
        assert.strictEqual(cloudwatch.commandCalls(PutMetricDataCommand).length, 0);
    });
});
