import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** One Region the layer is published in. */
export interface LayerTarget {
    /** The Region. */
    region: string;
    /** Provider of the owning account in that Region. */
    provider: aws.Provider;
}

/** Inputs of {@link LayerDistribution}. */
export interface LayerDistributionArgs {
    /** One entry per Region; each gets its own layer version through its own provider. */
    targets: LayerTarget[];
    /** Layer name in every Region. */
    layerName: string;
    /** The layer archive (`nodejs/node_modules/...`). */
    code: pulumi.asset.Archive;
    /** Compatible runtimes. */
    compatibleRuntimes: string[];
    /** License (`licenseInfo`). */
    license: string;
    /** Layer version description. */
    description?: string;
    /** Principal of `lambda:GetLayerVersion`: an account ID or `*` (with an organization, or public). */
    principal: string;
    /** Organization shared with (principal must be `*`). */
    organizationId?: string;
    /** Keep superseded versions (default true): functions pinned to them keep working. */
    retainOldVersions?: boolean;
}

/** Statement ID of the sharing permission on every layer version. */
export const LAYER_SHARE_STATEMENT_ID = "awsarch-share";

/**
 * Direct mode of SPEC concern 3: one `LayerVersion` per Region through that
 * Region's provider, each shared with the configured principal through a
 * `LayerVersionPermission`. Adding a Region adds two resources and nothing else.
 */
export class LayerDistribution extends pulumi.ComponentResource {
    /** Layer version ARN per Region. */
    public readonly layerVersionArns: Record<string, pulumi.Output<string>>;
    /** Layer versions per Region. */
    public readonly versions: Record<string, aws.lambda.LayerVersion>;

    constructor(name: string, args: LayerDistributionArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super("awsarch:lambdaLayers:LayerDistribution", name, {}, opts);
        this.layerVersionArns = {};
        this.versions = {};
        for (const t of args.targets) {
            const child = { parent: this, provider: t.provider };
            const version = new aws.lambda.LayerVersion(
                `${name}-${t.region}`,
                {
                    layerName: args.layerName,
                    code: args.code,
                    compatibleRuntimes: args.compatibleRuntimes,
                    licenseInfo: args.license,
                    description: args.description,
                    skipDestroy: args.retainOldVersions ?? true,
                },
                child,
            );
            new aws.lambda.LayerVersionPermission(
                `${name}-${t.region}-permission`,
                {
                    layerName: args.layerName,
                    versionNumber: version.version.apply(Number),
                    statementId: LAYER_SHARE_STATEMENT_ID,
                    action: "lambda:GetLayerVersion",
                    principal: args.principal,
                    organizationId: args.organizationId,
                    skipDestroy: args.retainOldVersions ?? true,
                },
                // A new version gets a new permission; with skipDestroy the old one stays with its version.
                child,
            );
            this.versions[t.region] = version;
            this.layerVersionArns[t.region] = version.arn;
        }
        this.registerOutputs({ layerVersionArns: this.layerVersionArns });
    }
}
