/**
 * Publishes log lines to an SNS topic with PublishBatch.
 *
 *   npx ts-node --transpile-only functions/sns-publisher/cli.ts --topic-arn <arn> [file]
 *   cat app.log | npx ts-node --transpile-only functions/sns-publisher/cli.ts --topic-arn <arn>
 *
 * `--topic-arn` defaults to `$TOPIC_ARN`; `--group-from-line` derives FIFO groups
 * from each line's first token; `--max-attempts N` bounds the sends per message.
 * FIFO deduplication IDs are per entry (run ID, line position, line):
 * `--run-id ID` fixes the run ID (re-running the same input within 5 minutes
 * then delivers nothing twice); `--content-dedup` sends none, leaving it to the
 * topic's content-based deduplication (identical lines are delivered once).
 * Prints the summary `{sent, retried, failed, calls}` (and every failure) and
 * exits 1 when any message finally failed, 2 on bad usage.
 */
import * as fs from "fs";
import { Readable } from "stream";
import { SNSClient } from "@aws-sdk/client-sns";
import { PublishSummary, formatSummary, groupIdFromLine, publishLines, readLines } from "./publisher";

/** Parsed command line. */
export interface CliArgs {
    topicArn?: string;
    file?: string;
    groupFromLine: boolean;
    maxAttempts?: number;
    /** FIFO: fixed run ID of the deduplication IDs. */
    runId?: string;
    /** FIFO: rely on the topic's content-based deduplication (no deduplication IDs sent). */
    contentDedup: boolean;
}

/** Parses `argv` (without node and script). Throws on unknown flags. */
export function parseArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): CliArgs {
    const args: CliArgs = { topicArn: env.TOPIC_ARN, groupFromLine: false, contentDedup: false };
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        if (a === "--topic-arn") {
            args.topicArn = argv[++i];
        } else if (a === "--group-from-line") {
            args.groupFromLine = true;
        } else if (a === "--max-attempts") {
            args.maxAttempts = Number(argv[++i]);
            if (!Number.isInteger(args.maxAttempts) || args.maxAttempts < 1) {
                throw new Error("--max-attempts needs a positive integer");
            }
        } else if (a === "--run-id") {
            args.runId = argv[++i];
            if (!args.runId || args.runId.startsWith("--")) {
                throw new Error("--run-id needs a value");
            }
        } else if (a === "--content-dedup") {
            args.contentDedup = true;
        } else if (a.startsWith("--")) {
            throw new Error(`unknown option ${a}`);
        } else {
            args.file = a;
        }
    }
    if (!args.topicArn || !/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[\w-]+(\.fifo)?$/.test(args.topicArn)) {
        throw new Error("--topic-arn (or TOPIC_ARN) must be an SNS topic ARN");
    }
    return args;
}

/** Runs the CLI against `input` (file or stdin) and returns the summary. */
export async function main(
    argv: string[],
    io: { stdin: Readable; out: (s: string) => void; client?: SNSClient } = { stdin: process.stdin, out: (s) => console.log(s) },
): Promise<PublishSummary> {
    const args = parseArgs(argv);
    const input = args.file ? fs.createReadStream(args.file) : io.stdin;
    const lines = await readLines(input);
    const client = io.client ?? new SNSClient({ region: args.topicArn!.split(":")[3] });
    const summary = await publishLines(lines, {
        client,
        topicArn: args.topicArn!,
        maxAttempts: args.maxAttempts,
        groupId: args.groupFromLine ? groupIdFromLine : undefined,
        deduplication: args.contentDedup ? "content" : "entry",
        runId: args.runId,
    });
    io.out(formatSummary(summary));
    return summary;
}

if (require.main === module) {
    main(process.argv.slice(2)).then(
        (s) => process.exit(s.failed > 0 ? 1 : 0),
        (err: Error) => {
            console.error(`sns-publisher: ${err.message}`);
            process.exit(2);
        },
    );
}
