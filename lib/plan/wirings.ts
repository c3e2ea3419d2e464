import { AccessContract } from "../../functions/shared/contract";
import { CONTRACT as BATCH_MONITOR } from "../../functions/batch-stuck-monitor/contract";
import { CONTRACT as DISTRIBUTOR } from "../../functions/layer-distributor/contract";
import { CONTRACT as CONSUMER } from "../../functions/msk-factor-consumer/contract";
import { CONTRACT as PRODUCER } from "../../functions/msk-producer/contract";
import { CONTRACT as CERT_MONITOR } from "../../functions/msk-cert-monitor/contract";
import { CONTRACT as INDEXER } from "../../functions/sns-indexer/contract";
import { CONTRACT as INFERENCE } from "../../functions/sns-inference/contract";
import { CONTRACT as PUBLISHER } from "../../functions/sns-publisher/contract";
import { FUNCTION_UPDATE, IMAGE_BUILD } from "../../components/container-pipelines/contracts";
import { CLUSTER_AUTOSCALER, DEPLOYER, FLINK_JOB } from "../../components/flink-eks/contracts";
import { LAYER_BUILD } from "../../components/lambda-layers/contracts";
import { MAC_HOST } from "../../components/mac-dev/contracts";
import { Context, Principal, Statement } from "../iam/simulate";
import { lifecycleActions } from "../support/api-calls";
import type { AccessCall, AccessModel, Binding, Grant } from "./access";
import { RecordedResource } from "./recorder";

/* eslint-disable @typescript-eslint/no-explicit-any */

const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const parse = (v: unknown): any => (typeof v === "string" ? JSON.parse(v) : v);
const role = (arn: string): Principal => ({ kind: "role", arn });
const service = (name: string): Principal => ({ kind: "service", service: name });
const accountOfArn = (arn: string) => arn.split(":")[4];

/** A contract and the resources that run it: which role makes its calls, and what names its targets. */
export interface Workload {
    contract: AccessContract;
    /** The recorded resource type that runs the workload, and which of them (by logical name). */
    type: string;
    match: RegExp;
    /** The role, the environment its contract names targets through, and the invocations (for `input` targets). */
    bind(r: RecordedResource, model: AccessModel): ({ role: string } & Partial<Binding> & { env: Record<string, string> }) | undefined;
}

const lambdaEnv = (r: RecordedResource) => ({ role: r.inputs.role as string, env: (r.inputs.environment?.variables ?? {}) as Record<string, string> });
const codeBuildEnv = (r: RecordedResource) => ({
    role: r.inputs.serviceRole as string,
    env: Object.fromEntries(list<any>(r.inputs.environment?.environmentVariables).map((v) => [v.name, v.value])) as Record<string, string>,
});

/** The Invoke actions of the stack's pipelines that run function `fn`, each as the invocation's input (`UserParameters` parsed). */
function pipelineInvocations(model: AccessModel, fn: RecordedResource): Record<string, any>[] {
    const refs = model.refs(fn);
    return model
        .ofType("aws:codepipeline/pipeline:Pipeline")
        .flatMap((p) => list<any>(p.inputs.stages).flatMap((s) => list<any>(s.actions)))
        .filter((a) => a.category === "Invoke" && refs.has(a.configuration?.FunctionName))
        .map((a) => ({ UserParameters: parse(a.configuration.UserParameters) }));
}

/**
 * Every workload of the program with an access contract. A Lambda function, CodeBuild project or
 * IRSA role the stack creates that no entry binds fails the access spec, so a new handler cannot
 * ship without its contract.
 */
export const WORKLOADS: Workload[] = [
    { contract: BATCH_MONITOR, type: "aws:lambda/function:Function", match: /^batch-monitor-.+-fn-fn$/, bind: lambdaEnv },
    { contract: DISTRIBUTOR, type: "aws:lambda/function:Function", match: /-distributor$/, bind: (r, m) => ({ ...lambdaEnv(r), inputs: pipelineInvocations(m, r) }) },
    { contract: CONSUMER, type: "aws:lambda/function:Function", match: /^msk-consumer$/, bind: lambdaEnv },
    { contract: PRODUCER, type: "aws:lambda/function:Function", match: /^msk-producer$/, bind: lambdaEnv },
    { contract: CERT_MONITOR, type: "aws:lambda/function:Function", match: /^msk-cert-monitor-fn$/, bind: lambdaEnv },
    { contract: PUBLISHER, type: "aws:lambda/function:Function", match: /^sns-fanout-publisher-fn$/, bind: lambdaEnv },
    { contract: INDEXER, type: "aws:lambda/function:Function", match: /^sns-fanout-indexing-consumer-fn$/, bind: lambdaEnv },
    { contract: INFERENCE, type: "aws:lambda/function:Function", match: /^sns-fanout-inference-consumer-fn$/, bind: lambdaEnv },
    { contract: IMAGE_BUILD, type: "aws:codebuild/project:Project", match: /-image-build$/, bind: codeBuildEnv },
    { contract: FUNCTION_UPDATE, type: "aws:codebuild/project:Project", match: /-function-update$/, bind: codeBuildEnv },
    { contract: LAYER_BUILD, type: "aws:codebuild/project:Project", match: /^layer-pipeline-build$/, bind: codeBuildEnv },
    { contract: DEPLOYER, type: "aws:codebuild/project:Project", match: /-deployer-project$/, bind: codeBuildEnv },
    {
        contract: FLINK_JOB,
        type: "aws:iam/role:Role",
        match: /^flink-app-role$/,
        bind: (r, m) => {
            const bucket = m.run.resources.find((b) => b.type === "aws:s3/bucket:Bucket" && b.name === "flink-app-bucket");
            const stream = m.run.resources.find((b) => b.type === "aws:kinesis/stream:Stream" && b.name === "flink-app-stream");
            return bucket && stream ? { role: r.state.arn, env: { STATE_BUCKET: bucket.state.arn, INPUT_STREAM: stream.state.arn } } : undefined;
        },
    },
    {
        contract: CLUSTER_AUTOSCALER,
        type: "aws:iam/role:Role",
        match: /-autoscaler-role$/,
        bind: (r, m) => {
            const [, , , region, account] = r.state.arn.replace(":iam::", ":iam:us-east-1:").split(":");
            const cluster = m.ofType("eks:index:Cluster")[0];
            const name = cluster?.state?.eksCluster?.name ?? cluster?.inputs?.name;
            const groups = m.ofType("eks:index:ManagedNodeGroup");
            const ng = groups[0]?.inputs?.nodeGroupName ?? groups[0]?.name ?? "nodes";
            const clusterRegion = cluster?.region ?? region;
            return {
                role: r.state.arn,
                region: clusterRegion,
                context: { [`aws:ResourceTag/k8s.io/cluster-autoscaler/${name}`]: "owned", "aws:ResourceTag/k8s.io/cluster-autoscaler/enabled": "true" },
                env: {
                    NODEGROUP_ARN: `arn:aws:eks:${clusterRegion}:${account}:nodegroup/${name}/${ng}/00000000-0000-0000-0000-000000000000`,
                    ASG_ARN: `arn:aws:autoscaling:${clusterRegion}:${account}:autoScalingGroup:00000000-0000-0000-0000-000000000000:autoScalingGroupName/eks-${ng}-0000`,
                },
            };
        },
    },
    {
        contract: MAC_HOST,
        type: "aws:iam/instanceProfile:InstanceProfile",
        match: /-mac-profile$/,
        bind: (r, m) => {
            const roleRes = m.ofType("aws:iam/role:Role").find((x) => m.refs(x).has(r.inputs.role));
            const secret = m.ofType("aws:secretsmanager/secret:Secret").find((s) => /admin-secret$/.test(s.name));
            return roleRes && secret ? { role: roleRes.state.arn, env: { ADMIN_SECRET: secret.state.arn } } : undefined;
        },
    },
];

/** Context a service adds when it acts for a resource: the confused-deputy keys (IAM User Guide, "confused-deputy"). */
const onBehalfOf = (sourceArn: string, account = accountOfArn(sourceArn)): Context => ({ "aws:SourceArn": sourceArn, "aws:SourceAccount": account });

const eni = (region: string, account: string) => `arn:aws:ec2:${region}:${account}:network-interface/eni-0123456789abcdef0`;

function logStream(logGroupArn: string): string {
    return `${logGroupArn}:log-stream:2026/12/02/[$LATEST]0123456789abcdef`;
}

/**
 * The calls AWS services make for the stack's wirings, with which principal, per resource type.
 * Each cites the service's documentation of the permissions it needs. Calls are emitted only for
 * what the stack configures (a function in a VPC, a queue subscription, a KMS-encrypted log group).
 */
export function wiringCalls(model: AccessModel, notSimulated: string[]): AccessCall[] {
    const out: AccessCall[] = [];
    const add = (principal: Principal, actions: string[], resource: string, from: string, context?: Context, identity?: Statement[]) => {
        for (const action of actions) {
            out.push({ principal, action, resource, from, ...(context ? { context } : {}), ...(identity ? { identity } : {}) });
        }
    };

    for (const fn of model.ofType("aws:lambda/function:Function")) {
        const arn: string = fn.state.arn;
        const [, , , region, account] = arn.split(":");
        const r = fn.inputs.role as string;
        // Lambda Developer Guide, "lambda-intro-execution-role": Lambda assumes the execution role (aws:SourceAccount/SourceArn set).
        add(service("lambda.amazonaws.com"), ["sts:AssumeRole"], r, `Lambda ${fn.name}: assumes its execution role`, onBehalfOf(arn));
        // "monitoring-cloudwatchlogs": the runtime creates streams in, and writes to, the function's log group.
        const group = fn.inputs.loggingConfig?.logGroup ?? `/aws/lambda/${fn.inputs.name ?? fn.name}`;
        add(role(r), ["logs:CreateLogStream", "logs:PutLogEvents"], logStream(`arn:aws:logs:${region}:${account}:log-group:${group}`), `Lambda ${fn.name}: logs`);
        if (fn.inputs.tracingConfig?.mode === "Active") {
            // "services-xray": active tracing sends segments with the execution role.
            add(role(r), ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], "*", `Lambda ${fn.name}: active tracing`);
        }
        if (fn.inputs.vpcConfig) {
            // "configuration-vpc": Lambda manages the function's ENIs with the execution role.
            add(role(r), ["ec2:DescribeNetworkInterfaces"], "*", `Lambda ${fn.name}: VPC interfaces`);
            add(role(r), ["ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"], eni(region, account), `Lambda ${fn.name}: VPC interfaces`);
        }
        const dlq = fn.inputs.deadLetterConfig?.targetArn as string | undefined;
        if (dlq) {
            add(role(r), [dlq.includes(":sqs:") ? "sqs:SendMessage" : "sns:Publish"], dlq, `Lambda ${fn.name}: dead-letter queue`);
        }
    }

    for (const esm of model.ofType("aws:lambda/eventSourceMapping:EventSourceMapping")) {
        const fn = model.byArn(esm.inputs.functionName) ?? model.resolve(esm.inputs.functionName);
        if (!fn) {
            notSimulated.push(`${esm.name}: its function is not in the stack`);
            continue;
        }
        const r = role(fn.inputs.role);
        const source: string = esm.inputs.eventSourceArn;
        const from = `event source mapping ${esm.name}`;
        if (source.includes(":sqs:")) {
            // Lambda Developer Guide, "with-sqs" (execution role permissions).
            add(r, ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"], source, `${from}: polls the queue`);
        } else if (source.includes(":kafka:")) {
            // "with-msk-permissions": cluster discovery, the VPC interfaces of the poller, the mTLS secret.
            add(r, ["kafka:DescribeClusterV2"], source, `${from}: reads the cluster`);
            add(r, ["kafka:GetBootstrapBrokers"], "*", `${from}: finds the brokers (the action supports only *)`);
            add(r, ["ec2:DescribeNetworkInterfaces", "ec2:DescribeVpcs", "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups"], "*", `${from}: the poller's network interfaces`);
            add(r, ["ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface"], eni(esm.region ?? "", esm.accountId ?? ""), `${from}: the poller's network interfaces`);
            for (const c of list<any>(esm.inputs.sourceAccessConfigurations).filter((x) => x.type === "CLIENT_CERTIFICATE_TLS_AUTH")) {
                add(r, ["secretsmanager:GetSecretValue"], c.uri, `${from}: the client certificate`);
            }
        } else if (source.includes(":kinesis:")) {
            // "with-kinesis" (execution role permissions).
            add(r, ["kinesis:DescribeStream", "kinesis:DescribeStreamSummary", "kinesis:GetRecords", "kinesis:GetShardIterator", "kinesis:ListShards"], source, `${from}: reads the stream`);
        }
        const failure = esm.inputs.destinationConfig?.onFailure?.destinationArn as string | undefined;
        if (failure) {
            // "invocation-async-retain-records" / event source mapping destinations: sent with the execution role.
            add(r, [failure.includes(":sqs:") ? "sqs:SendMessage" : failure.includes(":sns:") ? "sns:Publish" : "s3:PutObject"], failure, `${from}: on-failure destination`);
        }
    }

    for (const sub of model.ofType("aws:sns/topicSubscription:TopicSubscription")) {
        const topic: string = sub.inputs.topic;
        const from = `SNS subscription ${sub.name}`;
        if (sub.inputs.protocol === "sqs") {
            // SNS Developer Guide, "subscribe-sqs-queue-to-sns-topic": the queue policy admits sns.amazonaws.com for the topic.
            add(service("sns.amazonaws.com"), ["sqs:SendMessage"], sub.inputs.endpoint, `${from}: delivers`, onBehalfOf(topic));
        } else if (sub.inputs.protocol === "firehose") {
            // "firehose-endpoints-subscribe" / "prereqs-kinesis-data-firehose": SNS assumes the subscription role.
            add(service("sns.amazonaws.com"), ["sts:AssumeRole"], sub.inputs.subscriptionRoleArn, `${from}: assumes the subscription role`, onBehalfOf(topic));
            add(role(sub.inputs.subscriptionRoleArn), ["firehose:DescribeDeliveryStream", "firehose:PutRecord", "firehose:PutRecordBatch"], sub.inputs.endpoint, `${from}: delivers`);
        } else if (sub.inputs.protocol === "lambda") {
            add(service("sns.amazonaws.com"), ["lambda:InvokeFunction"], sub.inputs.endpoint, `${from}: invokes`, onBehalfOf(topic));
        }
    }

    for (const t of model.ofType("aws:cloudwatch/eventTarget:EventTarget")) {
        const rule = model.ofType("aws:cloudwatch/eventRule:EventRule").find((r) => model.refs(r).has(t.inputs.rule) && r.accountId === t.accountId && r.region === t.region);
        const ruleArn: string | undefined = rule?.state.arn;
        if (!rule || !ruleArn) {
            notSimulated.push(`${t.name}: its rule is not in the stack`);
            continue;
        }
        const target: string = t.inputs.arn;
        const from = `EventBridge target ${t.name}`;
        // The rule runs in the account that created it (events:creatorAccount), which is the target's provider account.
        const ctx = onBehalfOf(ruleArn, t.accountId);
        if (t.inputs.roleArn) {
            // EventBridge User Guide, "eb-use-identity-based": EventBridge assumes the target role.
            add(service("events.amazonaws.com"), ["sts:AssumeRole"], t.inputs.roleArn, `${from}: assumes the target role`, ctx);
            const action = target.includes(":event-bus/") ? "events:PutEvents" : target.includes(":codepipeline:") ? "codepipeline:StartPipelineExecution" : undefined;
            if (action) {
                add(role(t.inputs.roleArn), [action], target, `${from}: delivers`);
            } else {
                notSimulated.push(`${t.name}: target ${target} with a role is not modelled`);
            }
        } else if (target.includes(":lambda:")) {
            add(service("events.amazonaws.com"), ["lambda:InvokeFunction"], target, `${from}: invokes`, ctx);
        } else if (target.includes(":logs:")) {
            // "eb-use-resource-based" (CloudWatch Logs targets): the log resource policy admits events.amazonaws.com.
            add(service("events.amazonaws.com"), ["logs:CreateLogStream", "logs:PutLogEvents"], logStream(target), `${from}: writes`, ctx);
        } else if (target.includes(":sns:")) {
            add(service("events.amazonaws.com"), ["sns:Publish"], target, `${from}: publishes`, ctx);
        } else {
            notSimulated.push(`${t.name}: target ${target} is not modelled`);
        }
    }

    // Cross-account rule management: the rule's own account creates rules and targets on another
    // account's bus (lib/support/api-calls.ts, from the Terraform AWS provider). The deploying
    // identity's own policies are the platform team's (outside the stack): modelled as allowing it,
    // so the bus policy decides, with events:creatorAccount set to the rule's account.
    for (const rule of model.ofType("aws:cloudwatch/eventRule:EventRule")) {
        const bus: string | undefined = rule.inputs.eventBusName;
        if (!bus?.startsWith("arn:") || accountOfArn(bus) === rule.accountId || !rule.accountId) {
            continue;
        }
        const deployer = role(`arn:aws:iam::${rule.accountId}:role/pulumi-deployer`);
        const admin: Statement[] = [{ Effect: "Allow", Action: "*", Resource: "*" }];
        const actions = lifecycleActions("aws:cloudwatch/eventRule:EventRule", "aws:cloudwatch/eventTarget:EventTarget");
        add(deployer, actions, rule.state.arn, `cross-account rule management of ${rule.name}`, { "events:creatorAccount": rule.accountId }, admin);
    }

    for (const g of model.ofType("aws:cloudwatch/logGroup:LogGroup")) {
        const key = g.inputs.kmsKeyId as string | undefined;
        if (!key) {
            continue;
        }
        const arn = `arn:aws:logs:${g.region}:${g.accountId}:log-group:${g.inputs.name}`;
        // CloudWatch Logs User Guide, "encrypt-log-data-kms": the Regional logs principal uses the key, with the group's ARN as encryption context.
        add(service(`logs.${g.region}.amazonaws.com`), ["kms:GenerateDataKey", "kms:Decrypt", "kms:Encrypt"], key, `log group ${g.name}: KMS encryption`, { "kms:EncryptionContext:aws:logs:arn": arn });
    }

    for (const d of model.ofType("aws:opensearch/domain:Domain")) {
        const domainArn = `arn:aws:es:${d.region}:${d.accountId}:domain/${d.inputs.domainName}`;
        for (const lp of list<{ logType?: string; cloudwatchLogGroupArn?: string; enabled?: boolean }>(d.inputs.logPublishingOptions)) {
            if (lp.enabled === false || typeof lp.cloudwatchLogGroupArn !== "string") {
                continue;
            }
            // OpenSearch Service Developer Guide, "createdomain-configure-slow-logs": es.amazonaws.com writes
            // through the log group's resource policy, for the domain (aws:SourceArn) of its account.
            add(service("es.amazonaws.com"), ["logs:CreateLogStream", "logs:PutLogEvents"], logStream(lp.cloudwatchLogGroupArn), `OpenSearch ${d.name}: publishes ${lp.logType}`, onBehalfOf(domainArn, d.accountId));
        }
    }

    for (const a of model.ofType("aws:cloudwatch/metricAlarm:MetricAlarm")) {
        for (const topic of new Set([...list<string>(a.inputs.alarmActions), ...list<string>(a.inputs.okActions)].filter((x) => x.includes(":sns:")))) {
            // CloudWatch User Guide, "alarms-and-actions" (encrypted topics): cloudwatch.amazonaws.com publishes, and needs the key.
            add(service("cloudwatch.amazonaws.com"), ["sns:Publish"], topic, `alarm ${a.name}: notifies`, onBehalfOf(a.state.arn ?? `arn:aws:cloudwatch:${a.region}:${a.accountId}:alarm:${a.name}`, a.accountId));
        }
    }

    for (const f of model.ofType("aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream")) {
        const s3 = f.inputs.extendedS3Configuration;
        if (!s3) {
            notSimulated.push(`${f.name}: destination ${f.inputs.destination} is not modelled`);
            continue;
        }
        const from = `Firehose ${f.name}`;
        // Firehose Developer Guide, "controlling-access" (S3 destination): Firehose assumes the role with sts:ExternalId = the account.
        add(service("firehose.amazonaws.com"), ["sts:AssumeRole"], s3.roleArn, `${from}: assumes its role`, { "sts:ExternalId": f.accountId ?? "" });
        add(role(s3.roleArn), ["s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads"], s3.bucketArn, `${from}: S3 destination`);
        add(role(s3.roleArn), ["s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload"], `${s3.bucketArn}/logs/2026/12/02/00/object.gz`, `${from}: S3 destination`);
        if (s3.cloudwatchLoggingOptions?.enabled) {
            const group = `arn:aws:logs:${f.region}:${f.accountId}:log-group:${s3.cloudwatchLoggingOptions.logGroupName}`;
            add(role(s3.roleArn), ["logs:PutLogEvents"], `${group}:log-stream:${s3.cloudwatchLoggingOptions.logStreamName}`, `${from}: error logging`);
        }
    }

    const projects = model.ofType("aws:codebuild/project:Project");
    const pipelineActions = model.ofType("aws:codepipeline/pipeline:Pipeline").flatMap((p) => list<any>(p.inputs.stages).flatMap((s) => list<any>(s.actions).map((a) => ({ p, a }))));
    for (const p of model.ofType("aws:codepipeline/pipeline:Pipeline")) {
        const r = p.inputs.roleArn as string;
        const from = `CodePipeline ${p.name}`;
        const store = list<any>(p.inputs.artifactStores)[0];
        const bucket = model.resolve(store?.location) ?? model.ofType("aws:s3/bucket:Bucket").find((b) => model.refs(b).has(store?.location));
        add(service("codepipeline.amazonaws.com"), ["sts:AssumeRole"], r, `${from}: assumes its role`, onBehalfOf(p.state.arn, p.accountId));
        if (bucket) {
            // CodePipeline User Guide, "how-to-custom-role" (minimum service role policy: artifact bucket and objects).
            add(role(r), ["s3:GetBucketVersioning", "s3:GetBucketAcl", "s3:GetBucketLocation"], bucket.state.arn, `${from}: artifact store`);
            add(role(r), ["s3:PutObject", "s3:GetObject", "s3:GetObjectVersion"], `${bucket.state.arn}/${p.name}/source_output/artifact.zip`, `${from}: artifact store`);
        } else {
            notSimulated.push(`${p.name}: artifact store ${store?.location} is not in the stack`);
        }
        for (const { a } of pipelineActions.filter((x) => x.p === p)) {
            const c = a.configuration ?? {};
            if (a.provider === "CodeCommit") {
                // "action-reference-CodeCommit" (service role permissions).
                add(role(r), ["codecommit:CancelUploadArchive", "codecommit:GetBranch", "codecommit:GetCommit", "codecommit:GetRepository", "codecommit:GetUploadArchiveStatus", "codecommit:UploadArchive"], `arn:aws:codecommit:${p.region}:${p.accountId}:${c.RepositoryName}`, `${from}: CodeCommit source`);
            } else if (a.provider === "CodeStarSourceConnection") {
                // "action-reference-CodestarConnectionSource": the connection's own action namespace.
                add(role(r), [c.ConnectionArn.includes(":codeconnections:") ? "codeconnections:UseConnection" : "codestar-connections:UseConnection"], c.ConnectionArn, `${from}: connection source`);
            } else if (a.provider === "CodeBuild") {
                const project = projects.find((x) => x.inputs.name === c.ProjectName || x.state.name === c.ProjectName);
                // "action-reference-CodeBuild" (service role permissions).
                add(role(r), ["codebuild:StartBuild", "codebuild:BatchGetBuilds"], project?.state.arn ?? `arn:aws:codebuild:${p.region}:${p.accountId}:project/${c.ProjectName}`, `${from}: build action`);
            } else if (a.provider === "Lambda") {
                // "action-reference-Lambda": the pipeline role invokes the function.
                add(role(r), ["lambda:InvokeFunction"], `arn:aws:lambda:${p.region}:${p.accountId}:function:${c.FunctionName}`, `${from}: invoke action`);
            } else {
                notSimulated.push(`${p.name}: action provider ${a.provider} is not modelled`);
            }
        }
    }

    for (const pr of projects) {
        const r = pr.inputs.serviceRole as string;
        const from = `CodeBuild ${pr.name}`;
        // CodeBuild User Guide, "setting-up-service-role": CodeBuild assumes the service role.
        add(service("codebuild.amazonaws.com"), ["sts:AssumeRole"], r, `${from}: assumes its role`, onBehalfOf(pr.state.arn, pr.accountId));
        const group = pr.inputs.logsConfig?.cloudwatchLogs?.groupName ?? `/aws/codebuild/${pr.inputs.name}`;
        add(role(r), ["logs:CreateLogStream", "logs:PutLogEvents"], logStream(`arn:aws:logs:${pr.region}:${pr.accountId}:log-group:${group}`), `${from}: build logs`);
        const src = pr.inputs.source ?? {};
        let bucket: RecordedResource | undefined;
        let reads: string | undefined;
        let writes = false;
        if (src.type === "CODEPIPELINE") {
            const uses = pipelineActions.filter(({ a }) => a.provider === "CodeBuild" && a.configuration?.ProjectName === (pr.inputs.name ?? pr.state.name));
            const store = uses.map(({ p }) => list<any>(p.inputs.artifactStores)[0]?.location)[0];
            bucket = model.resolve(store) ?? model.ofType("aws:s3/bucket:Bucket").find((b) => model.refs(b).has(store));
            reads = bucket ? `${bucket.state.arn}/${uses[0]?.p.name}/source_output/artifact.zip` : undefined;
            writes = uses.some(({ a }) => list(a.outputArtifacts).length > 0);
        } else if (src.type === "S3") {
            const [name, ...key] = String(src.location).split("/");
            bucket = model.resolve(name) ?? model.ofType("aws:s3/bucket:Bucket").find((b) => model.refs(b).has(name));
            reads = bucket ? `${bucket.state.arn}/${key.join("/")}` : undefined;
        }
        if (bucket && reads) {
            // "setting-up-service-role": S3 source/artifacts (GetObject, GetObjectVersion; PutObject for output artifacts) and the bucket's identity (GetBucketAcl, GetBucketLocation).
            add(role(r), ["s3:GetObject", "s3:GetObjectVersion"], reads, `${from}: reads its source`);
            if (writes) {
                add(role(r), ["s3:PutObject"], `${bucket.state.arn}/${pr.name}/output/artifact.zip`, `${from}: writes its output artifact`);
            }
            add(role(r), ["s3:GetBucketAcl", "s3:GetBucketLocation"], bucket.state.arn, `${from}: checks the bucket`);
        }
        for (const v of list<any>(pr.inputs.environment?.environmentVariables).filter((x) => x.type === "SECRETS_MANAGER")) {
            // "build-spec-ref" (env/secrets-manager): CodeBuild reads the secret with the service role.
            add(role(r), ["secretsmanager:GetSecretValue"], String(v.value).split(":").slice(0, 7).join(":"), `${from}: secret variable ${v.name}`);
        }
        if (pr.inputs.vpcConfig) {
            // "auth-and-access-control-iam-identity-based-access-control" (VPC network interface policy).
            add(role(r), ["ec2:DescribeDhcpOptions", "ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups", "ec2:DescribeVpcs"], "*", `${from}: VPC interfaces`);
            add(role(r), ["ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface"], eni(pr.region ?? "", pr.accountId ?? ""), `${from}: VPC interfaces`);
            for (const subnet of list<string>(pr.inputs.vpcConfig.subnets)) {
                add(
                    role(r),
                    ["ec2:CreateNetworkInterfacePermission"],
                    `arn:aws:ec2:${pr.region}:${pr.accountId}:network-interface/eni-0123456789abcdef0`,
                    `${from}: VPC interfaces`,
                    { "ec2:AuthorizedService": "codebuild.amazonaws.com", "ec2:Subnet": `arn:aws:ec2:${pr.region}:${pr.accountId}:subnet/${subnet}` },
                );
            }
        }
    }

    for (const r of model.ofType("aws:iam/role:Role")) {
        for (const st of model.roles.get(r.state.arn)?.trust ?? []) {
            const fed = list<string>((st.Principal as any)?.Federated)[0];
            if (fed && list(st.Action).includes("sts:AssumeRoleWithWebIdentity")) {
                // EKS User Guide, "iam-roles-for-service-accounts": the pod's projected token (sub, aud=sts.amazonaws.com).
                const issuer = fed.split(":oidc-provider/")[1];
                const sub = Object.values(st.Condition ?? {}).map((c) => c[`${issuer}:sub`]).find((v) => v !== undefined);
                add({ kind: "federated", provider: fed }, ["sts:AssumeRoleWithWebIdentity"], r.state.arn, `IRSA ${r.name}: the service account's token`, { [`${issuer}:sub`]: String(sub), [`${issuer}:aud`]: "sts.amazonaws.com" });
            }
        }
    }
    for (const p of model.ofType("aws:iam/instanceProfile:InstanceProfile")) {
        const roleRes = model.ofType("aws:iam/role:Role").find((x) => model.refs(x).has(p.inputs.role));
        if (roleRes) {
            // EC2 User Guide, "iam-roles-for-amazon-ec2": EC2 assumes the instance profile's role, with no
            // aws:SourceAccount/SourceArn in the request (prowler-cloud/prowler#2810, #7021).
            add(service("ec2.amazonaws.com"), ["sts:AssumeRole"], roleRes.state.arn, `instance profile ${p.name}`);
        }
    }
    for (const lg of model.ofType("aws:s3/bucketLogging:BucketLogging")) {
        const source = model.ofType("aws:s3/bucket:Bucket").find((b) => model.refs(b).has(lg.inputs.bucket));
        const target = model.resolve(lg.inputs.targetBucket) ?? model.ofType("aws:s3/bucket:Bucket").find((b) => model.refs(b).has(lg.inputs.targetBucket));
        if (!source || !target) {
            notSimulated.push(`${lg.name}: its source or target bucket is not in the stack`);
            continue;
        }
        // S3 User Guide, "enable-server-access-logging": the logging service principal writes the logs
        // with the source bucket as aws:SourceArn and its owner as aws:SourceAccount.
        add(service("logging.s3.amazonaws.com"), ["s3:PutObject"], `${target.state.arn}/${lg.inputs.targetPrefix ?? ""}2026-12-02-00-00-00-0123456789ABCDEF`, `access logging ${lg.name}`, onBehalfOf(source.state.arn, source.accountId));
    }
    for (const fl of model.ofType("aws:ec2/flowLog:FlowLog")) {
        if (fl.inputs.logDestinationType !== "cloud-watch-logs" || typeof fl.inputs.iamRoleArn !== "string") {
            notSimulated.push(`${fl.name}: flow logs to ${fl.inputs.logDestinationType} are not modelled`);
            continue;
        }
        const from = `flow log ${fl.name}`;
        const group: string = fl.inputs.logDestination;
        // VPC User Guide, "flow-logs-iam-role": VPC Flow Logs assumes the role (aws:SourceAccount, aws:SourceArn = the flow log).
        add(service("vpc-flow-logs.amazonaws.com"), ["sts:AssumeRole"], fl.inputs.iamRoleArn, `${from}: assumes its role`, onBehalfOf(`arn:aws:ec2:${fl.region}:${fl.accountId}:vpc-flow-log/${fl.state.id ?? "fl-0"}`, fl.accountId));
        add(role(fl.inputs.iamRoleArn), ["logs:CreateLogStream", "logs:PutLogEvents"], logStream(group), `${from}: delivers`);
        add(role(fl.inputs.iamRoleArn), ["logs:DescribeLogStreams"], `${group}:*`, `${from}: finds its streams`);
        add(role(fl.inputs.iamRoleArn), ["logs:DescribeLogGroups"], "*", `${from}: finds its group (the action supports only *)`);
    }
    for (const ng of model.ofType("eks:index:ManagedNodeGroup")) {
        if (typeof ng.inputs.nodeRoleArn === "string") {
            // EKS User Guide, "create-node-role": EKS creates the nodes' instance profile; EC2 assumes its role.
            add(service("ec2.amazonaws.com"), ["sts:AssumeRole"], ng.inputs.nodeRoleArn, `node group ${ng.name}`);
        }
    }
    return out;
}

/**
 * Grants no stated call needs but that stay, each with its reason. Everything else an identity
 * policy grants must be needed by a call (the access spec fails on any other excess).
 */
export const EXPLAINED: { role: RegExp; action: RegExp; why: string }[] = [
    {
        role: / \(logs\.[a-z0-9-]+\.amazonaws\.com\)$/,
        action: /^kms:/,
        why: "CloudWatch Logs' documented key statement (CloudWatch Logs User Guide, encrypt-log-data-kms: Encrypt*, Decrypt*, ReEncrypt*, GenerateDataKey*, Describe*), kept verbatim because the service does not publish which of them it calls; bounded to the concern's log groups by kms:EncryptionContext:aws:logs:arn",
    },
    {
        role: /-logs-policy#\d+ \(delivery\.logs\.amazonaws\.com\)$/,
        action: /^logs:(CreateLogStream|PutLogEvents)$/,
        why: "EventBridge's documented resource policy for CloudWatch Logs targets names delivery.logs.amazonaws.com with events.amazonaws.com (EventBridge User Guide, eb-use-resource-based), bounded to the rule by aws:SourceArn",
    },
    {
        role: /^security-hub-bus-policy#\d+ \(arn:aws:iam::\d{12}:root\)$/,
        action: /^events:PutEvents$/,
        why: "the design requires it (SPEC concern 1: the hub bus admits PutEvents only from the source accounts). The modelled delivery is the security account's role putting to its own bus; whether EventBridge also authorizes a rule on a source bus as that source account (EventBridge User Guide, eb-cross-account) is not published for rules another account manages there, so the admission stays, limited to the configured accounts",
    },
    {
        role: /^container-pipelines-repository-policy#\d+ \(lambda\.amazonaws\.com\)$/,
        action: /^ecr:(BatchGetImage|GetDownloadUrlForLayer)$/,
        why: "for the function the first pushed image creates (containerPipelines.function.imageUri): Lambda pulls the image with the repository policy (Lambda Developer Guide, images-create, Amazon ECR permissions); the stack creates the repository first",
    },
    {
        role: /^container-pipelines-key#\d+ \(cloudwatch\.amazonaws\.com\)$/,
        action: /^kms:(GenerateDataKey|Decrypt)$/,
        why: "for the function's error alarm into the pipeline's alarm topic, created with the function once containerPipelines.function.imageUri is set (the key is shared by the pipeline kit)",
    },
    {
        role: /-(build|image-build|function-update)-role$/,
        action: /^kms:DescribeKey$/,
        why: "CodeBuild's key statement for its service role (CodeBuild User Guide, setting-up-kms) lists DescribeKey; which CodeBuild request uses it is not published, so it stays on the artifact key only",
    },
    {
        role: /^msk-consumer-role$/,
        action: /^kms:(Encrypt|GenerateDataKey|DescribeKey)$/,
        why: "DynamoDB's key policy for customer managed keys (DynamoDB Developer Guide, encryption.usagenotes) admits Encrypt, Decrypt, GenerateDataKey* and DescribeKey for principals using the table through dynamodb.<region>; which a request uses with the caller's credentials is not published, so they stay, bounded by kms:ViaService and the table key",
    },
];

/** The reason `g` stays although no call needs it, if `EXPLAINED` has one. */
export function explainGrant(g: Grant): string | undefined {
    if (g.principal && g.owner && (g.principal === g.owner || g.principal === `arn:aws:iam::${g.owner}:root`)) {
        return "names its own account: that only lets the account's IAM policies decide (IAM User Guide, policy evaluation logic; KMS Developer Guide, default key policy), and those are held to the stated calls above";
    }
    return EXPLAINED.find((e) => e.role.test(g.role) && e.action.test(g.action))?.why;
}
