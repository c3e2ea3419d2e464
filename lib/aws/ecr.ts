import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** Inputs of {@link secureRepository}. */
export interface SecureRepositoryArgs {
    /** Repository name. */
    name: pulumi.Input<string>;
    /** ARN of the KMS key encrypting the images. */
    kmsKeyArn: pulumi.Input<string>;
    /** Set `forceDelete` explicitly (left unset when undefined: the provider default, false). */
    forceDelete?: boolean;
}

/**
 * An ECR repository with immutable tags, scan on push and KMS encryption,
 * created with the caller's `opts` (parent, provider, protect).
 */
export function secureRepository(name: string, args: SecureRepositoryArgs, opts: pulumi.CustomResourceOptions): aws.ecr.Repository {
    return new aws.ecr.Repository(
        name,
        {
            name: args.name,
            imageTagMutability: "IMMUTABLE",
            imageScanningConfiguration: { scanOnPush: true },
            encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: args.kmsKeyArn }],
            ...(args.forceDelete === undefined ? {} : { forceDelete: args.forceDelete }),
        },
        opts,
    );
}
