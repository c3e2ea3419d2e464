import * as assert from "assert";
import { ConfigError, readStackFile } from "../lib/config/load";
import { CallOverrides, ProgramRun, runProgram, withConfig } from "../lib/plan/recorder";
import { mockZones, zoneIdPrefix } from "../lib/plan/mock-outputs";
import { excludedZoneIds, ZONE_EXCLUSIONS } from "../lib/support/zones";
import { byName } from "./helpers";

/* eslint-disable @typescript-eslint/no-explicit-any */

/** An account whose zone names map to these IDs (in name order a, b, c, ...). */
function zonesAre(region: string, ids: string[]): CallOverrides {
    return {
        "aws:index/getAvailabilityZones:getAvailabilityZones": (_inputs, r) =>
            r === region
                ? { id: r, names: ids.map((_, i) => `${r}${String.fromCharCode(97 + i)}`), zoneIds: ids }
                : { id: r, names: mockZones(r, "0").map((z) => z.name), zoneIds: mockZones(r, "0").map((z) => z.id) },
    };
}

async function rejected(stack: string, raw: Record<string, unknown>, calls: CallOverrides): Promise<ConfigError> {
    try {
        await runProgram(stack, raw, { calls });
    } catch (err) {
        assert.ok(err instanceof ConfigError, `expected ConfigError, got ${String(err)}`);
        return err;
    }
    throw new Error("accepted");
}

describe("Availability Zones chosen by zone ID (lib/aws/zones)", () => {
    it("the exclusion table names its sources; MSK refuses use1-az3, EKS the zones AWS has refused for control planes", () => {
        assert.deepStrictEqual(excludedZoneIds("msk"), ["use1-az3"]);
        assert.ok(excludedZoneIds("eks").includes("use1-az3") && excludedZoneIds("eks").includes("cnn1-az4"));
        assert.ok(ZONE_EXCLUSIONS.every((e) => /https:\/\//.test(e.source)));
        assert.strictEqual(zoneIdPrefix("ap-southeast-1"), "apse1");
        assert.strictEqual(zoneIdPrefix("us-east-1"), "use1");
    });

    it("MSK skips the account's use1-az3 whatever its name (here us-east-1a)", async () => {
        const raw = readStackFile("prod");
        const run: ProgramRun = await runProgram("prod", raw, { calls: zonesAre("us-east-1", ["use1-az3", "use1-az5", "use1-az1", "use1-az6", "use1-az2", "use1-az4"]) });
        assert.deepStrictEqual(byName(run, "msk-vpc").inputs.availabilityZoneNames, ["us-east-1b", "us-east-1c", "us-east-1d"]);
    });

    it("a pinned zone that is use1-az3 in this account stops the program before any AWS resource, naming the key", async () => {
        const raw = withConfig(readStackFile("prod"), "msk", (c) => ({ ...c, vpc: { ...c.vpc, availabilityZones: ["us-east-1a", "us-east-1b", "us-east-1c"] } }));
        const err = await rejected("prod", raw, zonesAre("us-east-1", ["use1-az1", "use1-az3", "use1-az2", "use1-az4", "use1-az5", "use1-az6"]));
        assert.deepStrictEqual(err.problems.map((p) => p.path), ["msk.vpc.availabilityZones[1]"]);
        assert.match(err.problems[0].message, /us-east-1b is zone use1-az3, which MSK refuses \(MSK API reference/);
        const types: string[] = (err as any).registeredTypes;
        assert.ok(types.length > 0 && types.every((t) => t.startsWith("pulumi:providers:")), `only providers registered: ${types.join(", ")}`);
    });

    it("EKS: not enough accepted zones is reported on flinkEks.vpc.azCount", async () => {
        const raw = withConfig(readStackFile("dev"), "flinkEks", (c) => ({ ...c, region: "us-west-1", vpc: { ...c.vpc, azCount: 2 } }));
        const err = await rejected("dev", raw, zonesAre("us-west-1", ["usw1-az2", "usw1-az1"]));
        assert.deepStrictEqual(err.problems.map((p) => p.path), ["flinkEks.vpc.azCount"]);
        assert.match(err.problems[0].message, /2 zones wanted but us-west-1 has only 1 that EKS accepts \(skipped us-west-1a \(usw1-az2\)\)/);
    });

    it("Mac hosts: a configured zone that does not offer the Mac type is refused, with where it is offered and how to look it up", async () => {
        const calls: CallOverrides = {
            "aws:ec2/getInstanceTypeOfferings:getInstanceTypeOfferings": (inputs, region) => ({
                id: region,
                locations: inputs.filters[0].values[0] === "mac2.metal" ? ["use2-az1", "use2-az2"] : [],
                instanceTypes: ["mac2.metal", "mac2.metal"],
                locationTypes: ["availability-zone-id", "availability-zone-id"],
            }),
        };
        // The dev account maps us-east-2a/b/c to use2-az1/2/3; the stack pins us-east-2b and us-east-2c.
        const err = await rejected("dev", readStackFile("dev"), calls);
        assert.deepStrictEqual(err.problems.map((p) => p.path), ["macDev.availabilityZones[1]"]);
        assert.match(err.problems[0].message, /us-east-2c \(use2-az3\) does not offer mac2\.metal; it is offered in use2-az1, use2-az2 of us-east-2 \(aws ec2 describe-instance-type-offerings --location-type availability-zone-id/);
    });

    it("both stacks pass: every zonal concern gets names the account maps to accepted zone IDs", async () => {
        for (const stack of ["dev", "prod"]) {
            const run = await runProgram(stack);
            for (const [vpc, service] of [["msk-vpc", "msk"], ["flink-eks-vpc", "eks"]] as const) {
                const r = byName(run, vpc);
                const zones = mockZones(r.region!, r.accountId!);
                const ids = (r.inputs.availabilityZoneNames as string[]).map((n) => zones.find((z) => z.name === n)!.id);
                assert.ok(ids.every((id) => !excludedZoneIds(service).includes(id)), `${stack} ${vpc}: ${ids.join(", ")}`);
            }
            assert.deepStrictEqual(byName(run, "mac-dev-vpc").inputs.availabilityZoneNames, ["us-east-2b", "us-east-2c"]);
        }
    });
});
