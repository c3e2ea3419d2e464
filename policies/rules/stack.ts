import { PolicyResource } from "@pulumi/policy";
import { asList, parseJson, stackRule, tagsOf } from "./util";

/* eslint-disable @typescript-eslint/no-explicit-any */

const service = "Stack";
const AWS_PROVIDER = "pulumi:providers:aws";

/** Tags every aws provider applies through defaultTags. */
export const REQUIRED_TAGS = ["project", "stack", "owner", "cost-centre"];

/** True when `r` is managed by a provider the engine made up (default provider) or none at all. */
function onDefaultProvider(r: PolicyResource): boolean {
    const p = r.provider;
    if (!p) {
        return true;
    }
    return /::default(_[0-9_]+)?$/.test(p.urn) || /^default(_[0-9_]+)?$/.test(p.name);
}

export const noDefaultProvider = stackRule({
    name: "no-default-provider",
    service,
    controls: ["AWSARCH.STACK.1"],
    level: "mandatory",
    description:
        "Every aws (and kubernetes) resource uses an explicit provider (no default provider, so no ambient Region, account or kubeconfig).",
    check: (resources, _env, report) => {
        for (const r of resources) {
            if ((r.type.startsWith("aws:") || r.type.startsWith("kubernetes:")) && onDefaultProvider(r)) {
                report(`${r.type} ${r.name} uses ${r.provider ? `the default provider ${r.provider.name}` : "no explicit provider"}`, r.urn);
            }
        }
    },
});

export const providerPinned = stackRule({
    name: "provider-region-and-account",
    service,
    controls: ["AWSARCH.STACK.2"],
    level: "mandatory",
    description: "Every aws provider sets an explicit region and allowedAccountIds.",
    check: (resources, _env, report) => {
        for (const p of resources.filter((r) => r.type === AWS_PROVIDER)) {
            if (!p.props?.region) {
                report(`provider ${p.name} has no explicit region`, p.urn);
            }
            if (asList(parseJson(p.props?.allowedAccountIds)).length === 0) {
                report(`provider ${p.name} has no allowedAccountIds`, p.urn);
            }
        }
    },
});

export const providerTags = stackRule({
    name: "provider-default-tags",
    service,
    controls: ["AWSARCH.STACK.3"],
    level: "mandatory",
    description: `Every aws provider sets defaultTags ${REQUIRED_TAGS.join(", ")}.`,
    check: (resources, _env, report) => {
        for (const p of resources.filter((r) => r.type === AWS_PROVIDER)) {
            const dt = parseJson(p.props?.defaultTags);
            const tags = (parseJson(Array.isArray(dt) ? dt[0]?.tags : dt?.tags) ?? {}) as Record<string, string>;
            const missing = REQUIRED_TAGS.filter((t) => !tags[t]);
            if (missing.length > 0) {
                report(`provider ${p.name} defaultTags lack ${missing.join(", ")}`, p.urn);
            }
        }
    },
});

/** Resource types that hold data, keys, audit logs or paid capacity. */
export const STATEFUL_TYPES = [
    "aws:dynamodb/table:Table",
    "aws:s3/bucket:Bucket",
    "aws:s3/bucketV2:BucketV2",
    "aws:efs/fileSystem:FileSystem",
    "aws:msk/cluster:Cluster",
    "aws:msk/serverlessCluster:ServerlessCluster",
    "aws:kms/key:Key",
    "aws:directoryservice/directory:Directory",
    "aws:ec2/dedicatedHost:DedicatedHost",
    "aws:secretsmanager/secret:Secret",
];

/**
 * True for resources whose loss loses data. Log groups count when they are audit
 * logs (`/aws/events/*`); buckets tagged `data-class=ephemeral` hold no data.
 */
export function isStateful(r: Pick<PolicyResource, "type" | "props">): boolean {
    if (r.type === "aws:cloudwatch/logGroup:LogGroup") {
        return String(r.props?.name ?? "").startsWith("/aws/events/");
    }
    if ((r.type === "aws:s3/bucket:Bucket" || r.type === "aws:s3/bucketV2:BucketV2") && tagsOf(r.props ?? {})["data-class"] === "ephemeral") {
        return false;
    }
    return STATEFUL_TYPES.includes(r.type);
}

export const prodProtected = stackRule({
    name: "prod-stateful-protected",
    service,
    controls: ["AWSARCH.STACK.4"],
    level: "mandatory",
    description:
        "In prod, every stateful resource (tables, buckets unless data-class=ephemeral, EFS, MSK, KMS keys, directories, dedicated hosts, secrets, /aws/events/* log groups) is protected.",
    check: (resources, env, report) => {
        if (env !== "prod") {
            return;
        }
        for (const r of resources.filter(isStateful)) {
            if (!r.opts?.protect) {
                report(`${r.type} ${r.name} is stateful but not protected in prod`, r.urn);
            }
        }
    },
});

export const rules = [noDefaultProvider, providerPinned, providerTags, prodProtected];
