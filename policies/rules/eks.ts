import { asList, environmentOf, isFalse, isWorld, obj, resourceRule } from "./util";

/* eslint-disable @typescript-eslint/no-explicit-any */

const EKS_CLUSTER = "eks:index:Cluster";
const AWS_EKS_CLUSTER = "aws:eks/cluster:Cluster";

/** Endpoint settings of an `eks.Cluster` (inputs) or an `aws.eks.Cluster` (vpcConfig). */
function endpoint(type: string, p: Record<string, any>): { public: boolean; cidrs: string[] } {
    if (type === EKS_CLUSTER) {
        // @pulumi/eks defaults endpointPublicAccess to true.
        return { public: !isFalse(p.endpointPublicAccess), cidrs: asList<string>(p.publicAccessCidrs) };
    }
    const v = obj(p.vpcConfig) ?? {};
    return { public: !isFalse(v.endpointPublicAccess), cidrs: asList<string>(v.publicAccessCidrs) };
}

export const eksEndpoint = resourceRule({
    name: "eks-1-no-public-endpoint-prod",
    service: "EKS",
    controls: ["EKS.1", "CKV_AWS_38", "CKV_AWS_39", "AwsSolutions-EKS1"],
    level: "mandatory",
    description: "In prod, EKS clusters disable the public endpoint or restrict publicAccessCidrs (never 0.0.0.0/0).",
    types: [EKS_CLUSTER, AWS_EKS_CLUSTER],
    check: (p, r, report) => {
        if (environmentOf(r) !== "prod") {
            return;
        }
        const e = endpoint(r.type, p);
        if (e.public && (e.cidrs.length === 0 || e.cidrs.some(isWorld))) {
            report("prod cluster has a public endpoint open to 0.0.0.0/0; set endpointPublicAccess false or restrict publicAccessCidrs");
        }
    },
});

export const eksSecretsEncryption = resourceRule({
    name: "eks-3-secrets-encryption",
    service: "EKS",
    controls: ["EKS.3", "CKV_AWS_58"],
    level: "mandatory",
    description: "EKS clusters envelope-encrypt Kubernetes secrets with a KMS key (encryptionConfigKeyArn).",
    types: [EKS_CLUSTER, AWS_EKS_CLUSTER],
    check: (p, r, report) => {
        const ok =
            r.type === EKS_CLUSTER
                ? !!p.encryptionConfigKeyArn
                : !!obj(obj(p.encryptionConfig)?.provider)?.keyArn && asList<string>(obj(p.encryptionConfig)?.resources).includes("secrets");
        if (!ok) {
            report("secrets are not encrypted with a KMS key");
        }
    },
});

export const REQUIRED_LOG_TYPES = ["api", "audit", "authenticator"];

export const eksLogs = resourceRule({
    name: "eks-8-control-plane-logs",
    service: "EKS",
    controls: ["EKS.8", "CKV_AWS_37", "AwsSolutions-EKS2"],
    level: "mandatory",
    description: `EKS clusters enable the ${REQUIRED_LOG_TYPES.join(", ")} control-plane log types.`,
    types: [EKS_CLUSTER, AWS_EKS_CLUSTER],
    check: (p, _r, report) => {
        const have = asList<string>(p.enabledClusterLogTypes);
        const missing = REQUIRED_LOG_TYPES.filter((t) => !have.includes(t));
        if (missing.length > 0) {
            report(`enabledClusterLogTypes lacks ${missing.join(", ")}`);
        }
    },
});

/** The size part of an instance type (`m5.xlarge` → `xlarge`). */
export function sizeOf(instanceType: string): string {
    return instanceType.split(".").slice(1).join(".");
}

export const eksSpotDiversity = resourceRule({
    name: "eks-spot-instance-diversity",
    service: "EKS",
    controls: ["AWSARCH.EKS.1"],
    level: "mandatory",
    description: "Spot managed node groups list at least two instance types, all of the same size (vCPU/memory class).",
    types: ["eks:index:ManagedNodeGroup", "aws:eks/nodeGroup:NodeGroup"],
    check: (p, _r, report) => {
        if (p.capacityType !== "SPOT") {
            return;
        }
        const types = asList<string>(p.instanceTypes);
        if (types.length < 2) {
            report(`Spot node group lists ${types.length} instance type(s); list at least two`);
        } else if (new Set(types.map(sizeOf)).size > 1) {
            report(`Spot node group mixes sizes (${types.join(", ")}); the scheduler sees the smallest`);
        }
    },
});

export const rules = [eksEndpoint, eksSecretsEncryption, eksLogs, eksSpotDiversity];
