import * as assert from "assert";
import { readStackFile } from "../lib/config/load";
import { ProgramRun, runConcern, withConfig } from "../lib/plan/recorder";
import { assertConfigProblem, byName, ofType, concernRun } from "./helpers";

/* eslint-disable @typescript-eslint/no-explicit-any */

const REGION = "us-west-2";

describe("EC2 Fleet with prioritized overrides for Outposts (concern 8)", () => {
    for (const stack of ["dev", "prod"] as const) {
        describe(`${stack} stack`, () => {
            let run: ProgramRun;
            let cfg: any;
            let accountId: string;
            before(async () => {
                ({ run, cfg, accountId } = await concernRun(stack, "outpostFleet"));
            });

            it("creates the launch template and fleet in us-west-2 in the configured account", () => {
                for (const n of ["outpost-fleet-lt", "outpost-fleet-fleet"]) {
                    const r = byName(run, n);
                    assert.strictEqual(r.region, REGION, n);
                    assert.strictEqual(r.accountId, accountId, n);
                    assert.strictEqual(r.parent, byName(run, "outpost-fleet", "awsarch:outpostFleet:PrioritizedFleet").urn);
                }
            });

            it("launch template has no instance type, requires IMDSv2, encrypts volumes and tags instances", () => {
                const lt = byName(run, "outpost-fleet-lt", "aws:ec2/launchTemplate:LaunchTemplate");
                assert.strictEqual(lt.inputs.instanceType, undefined);
                assert.strictEqual(lt.inputs.instanceRequirements, undefined);
                assert.strictEqual(lt.inputs.metadataOptions.httpTokens, "required");
                assert.strictEqual(lt.inputs.metadataOptions.httpEndpoint, "enabled");
                assert.strictEqual(lt.inputs.blockDeviceMappings.length, 1);
                assert.strictEqual(lt.inputs.blockDeviceMappings[0].deviceName, "/dev/xvda", "Amazon Linux root device by default");
                const ebs = lt.inputs.blockDeviceMappings[0].ebs;
                assert.strictEqual(ebs.encrypted, "true");
                assert.strictEqual(ebs.volumeSize, cfg.rootVolumeGiB);
                assert.strictEqual(ebs.volumeType, stack === "prod" ? "gp2" : "gp3", "Outposts racks offer gp2 only");
                assert.deepStrictEqual(lt.inputs.tagSpecifications.map((t: any) => t.resourceType), ["instance", "volume"]);
                for (const t of lt.inputs.tagSpecifications) {
                    assert.strictEqual(t.tags.project, "awsarch");
                    assert.strictEqual(t.tags.stack, stack);
                    assert.strictEqual(t.tags.workload, cfg.instanceTags.workload);
                }
                assert.strictEqual(lt.inputs.imageId, `ami-${REGION}-mock`, "AMI from the Amazon-owned lookup");
            });

            it("is an instant, on-demand fleet with prioritized allocation and capacity in units", () => {
                const f = byName(run, "outpost-fleet-fleet", "aws:ec2/fleet:Fleet");
                assert.strictEqual(f.inputs.type, "instant");
                assert.strictEqual(f.inputs.onDemandOptions.allocationStrategy, "prioritized");
                assert.strictEqual(f.inputs.spotOptions, undefined);
                assert.deepStrictEqual(f.inputs.targetCapacitySpecification, {
                    defaultTargetCapacityType: "on-demand",
                    totalTargetCapacity: cfg.targetCapacity,
                    onDemandTargetCapacity: cfg.targetCapacity,
                    spotTargetCapacity: 0,
                });
                // Units (weighted capacity) is the API default; TargetCapacityUnitType is only accepted with instanceRequirements.
                assert.ok(!("targetCapacityUnitType" in f.inputs.targetCapacitySpecification));
                assert.strictEqual(f.inputs.terminateInstances, true, "deleting the fleet terminates its instances");
            });

            it("lists the overrides from config in order, each with weight, priority and the configured subnet", () => {
                const f = byName(run, "outpost-fleet-fleet");
                assert.strictEqual(f.inputs.launchTemplateConfigs.length, 1);
                const ltc = f.inputs.launchTemplateConfigs[0];
                assert.strictEqual(ltc.launchTemplateSpecification.launchTemplateId, "outpost-fleet-lt-id");
                assert.deepStrictEqual(
                    ltc.overrides,
                    cfg.overrides.map((o: any) => ({ instanceType: o.instanceType, weightedCapacity: o.weightedCapacity, priority: o.priority, subnetId: cfg.subnetId })),
                );
                assert.ok(ltc.overrides.length >= 3);
            });

            it("outputs the fleet and launch template IDs", () => {
                const out: any = run.outputs.outpostFleet;
                assert.strictEqual(out.fleetId, "outpost-fleet-fleet-id");
                assert.strictEqual(out.launchTemplateId, "outpost-fleet-lt-id");
            });
        });
    }

    it("prod targets the Outpost subnet with the post's size/family fallbacks by priority", () => {
        const cfg: any = readStackFile("prod")["awsarch:outpostFleet"];
        assert.match(cfg.outpostArn, /^arn:aws:outposts:us-west-2:/);
        assert.deepStrictEqual(
            cfg.overrides.map((o: any) => o.instanceType),
            ["m5.4xlarge", "m5.2xlarge", "c5.4xlarge", "m5.8xlarge"],
        );
    });

    it("creates nothing when disabled", async () => {
        const run = await runConcern("dev", "outpostFleet", withConfig(readStackFile("dev"), "outpostFleet", (c) => ({ ...c, enabled: false })));
        assert.strictEqual(ofType(run, "aws:ec2/fleet:Fleet").length, 0);
        assert.strictEqual(run.outputs.outpostFleet, undefined);
    });

    it("uses the configured AMI, its root device name (the encrypted mapping covers the real root) and security groups", async () => {
        const run = await runConcern("dev", "outpostFleet",
            withConfig(readStackFile("dev"), "outpostFleet", (c) => ({ ...c, amiId: "ami-0123456789abcdef0", rootDeviceName: "/dev/sda1", securityGroupIds: ["sg-0123456789abcdef0"] })),
        );
        const lt = byName(run, "outpost-fleet-lt");
        assert.strictEqual(lt.inputs.imageId, "ami-0123456789abcdef0");
        assert.deepStrictEqual(lt.inputs.blockDeviceMappings.map((m: any) => [m.deviceName, m.ebs.encrypted]), [["/dev/sda1", "true"]]);
        assert.deepStrictEqual(lt.inputs.vpcSecurityGroupIds, ["sg-0123456789abcdef0"]);
    });

    describe("bad config", () => {
        const fleet = (f: (c: any) => any) => withConfig(readStackFile("dev"), "outpostFleet", f);
        const prodFleet = (f: (c: any) => any) => withConfig(readStackFile("prod"), "outpostFleet", f);
        const ov = (i: number, patch: Record<string, unknown>) => (c: any) => ({ ...c, overrides: c.overrides.map((o: any, j: number) => (j === i ? { ...o, ...patch } : o)) });
        const cases: { name: string; stack: "dev" | "prod"; raw: () => Record<string, unknown>; path: string; message: RegExp }[] = [
            { name: "Spot on an Outpost (outpostArn)", stack: "prod", raw: () => prodFleet((c) => ({ ...c, capacityType: "spot" })), path: "outpostFleet.capacityType", message: /spot is not available on an Outpost/ },
            { name: "Spot on an Outpost (onOutpost)", stack: "dev", raw: () => fleet((c) => ({ ...c, capacityType: "spot", onOutpost: true })), path: "outpostFleet.capacityType", message: /spot is not available on an Outpost/ },
            { name: "an override without a weight", stack: "dev", raw: () => fleet(ov(1, { weightedCapacity: undefined })), path: "outpostFleet.overrides[1].weightedCapacity", message: /required/ },
            { name: "an override without a priority", stack: "dev", raw: () => fleet(ov(0, { priority: undefined })), path: "outpostFleet.overrides[0].priority", message: /required/ },
            { name: "a zero weight", stack: "dev", raw: () => fleet(ov(2, { weightedCapacity: 0 })), path: "outpostFleet.overrides[2].weightedCapacity", message: /positive/ },
            { name: "a duplicate priority", stack: "dev", raw: () => fleet(ov(2, { priority: 1 })), path: "outpostFleet.overrides[2].priority", message: /already used by overrides\[0\]/ },
            { name: "a malformed instance type", stack: "dev", raw: () => fleet(ov(0, { instanceType: "m5-large" })), path: "outpostFleet.overrides[0].instanceType", message: /not an EC2 instance type/ },
            { name: "zero target capacity", stack: "dev", raw: () => fleet((c) => ({ ...c, targetCapacity: 0 })), path: "outpostFleet.targetCapacity", message: /positive/ },
            { name: "negative target capacity", stack: "dev", raw: () => fleet((c) => ({ ...c, targetCapacity: -2 })), path: "outpostFleet.targetCapacity", message: /positive/ },
            { name: "no overrides", stack: "dev", raw: () => fleet((c) => ({ ...c, overrides: [] })), path: "outpostFleet.overrides", message: /at least one override/ },
            { name: "a malformed subnet", stack: "dev", raw: () => fleet((c) => ({ ...c, subnetId: "outpost-subnet" })), path: "outpostFleet.subnetId", message: /subnet ID/ },
            { name: "a malformed Outpost ARN", stack: "dev", raw: () => fleet((c) => ({ ...c, outpostArn: "op-0000ffff0000fffff" })), path: "outpostFleet.outpostArn", message: /Outpost ARN/ },
            { name: "a malformed root device name", stack: "dev", raw: () => fleet((c) => ({ ...c, rootDeviceName: "sda1" })), path: "outpostFleet.rootDeviceName", message: /not a device name/ },
            { name: "an unknown Region", stack: "dev", raw: () => fleet((c) => ({ ...c, region: "us-west-9" })), path: "outpostFleet.region", message: /not an AWS Region/ },
        ];
        for (const c of cases) {
            it(`rejects ${c.name} at ${c.path}, registering nothing`, () => assertConfigProblem(c.stack, c.raw(), c.path, c.message));
        }

        it("allows Spot in the Region (no Outpost)", async () => {
            const run = await runConcern("dev", "outpostFleet", fleet((c) => ({ ...c, capacityType: "spot" })));
            const f = byName(run, "outpost-fleet-fleet");
            assert.strictEqual(f.inputs.type, "instant");
            assert.strictEqual(f.inputs.targetCapacitySpecification.defaultTargetCapacityType, "spot");
            assert.strictEqual(f.inputs.targetCapacitySpecification.spotTargetCapacity, f.inputs.targetCapacitySpecification.totalTargetCapacity);
            assert.strictEqual(f.inputs.spotOptions.allocationStrategy, "capacity-optimized-prioritized");
        });
    });
});
