import { PlannedResource } from "./diff";

/**
 * A Mermaid flowchart of a planned stack: accounts, then Regions, as nested groups; each concern's
 * component as a node in every (account, Region) it has resources in; the flows that cross Regions
 * or accounts, and the data paths the posts draw, as edges:
 * - an EventBridge target on a bus of another Region or account (security sources to the hub);
 * - the layer pipeline to each Region its Distribute stage publishes in (direct mode: the layer component
 *   from its home Region to the others);
 * - SNS subscriptions (topic to queue or delivery stream), event source mappings (MSK or SQS to the
 *   function), a function to the DynamoDB table its environment names, the Flink job to its stream and bucket.
 */

/** Short, stable Mermaid ids (`n1`, `n2`, ... in order of first use within one diagram). */
function idMaker(): (s: string) => string {
    const ids = new Map<string, string>();
    return (s) => ids.get(s) ?? (ids.set(s, `n${ids.size + 1}`), ids.get(s)!);
}
const label = (s: string) => s.replace(/"/g, "'");

/** The concern's short name of a component label (`awsarch:msk:MskStreaming msk` → `msk`). */
function concernName(component: string): string {
    const m = /^awsarch:[^:]+:\S+ (.+)$/.exec(component);
    return m ? m[1] : component;
}

/** The Mermaid text (without fences). */
export function mermaidDiagram(resources: PlannedResource[]): string {
    const id = idMaker();
    const lines = ["flowchart LR"];
    const accountOf = (r: PlannedResource) => r.account ?? "global";
    const nodeOf = (r: PlannedResource) => id(`${accountOf(r)}_${r.region}_${r.component}`);
    // AWS resources (those pinned to an account); components and local-only resources (tls, random) draw no node.
    const real = resources.filter((r) => r.account !== undefined && !r.type.startsWith("pulumi:providers:"));
    // Groups: account > Region > component nodes (plus the detail nodes the edges name).
    const byAccount = new Map<string, Map<string, Set<string>>>();
    for (const r of real) {
        const regions = byAccount.get(accountOf(r)) ?? new Map<string, Set<string>>();
        byAccount.set(accountOf(r), regions);
        (regions.get(r.region) ?? regions.set(r.region, new Set()).get(r.region)!).add(r.component);
    }
    const details: { group: string; node: string; text: string }[] = [];
    const edges = new Set<string>();
    const detail = (r: PlannedResource, text: string) => {
        const node = id(`d_${r.urn}`);
        if (!details.some((d) => d.node === node)) {
            details.push({ group: id(`${accountOf(r)}_${r.region}`), node, text });
        }
        return node;
    };
    // Resources by their own ARN (a target's or permission's `arn` input names another resource's).
    const byArn = new Map(real.filter((r) => r.arn && (r.inputs as Record<string, unknown>).arn === undefined).map((r) => [r.arn as string, r]));
    const byName = new Map(real.map((r) => [String((r.inputs as Record<string, unknown>).name ?? r.name), r]));

    for (const r of real) {
        const p = r.inputs as Record<string, any>;
        if (r.type === "aws:cloudwatch/eventTarget:EventTarget") {
            const target = byArn.get(String(p.arn ?? ""));
            if (target && target.type === "aws:cloudwatch/eventBus:EventBus" && (target.region !== r.region || accountOf(target) !== accountOf(r))) {
                edges.add(`${nodeOf(r)} -->|"events"| ${nodeOf(target)}`);
            }
        }
        if (r.type === "aws:sns/topicSubscription:TopicSubscription") {
            const topic = byArn.get(String(p.topic ?? p.topicArn ?? ""));
            const endpoint = byArn.get(String(p.endpoint ?? ""));
            if (topic && endpoint) {
                edges.add(`${detail(topic, `SNS ${topic.name}`)} -->|"${label(String(p.protocol))}"| ${detail(endpoint, `${endpoint.type.split(":").pop()} ${endpoint.name}`)}`);
            }
        }
        if (r.type === "aws:lambda/eventSourceMapping:EventSourceMapping") {
            const source = byArn.get(String(p.eventSourceArn ?? ""));
            const fn = byName.get(String(p.functionName ?? "")) ?? byArn.get(String(p.functionName ?? ""));
            if (source && fn) {
                edges.add(`${detail(source, `${source.type.split(":").pop()} ${source.name}`)} --> ${detail(fn, `Lambda ${fn.name}`)}`);
            }
        }
        if (r.type === "aws:lambda/function:Function") {
            for (const v of Object.values((p.environment?.variables ?? {}) as Record<string, unknown>)) {
                const table = byName.get(String(v));
                if (table && table.type === "aws:dynamodb/table:Table") {
                    edges.add(`${detail(r, `Lambda ${r.name}`)} --> ${detail(table, `DynamoDB ${table.name}`)}`);
                }
            }
        }
        if (r.type === "aws:iam/rolePolicy:RolePolicy" && r.component.startsWith("awsarch:flinkEks:FlinkApplication")) {
            // The Flink job's IRSA policy names exactly what the job reads and writes.
            const text = JSON.stringify(p.policy ?? "");
            for (const t of real.filter((x) => x.component === r.component && (x.type === "aws:kinesis/stream:Stream" || x.type === "aws:s3/bucket:Bucket"))) {
                if (t.arn && text.includes(t.arn)) {
                    edges.add(`${detail(r, "Flink job (IRSA)")} --> ${detail(t, `${t.type === "aws:s3/bucket:Bucket" ? "S3" : "Kinesis"} ${t.name}`)}`);
                }
            }
        }
    }
    // The layer pipeline's Distribute stage: one action per target Region (the distributor publishes there).
    for (const r of real.filter((x) => x.type === "aws:codepipeline/pipeline:Pipeline" && x.component.startsWith("awsarch:lambdaLayers:"))) {
        const actions = ((r.inputs as Record<string, any>).stages ?? []).flatMap((st: any) => st.actions ?? []);
        // The target Region is the action's (cross-Region actions) or the distributor's UserParameters `region`.
        const targetRegion = (a: any): unknown => {
            try {
                return a.region ?? JSON.parse(String(a.configuration?.UserParameters ?? "{}")).region;
            } catch {
                return undefined;
            }
        };
        for (const region of [...new Set<string>(actions.map(targetRegion).filter((x: unknown): x is string => typeof x === "string"))].sort()) {
            const regions = byAccount.get(accountOf(r))!;
            regions.set(region, regions.get(region) ?? new Set());
            const node = id(`layer_${accountOf(r)}_${region}`);
            if (!details.some((d) => d.node === node)) {
                details.push({ group: id(`${accountOf(r)}_${region}`), node, text: "Lambda layer version" });
            }
            edges.add(`${nodeOf(r)} -->|"publish"| ${node}`);
        }
    }
    // Direct mode: the layer component from its home Region to the others.
    const spans = new Map<string, PlannedResource[]>();
    for (const r of real.filter((x) => x.component.startsWith("awsarch:lambdaLayers:"))) {
        spans.set(r.component, [...(spans.get(r.component) ?? []), r]);
    }
    for (const rs of spans.values()) {
        const counts = new Map<string, number>();
        rs.forEach((r) => counts.set(r.region, (counts.get(r.region) ?? 0) + 1));
        const home = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
        const homeRes = rs.find((r) => r.region === home)!;
        for (const region of [...counts.keys()].filter((x) => x !== home).sort()) {
            edges.add(`${nodeOf(homeRes)} -->|"layer"| ${nodeOf(rs.find((r) => r.region === region)!)}`);
        }
    }

    for (const [account, regions] of [...byAccount.entries()].sort()) {
        lines.push(`  subgraph ${id(`acct_${account}`)}["account ${account}"]`);
        for (const [region, comps] of [...regions.entries()].sort()) {
            const group = id(`${account}_${region}`);
            lines.push(`    subgraph ${group}["${region}"]`);
            for (const c of [...comps].sort()) {
                lines.push(`      ${id(`${account}_${region}_${c}`)}["${label(concernName(c))}"]`);
            }
            for (const d of details.filter((x) => x.group === group)) {
                lines.push(`      ${d.node}("${label(d.text)}")`);
            }
            lines.push("    end");
        }
        lines.push("  end");
    }
    for (const e of [...edges].sort()) {
        lines.push(`  ${e}`);
    }
    return lines.join("\n");
}
