import * as assert from "assert";
import { EKS_VERSIONS } from "../lib/support";
import { parse as parseYaml } from "yaml";
import { readStackFile } from "../lib/config/load";
import { ProgramRun, RecordedResource, runConcern, withConfig } from "../lib/plan/recorder";
import { JOB_MANAGER_BACKOFF_LIMIT, KUBERNETES_HA_FACTORY, WORKER_NODE_POLICIES, flinkConf, flinkConfigFileName, log4jConsole } from "../components/flink-eks";
import { instanceShape } from "../lib/config/flink-eks";
import { asList, byName, descendantsOf, json, ofType, runWithWorkloads, statements } from "./helpers";

/* eslint-disable @typescript-eslint/no-explicit-any */

const REGION = "us-west-2";

function k8sObject(run: ProgramRun, name: string): RecordedResource {
    const r = byName(run, name);
    assert.ok(r.type.startsWith("kubernetes:"), `${name} is ${r.type}`);
    return r;
}

/** Parses `key: value` lines of flink-conf.yaml into a map. */
function parseConf(text: string): Record<string, string> {
    const parsed = parseYaml(text) as Record<string, unknown>;
    return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)]));
}

function flinkConfOf(run: ProgramRun): Record<string, string> {
    // Flink 1.19+ reads config.yaml (the stacks run 1.20).
    return parseConf(byName(run, "flink-app-config").inputs.data["config.yaml"] as string);
}

/** Patches `flinkEks.flink` of a raw stack config. */
const withFlink = (raw: Record<string, unknown>, patch: Record<string, unknown>) =>
    withConfig(raw, "flinkEks", (c) => ({ ...c, flink: { ...c.flink, ...patch } }));

/** Resource names of the Flink workloads, created only once an image is configured. */
const WORKLOADS = ["flink-app-jobmanager", "flink-app-taskmanager", "flink-app-jobmanager-svc", "flink-app-jobmanager-rest-svc", "flink-app-taskmanager-hpa"];

describe("Flink on EKS with Spot (concern 9)", () => {
    for (const stack of ["dev", "prod"] as const) {
        describe(`${stack} stack, once the job image is pushed (flink.imageTag set)`, () => {
            let run: ProgramRun;
            let cfg: any;
            let accountId: string;
            before(async () => {
                const raw = withFlink(readStackFile(stack), { imageTag: "v1" });
                cfg = raw["awsarch:flinkEks"];
                accountId = (raw["awsarch:accounts"] as any)[cfg.account].id;
                run = await runWithWorkloads(stack, raw, "flinkEks");
            });
            const platform = () => byName(run, "flink-eks", "awsarch:flinkEks:FlinkEksCluster");
            const app = () => byName(run, "flink-app", "awsarch:flinkEks:FlinkApplication");
            const mine = () => [platform(), app(), ...descendantsOf(run, platform().urn), ...descendantsOf(run, app().urn)];
            const oidcUrl = () => byName(run, "flink-eks-cluster").state.oidcProviderUrl as string;
            const oidcArn = () => byName(run, "flink-eks-cluster").state.oidcProviderArn as string;

            it(`puts every AWS resource and remote component in ${REGION}, in the workload account`, () => {
                const aws = mine().filter((r) => r.type.startsWith("aws:") || r.remote);
                assert.ok(aws.length >= 25, `only ${aws.length} AWS resources`);
                for (const r of aws) {
                    assert.strictEqual(r.region, REGION, `${r.name} region`);
                    assert.strictEqual(r.accountId, accountId, `${r.name} account`);
                }
            });

            it("no input of any resource renders an unresolved value", () => {
                for (const r of mine()) {
                    // A node group's `cluster` is a resource reference (checked in its own test).
                    const text = JSON.stringify(r.inputs, (k, v) => (k === "cluster" && r.type === "eks:index:ManagedNodeGroup" ? "ref" : v));
                    assert.ok(!/undefined|\[object Object\]/.test(text), `${r.name}: ${text.slice(0, 300)}`);
                }
            });

            it("passes the providers map (not a plain provider) to the VPC, the cluster and every node group", () => {
                const remote = mine().filter((r) => r.remote);
                assert.deepStrictEqual(
                    remote.map((r) => r.type).sort(),
                    ["awsx:ec2:Vpc", "eks:index:Cluster", ...Array(1 + cfg.spotGroups.length).fill("eks:index:ManagedNodeGroup")].sort(),
                );
                for (const r of remote) {
                    assert.match(r.providers.aws ?? "", new RegExp(`aws-${cfg.account}-${REGION}$`), r.name);
                }
            });

            it("cluster: private workers, API auth mode, KMS secrets encryption, all control-plane logs, OIDC, no default node group", () => {
                const c = byName(run, "flink-eks-cluster");
                const vpc = byName(run, "flink-eks-vpc");
                assert.strictEqual(c.inputs.name, cfg.cluster.name);
                assert.strictEqual(c.inputs.version, cfg.cluster.version);
                assert.strictEqual(c.inputs.skipDefaultNodeGroup, true);
                assert.strictEqual(c.inputs.authenticationMode, "API");
                assert.strictEqual(c.inputs.createOidcProvider, true);
                assert.strictEqual(c.inputs.nodeAssociatePublicIpAddress, false);
                assert.deepStrictEqual(c.inputs.privateSubnetIds, vpc.state.privateSubnetIds);
                assert.deepStrictEqual(c.inputs.publicSubnetIds, vpc.state.publicSubnetIds);
                assert.strictEqual(c.inputs.vpcId, vpc.state.vpcId);
                assert.strictEqual(c.inputs.encryptionConfigKeyArn, byName(run, "flink-eks-secrets-key").state.arn);
                assert.deepStrictEqual([...c.inputs.enabledClusterLogTypes].sort(), ["api", "audit", "authenticator", "controllerManager", "scheduler"]);
                assert.strictEqual(vpc.inputs.cidrBlock, cfg.vpc.cidrBlock);
                assert.strictEqual(byName(run, "flink-eks-secrets-key").inputs.enableKeyRotation, true);
                const lg = byName(run, "flink-eks-control-plane-logs");
                assert.strictEqual(lg.inputs.name, `/aws/eks/${cfg.cluster.name}/cluster`);
                assert.strictEqual(lg.inputs.retentionInDays, cfg.cluster.logRetentionDays);
                assert.ok(c.dependencies.includes(lg.urn), "the log group exists before EKS writes to it");
            });

            it(stack === "prod" ? "prod endpoint is private only, with admin access entries" : "dev endpoint is public only to the configured CIDRs", () => {
                const c = byName(run, "flink-eks-cluster");
                assert.strictEqual(c.inputs.endpointPrivateAccess, true);
                if (stack === "prod") {
                    assert.strictEqual(c.inputs.endpointPublicAccess, false);
                    assert.strictEqual(c.inputs.publicAccessCidrs, undefined);
                    const entries = Object.values(c.inputs.accessEntries) as any[];
                    assert.deepStrictEqual(entries.map((e) => e.principalArn), cfg.cluster.adminRoleArns);
                    assert.strictEqual(entries[0].accessPolicies.admin.policyArn, "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy");
                } else {
                    assert.strictEqual(c.inputs.endpointPublicAccess, true);
                    assert.deepStrictEqual(c.inputs.publicAccessCidrs, cfg.cluster.publicAccessCidrs);
                    assert.ok(!c.inputs.publicAccessCidrs.includes("0.0.0.0/0"));
                }
            });

            it("one ON_DEMAND node group labelled for the JobManager, with the configured types and scaling", () => {
                const ng = byName(run, "flink-eks-ng-ondemand");
                assert.strictEqual(ng.inputs.capacityType, "ON_DEMAND");
                assert.deepStrictEqual(ng.inputs.instanceTypes, cfg.onDemand.instanceTypes);
                assert.deepStrictEqual(ng.inputs.labels, { capacity: "ON_DEMAND", "flink-role": "jobmanager" });
                assert.deepStrictEqual(ng.inputs.scalingConfig, { minSize: cfg.onDemand.minSize, desiredSize: cfg.onDemand.desiredSize, maxSize: cfg.onDemand.maxSize });
                assert.strictEqual(ng.inputs.amiType, cfg.amiType);
            });

            it("Spot node groups: SPOT capacity, diversified types of one vCPU/memory shape, scaling from config", () => {
                const groups = ofType(run, "eks:index:ManagedNodeGroup").filter((r) => r.inputs.capacityType === "SPOT");
                assert.strictEqual(groups.length, cfg.spotGroups.length);
                for (const g of cfg.spotGroups) {
                    const ng = byName(run, `flink-eks-ng-spot-${g.name}`);
                    assert.strictEqual(ng.inputs.capacityType, "SPOT");
                    assert.deepStrictEqual(ng.inputs.instanceTypes, g.instanceTypes);
                    assert.ok(ng.inputs.instanceTypes.length >= 2);
                    const shapes = new Set(ng.inputs.instanceTypes.map((t: string) => JSON.stringify(instanceShape(t))));
                    assert.strictEqual(shapes.size, 1, `one shape in ${g.name}: ${[...shapes].join(" ")}`);
                    assert.deepStrictEqual(ng.inputs.labels, { capacity: "SPOT", "flink-role": "taskmanager" });
                    assert.deepStrictEqual(ng.inputs.scalingConfig, { minSize: g.minSize, desiredSize: g.desiredSize, maxSize: g.maxSize });
                    assert.strictEqual(ng.inputs.nodeGroupName, `${cfg.cluster.name}-spot-${g.name}`);
                }
            });

            it("every node group: private subnets, own node role, IMDSv2 launch template, no dead autoscaler tags", () => {
                const role = byName(run, "flink-eks-node-role");
                const lt = byName(run, "flink-eks-node-lt");
                assert.strictEqual(lt.inputs.metadataOptions.httpTokens, "required");
                assert.strictEqual(lt.inputs.blockDeviceMappings[0].ebs.encrypted, "true");
                for (const ng of ofType(run, "eks:index:ManagedNodeGroup")) {
                    assert.deepStrictEqual(ng.inputs.subnetIds, byName(run, "flink-eks-vpc").state.privateSubnetIds, ng.name);
                    assert.strictEqual(ng.inputs.nodeRoleArn, role.state.arn, ng.name);
                    assert.strictEqual(ng.inputs.launchTemplate.id, lt.state.id ?? `${lt.name}-id`, ng.name);
                    // Managed node group tags never reach the Auto Scaling group (EKS tags it for auto-discovery itself).
                    const caTags = Object.keys(ng.inputs.tags ?? {}).filter((k) => k.startsWith("k8s.io/cluster-autoscaler/"));
                    assert.deepStrictEqual(caTags, [], `${ng.name} carries tags that only matter on the Auto Scaling group`);
                    assert.strictEqual(ng.inputs.ignoreScalingChanges, true);
                    assert.strictEqual(ng.inputs.cluster.__name, "flink-eks-cluster", `${ng.name} joins the Flink cluster`);
                }
                assert.strictEqual(json(role.inputs.assumeRolePolicy).Statement[0].Principal.Service, "ec2.amazonaws.com");
                const attached = ofType(run, "aws:iam/rolePolicyAttachment:RolePolicyAttachment")
                    .filter((a) => a.inputs.role === role.state.name)
                    .map((a) => a.inputs.policyArn)
                    .sort();
                assert.deepStrictEqual(attached, [...WORKER_NODE_POLICIES].sort());
            });

            it("Cluster Autoscaler IRSA trust names kube-system:cluster-autoscaler on this cluster's OIDC provider, audience STS", () => {
                const [s] = statements(byName(run, "flink-eks-autoscaler-role").inputs.assumeRolePolicy);
                assert.strictEqual(s.Action, "sts:AssumeRoleWithWebIdentity");
                assert.strictEqual(s.Principal.Federated, oidcArn());
                assert.ok(!oidcUrl().startsWith("https://"));
                assert.deepStrictEqual(s.Condition.StringEquals, {
                    [`${oidcUrl()}:sub`]: "system:serviceaccount:kube-system:cluster-autoscaler",
                    [`${oidcUrl()}:aud`]: "sts.amazonaws.com",
                });
            });

            it("Cluster Autoscaler policy: Describe* on *, scaling only on groups tagged owned by this cluster", () => {
                const sts = statements(byName(run, "flink-eks-autoscaler-policy").inputs.policy);
                for (const s of sts) {
                    for (const a of asList<string>(s.Action)) {
                        assert.ok(!a.includes("*"), `wildcard action ${a}`);
                    }
                    if (s.Resource === "*") {
                        assert.ok(asList<string>(s.Action).every((a) => /:(Describe|Get)/.test(a)), `only read calls on *: ${s.Action}`);
                    }
                }
                // Scale from zero: the autoscaler reads a managed group's labels and capacity type through EKS.
                const describeNg = sts.find((s) => asList<string>(s.Action).includes("eks:DescribeNodegroup"));
                assert.ok(describeNg, "eks:DescribeNodegroup is missing");
                assert.strictEqual(describeNg.Resource, `arn:aws:eks:${REGION}:${accountId}:nodegroup/${cfg.cluster.name}/*`);
                const scale = sts.find((s) => asList<string>(s.Action).includes("autoscaling:SetDesiredCapacity"));
                assert.deepStrictEqual([...scale.Action].sort(), ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"]);
                assert.deepStrictEqual(scale.Condition.StringEquals, { [`aws:ResourceTag/k8s.io/cluster-autoscaler/${cfg.cluster.name}`]: "owned" });
                assert.match(scale.Resource, new RegExp(`^arn:aws:autoscaling:${REGION}:${accountId}:autoScalingGroup:`));
            });

            it("Cluster Autoscaler and metrics server are Helm releases with the right chart, repo and values", () => {
                const ca = k8sObject(run, "flink-eks-cluster-autoscaler");
                assert.strictEqual(ca.inputs.chart, "cluster-autoscaler");
                assert.strictEqual(ca.inputs.repositoryOpts.repo, "https://kubernetes.github.io/autoscaler");
                assert.strictEqual(ca.inputs.namespace, "kube-system");
                assert.strictEqual(ca.inputs.values.autoDiscovery.clusterName, cfg.cluster.name);
                assert.strictEqual(ca.inputs.values.awsRegion, REGION);
                assert.strictEqual(ca.inputs.values.rbac.serviceAccount.name, "cluster-autoscaler");
                assert.strictEqual(ca.inputs.values.rbac.serviceAccount.annotations["eks.amazonaws.com/role-arn"], byName(run, "flink-eks-autoscaler-role").state.arn);
                assert.strictEqual(ca.inputs.values.image.tag, EKS_VERSIONS.rows.find((r) => r.version === cfg.cluster.version)!.clusterAutoscalerImageTag, "the autoscaler release of the cluster's minor (EKS_VERSIONS)");
                assert.ok(ca.inputs.values.image.tag.startsWith(`v${cfg.cluster.version}.`), "the autoscaler's minor matches the cluster's");
                const ms = k8sObject(run, "flink-eks-metrics-server");
                assert.strictEqual(ms.inputs.chart, "metrics-server");
                assert.strictEqual(ms.inputs.repositoryOpts.repo, "https://kubernetes-sigs.github.io/metrics-server/");
            });

            it("the workloads stack's Kubernetes provider talks to the exported endpoint with a token of the caller (the in-VPC deployer)", () => {
                const p = byName(run, "flink-eks-k8s", "pulumi:providers:kubernetes");
                const kubeconfig = json(p.inputs.kubeconfig);
                const eksCluster = byName(run, "flink-eks-cluster").state.eksCluster;
                assert.strictEqual(kubeconfig.clusters[0].cluster.server, eksCluster.endpoint);
                assert.strictEqual(kubeconfig.clusters[0].cluster["certificate-authority-data"], eksCluster.certificateAuthority.data);
                const args = kubeconfig.users[0].user.exec.args as string[];
                assert.deepStrictEqual(args.slice(0, 6), ["--region", REGION, "eks", "get-token", "--cluster-name", cfg.cluster.name]);
                assert.ok(!args.includes("--role"), "the deployer's own role, which has the admin access entry");
                assert.ok(p.urn.startsWith(`urn:pulumi:${stack}-workloads::`), "the provider lives in the workloads stack");
            });

            it("the cluster's kubeconfig gets its token as the account's deployment role (providerCredentialOpts), not the ambient identity", () => {
                const deployRole = (readStackFile(stack)["awsarch:accounts"] as any)[cfg.account].deploymentRoleArn as string | undefined;
                const cluster = byName(run, "flink-eks-cluster");
                assert.deepStrictEqual(cluster.inputs.providerCredentialOpts, deployRole ? { roleArn: deployRole } : undefined);
                const args = json((run.outputs as any).flinkEks.kubeconfig).users[0].user.exec.args as string[];
                if (deployRole) {
                    assert.deepStrictEqual(args.slice(-2), ["--role", deployRole]);
                } else {
                    assert.ok(!args.includes("--role"), "dev: the caller's own credentials");
                }
            });

            it("the creator is admin through EKS's bootstrap entry only: no access entry repeats it; the deployer has its own", () => {
                const deployRole = (readStackFile(stack)["awsarch:accounts"] as any)[cfg.account].deploymentRoleArn as string | undefined;
                const entries = Object.values(byName(run, "flink-eks-cluster").inputs.accessEntries ?? {}) as any[];
                assert.ok(!entries.some((e) => e.principalArn === deployRole), "no second entry for the creator (409 ResourceInUseException)");
                const deployer = byName(run, "flink-eks-deployer-role");
                assert.strictEqual(byName(run, "flink-eks-deployer-access").inputs.principalArn, deployer.state.arn);
                assert.strictEqual(byName(run, "flink-eks-deployer-admin").inputs.policyArn, "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy");
            });

            it("every Kubernetes object uses the cluster's Kubernetes provider", () => {
                const provider = byName(run, "flink-eks-k8s", "pulumi:providers:kubernetes").urn;
                const objects = run.resources.filter((r) => r.type.startsWith("kubernetes:"));
                assert.ok(objects.length >= 12, `only ${objects.length} Kubernetes objects`);
                for (const r of objects) {
                    assert.strictEqual(r.provider, provider, `${r.type} ${r.name}`);
                }
            });

            it("Flink IRSA trust names the Flink service account; the annotation carries the role", () => {
                const role = byName(run, "flink-app-role");
                const [s] = statements(role.inputs.assumeRolePolicy);
                assert.strictEqual(s.Principal.Federated, oidcArn());
                assert.deepStrictEqual(s.Condition.StringEquals, {
                    [`${oidcUrl()}:sub`]: `system:serviceaccount:flink:flink-service-account`,
                    [`${oidcUrl()}:aud`]: "sts.amazonaws.com",
                });
                const sa = k8sObject(run, "flink-app-sa");
                assert.strictEqual(sa.inputs.metadata.name, "flink-service-account");
                assert.strictEqual(sa.inputs.metadata.namespace, "flink");
                assert.strictEqual(sa.inputs.metadata.annotations["eks.amazonaws.com/role-arn"], role.state.arn);
            });

            it("Flink IRSA policy is limited to the job's bucket, its stream (read) and its key", () => {
                const bucketArn = byName(run, "flink-app-bucket").state.arn;
                const streamArn = byName(run, "flink-app-stream").state.arn;
                const keyArn = byName(run, "flink-app-data-key").state.arn;
                const sts = statements(byName(run, "flink-app-role-policy").inputs.policy);
                const resources = sts.flatMap((s) => asList<string>(s.Resource)).sort();
                assert.deepStrictEqual(resources, [bucketArn, `${bucketArn}/*`, keyArn, streamArn].sort());
                const byRes = (r: string) => sts.find((s) => s.Resource === r);
                assert.ok(byRes(bucketArn).Action.includes("s3:ListBucket"));
                assert.deepStrictEqual(
                    byRes(`${bucketArn}/*`).Action.filter((a: string) => /Object$/.test(a)).sort(),
                    ["s3:DeleteObject", "s3:GetObject", "s3:PutObject"],
                );
                const kinesis = byRes(streamArn).Action as string[];
                assert.ok(kinesis.includes("kinesis:GetRecords") && kinesis.includes("kinesis:GetShardIterator"));
                assert.ok(kinesis.every((a) => /^kinesis:(Describe|Get|List|Subscribe)/.test(a)), `read-only: ${kinesis}`);
                for (const s of sts) {
                    assert.ok(asList<string>(s.Action).every((a) => !a.includes("*")));
                }
            });

            it("HA RBAC: a namespaced Role on ConfigMaps bound to the Flink service account", () => {
                const role = k8sObject(run, "flink-app-ha-role");
                const cm = role.inputs.rules.find((r: any) => r.resources.includes("configmaps"));
                // deletecollection: Kubernetes HA removes its ConfigMaps with a collection delete.
                assert.deepStrictEqual([...cm.verbs].sort(), ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]);
                const binding = k8sObject(run, "flink-app-ha-binding");
                assert.deepStrictEqual(binding.inputs.roleRef, { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: role.inputs.metadata.name });
                assert.deepStrictEqual(binding.inputs.subjects, [{ kind: "ServiceAccount", name: "flink-service-account", namespace: "flink" }]);
            });

            it("flink-config (Flink 1.20 keys): reactive scheduler, Kubernetes HA and checkpoints on the job bucket, restarts, slots and memory", () => {
                const conf = flinkConfOf(run);
                const bucket = `${cfg.cluster.name}-flink-${accountId}-${REGION}`;
                assert.strictEqual(cfg.flink.flinkVersion, "1.20.4");
                assert.strictEqual(byName(run, "flink-app-bucket").inputs.bucket, bucket);
                assert.strictEqual(conf["scheduler-mode"], "reactive");
                assert.strictEqual(conf["high-availability.type"], "kubernetes");
                assert.strictEqual(conf["high-availability"], undefined);
                assert.strictEqual(conf["high-availability.storageDir"], `s3://${bucket}/ha`);
                assert.strictEqual(conf["execution.checkpointing.dir"], `s3://${bucket}/checkpoints`);
                assert.strictEqual(conf["execution.checkpointing.savepoint-dir"], `s3://${bucket}/savepoints`);
                assert.strictEqual(conf["execution.checkpointing.interval"], `${cfg.flink.checkpointIntervalSeconds ?? 10}s`);
                assert.strictEqual(conf["state.backend.type"], "rocksdb");
                assert.strictEqual(conf["restart-strategy.type"], "exponential-delay");
                assert.strictEqual(conf["restart-strategy.exponential-delay.max-backoff"], "60 s");
                assert.ok(!Object.keys(conf).some((k) => k.includes("attempts")), "no attempt limit: a Spot reclaim never exhausts the job");
                assert.strictEqual(conf["taskmanager.numberOfTaskSlots"], String(cfg.flink.taskSlots ?? 2));
                assert.strictEqual(conf["jobmanager.memory.process.size"], "1600m");
                assert.strictEqual(conf["taskmanager.memory.process.size"], "1728m");
                assert.strictEqual(conf["kubernetes.namespace"], "flink");
                const cm = byName(run, "flink-app-config");
                assert.strictEqual(cm.inputs.metadata.name, "flink-config");
                assert.deepStrictEqual(Object.keys(cm.inputs.data).sort(), ["config.yaml", "log4j-console.properties"], "1.19+ reads config.yaml");
                const log4j = cm.inputs.data["log4j-console.properties"] as string;
                assert.match(log4j, /^logger\.pekko\.name = org\.apache\.pekko$/m);
                assert.ok(!/akka/.test(log4j), "no Akka loggers on 1.18+");
            });

            it("node selectors: JobManager on ON_DEMAND, TaskManagers on SPOT; both mount flink-config and use the service account", () => {
                const jm = k8sObject(run, "flink-app-jobmanager");
                const tm = k8sObject(run, "flink-app-taskmanager");
                assert.deepStrictEqual(jm.inputs.spec.template.spec.nodeSelector, { "eks.amazonaws.com/capacityType": "ON_DEMAND" });
                assert.deepStrictEqual(tm.inputs.spec.template.spec.nodeSelector, { "eks.amazonaws.com/capacityType": "SPOT" });
                for (const d of [jm, tm]) {
                    const pod = d.inputs.spec.template.spec;
                    assert.strictEqual(pod.serviceAccountName, "flink-service-account");
                    assert.strictEqual(pod.volumes[0].configMap.name, "flink-config");
                    assert.deepStrictEqual(pod.volumes[0].configMap.items.map((i: any) => i.path), ["config.yaml", "log4j-console.properties"]);
                    assert.strictEqual(pod.containers[0].securityContext.allowPrivilegeEscalation, false);
                    // The image keeps the S3 filesystems in /opt/flink/opt; the entrypoint links the named one into plugins/.
                    assert.deepStrictEqual(
                        pod.containers[0].env.find((e: any) => e.name === "ENABLE_BUILT_IN_PLUGINS"),
                        { name: "ENABLE_BUILT_IN_PLUGINS", value: "flink-s3-fs-hadoop-1.20.4.jar" },
                    );
                }
            });

            it("the JobManager is a batch/v1 Job as Flink's application-mode manifests have it: restart on failure, Pulumi does not wait for it", () => {
                const jm = k8sObject(run, "flink-app-jobmanager");
                assert.strictEqual(jm.type, "kubernetes:batch/v1:Job");
                assert.strictEqual(jm.inputs.spec.template.spec.restartPolicy, "OnFailure");
                assert.strictEqual(jm.inputs.spec.parallelism, 1);
                assert.strictEqual(jm.inputs.spec.backoffLimit, JOB_MANAGER_BACKOFF_LIMIT);
                assert.strictEqual(jm.inputs.metadata.annotations["pulumi.com/skipAwait"], "true", "a streaming job never completes");
                assert.strictEqual(k8sObject(run, "flink-app-taskmanager").type, "kubernetes:apps/v1:Deployment");
            });

            it("application mode: the JobManager runs the configured class from the repository image; TaskManagers have requests = limits", () => {
                const jm = k8sObject(run, "flink-app-jobmanager").inputs.spec.template.spec.containers[0];
                assert.deepStrictEqual(jm.args.slice(0, 5), ["standalone-job", "--host", "$(POD_IP)", "--job-classname", cfg.flink.jobClass]);
                const repoUrl = byName(run, "flink-app-repo").state.repositoryUrl;
                assert.strictEqual(jm.image, `${repoUrl}:${cfg.flink.imageTag}`);
                const tm = k8sObject(run, "flink-app-taskmanager").inputs.spec.template.spec.containers[0];
                assert.deepStrictEqual(tm.args, ["taskmanager"]);
                assert.deepStrictEqual(tm.resources.requests, { cpu: "1", memory: "1728Mi" });
                assert.deepStrictEqual(tm.resources.limits, tm.resources.requests);
                assert.strictEqual(tm.image, jm.image);
            });

            it("Services expose the JobManager rpc, blob and web UI ports, and REST, inside the cluster", () => {
                const svc = k8sObject(run, "flink-app-jobmanager-svc");
                assert.deepStrictEqual(svc.inputs.spec.ports.map((p: any) => p.port).sort(), [6123, 6124, 8081]);
                assert.deepStrictEqual(svc.inputs.spec.selector, { app: "flink", component: "jobmanager" });
                const rest = k8sObject(run, "flink-app-jobmanager-rest-svc");
                assert.strictEqual(rest.inputs.spec.ports[0].port, 8081);
                for (const s of [svc, rest]) {
                    assert.strictEqual(s.inputs.spec.type, "ClusterIP");
                }
            });

            it("HPA (autoscaling/v2) targets the TaskManager Deployment on CPU with the configured bounds", () => {
                const hpa = k8sObject(run, "flink-app-taskmanager-hpa");
                assert.strictEqual(hpa.type, "kubernetes:autoscaling/v2:HorizontalPodAutoscaler");
                const tm = k8sObject(run, "flink-app-taskmanager");
                assert.deepStrictEqual(hpa.inputs.spec.scaleTargetRef, { apiVersion: "apps/v1", kind: "Deployment", name: tm.inputs.metadata.name });
                assert.strictEqual(hpa.inputs.metadata.namespace, tm.inputs.metadata.namespace);
                assert.strictEqual(hpa.inputs.spec.minReplicas, cfg.flink.hpa.minReplicas);
                assert.strictEqual(tm.inputs.spec.replicas, undefined, "the HPA, not Pulumi, owns the TaskManager count");
                assert.strictEqual(hpa.inputs.spec.maxReplicas, cfg.flink.hpa.maxReplicas);
                assert.deepStrictEqual(hpa.inputs.spec.metrics, [
                    { type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: cfg.flink.hpa.targetCpuPercent } } },
                ]);
                // Each removed TaskManager restarts the job: one at a time, after a 10-minute stabilization window.
                assert.deepStrictEqual(hpa.inputs.spec.behavior, {
                    scaleDown: { stabilizationWindowSeconds: 600, selectPolicy: "Min", policies: [{ type: "Pods", value: 1, periodSeconds: 300 }] },
                });
            });

            it("Kinesis stream and ECR repository are KMS-encrypted; the repository scans on push with immutable tags", () => {
                const key = byName(run, "flink-app-data-key").state.arn;
                const stream = byName(run, "flink-app-stream");
                assert.strictEqual(stream.inputs.encryptionType, "KMS");
                assert.strictEqual(stream.inputs.kmsKeyId, key);
                assert.strictEqual(stream.inputs.name, "ExampleInputStream");
                const repo = byName(run, "flink-app-repo");
                assert.strictEqual(repo.inputs.imageTagMutability, "IMMUTABLE");
                assert.strictEqual(repo.inputs.imageScanningConfiguration.scanOnPush, true);
                assert.deepStrictEqual(repo.inputs.encryptionConfigurations, [{ encryptionType: "KMS", kmsKey: key }]);
            });

            it("bucket: KMS by default, versioned, public access blocked, TLS-only policy", () => {
                const bucket = byName(run, "flink-app-bucket");
                const sse = byName(run, "flink-app-bucket-sse").inputs.rules[0].applyServerSideEncryptionByDefault;
                assert.deepStrictEqual(sse, { sseAlgorithm: "aws:kms", kmsMasterKeyId: byName(run, "flink-app-data-key").state.arn });
                assert.strictEqual(byName(run, "flink-app-bucket-versioning").inputs.versioningConfiguration.status, "Enabled");
                const pab = byName(run, "flink-app-bucket-pab").inputs;
                assert.ok(pab.blockPublicAcls && pab.blockPublicPolicy && pab.ignorePublicAcls && pab.restrictPublicBuckets);
                const [deny] = statements(byName(run, "flink-app-bucket-policy").inputs.policy);
                assert.strictEqual(deny.Effect, "Deny");
                assert.deepStrictEqual(deny.Condition, { Bool: { "aws:SecureTransport": "false" } });
                assert.deepStrictEqual(deny.Resource, [bucket.state.arn, `${bucket.state.arn}/*`]);
            });

            it(`stateful resources (keys, bucket, stream, repository, control-plane logs) are ${stack === "prod" ? "" : "not "}protected`, () => {
                for (const n of ["flink-eks-secrets-key", "flink-app-data-key", "flink-app-bucket", "flink-app-stream", "flink-app-repo", "flink-eks-control-plane-logs"]) {
                    assert.strictEqual(byName(run, n).protect, stack === "prod", n);
                }
            });

            it("the in-VPC deployer: private subnets, HTTPS out only, unprivileged, a role limited to its source, token and key", () => {
                const project = byName(run, "flink-eks-deployer-project");
                const sg = byName(run, "flink-eks-deployer-sg");
                const sgId = `${sg.name}-id`;
                const vpc = byName(run, "flink-eks-vpc");
                assert.deepStrictEqual(project.inputs.vpcConfig.subnets, vpc.state.privateSubnetIds);
                assert.deepStrictEqual(project.inputs.vpcConfig.securityGroupIds, [sgId]);
                assert.strictEqual(project.inputs.environment.privilegedMode, false);
                assert.strictEqual(project.inputs.environment.environmentVariables.find((v: any) => v.name === "PULUMI_ACCESS_TOKEN").type, "SECRETS_MANAGER");
                const egress = ofType(run, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule").filter((r) => r.inputs.securityGroupId === sgId);
                assert.deepStrictEqual(egress.map((r) => [r.inputs.ipProtocol, r.inputs.fromPort, r.inputs.toPort]), [["tcp", 443, 443]]);
                assert.strictEqual(ofType(run, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter((r) => r.inputs.securityGroupId === sgId).length, 0, "nothing may reach the builds");

                const role = byName(run, "flink-eks-deployer-role");
                assert.strictEqual(statements(role.inputs.assumeRolePolicy)[0].Principal.Service, "codebuild.amazonaws.com");
                const policy = run.resources.find((r) => r.type === "aws:iam/rolePolicy:RolePolicy" && r.inputs.role === `${role.name}-id`);
                assert.ok(policy, "the deployer role's inline policy");
                const sts = statements(policy.inputs.policy);
                const bucketArn = byName(run, "flink-eks-deployer-source").state.arn;
                const scoped = sts.filter((st) => st.Resource !== "*").flatMap((st) => asList<string>(st.Resource)).sort();
                assert.deepStrictEqual(
                    scoped,
                    [
                        `arn:aws:logs:${REGION}:${accountId}:log-group:/aws/codebuild/${cfg.cluster.name}-workloads:*`,
                        bucketArn,
                        `${bucketArn}/*`,
                        byName(run, "flink-eks-deployer-pulumi-token").state.arn,
                        byName(run, "flink-eks-deployer-key").state.arn,
                        `arn:aws:ec2:${REGION}:${accountId}:network-interface/*`,
                    ].sort(),
                );
                // Only the VPC calls CodeBuild documents as *-only run on *; the ENI permission is tied to CodeBuild and the subnets.
                const star = sts.filter((st) => st.Resource === "*").flatMap((st) => asList<string>(st.Action));
                assert.ok(star.every((a) => a.startsWith("ec2:Describe") || a === "ec2:CreateNetworkInterface" || a === "ec2:DeleteNetworkInterface"), star.join(", "));
                const perm = sts.find((st) => asList<string>(st.Action).includes("ec2:CreateNetworkInterfacePermission"));
                assert.strictEqual(perm.Condition.StringEquals["ec2:AuthorizedService"], "codebuild.amazonaws.com");
                assert.deepStrictEqual(perm.Condition.ArnEquals["ec2:Subnet"], (vpc.state.privateSubnetIds as string[]).map((id) => `arn:aws:ec2:${REGION}:${accountId}:subnet/${id}`));
            });

            it("exports the kubeconfig as a secret and the names users need; no next step once the image is set", async () => {
                const out = (run.outputs as any).flinkEks;
                assert.strictEqual(out.clusterName, cfg.cluster.name);
                assert.strictEqual(out.region, REGION);
                assert.ok((json(out.kubeconfig).users[0].user.exec.args as string[]).includes(cfg.cluster.name));
                assert.strictEqual(out.streamArn, byName(run, "flink-app-stream").state.arn);
                assert.strictEqual(out.image, `${byName(run, "flink-app-repo").state.repositoryUrl}:v1`);
                assert.strictEqual(out.nextStep, undefined);
            });
        });

        describe(`${stack} stack as committed (no job image yet: first deploy)`, () => {
            let run: ProgramRun;
            before(async () => {
                assert.strictEqual((readStackFile(stack)["awsarch:flinkEks"] as any).flink.imageTag, undefined, "the stack file names no image");
                run = await runWithWorkloads(stack, undefined, "flinkEks");
            });

            it("creates no Flink Deployment, Service or HPA, so nothing waits on an image that cannot exist yet", () => {
                const kinds = run.resources.filter((r) => /apps\/v1:Deployment|core\/v1:Service$|HorizontalPodAutoscaler/.test(r.type));
                assert.deepStrictEqual(kinds.map((r) => r.name), []);
                for (const n of WORKLOADS) {
                    assert.ok(!run.resources.some((r) => r.name === n), `${n} exists`);
                }
            });

            it("still creates the cluster, node groups, add-ons, namespace, RBAC, IRSA, ConfigMap, bucket, stream and repository", () => {
                for (const n of [
                    "flink-eks-cluster",
                    "flink-eks-ng-ondemand",
                    "flink-eks-cluster-autoscaler",
                    "flink-eks-metrics-server",
                    "flink-app-ns",
                    "flink-app-sa",
                    "flink-app-ha-role",
                    "flink-app-ha-binding",
                    "flink-app-config",
                    "flink-app-role",
                    "flink-app-bucket",
                    "flink-app-stream",
                    "flink-app-repo",
                ]) {
                    byName(run, n);
                }
                const provider = byName(run, "flink-eks-k8s", "pulumi:providers:kubernetes").urn;
                for (const r of run.resources.filter((x) => x.type.startsWith("kubernetes:"))) {
                    assert.strictEqual(r.provider, provider, r.name);
                }
            });

            it("outputs the next step: push to the repository, set flink.imageTag, pulumi up again", () => {
                const out = (run.outputs as any).flinkEks;
                const repoUrl = byName(run, "flink-app-repo").state.repositoryUrl as string;
                assert.strictEqual(out.image, undefined);
                assert.ok(out.nextStep, "no nextStep output");
                assert.ok(out.nextStep.includes(`docker push ${repoUrl}:<tag>`), out.nextStep);
                assert.ok(out.nextStep.includes(`--password-stdin ${repoUrl.split("/")[0]}`), out.nextStep);
                assert.ok(out.nextStep.includes("pulumi config set --path flinkEks.flink.imageTag <tag>"), out.nextStep);
                assert.ok(out.nextStep.includes("pulumi up again"), out.nextStep);
                assert.ok(out.nextStep.includes("Flink 1.20"), out.nextStep);
                assert.strictEqual(out.repositoryUrl, repoUrl);
            });
        });
    }

    it("an external image (flink.image) deploys the workloads at once, with that image and no next step", async () => {
        const image = "123456789012.dkr.ecr.us-west-2.amazonaws.com/shared/flink-job@sha256:" + "a".repeat(64);
        const run = await runWithWorkloads("dev", withFlink(readStackFile("dev"), { image }), "flinkEks");
        for (const n of WORKLOADS) {
            byName(run, n);
        }
        for (const n of ["flink-app-jobmanager", "flink-app-taskmanager"]) {
            assert.strictEqual(byName(run, n).inputs.spec.template.spec.containers[0].image, image, n);
        }
        const out = (run.outputs as any).flinkEks;
        assert.strictEqual(out.image, image);
        assert.strictEqual(out.nextStep, undefined);
    });

    it("s3Plugin: bundled leaves the image's plugins alone (no ENABLE_BUILT_IN_PLUGINS) and takes a major.minor version", async () => {
        const run = await runWithWorkloads("dev", withFlink(readStackFile("dev"), { imageTag: "v1", s3Plugin: "bundled", flinkVersion: "1.20" }), "flinkEks");
        for (const n of ["flink-app-jobmanager", "flink-app-taskmanager"]) {
            const env = byName(run, n).inputs.spec.template.spec.containers[0].env ?? [];
            assert.ok(!env.some((e: any) => e.name === "ENABLE_BUILT_IN_PLUGINS"), n);
        }
    });

    describe("flink-conf.yaml keys follow the Flink version", () => {
        const base = {
            bucket: "b",
            namespace: "flink",
            taskSlots: 2,
            jobManagerMemoryMb: 1600,
            taskManagerMemoryMb: 1728,
            checkpointIntervalSeconds: 10,
            restart: { initialBackoffSeconds: 1, maxBackoffSeconds: 60, backoffMultiplier: 2, resetBackoffThresholdMinutes: 10, jitterFactor: 0.1 },
        };
        const conf = (flinkVersion: string) => parseConf(flinkConf({ ...base, flinkVersion }));

        it("1.15: high-availability names the factory class (the `kubernetes` shorthand came in 1.16)", () => {
            const c = conf("1.15");
            assert.strictEqual(c["high-availability"], KUBERNETES_HA_FACTORY);
            assert.strictEqual(c["high-availability.type"], undefined);
            assert.strictEqual(c["state.backend"], "rocksdb");
            assert.strictEqual(c["restart-strategy"], "exponential-delay");
            assert.strictEqual(c["state.checkpoints.dir"], "s3://b/checkpoints");
        });

        it("1.16: high-availability: kubernetes, untyped state backend and restart strategy", () => {
            const c = conf("1.16.3");
            assert.strictEqual(c["high-availability"], "kubernetes");
            assert.strictEqual(c["high-availability.type"], undefined);
            assert.strictEqual(c["state.backend"], "rocksdb");
            assert.strictEqual(c["state.backend.type"], undefined);
            assert.strictEqual(c["restart-strategy"], "exponential-delay");
        });

        for (const v of ["1.17", "1.18", "1.19"]) {
            it(`${v}: high-availability.type, state.backend.type, restart-strategy.type; state.* checkpoint directories`, () => {
                const c = conf(v);
                assert.strictEqual(c["high-availability.type"], "kubernetes");
                assert.strictEqual(c["high-availability"], undefined);
                assert.strictEqual(c["state.backend.type"], "rocksdb");
                assert.strictEqual(c["state.backend"], undefined);
                assert.strictEqual(c["restart-strategy.type"], "exponential-delay");
                assert.strictEqual(c["restart-strategy"], undefined);
                assert.strictEqual(c["state.checkpoints.dir"], "s3://b/checkpoints");
                assert.strictEqual(c["state.savepoints.dir"], "s3://b/savepoints");
                assert.strictEqual(c["state.backend.incremental"], "true");
                assert.strictEqual(c["execution.checkpointing.dir"], undefined);
            });
        }

        it("1.20: checkpoint directory, savepoint directory and incremental flag under execution.checkpointing.*", () => {
            const c = conf("1.20");
            assert.strictEqual(c["high-availability.type"], "kubernetes");
            assert.strictEqual(c["execution.checkpointing.dir"], "s3://b/checkpoints");
            assert.strictEqual(c["execution.checkpointing.savepoint-dir"], "s3://b/savepoints");
            assert.strictEqual(c["execution.checkpointing.incremental"], "true");
            for (const old of ["state.checkpoints.dir", "state.savepoints.dir", "state.backend.incremental"]) {
                assert.strictEqual(c[old], undefined, old);
            }
        });

        it("every version keeps reactive mode, HA storage on S3 and the unbounded exponential-delay restarts", () => {
            for (const v of ["1.15", "1.16", "1.17", "1.18", "1.19", "1.20"]) {
                const c = conf(v);
                assert.strictEqual(c["scheduler-mode"], "reactive", v);
                assert.strictEqual(c["high-availability.storageDir"], "s3://b/ha", v);
                assert.strictEqual(c["kubernetes.cluster-id"], "flink-app", v);
                assert.strictEqual(c["restart-strategy.exponential-delay.initial-backoff"], "1 s", v);
                assert.strictEqual(c["restart-strategy.exponential-delay.reset-backoff-threshold"], "10 min", v);
                assert.strictEqual(c["restart-strategy.exponential-delay.jitter-factor"], "0.1", v);
                assert.ok(!Object.keys(c).some((k) => k.startsWith("restart-strategy.fixed-delay")), v);
            }
        });

        it("config file and loggers follow the version: config.yaml from 1.19, Pekko loggers from 1.18", () => {
            assert.deepStrictEqual(["1.15", "1.18.1", "1.19", "1.20.4"].map(flinkConfigFileName), ["flink-conf.yaml", "flink-conf.yaml", "config.yaml", "config.yaml"]);
            assert.match(log4jConsole("1.17"), /^logger\.akka\.name = akka$/m);
            assert.match(log4jConsole("1.18"), /^logger\.pekko\.name = org\.apache\.pekko$/m);
            assert.ok(!log4jConsole("1.20").includes("akka"));
            // The same text is standard YAML (config.yaml): every line parses.
            assert.strictEqual(parseConf(flinkConf({ ...base, flinkVersion: "1.20.4" }))["restart-strategy.exponential-delay.max-backoff"], "60 s");
        });

        it("refuses versions it does not write keys for", () => {
            assert.throws(() => conf("2.0"), /not supported/);
            assert.throws(() => conf("1.14"), /not supported/);
        });
    });

    it("the autoscaler image follows cluster.version, or the configured tag of the same minor", async () => {
        const v133 = withConfig(readStackFile("dev"), "flinkEks", (c) => ({ ...c, cluster: { ...c.cluster, version: "1.33" } }));
        let run = await runWithWorkloads("dev", v133, "flinkEks");
        assert.strictEqual(byName(run, "flink-eks-cluster-autoscaler").inputs.values.image.tag, "v1.33.0");
        assert.strictEqual(byName(run, "flink-eks-cluster").inputs.version, "1.33");
        run = await runWithWorkloads("dev", withConfig(v133, "flinkEks", (c) => ({ ...c, addons: { clusterAutoscalerImageTag: "v1.33.1" } })), "flinkEks");
        assert.strictEqual(byName(run, "flink-eks-cluster-autoscaler").inputs.values.image.tag, "v1.33.1");
    });

    it("kubeconfig output is a secret", async () => {
        const { deployFlinkEks } = await import("../components/flink-eks");
        const { createContext } = await import("../components");
        const { recordProgram } = await import("../lib/plan/recorder");
        let isSecret: boolean | undefined;
        await recordProgram("dev", readStackFile("dev"), async (flat) => {
            const out = deployFlinkEks(await createContext(flat, "dev"))!;
            isSecret = await (out.kubeconfig as any).isSecret;
            return {};
        });
        assert.strictEqual(isSecret, true);
    });

    it("an ARM64 AMI type with Graviton Spot types deploys those types", async () => {
        const raw = withConfig(readStackFile("dev"), "flinkEks", (c) => ({
            ...c,
            amiType: "AL2023_ARM_64_STANDARD",
            onDemand: { ...c.onDemand, instanceTypes: ["m6g.large"] },
            spotGroups: [{ name: "graviton", instanceTypes: ["m6g.xlarge", "m7g.xlarge", "m6gd.xlarge"], minSize: 0, desiredSize: 0, maxSize: 4 }],
        }));
        const run = await runConcern("dev", "flinkEks", raw);
        const ng = byName(run, "flink-eks-ng-spot-graviton");
        assert.strictEqual(ng.inputs.amiType, "AL2023_ARM_64_STANDARD");
        assert.deepStrictEqual(ng.inputs.instanceTypes, ["m6g.xlarge", "m7g.xlarge", "m6gd.xlarge"]);
    });

    it("the Region comes from config", async () => {
        const raw = withConfig(readStackFile("dev"), "flinkEks", (c) => ({ ...c, region: "eu-west-1" }));
        const run = await runWithWorkloads("dev", raw, "flinkEks");
        const c = byName(run, "flink-eks-cluster");
        assert.strictEqual(c.region, "eu-west-1");
        assert.strictEqual(byName(run, "flink-eks-cluster-autoscaler").inputs.values.awsRegion, "eu-west-1");
        assert.match(byName(run, "flink-app-stream").state.arn, /^arn:aws:kinesis:eu-west-1:/);
    });

    it("a disabled concern registers nothing", async () => {
        const raw = withConfig(readStackFile("dev"), "flinkEks", (c) => ({ ...c, enabled: false }));
        const run = await runConcern("dev", "flinkEks", raw);
        assert.deepStrictEqual(run.resources.filter((r) => r.name.startsWith("flink-")), []);
        assert.strictEqual((run.outputs as any).flinkEks, undefined);
    });
});
