/**
 * The AWS API calls the provider makes to create, read, update and delete a resource, read from
 * the Terraform AWS provider's source (pulumi-aws is bridged from it, so these are the calls
 * `pulumi up`, `refresh` and `destroy` send). A resource managed across accounts needs exactly
 * these admitted by the owning account's resource policy. Dependency-free.
 */

/** IAM actions (`service:Action`) per lifecycle step. */
export interface ApiCalls {
    create: readonly string[];
    read: readonly string[];
    update: readonly string[];
    delete: readonly string[];
    /** Where the calls were read, and what they depend on. */
    source: string;
}

export const PROVIDER_API_CALLS: Record<string, ApiCalls> = {
    // resourceRuleCreate: PutRule with the tags (tag-on-create: IAM also checks events:TagResource for them),
    // then resourceRuleRead. resourceRuleRead: DescribeRule; the @Tags(identifierAttribute="arn") interceptor
    // lists the tags (ListTagsForResource). resourceRuleUpdate: PutRule; changed tags go through updateTags
    // (TagResource / UntagResource, tags_gen.go). resourceRuleDelete: DeleteRule.
    "aws:cloudwatch/eventRule:EventRule": {
        create: ["events:PutRule", "events:TagResource", "events:DescribeRule", "events:ListTagsForResource"],
        read: ["events:DescribeRule", "events:ListTagsForResource"],
        update: ["events:PutRule", "events:TagResource", "events:UntagResource", "events:DescribeRule", "events:ListTagsForResource"],
        delete: ["events:DeleteRule"],
        source: "hashicorp/terraform-provider-aws internal/service/events/rule.go (resourceRuleCreate/Read/Update/Delete, retryPutRule, findRuleByTwoPartKey) and tags_gen.go (listTags, updateTags)",
    },
    // resourceTargetCreate/Update: PutTargets, then resourceTargetRead: ListTargetsByRule (findTargetByThreePartKey);
    // resourceTargetDelete: RemoveTargets. Targets carry no tags.
    "aws:cloudwatch/eventTarget:EventTarget": {
        create: ["events:PutTargets", "events:ListTargetsByRule"],
        read: ["events:ListTargetsByRule"],
        update: ["events:PutTargets", "events:ListTargetsByRule"],
        delete: ["events:RemoveTargets"],
        source: "hashicorp/terraform-provider-aws internal/service/events/target.go (resourceTargetCreate/Read/Update/Delete, findTargetByThreePartKey)",
    },
};

/** Every action the provider needs over a resource's whole life, sorted and without duplicates. */
export function lifecycleActions(...types: string[]): string[] {
    const all = types.flatMap((t) => {
        const c = PROVIDER_API_CALLS[t];
        if (!c) {
            throw new Error(`no provider API calls recorded for ${t}`);
        }
        return [...c.create, ...c.read, ...c.update, ...c.delete];
    });
    return [...new Set(all)].sort();
}
