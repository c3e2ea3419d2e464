/**
 * Event patterns of the security routing concern, kept apart from the
 * components so tests and docs can read them.
 */

/** CloudTrail security API calls forwarded from every default bus unless config overrides them. */
export const DEFAULT_SECURITY_EVENT_NAMES: readonly string[] = [
    // Sign-in
    "ConsoleLogin",
    // CloudTrail tampering
    "StopLogging",
    "DeleteTrail",
    "UpdateTrail",
    "PutEventSelectors",
    // Security groups
    "AuthorizeSecurityGroupIngress",
    "AuthorizeSecurityGroupEgress",
    "RevokeSecurityGroupIngress",
    "RevokeSecurityGroupEgress",
    "CreateSecurityGroup",
    "DeleteSecurityGroup",
    // Network ACLs
    "CreateNetworkAcl",
    "CreateNetworkAclEntry",
    "DeleteNetworkAcl",
    "DeleteNetworkAclEntry",
    "ReplaceNetworkAclEntry",
    "ReplaceNetworkAclAssociation",
];

/** The pattern a default bus forwards: CloudTrail-delivered security API calls and console sign-ins. */
export function cloudTrailSecurityPattern(eventNames: readonly string[] = DEFAULT_SECURITY_EVENT_NAMES): object {
    return {
        "detail-type": ["AWS API Call via CloudTrail", "AWS Console Sign In via CloudTrail"],
        detail: { eventName: [...eventNames] },
    };
}

/** The pattern a custom bus forwards: the configured application event sources. */
export function customSourcePattern(sources: readonly string[]): object {
    return { source: [...sources] };
}

/** The hub rule's pattern: every event whose source is not the security team's own domain. */
export function hubAnalysisPattern(ownSourcePrefix: string): object {
    return { source: [{ "anything-but": { prefix: ownSourcePrefix } }] };
}
