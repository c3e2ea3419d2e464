/**
 * Layer distributor (SPEC concern 3, pipeline mode). CodePipeline invokes it once
 * per Region of the Distribute stage. It reads the target from the action's
 * UserParameters, downloads the layer zip (the Build stage's output artifact)
 * with the job's artifact credentials, publishes a layer version in the target
 * Region, shares it, and ALWAYS reports the job result: any failure becomes
 * PutJobFailureResult with its message, so the pipeline never waits for a
 * timeout.
 */
import { CodePipelineClient, PutJobFailureResultCommand, PutJobSuccessResultCommand } from "@aws-sdk/client-codepipeline";
import { AddLayerVersionPermissionCommand, LambdaClient, PublishLayerVersionCommand, Runtime } from "@aws-sdk/client-lambda";
import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import type { CodePipelineEvent } from "aws-lambda";

/** The job parameters the Distribute action passes as JSON in `UserParameters`. */
export interface DistributeParams {
    region: string;
    layerName: string;
    runtimes: string[];
    license?: string;
    description?: string;
    principal: string;
    organizationId?: string;
}

/** Statement ID of the sharing permission (same as the direct mode's). */
export const SHARE_STATEMENT_ID = "awsarch-share";

/** PublishLayerVersion accepts at most 50 MB in the request body. */
export const MAX_ZIP_BYTES = 50 * 1024 * 1024;

/** CodePipeline's failure message limit. */
const MAX_MESSAGE = 5000;

/** Parses and validates UserParameters; throws an Error whose message says what is wrong. */
export function parseUserParameters(raw: string | undefined): DistributeParams {
    if (!raw || !raw.trim()) {
        throw new Error("UserParameters is empty: expected JSON with region, layerName, runtimes and principal");
    }
    let value: unknown;
    try {
        value = JSON.parse(raw);
    } catch (err) {
        throw new Error(`UserParameters is not valid JSON: ${(err as Error).message}`);
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
        throw new Error("UserParameters must be a JSON object");
    }
    const v = value as Record<string, unknown>;
    const problems: string[] = [];
    if (typeof v.region !== "string" || !/^[a-z]{2}(-[a-z]+)+-\d$/.test(v.region)) {
        problems.push("region must be an AWS Region name");
    }
    if (typeof v.layerName !== "string" || !/^[A-Za-z0-9_-]{1,64}$/.test(v.layerName)) {
        problems.push("layerName must be 1-64 letters, digits, - or _");
    }
    if (!Array.isArray(v.runtimes) || v.runtimes.length === 0 || !v.runtimes.every((r) => typeof r === "string")) {
        problems.push("runtimes must be a non-empty list of runtime names");
    }
    if (typeof v.principal !== "string" || !/^(\d{12}|\*)$/.test(v.principal)) {
        problems.push('principal must be a 12-digit account ID or "*"');
    }
    if (v.organizationId !== undefined && (typeof v.organizationId !== "string" || !/^o-[a-z0-9]{10,32}$/.test(v.organizationId))) {
        problems.push("organizationId must be an AWS Organization ID");
    }
    for (const k of ["license", "description"] as const) {
        if (v[k] !== undefined && typeof v[k] !== "string") {
            problems.push(`${k} must be a string`);
        }
    }
    if (problems.length) {
        throw new Error(`invalid UserParameters: ${problems.join("; ")}`);
    }
    return v as unknown as DistributeParams;
}

/** The AWS clients the distributor uses (injectable for tests). */
export interface Clients {
    codepipeline: CodePipelineClient;
    /** An S3 client using the job's artifact credentials. */
    s3(credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }): S3Client;
    /** A Lambda client for `region` (one per Region, reused). */
    lambda(region: string): LambdaClient;
}

const lambdaClients = new Map<string, LambdaClient>();

/** The real clients: CodePipeline and S3 in the function's Region, Lambda in the target Region. */
export const defaultClients: Clients = {
    codepipeline: new CodePipelineClient({}),
    s3: (credentials) => new S3Client({ credentials }),
    lambda: (region) => {
        let c = lambdaClients.get(region);
        if (!c) {
            c = new LambdaClient({ region });
            lambdaClients.set(region, c);
        }
        return c;
    },
};

/** Outcome of one job (also the handler's return value). */
export interface DistributeResult {
    jobId: string;
    status: "succeeded" | "failed";
    region?: string;
    layerVersionArn?: string;
    message?: string;
}

type Job = CodePipelineEvent["CodePipeline.job"];

/** Downloads the first input artifact with the job's artifact credentials. */
async function downloadArtifact(job: Job, clients: Clients): Promise<Uint8Array> {
    const input = job.data.inputArtifacts?.[0];
    if (!input || input.location?.type !== "S3" || !input.location.s3Location) {
        throw new Error("the job has no S3 input artifact (the Distribute action needs the layer zip as input)");
    }
    const { bucketName, objectKey } = input.location.s3Location;
    const creds = job.data.artifactCredentials;
    const s3 = clients.s3({ accessKeyId: creds.accessKeyId, secretAccessKey: creds.secretAccessKey, sessionToken: creds.sessionToken });
    let body: Uint8Array;
    try {
        const res = await s3.send(new GetObjectCommand({ Bucket: bucketName, Key: objectKey }));
        if (!res.Body) {
            throw new Error("empty response body");
        }
        body = await res.Body.transformToByteArray();
    } catch (err) {
        throw new Error(`downloading s3://${bucketName}/${objectKey} failed: ${(err as Error).message}`);
    }
    if (body.byteLength === 0) {
        throw new Error(`s3://${bucketName}/${objectKey} is empty`);
    }
    if (body.byteLength > MAX_ZIP_BYTES) {
        throw new Error(`the layer zip is ${body.byteLength} bytes; PublishLayerVersion accepts at most ${MAX_ZIP_BYTES} bytes directly`);
    }
    return body;
}

/** Publishes and shares the layer in the target Region; returns the version ARN. */
async function publish(params: DistributeParams, zip: Uint8Array, clients: Clients): Promise<string> {
    const lambda = clients.lambda(params.region);
    let versionArn: string;
    let version: number;
    try {
        const res = await lambda.send(
            new PublishLayerVersionCommand({
                LayerName: params.layerName,
                Content: { ZipFile: zip },
                CompatibleRuntimes: params.runtimes as Runtime[],
                LicenseInfo: params.license,
                Description: params.description,
            }),
        );
        if (!res.LayerVersionArn || res.Version === undefined) {
            throw new Error("the response has no LayerVersionArn/Version");
        }
        versionArn = res.LayerVersionArn;
        version = res.Version;
    } catch (err) {
        throw new Error(`publishing ${params.layerName} in ${params.region} failed: ${(err as Error).message}`);
    }
    try {
        await lambda.send(
            new AddLayerVersionPermissionCommand({
                LayerName: params.layerName,
                VersionNumber: version,
                StatementId: SHARE_STATEMENT_ID,
                Action: "lambda:GetLayerVersion",
                Principal: params.principal,
                OrganizationId: params.organizationId,
            }),
        );
    } catch (err) {
        throw new Error(`sharing ${versionArn} with ${params.organizationId ?? params.principal} failed: ${(err as Error).message}`);
    }
    return versionArn;
}

/** Truncates a failure message to what CodePipeline accepts. */
export function failureMessage(err: unknown): string {
    const msg = err instanceof Error ? err.message : String(err);
    return msg.length > MAX_MESSAGE ? `${msg.slice(0, MAX_MESSAGE - 3)}...` : msg;
}

/**
 * Runs one Distribute job and reports its result. Never rejects while the result
 * could be reported; only when CodePipeline itself refuses both reports does it
 * throw (nothing else can tell the pipeline).
 */
export async function distribute(event: CodePipelineEvent, clients: Clients = defaultClients, requestId?: string): Promise<DistributeResult> {
    const job = event?.["CodePipeline.job"];
    if (!job?.id) {
        // Not a CodePipeline job: there is no job to report to.
        throw new Error("the event is not a CodePipeline job (no CodePipeline.job.id)");
    }
    let params: DistributeParams | undefined;
    try {
        params = parseUserParameters(job.data?.actionConfiguration?.configuration?.UserParameters);
        const zip = await downloadArtifact(job, clients);
        const layerVersionArn = await publish(params, zip, clients);
        await clients.codepipeline.send(
            new PutJobSuccessResultCommand({
                jobId: job.id,
                executionDetails: { summary: `published ${layerVersionArn}`.slice(0, 2048), externalExecutionId: requestId, percentComplete: 100 },
            }),
        );
        console.log(JSON.stringify({ jobId: job.id, region: params.region, layerVersionArn, status: "succeeded" }));
        return { jobId: job.id, status: "succeeded", region: params.region, layerVersionArn };
    } catch (err) {
        const message = failureMessage(err);
        console.error(JSON.stringify({ jobId: job.id, region: params?.region, status: "failed", message }));
        try {
            await clients.codepipeline.send(
                new PutJobFailureResultCommand({ jobId: job.id, failureDetails: { type: "JobFailed", message, externalExecutionId: requestId } }),
            );
        } catch (reportErr) {
            console.error(JSON.stringify({ jobId: job.id, status: "unreported", message: failureMessage(reportErr) }));
            throw new Error(`could not report the failure of job ${job.id} (${message}): ${failureMessage(reportErr)}`);
        }
        return { jobId: job.id, status: "failed", region: params?.region, message };
    }
}

/** Lambda entry point. */
export async function handler(event: CodePipelineEvent, context?: { awsRequestId?: string }): Promise<DistributeResult> {
    return distribute(event, defaultClients, context?.awsRequestId);
}
