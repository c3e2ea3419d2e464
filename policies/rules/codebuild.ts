import { isTrue, obj, resourceRule, tagsOf } from "./util";

/** Tag a CodeBuild project must carry to run privileged (e.g. Docker image builds). */
export const PRIVILEGED_REASON_TAG = "privileged-reason";

export const codebuildPrivileged = resourceRule({
    name: "codebuild-5-privileged-reason",
    service: "CodeBuild",
    controls: ["CodeBuild.5", "CKV_AWS_316"],
    level: "mandatory",
    description: `CodeBuild projects run privileged only when tagged ${PRIVILEGED_REASON_TAG} with the reason.`,
    types: ["aws:codebuild/project:Project"],
    check: (p, _r, report) => {
        if (isTrue(obj(p.environment)?.privilegedMode) && !tagsOf(p)[PRIVILEGED_REASON_TAG]) {
            report(`privilegedMode is on without a ${PRIVILEGED_REASON_TAG} tag`);
        }
    },
});

export const rules = [codebuildPrivileged];
