import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";
import * as eks from "@pulumi/eks";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import * as tls from "@pulumi/tls";
import { StackConfig } from "./config/schema";

/** Tags every resource carries through its provider's `defaultTags`. */
export interface BaseTags {
    project: string;
    stack: string;
    owner: string;
    "cost-centre": string;
}

/**
 * One `aws.Provider` per (account, Region), created on first use and shared by
 * every component. Providers pin `region` and `allowedAccountIds`, carry the
 * default tags, and assume the account's deployment role when one is set.
 * Components receive providers from here and never create their own.
 */
export class ProviderRegistry {
    private readonly providers = new Map<string, aws.Provider>();
    private tlsProvider?: tls.Provider;
    private randomProvider?: random.Provider;
    private awsxProvider?: awsx.Provider;
    private eksProvider?: eks.Provider;

    constructor(
        private readonly accounts: StackConfig["accounts"],
        private readonly tags: BaseTags,
    ) {}

    /** The provider for account key `account` (a key of `accounts`) in `region`. */
    get(account: string, region: string): aws.Provider {
        const key = `${account}/${region}`;
        const existing = this.providers.get(key);
        if (existing) {
            return existing;
        }
        const acct = this.accounts[account];
        if (!acct) {
            // Config validation rejects unknown account keys; this guards programming errors.
            throw new Error(`unknown account key "${account}"`);
        }
        const provider = new aws.Provider(`aws-${account}-${region}`, {
            region: region as aws.Region,
            allowedAccountIds: [acct.id],
            defaultTags: { tags: { ...this.tags } },
            assumeRoles: acct.deploymentRoleArn
                ? [
                      {
                          roleArn: acct.deploymentRoleArn,
                          sessionName: `pulumi-${this.tags.project}-${this.tags.stack}`,
                          externalId: acct.externalId,
                      },
                  ]
                : undefined,
        });
        this.providers.set(key, provider);
        return provider;
    }

    /** The 12-digit ID of account key `account`. */
    accountId(account: string): string {
        const acct = this.accounts[account];
        if (!acct) {
            throw new Error(`unknown account key "${account}"`);
        }
        return acct.id;
    }

    /**
     * The shared `@pulumi/tls` provider (keys and CSRs are computed locally; default
     * providers are disabled for every package, so it must be explicit).
     */
    tls(): tls.Provider {
        return (this.tlsProvider ??= new tls.Provider("tls", {}));
    }

    /** The shared `@pulumi/random` provider (passwords, suffixes). */
    random(): random.Provider {
        return (this.randomProvider ??= new random.Provider("random", {}));
    }

    /**
     * The shared `@pulumi/awsx` provider. awsx components (`awsx:ec2:Vpc`) are remote: with
     * `pulumi:disable-default-providers` the engine refuses them without an explicit provider of
     * their own package ("Default provider for 'awsx' disabled", pulumi/pulumi
     * pkg/resource/deploy/source_eval.go `shouldDenyRequest`); it has no settings of its own (the
     * AWS calls its children make go through the `aws` provider in `providers`).
     */
    awsx(): awsx.Provider {
        return (this.awsxProvider ??= new awsx.Provider("awsx", {}));
    }

    /**
     * The shared `@pulumi/eks` provider, for the remote `eks:index:Cluster` and
     * `eks:index:ManagedNodeGroup` (pulumi/pulumi-eks#917, #1508; see {@link remoteComponentOptions}).
     */
    eks(): eks.Provider {
        return (this.eksProvider ??= new eks.Provider("eks", {}));
    }
}

/**
 * Resource options for a remote (multi-language) component such as `awsx.ec2.Vpc`,
 * `eks.Cluster` or `eks.ManagedNodeGroup`. The engine needs two things of them:
 * - an explicit provider of the component's own package (`own`, from the registry's
 *   `awsx()`/`eks()`), or it refuses the registration when default providers are disabled;
 * - the `aws` provider in `providers`, which the plugin hands to the AWS resources it creates
 *   (a plain `provider: aws` is dropped for a component of another package).
 * This is the maintainers' form from pulumi/pulumi-eks#1294 (`{ provider, providers: { aws } }`);
 * putting both in `providers` works too but makes the SDK warn about a `provider`/`providers` conflict.
 */
export function remoteComponentOptions(
    own: pulumi.ProviderResource,
    awsProvider: pulumi.ProviderResource,
    opts: pulumi.ComponentResourceOptions = {},
): pulumi.ComponentResourceOptions {
    return { ...opts, provider: own, providers: { aws: awsProvider } };
}

/**
 * {@link remoteComponentOptions} for a remote child of `parent`, with the providers `parent` was
 * given (`new X(name, args, { providers: [...] })`). Custom children inherit their provider
 * through `parent`; a remote one does not get inherited providers sent to its plugin (the SDK's
 * prepareResource sends only the `provider`/`providers` of its own options), hence this.
 */
export function remoteChildOptions(parent: pulumi.Resource, ownPackage: "awsx" | "eks", opts: pulumi.ComponentResourceOptions = {}): pulumi.ComponentResourceOptions {
    const own = parent.getProvider(`${ownPackage}::`);
    const awsProvider = parent.getProvider("aws::");
    if (!own || !awsProvider) {
        throw new Error(`${parent.constructor.name} needs an aws and an ${ownPackage} provider in its options (providers: [...]) for its remote children`);
    }
    return remoteComponentOptions(own, awsProvider, { parent, ...opts });
}
