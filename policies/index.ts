import { PolicyPack } from "@pulumi/policy";
import { packPolicies } from "./rules";

// The only place the pack is constructed: `new PolicyPack` starts the policy
// gRPC server. Rules live in ./rules and are imported by tests and the offline plan.
new PolicyPack("awsarch-guard", {
    description: "Security, data-safety and cost rules for the awsarch program, named after Security Hub / Checkov controls.",
    enforcementLevel: "mandatory",
    policies: packPolicies,
});
