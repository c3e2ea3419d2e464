import { PolicyResource } from "@pulumi/policy";
import { asList, parseJson, stackRule, tagsOf } from "./util";

/* eslint-disable @typescript-eslint/no-explicit-any */

const service = "Stack";
const AWS_PROVIDER = "pulumi:providers:aws";

/** Tags every aws provider applies through defaultTags. */
export const REQUIRED_TAGS = ["project", "stack", "owner", "cost-centre"];

/** True when `provider` is one the engine made up (a default provider, `default` or `default_<version>`). */
function isDefaultProvider(provider: { urn: string; name: string }): boolean {
    return /::default(_[0-9_]+)?$/.test(provider.urn) || /^default(_[0-9_]+)?$/.test(provider.name);
}

/**
 * Remote (multi-language) component types the program uses: the engine gives them a provider of
 * their own package like a custom resource, but CrossGuard cannot tell them from local components.
 */
export const REMOTE_COMPONENT_TYPES = ["awsx:ec2:Vpc", "eks:index:Cluster", "eks:index:ManagedNodeGroup"];

/**
 * True when `type` is managed by a provider plugin: a bridged custom resource token
 * (`<pkg>:<module>/<name>:<Name>`, e.g. `aws:s3/bucket:Bucket`, `kubernetes:core/v1:ConfigMap`,
 * `tls:index/privateKey:PrivateKey`) or a known remote component. Local components
 * (`awsarch:...`, and the components remote plugins create inside themselves) have no provider.
 */
export function isProviderManaged(type: string): boolean {
    if (type.startsWith("pulumi:")) {
        return false;
    }
    return REMOTE_COMPONENT_TYPES.includes(type) || /^[a-z0-9-]+:[^:]+\/[^:]+:[^:]+$/i.test(type);
}

export const noDefaultProvider = stackRule({
    name: "no-default-provider",
    service,
    controls: ["AWSARCH.STACK.1"],
    level: "mandatory",
    description:
        "Every provider-managed resource and remote component, of every package (aws, awsx, eks, kubernetes, tls, random, ...), uses an explicit provider of its own package: no default provider, so no ambient Region, account or kubeconfig.",
    check: (resources, _env, report) => {
        for (const r of resources) {
            if (!isProviderManaged(r.type)) {
                continue;
            }
            const pkg = r.type.split(":")[0];
            const p = r.provider;
            if (!p) {
                report(`${r.type} ${r.name} uses no explicit provider (the engine would give it the default ${pkg} provider)`, r.urn);
            } else if (isDefaultProvider(p)) {
                report(`${r.type} ${r.name} uses the default provider ${p.name}`, r.urn);
            } else if (p.type !== `pulumi:providers:${pkg}`) {
                report(`${r.type} ${r.name} names a ${p.type} provider, not one of package ${pkg}`, r.urn);
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
