/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * Outputs the recording mock returns for resources and invokes: ids, realistic
 * ARNs built from the provider's Region and account, and the outputs remote
 * components (awsx, eks) expose, since their children are built by plugins that
 * do not run offline.
 */

function service(type: string): string {
    // "aws:cloudwatch/eventBus:EventBus" -> "cloudwatch"
    const m = /^aws:([^/]+)\//.exec(type);
    return m ? m[1] : "unknown";
}

function arnFor(type: string, name: string, inputs: any, region: string, account: string): string {
    const n = inputs.name ?? name;
    switch (type) {
        case "aws:cloudwatch/eventBus:EventBus":
            return `arn:aws:events:${region}:${account}:event-bus/${n}`;
        case "aws:cloudwatch/eventRule:EventRule": {
            const bus = typeof inputs.eventBusName === "string" ? inputs.eventBusName.split("/").pop() : "default";
            // A rule on another account's bus (eventBusName an ARN) lives in that account: AWS names it there.
            const [r, a] = typeof inputs.eventBusName === "string" && inputs.eventBusName.startsWith("arn:") ? inputs.eventBusName.split(":").slice(3, 5) : [region, account];
            return bus && bus !== "default" ? `arn:aws:events:${r}:${a}:rule/${bus}/${n}` : `arn:aws:events:${r}:${a}:rule/${n}`;
        }
        case "aws:cloudwatch/logGroup:LogGroup":
            return `arn:aws:logs:${region}:${account}:log-group:${n}`;
        case "aws:iam/role:Role":
            return `arn:aws:iam::${account}:role/${n}`;
        case "aws:iam/policy:Policy":
            return `arn:aws:iam::${account}:policy/${n}`;
        case "aws:iam/instanceProfile:InstanceProfile":
            return `arn:aws:iam::${account}:instance-profile/${n}`;
        case "aws:s3/bucket:Bucket":
        case "aws:s3/bucketV2:BucketV2":
            return `arn:aws:s3:::${inputs.bucket ?? n}`;
        case "aws:sns/topic:Topic":
            return `arn:aws:sns:${region}:${account}:${n}`;
        case "aws:sqs/queue:Queue":
            return `arn:aws:sqs:${region}:${account}:${n}`;
        case "aws:lambda/function:Function":
            return `arn:aws:lambda:${region}:${account}:function:${n}`;
        case "aws:lambda/layerVersion:LayerVersion":
            return `arn:aws:lambda:${region}:${account}:layer:${inputs.layerName ?? n}:1`;
        case "aws:dynamodb/table:Table":
            return `arn:aws:dynamodb:${region}:${account}:table/${n}`;
        case "aws:kms/key:Key":
            return `arn:aws:kms:${region}:${account}:key/${name}-0000`;
        case "aws:secretsmanager/secret:Secret":
            return `arn:aws:secretsmanager:${region}:${account}:secret:${n}-AbCdEf`;
        case "aws:kinesis/stream:Stream":
            return `arn:aws:kinesis:${region}:${account}:stream/${n}`;
        case "aws:ecr/repository:Repository":
            return `arn:aws:ecr:${region}:${account}:repository/${n}`;
        case "aws:msk/cluster:Cluster":
            return `arn:aws:kafka:${region}:${account}:cluster/${inputs.clusterName ?? n}/abcd-1234`;
        case "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream":
            return `arn:aws:firehose:${region}:${account}:deliverystream/${n}`;
        case "aws:opensearch/domain:Domain":
            return `arn:aws:es:${region}:${account}:domain/${inputs.domainName ?? n}`;
        case "aws:codepipeline/pipeline:Pipeline":
            return `arn:aws:codepipeline:${region}:${account}:${n}`;
        case "aws:codebuild/project:Project":
            return `arn:aws:codebuild:${region}:${account}:project/${n}`;
        case "aws:codestarconnections/connection:Connection":
            // Created through the codestar-connections API (terraform-provider-aws codestarconnections), so the
            // ARN keeps that service prefix.
            return `arn:aws:codestar-connections:${region}:${account}:connection/${name}-0000`;
        case "aws:acmpca/certificateAuthority:CertificateAuthority":
            return `arn:aws:acm-pca:${region}:${account}:certificate-authority/${name}-ca`;
        default:
            return `arn:aws:${service(type)}:${region}:${account}:${type.split(":").pop()?.toLowerCase()}/${n}`;
    }
}

function remoteOutputs(type: string, name: string, inputs: any, region: string, account: string): Record<string, any> {
    switch (type) {
        case "awsx:ec2:Vpc": {
            const azs: string[] = inputs.availabilityZoneNames ?? [`${region}a`, `${region}b`, `${region}c`].slice(0, inputs.numberOfAvailabilityZones ?? 2);
            // Subnets of the kinds the specs ask for (awsx's default: public and private).
            const kinds: string[] = (inputs.subnetSpecs ?? [{ type: "Public" }, { type: "Private" }]).map((s: { type: string }) => s.type);
            const subnets = (kind: string) => (kinds.includes(kind) ? azs.map((_, i) => `subnet-${name}-${kind.toLowerCase()}-${i}`) : []);
            return {
                vpcId: `vpc-${name}`,
                publicSubnetIds: subnets("Public"),
                privateSubnetIds: subnets("Private"),
                isolatedSubnetIds: subnets("Isolated"),
                natGateways: [],
                vpc: { id: `vpc-${name}`, cidrBlock: inputs.cidrBlock ?? "10.0.0.0/16", arn: `arn:aws:ec2:${region}:${account}:vpc/vpc-${name}` },
            };
        }
        case "eks:index:Cluster": {
            const clusterName = inputs.name ?? name;
            // As pulumi-eks' generateKubeconfig builds it (nodejs/eks/cluster/cluster.ts): providerCredentialOpts.roleArn adds `--role`.
            const roleArn = inputs.providerCredentialOpts?.roleArn;
            const tokenArgs = ["--region", region, "eks", "get-token", "--cluster-name", clusterName, "--output", "json", ...(roleArn ? ["--role", roleArn] : [])];
            const kubeconfig = {
                apiVersion: "v1",
                kind: "Config",
                clusters: [{ name: "kubernetes", cluster: { server: `https://${clusterName}.eks.${region}.amazonaws.com`, "certificate-authority-data": "Q0E=" } }],
                contexts: [{ name: "aws", context: { cluster: "kubernetes", user: "aws" } }],
                "current-context": "aws",
                users: [{ name: "aws", user: { exec: { apiVersion: "client.authentication.k8s.io/v1beta1", command: "aws", args: tokenArgs } } }],
            };
            const oidcIssuer = `oidc.eks.${region}.amazonaws.com/id/MOCK${name.replace(/[^A-Za-z0-9]/g, "").toUpperCase()}`;
            return {
                kubeconfig,
                kubeconfigJson: JSON.stringify(kubeconfig),
                eksCluster: {
                    name: clusterName,
                    arn: `arn:aws:eks:${region}:${account}:cluster/${clusterName}`,
                    endpoint: `https://${clusterName}.eks.${region}.amazonaws.com`,
                    certificateAuthority: { data: "Q0E=" },
                    version: inputs.version ?? "1.31",
                    identities: [{ oidcs: [{ issuer: `https://${oidcIssuer}` }] }],
                    vpcConfig: { clusterSecurityGroupId: `sg-${name}-cluster` },
                },
                core: { cluster: { name: clusterName }, oidcProvider: { arn: `arn:aws:iam::${account}:oidc-provider/${oidcIssuer}`, url: oidcIssuer } },
                clusterSecurityGroupId: `sg-${name}-cluster`,
                nodeSecurityGroupId: `sg-${name}-node`,
                oidcProviderArn: `arn:aws:iam::${account}:oidc-provider/${oidcIssuer}`,
                oidcProviderUrl: oidcIssuer,
                oidcIssuer,
                eksClusterIngressRule: {},
                instanceRoles: [],
            };
        }
        case "eks:index:ManagedNodeGroup":
            return {
                nodeGroup: {
                    nodeGroupName: inputs.nodeGroupName ?? name,
                    arn: `arn:aws:eks:${region}:${account}:nodegroup/${name}`,
                    capacityType: inputs.capacityType,
                    instanceTypes: inputs.instanceTypes,
                    labels: inputs.labels,
                    scalingConfig: inputs.scalingConfig,
                },
            };
        default:
            return {};
    }
}

/** The id and state the mock returns for a new resource. Ids are never empty. */
export function mockState(type: string, name: string, inputs: any, region: string, account: string): { id: string; state: Record<string, any> } {
    if (type.startsWith("pulumi:providers:")) {
        return { id: `${name}-provider-id`, state: { ...inputs } };
    }
    // The provider's id of a bucket is its name (terraform-provider-aws internal/service/s3/bucket.go:
    // d.SetId(bucket)), which the bucket's sub-resources receive through `bucket: b.id`.
    const id = type === "aws:s3/bucket:Bucket" || type === "aws:s3/bucketV2:BucketV2" ? (inputs.bucket ?? name) : `${name}-id`;
    const state: Record<string, any> = { ...inputs, ...remoteOutputs(type, name, inputs, region, account) };
    if (type.startsWith("aws:")) {
        state.arn = inputs.arn ?? arnFor(type, name, inputs, region, account);
        if (state.name === undefined) {
            state.name = name;
        }
        if (type === "aws:msk/cluster:Cluster") {
            const brokers = Array.from({ length: inputs.numberOfBrokerNodes ?? 2 }, (_, i) => `b-${i + 1}.${name}.kafka.${region}.amazonaws.com:9094`);
            state.bootstrapBrokersTls = brokers.join(",");
            state.zookeeperConnectStringTls = "";
            state.clusterName = inputs.clusterName ?? name;
        }
        if (type === "aws:lambda/layerVersion:LayerVersion") {
            state.layerArn = `arn:aws:lambda:${region}:${account}:layer:${inputs.layerName ?? name}`;
            state.version = "1";
        }
        if (type === "aws:s3/bucket:Bucket") {
            // The provider always sets `bucket` (the given name, else the auto-name); the ARN uses the same.
            state.bucket = inputs.bucket ?? name;
        }
        if (type === "aws:ecr/repository:Repository") {
            state.repositoryUrl = `${account}.dkr.ecr.${region}.amazonaws.com/${inputs.name ?? name}`;
        }
        if (type === "aws:sqs/queue:Queue") {
            state.url = `https://sqs.${region}.amazonaws.com/${account}/${inputs.name ?? name}`;
        }
        if (type === "aws:ec2/instance:Instance") {
            const n = Array.from(name).reduce((a, c) => (a * 31 + c.charCodeAt(0)) % 250, 7) + 2;
            state.privateIp = `10.0.${n}.10`;
            state.privateDns = `ip-10-0-${n}-10.${region}.compute.internal`;
            state.publicIp = inputs.associatePublicIpAddress ? `198.51.100.${n}` : "";
            state.publicDns = inputs.associatePublicIpAddress ? `ec2-198-51-100-${n}.${region}.compute.amazonaws.com` : "";
        }
        if (type === "aws:opensearch/domain:Domain") {
            state.endpoint = `search-${inputs.domainName ?? name}-mock.${region}.es.amazonaws.com`;
        }
        if (type === "aws:lambda/function:Function") {
            state.invokeArn = `arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/${state.arn}/invocations`;
            state.qualifiedArn = `${state.arn}:1`;
        }
    }
    if (type === "tls:index/privateKey:PrivateKey") {
        state.privateKeyPem = "-----BEGIN PRIVATE KEY-----\nMOCK\n-----END PRIVATE KEY-----\n";
        state.privateKeyPemPkcs8 = state.privateKeyPem;
        state.publicKeyOpenssh = "ssh-ed25519 AAAAMOCK";
        state.publicKeyPem = "-----BEGIN PUBLIC KEY-----\nMOCK\n-----END PUBLIC KEY-----\n";
    }
    if (type === "tls:index/certRequest:CertRequest") {
        state.certRequestPem = "-----BEGIN CERTIFICATE REQUEST-----\nMOCK\n-----END CERTIFICATE REQUEST-----\n";
    }
    if (type === "random:index/randomPassword:RandomPassword") {
        state.result = "mock-Password-123!";
    }
    return { id, state };
}

/** Zone-ID prefix of a Region as AWS spells it: us-east-1 → use1, ap-southeast-1 → apse1, eu-central-1 → euc1. */
export function zoneIdPrefix(region: string): string {
    const [area, dir, n] = region.split("-");
    const short: Record<string, string> = { north: "n", south: "s", east: "e", west: "w", central: "c", northeast: "ne", southeast: "se", northwest: "nw", southwest: "sw" };
    return `${area}${short[dir] ?? dir[0]}${n}`;
}

/** How many regular Availability Zones the mock gives a Region (as AWS has them: us-east-1 six, us-west-2 four, us-west-1 two). */
const ZONE_COUNT: Record<string, number> = { "us-east-1": 6, "us-west-2": 4, "us-west-1": 2, "ap-southeast-1": 3, "eu-central-1": 3, "eu-west-1": 3, "us-east-2": 3 };

/**
 * The mock account's zones: names a, b, c, ... mapped to zone IDs az1..azN rotated by the account
 * (AWS maps names to IDs independently per account), so code that picks zones by name instead of
 * by ID lands on a different ID in each account, as it would for real.
 */
export function mockZones(region: string, account: string): { name: string; id: string }[] {
    const n = ZONE_COUNT[region] ?? 3;
    const shift = Array.from(account).reduce((a, c) => a + Number(c), 0) % n;
    return Array.from({ length: n }, (_, i) => ({ name: `${region}${String.fromCharCode(97 + i)}`, id: `${zoneIdPrefix(region)}-az${((i + shift) % n) + 1}` }));
}

/** Results of invokes (data sources) under the recording mock. */
export function mockCall(token: string, inputs: any, region: string, account: string): Record<string, any> {
    switch (token) {
        case "aws:index/getCallerIdentity:getCallerIdentity":
            return { accountId: account, arn: `arn:aws:iam::${account}:user/mock`, userId: "AIDMOCK", id: account };
        case "aws:index/getRegion:getRegion":
            return { name: region, region, id: region, description: region, endpoint: `ec2.${region}.amazonaws.com` };
        case "aws:index/getPartition:getPartition":
            return { partition: "aws", dnsSuffix: "amazonaws.com", id: "aws", reverseDnsPrefix: "com.amazonaws" };
        case "aws:index/getAvailabilityZones:getAvailabilityZones": {
            const zones = mockZones(region, account).filter((z) => !(inputs.excludeZoneIds ?? []).includes(z.id) && !(inputs.excludeNames ?? []).includes(z.name));
            return { names: zones.map((z) => z.name), zoneIds: zones.map((z) => z.id), groupNames: zones.map(() => region), id: region };
        }
        case "aws:ec2/getInstanceTypeOfferings:getInstanceTypeOfferings": {
            // Every zone offers every type unless a test overrides this invoke (the real offerings vary by zone).
            const byId = inputs.locationType === "availability-zone-id";
            const types: string[] = (inputs.filters ?? []).find((f: any) => f.name === "instance-type")?.values ?? [];
            const zones = mockZones(region, account);
            const rows = zones.flatMap((z) => types.map((t) => ({ location: byId ? z.id : z.name, type: t })));
            return { id: region, locations: rows.map((r) => r.location), instanceTypes: rows.map((r) => r.type), locationTypes: rows.map(() => inputs.locationType) };
        }
        case "aws:ec2/getAmi:getAmi":
            return { id: `ami-${region}-mock`, imageId: `ami-${region}-mock`, architecture: "x86_64", name: "mock-ami" };
        case "aws:ssm/getParameter:getParameter":
            return { id: inputs.name, name: inputs.name, value: `ami-${region}-ssm-mock`, type: "String" };
        default:
            return { id: `${token}-mock` };
    }
}
