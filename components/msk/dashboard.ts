/** The CloudWatch dashboard body of the MSK concern (pure, for tests). */

/** What the dashboard shows. */
export interface DashboardInput {
    region: string;
    /** Consumer function name (dimension `FunctionName`). */
    consumerFunctionName: string;
    /** MSK cluster name (dimension `Cluster Name`). */
    clusterName: string;
    /** Topic (dimension `Topic`). */
    topic: string;
    /** Broker count: BytesInPerSec per topic is published per broker (`Broker ID` 1..N). */
    brokerCount: number;
    /** OffsetLag alarm threshold (drawn as an annotation). */
    offsetLagThreshold: number;
}

type Metric = (string | { stat?: string; label?: string })[];

function widget(title: string, metrics: Metric[], region: string, x: number, y: number, extra: object = {}, width = 12): object {
    return {
        type: "metric",
        x,
        y,
        width,
        height: 6,
        properties: { title, region, view: "timeSeries", stacked: false, period: 60, metrics, ...extra },
    };
}

/**
 * The post's dashboard plus ConcurrentExecutions: OffsetLag, Duration,
 * Errors + Invocations, ConcurrentExecutions of the consumer (AWS/Lambda by
 * FunctionName) and BytesInPerSec of the topic (AWS/Kafka by Cluster Name,
 * Broker ID, Topic — the PER_TOPIC_PER_BROKER level).
 */
export function dashboardBody(d: DashboardInput): object {
    const fn = ["FunctionName", d.consumerFunctionName];
    const bytesIn: Metric[] = Array.from({ length: d.brokerCount }, (_, i) => [
        "AWS/Kafka",
        "BytesInPerSec",
        "Cluster Name",
        d.clusterName,
        "Broker ID",
        String(i + 1),
        "Topic",
        d.topic,
        { stat: "Average", label: `broker ${i + 1}` },
    ]);
    return {
        widgets: [
            widget("Consumer OffsetLag (records)", [["AWS/Lambda", "OffsetLag", ...fn, { stat: "Maximum" }]], d.region, 0, 0, {
                annotations: { horizontal: [{ label: "alarm", value: d.offsetLagThreshold }] },
            }),
            widget("Consumer Duration (ms)", [["AWS/Lambda", "Duration", ...fn, { stat: "Average" }]], d.region, 12, 0),
            widget(
                "Consumer Errors and Invocations",
                [
                    ["AWS/Lambda", "Errors", ...fn, { stat: "Sum" }],
                    ["AWS/Lambda", "Invocations", ...fn, { stat: "Sum" }],
                ],
                d.region,
                0,
                6,
            ),
            widget("Consumer ConcurrentExecutions", [["AWS/Lambda", "ConcurrentExecutions", ...fn, { stat: "Maximum" }]], d.region, 12, 6),
            widget(`BytesInPerSec of topic ${d.topic}`, bytesIn, d.region, 0, 12, {}, 24),
        ],
    };
}
