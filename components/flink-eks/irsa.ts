import * as pulumi from "@pulumi/pulumi";

/**
 * Trust policy of an IAM role for a Kubernetes service account (IRSA): only
 * `system:serviceaccount:<namespace>:<serviceAccount>` of this cluster's OIDC
 * issuer, and only tokens whose audience is STS.
 *
 * @param oidcProviderArn the cluster's IAM OIDC provider ARN
 * @param oidcProviderUrl the issuer host and path, without `https://`
 */
export function irsaTrustPolicy(
    oidcProviderArn: pulumi.Input<string>,
    oidcProviderUrl: pulumi.Input<string>,
    namespace: string,
    serviceAccount: string,
): pulumi.Output<string> {
    return pulumi.all([oidcProviderArn, oidcProviderUrl]).apply(([arn, url]) => {
        const issuer = url.replace(/^https:\/\//, "");
        return JSON.stringify({
            Version: "2012-10-17",
            Statement: [
                {
                    Effect: "Allow",
                    Principal: { Federated: arn },
                    Action: "sts:AssumeRoleWithWebIdentity",
                    Condition: {
                        StringEquals: {
                            [`${issuer}:sub`]: `system:serviceaccount:${namespace}:${serviceAccount}`,
                            [`${issuer}:aud`]: "sts.amazonaws.com",
                        },
                    },
                },
            ],
        });
    });
}
