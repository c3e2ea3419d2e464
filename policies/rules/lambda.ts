import { PolicyResource } from "@pulumi/policy";
import { LAMBDA_RUNTIMES, unsupportedReason } from "../../lib/support";
import { linked, obj, ofTypes, resourceRule, stackRule } from "./util";

/* eslint-disable @typescript-eslint/no-explicit-any */

const service = "Lambda";

/**
 * Why `runtime` is not acceptable on the plan date, or undefined when it is supported. The dated
 * table is `LAMBDA_RUNTIMES` in lib/support (one table for config validation and this rule; its
 * clock is `setSupportClock`).
 */
export function runtimeProblem(runtime: string | undefined): string | undefined {
    return runtime ? unsupportedReason(LAMBDA_RUNTIMES, runtime) : "a zip function without a runtime";
}

export const lambdaRuntime = resourceRule({
    name: "lambda-2-supported-runtime",
    service,
    controls: ["Lambda.2", "CKV_AWS_363", "AwsSolutions-L1"],
    level: "mandatory",
    description: "Zip functions use a runtime Lambda supports and has not deprecated yet (dated table LAMBDA_RUNTIMES in lib/support).",
    types: ["aws:lambda/function:Function"],
    check: (p, _r, report) => {
        if (p.packageType === "Image") {
            return;
        }
        const problem = runtimeProblem(p.runtime);
        if (problem) {
            report(problem);
        }
    },
});

export const lambdaTracing = resourceRule({
    name: "lambda-7-xray-tracing",
    service,
    controls: ["Lambda.7", "CKV_AWS_50"],
    level: "mandatory",
    description: "Functions have X-Ray tracing mode Active.",
    types: ["aws:lambda/function:Function"],
    check: (p, _r, report) => {
        if (obj(p.tracingConfig)?.mode !== "Active") {
            report(`tracingConfig.mode is ${obj(p.tracingConfig)?.mode ?? "not set"}; use Active`);
        }
    },
});

export const lambdaPublicPermission = resourceRule({
    name: "lambda-1-no-public-permission",
    service,
    controls: ["Lambda.1", "CKV_AWS_301", "NIST.800.53.R5-LambdaFunctionPublicAccessProhibited", "HIPAA.Security-LambdaFunctionPublicAccessProhibited"],
    level: "mandatory",
    description:
        "A Lambda Permission for principal `*` or an AWS service has a source condition (sourceArn, sourceAccount or principalOrgId); no unauthenticated function URLs.",
    types: ["aws:lambda/permission:Permission"],
    check: (p, _r, report) => {
        const principal = String(p.principal ?? "");
        const conditioned = !!(p.sourceArn || p.sourceAccount || p.principalOrgId);
        if ((principal === "*" || principal.endsWith(".amazonaws.com")) && !conditioned) {
            report(`permission for principal ${principal} has no sourceArn, sourceAccount or principalOrgId`);
        }
        if (p.functionUrlAuthType === "NONE") {
            report("function URL permission with auth type NONE is public");
        }
    },
});

/** Principals that invoke functions asynchronously (events are lost after retries without a DLQ/destination). */
export const ASYNC_PRINCIPALS = ["sns.amazonaws.com", "events.amazonaws.com", "s3.amazonaws.com", "scheduler.amazonaws.com", "iot.amazonaws.com", "ses.amazonaws.com", "logs.amazonaws.com"];

function hasOnFailure(fn: PolicyResource, configs: PolicyResource[]): boolean {
    if (obj(fn.props?.deadLetterConfig)?.targetArn) {
        return true;
    }
    return linked(fn, configs, "functionName").some((c) => obj(obj(c.props?.destinationConfig)?.onFailure)?.destination);
}

export const lambdaAsyncOnFailure = stackRule({
    name: "ckv-aws-116-async-on-failure",
    service,
    controls: ["CKV_AWS_116", "AWSARCH.LAMBDA.1", "NIST.800.53.R5-LambdaDLQ", "HIPAA.Security-LambdaDLQ"],
    level: "mandatory",
    description:
        "A function invoked asynchronously (a Permission for SNS, EventBridge, S3, Scheduler, IoT, SES or Logs, or an SNS lambda subscription) has a dead-letter queue or a FunctionEventInvokeConfig on-failure destination. EventBridge schedule rules are exempt (the next tick retries).",
    check: (resources, _env, report) => {
        const fns = ofTypes(resources, "aws:lambda/function:Function");
        // A schedule re-invokes on its next tick and carries no payload worth replaying, so
        // EventBridge schedule rules (scheduleExpression, no eventPattern) need no DLQ.
        const schedules = ofTypes(resources, "aws:cloudwatch/eventRule:EventRule").filter((r) => r.props?.scheduleExpression && !r.props?.eventPattern);
        const perms = ofTypes(resources, "aws:lambda/permission:Permission")
            .filter((p) => ASYNC_PRINCIPALS.includes(p.props?.principal))
            .filter((p) => !(p.props?.principal === "events.amazonaws.com" && schedules.some((rule) => linked(rule, [p], "sourceArn").length > 0)));
        const configs = ofTypes(resources, "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig");
        const subs = ofTypes(resources, "aws:sns/topicSubscription:TopicSubscription")
            .filter((s) => s.props?.protocol === "lambda")
            .map((s) => ({ ...s, props: { ...s.props, principal: "sns.amazonaws.com" } }));
        for (const fn of fns) {
            const invokers = [...linked(fn, perms, "function"), ...linked(fn, subs, "endpoint")];
            if (invokers.length > 0 && !hasOnFailure(fn, configs)) {
                const who = [...new Set(invokers.map((p) => p.props.principal))].join(", ");
                report(`function ${fn.name} is invoked asynchronously by ${who} but has no DLQ or on-failure destination`, fn.urn);
            }
        }
    },
});

/** True when an event source mapping reads a stream (Kinesis, DynamoDB Streams, MSK, self-managed Kafka). */
export function isStreamSource(p: Record<string, any>): boolean {
    const arn = String(p.eventSourceArn ?? "");
    return (
        !!p.startingPosition ||
        /^arn:aws[a-z-]*:(kinesis|kafka):/.test(arn) ||
        /^arn:aws[a-z-]*:dynamodb:.*\/stream\//.test(arn) ||
        !!p.selfManagedEventSource ||
        !!p.amazonManagedKafkaEventSourceConfig ||
        !!p.selfManagedKafkaEventSourceConfig
    );
}

export const lambdaStreamOnFailure = resourceRule({
    name: "lambda-esm-on-failure-destination",
    service,
    controls: ["AWSARCH.LAMBDA.2", "CKV_AWS_116"],
    level: "mandatory",
    description:
        "An event source mapping on a stream (Kinesis, DynamoDB Streams, MSK, self-managed Kafka) has destinationConfig.onFailure.destinationArn.",
    types: ["aws:lambda/eventSourceMapping:EventSourceMapping"],
    check: (p, _r, report) => {
        if (isStreamSource(p) && !obj(obj(p.destinationConfig)?.onFailure)?.destinationArn) {
            report("stream event source mapping has no on-failure destination; failed batches would be dropped or block the shard");
        }
    },
});

export const rules = [lambdaRuntime, lambdaTracing, lambdaPublicPermission, lambdaAsyncOnFailure, lambdaStreamOnFailure];
