import * as aws from "@pulumi/aws";
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
     * Resource options for a remote (multi-language) component such as
     * `awsx.ec2.Vpc` or `eks.Cluster`: they need the `providers` map, a plain
     * `provider` option is silently dropped for them.
     */
    remoteOpts(account: string, region: string, extra: pulumi.ComponentResourceOptions = {}): pulumi.ComponentResourceOptions {
        return { ...extra, providers: { aws: this.get(account, region) } };
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

    /** Every provider created so far, by `account/region`. */
    all(): ReadonlyMap<string, aws.Provider> {
        return this.providers;
    }
}
