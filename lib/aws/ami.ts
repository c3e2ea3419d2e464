import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/**
 * The ID of the newest available Amazon-owned AMI whose name matches
 * `namePattern` for `architecture`, looked up with the caller's invoke options
 * (their provider decides the Region and account).
 */
export function latestAmazonAmiId(namePattern: string, architecture: string, opts: pulumi.InvokeOutputOptions): pulumi.Output<string> {
    return aws.ec2
        .getAmiOutput(
            {
                owners: ["amazon"],
                mostRecent: true,
                filters: [
                    { name: "name", values: [namePattern] },
                    { name: "architecture", values: [architecture] },
                    { name: "state", values: ["available"] },
                ],
            },
            opts,
        )
        .apply((a) => a.id);
}

/** The newest Amazon Linux 2023 x86_64 AMI (see {@link latestAmazonAmiId}). */
export function al2023X86AmiId(opts: pulumi.InvokeOutputOptions): pulumi.Output<string> {
    return latestAmazonAmiId("al2023-ami-2023.*-x86_64", "x86_64", opts);
}
