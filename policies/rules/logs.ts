import { LOG_RESOURCE_POLICIES_PER_REGION, LOG_RESOURCE_POLICY_MAX_CHARS } from "../../lib/support/quotas";
import { accountOf, known, ofTypes, regionOf, resourceRule, stackRule } from "./util";

export const logRetention = resourceRule({
    name: "ckv-aws-66-log-retention",
    service: "CloudWatch Logs",
    controls: ["CKV_AWS_66", "CloudWatch.16", "NIST.800.53.R5-CloudWatchLogGroupRetentionPeriod", "HIPAA.Security-CloudWatchLogGroupRetentionPeriod"],
    level: "mandatory",
    description: "Log groups set retentionInDays (never keep logs forever by accident).",
    types: ["aws:cloudwatch/logGroup:LogGroup"],
    check: (p, _r, report) => {
        if (!(Number(p.retentionInDays) > 0)) {
            report("retentionInDays is not set");
        }
    },
});

export const logKms = resourceRule({
    name: "ckv-aws-158-log-group-kms",
    service: "CloudWatch Logs",
    controls: ["CKV_AWS_158", "NIST.800.53.R5-CloudWatchLogGroupEncrypted", "HIPAA.Security-CloudWatchLogGroupEncrypted"],
    level: "advisory",
    description: "Log groups are encrypted with a customer managed KMS key (kmsKeyId).",
    types: ["aws:cloudwatch/logGroup:LogGroup"],
    check: (p, _r, report) => {
        if (!p.kmsKeyId) {
            report("log group has no kmsKeyId");
        }
    },
});

export const alarmHasActions = resourceRule({
    name: "cloudwatch-alarm-action",
    service: "CloudWatch",
    controls: ["NIST.800.53.R5-CloudWatchAlarmAction", "HIPAA.Security-CloudWatchAlarmAction", "CloudWatch.15"],
    level: "mandatory",
    description: "Every CloudWatch alarm notifies someone (alarmActions not empty, actions enabled).",
    types: ["aws:cloudwatch/metricAlarm:MetricAlarm"],
    check: (p, _r, report) => {
        if (p.actionsEnabled === false || p.actionsEnabled === "false" || (Array.isArray(p.alarmActions) ? p.alarmActions.length === 0 : !p.alarmActions)) {
            report("alarm has no (enabled) alarm actions");
        }
    },
});

export const logResourcePolicyQuota = stackRule({
    name: "logs-resource-policy-quota",
    service: "CloudWatch Logs",
    controls: ["AWSARCH.LOGS.1"],
    level: "mandatory",
    description: `At most ${LOG_RESOURCE_POLICIES_PER_REGION} CloudWatch Logs resource policies per account and Region (a quota that cannot be raised), each document at most ${LOG_RESOURCE_POLICY_MAX_CHARS} characters: beyond either, PutResourcePolicy fails at \`pulumi up\`.`,
    check: (resources, _env, report) => {
        const policies = ofTypes(resources, "aws:cloudwatch/logResourcePolicy:LogResourcePolicy");
        const byPlace = new Map<string, typeof policies>();
        for (const p of policies) {
            const place = `${accountOf(p) ?? "?"}/${regionOf(p) ?? "?"}`;
            byPlace.set(place, [...(byPlace.get(place) ?? []), p]);
            const size = known(() => (typeof p.props?.policyDocument === "string" ? p.props.policyDocument.length : 0), 0);
            if (size > LOG_RESOURCE_POLICY_MAX_CHARS) {
                report(`log resource policy ${p.name} is ${size} characters; PutResourcePolicy takes at most ${LOG_RESOURCE_POLICY_MAX_CHARS}`, p.urn);
            }
        }
        for (const [place, list] of byPlace) {
            if (list.length > LOG_RESOURCE_POLICIES_PER_REGION) {
                report(
                    `${list.length} log resource policies in ${place}; CloudWatch Logs allows ${LOG_RESOURCE_POLICIES_PER_REGION} per account and Region (the account's own, and those vended-log delivery adds, count too): merge them`,
                    list[LOG_RESOURCE_POLICIES_PER_REGION].urn,
                );
            }
        }
    },
});

export const rules = [logRetention, logKms, alarmHasActions, logResourcePolicyQuota];
