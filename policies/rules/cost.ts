import { environmentOf, obj, resourceRule } from "./util";

const service = "Cost";

export const natPerAzDev = resourceRule({
    name: "cost-nat-per-az-dev",
    service,
    controls: ["AWSARCH.COST.1"],
    level: "advisory",
    description: "In dev, an awsx Vpc uses one NAT gateway (natGateways.strategy Single or None), not one per AZ (the awsx default).",
    types: ["awsx:ec2:Vpc"],
    check: (p, r, report) => {
        if (environmentOf(r) !== "dev") {
            return;
        }
        const strategy = obj(p.natGateways)?.strategy ?? "OnePerAz";
        if (strategy === "OnePerAz") {
            report("dev VPC runs a NAT gateway per AZ (about 32 USD/month each plus data); use strategy Single");
        }
    },
});

export const macHost = resourceRule({
    name: "cost-mac-dedicated-host",
    service,
    controls: ["AWSARCH.COST.2"],
    level: "advisory",
    description: "Mac dedicated hosts bill for a 24-hour minimum from allocation; release them deliberately.",
    types: ["aws:ec2/dedicatedHost:DedicatedHost"],
    check: (p, _r, report) => {
        const t = String(p.instanceType ?? p.instanceFamily ?? "");
        if (t.startsWith("mac")) {
            report(`${t} host: billed for at least 24 hours after allocation, even if released sooner`);
        }
    },
});

export const openSearchDev = resourceRule({
    name: "cost-opensearch-dev",
    service,
    controls: ["AWSARCH.COST.3"],
    level: "advisory",
    description: "An OpenSearch domain in dev runs around the clock; leave it off in dev unless needed.",
    types: ["aws:opensearch/domain:Domain"],
    check: (_p, r, report) => {
        if (environmentOf(r) === "dev") {
            report("OpenSearch domain in dev bills per instance-hour even when idle");
        }
    },
});

export const rules = [natPerAzDev, macHost, openSearchDev];
