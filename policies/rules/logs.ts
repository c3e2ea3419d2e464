import { resourceRule } from "./util";

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

export const rules = [logRetention, logKms, alarmHasActions];
