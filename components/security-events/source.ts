import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { lifecycleActions } from "../../lib/support/api-calls";
import { serviceTrustPolicy } from "../../lib/aws/iam";

/** Inputs of {@link SecurityEventSource}. */
export interface SecurityEventSourceArgs {
    /** Provider of the account that owns the bus, in the bus's Region: creates the custom bus and its policy. */
    busProvider: aws.Provider;
    /**
     * Provider of the security account in the bus's Region: creates the forwarding
     * rule (rules must be created in the bus's Region; a wrong-Region rule fails
     * with "Cross-region api call is not allowed") and the role EventBridge assumes.
     */
    ruleProvider: aws.Provider;
    /** Region of the bus. */
    region: string;
    /** ID of the account that owns the bus. */
    busAccountId: string;
    /** ID of the security account that manages the rule. */
    securityAccountId: string;
    /** `default` for the account's default bus; otherwise the name of the custom bus to create. */
    bus: string;
    /** The event pattern the rule forwards. */
    eventPattern: object;
    /** ARN of the hub bus (the rule's only target). */
    hubBusArn: pulumi.Input<string>;
    /** Resources the target must wait for: at least the hub's bus policy. */
    hubReady: pulumi.Input<pulumi.Resource>[];
}

/**
 * What the security account's provider calls on a workload bus to create, read, update and delete
 * the forwarding rule (tagged with the provider's default tags) and its target: exactly these are
 * admitted by the bus policy (PROVIDER_API_CALLS, read from the Terraform AWS provider's source).
 */
export const RULE_MANAGEMENT_ACTIONS = lifecycleActions("aws:cloudwatch/eventRule:EventRule", "aws:cloudwatch/eventTarget:EventTarget");

/**
 * One source of security events: a bus in some (account, Region), a bus policy
 * that lets the security account manage rules on it (only rules it created,
 * via `events:creatorAccount`), and the security account's rule forwarding the
 * selected events to the hub bus with a role that can only `PutEvents` there.
 */
export class SecurityEventSource extends pulumi.ComponentResource {
    /** ARN of the source bus (default or custom). */
    public readonly busArn: pulumi.Output<string>;
    /** The forwarding rule. */
    public readonly rule: aws.cloudwatch.EventRule;
    /** The role EventBridge assumes to put events on the hub bus. */
    public readonly role: aws.iam.Role;
    /** The source bus's policy for the security account. */
    public readonly busPolicy: aws.cloudwatch.EventBusPolicy;

    constructor(name: string, args: SecurityEventSourceArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super("awsarch:securityEvents:SecurityEventSource", name, {}, opts);
        const onBus = { parent: this, provider: args.busProvider };
        const onRule = { parent: this, provider: args.ruleProvider };
        const isDefault = args.bus === "default";

        let busName: pulumi.Output<string>;
        if (isDefault) {
            busName = pulumi.output("default");
            this.busArn = pulumi.output(`arn:aws:events:${args.region}:${args.busAccountId}:event-bus/default`);
        } else {
            const bus = new aws.cloudwatch.EventBus(`${name}-bus`, { name: args.bus }, onBus);
            busName = bus.name;
            this.busArn = bus.arn;
        }
        const ruleArnPattern = isDefault
            ? `arn:aws:events:${args.region}:${args.busAccountId}:rule/*`
            : `arn:aws:events:${args.region}:${args.busAccountId}:rule/${args.bus}/*`;

        // Note: an EventBusPolicy owns the whole policy of its bus.
        this.busPolicy = new aws.cloudwatch.EventBusPolicy(
            `${name}-bus-policy`,
            {
                eventBusName: busName,
                policy: JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Sid: "AllowCrossRegionRulesForSecurityTeam",
                            Effect: "Allow",
                            Principal: { AWS: `arn:aws:iam::${args.securityAccountId}:root` },
                            Action: RULE_MANAGEMENT_ACTIONS,
                            Resource: ruleArnPattern,
                            Condition: { StringEqualsIfExists: { "events:creatorAccount": "${aws:PrincipalAccount}" } },
                        },
                    ],
                }),
            },
            onBus,
        );

        this.role = new aws.iam.Role(
            `${name}-to-hub-role`,
            {
                description: `EventBridge puts ${args.bus} bus events (${args.region}) on the security hub bus`,
                assumeRolePolicy: serviceTrustPolicy("events.amazonaws.com", [...new Set([args.busAccountId, args.securityAccountId])]),
            },
            onRule,
        );
        new aws.iam.RolePolicy(
            `${name}-put-events`,
            {
                role: this.role.id,
                name: "PutEventsOnDestinationEventBus",
                policy: pulumi.jsonStringify({
                    Version: "2012-10-17",
                    Statement: [{ Effect: "Allow", Action: "events:PutEvents", Resource: args.hubBusArn }],
                }),
            },
            onRule,
        );

        this.rule = new aws.cloudwatch.EventRule(
            `${name}-rule`,
            {
                description: "Forwards security events to the security team's hub bus",
                eventBusName: this.busArn,
                eventPattern: JSON.stringify(args.eventPattern),
                state: "ENABLED",
            },
            { ...onRule, dependsOn: [this.busPolicy] },
        );

        new aws.cloudwatch.EventTarget(
            `${name}-to-hub`,
            {
                rule: this.rule.name,
                eventBusName: this.busArn,
                targetId: "SendEventToSecurityEventBus",
                arn: args.hubBusArn,
                roleArn: this.role.arn,
            },
            { ...onRule, dependsOn: [...args.hubReady, this.busPolicy] },
        );

        this.registerOutputs({ busArn: this.busArn, ruleArn: this.rule.arn });
    }
}
