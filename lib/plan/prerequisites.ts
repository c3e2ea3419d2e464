import { StackConfig } from "../config/schema";

/**
 * What a first `pulumi up` of a stack needs that the program cannot create or check offline: the
 * offline plan lists each (it is a warning, the exit code does not change), with the config key
 * that acknowledges or removes it.
 */
export interface Prerequisite {
    /** Config key path (without the project prefix). */
    key: string;
    message: string;
}

/** ECR repository name, account and Region of an image URI (`<account>.dkr.ecr.<region>.amazonaws.com/<repo>:<tag>`). */
function ecrImage(uri: string): { account: string; region: string; repository: string } | undefined {
    const m = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com\/([^:@]+)/.exec(uri);
    return m ? { account: m[1], region: m[2], repository: m[3] } : undefined;
}

export function prerequisites(config: StackConfig): Prerequisite[] {
    const out: Prerequisite[] = [];
    const se = config.securityEvents;
    if (se?.enabled) {
        se.sources.forEach((s, i) => {
            if (s.bus === "default" && !s.trailLogging) {
                out.push({
                    key: `securityEvents.sources[${i}].trailLogging`,
                    message:
                        `the default bus of ${s.account} in ${s.region} receives CloudTrail API calls only while a trail logs management events there ` +
                        "(EventBridge: \"AWS API Call via CloudTrail\" events come from CloudTrail); create one (an organization trail covers every account) and set this to true",
                });
            }
        });
    }
    const cp = config.containerPipelines;
    const uri = cp?.enabled ? cp.function.imageUri : undefined;
    const image = uri ? ecrImage(uri) : undefined;
    if (cp && image && image.repository === cp.repositoryName && image.region === cp.region && image.account === config.accounts[cp.account]?.id) {
        out.push({
            key: "containerPipelines.function.imageUri",
            message: `names ${image.repository}, the repository this stack creates: CreateFunction fails until pipeline 1 has pushed that image; on a first deploy leave it unset`,
        });
    }
    const fe = config.flinkEks;
    if (fe?.enabled && fe.flink.imageTag) {
        out.push({
            key: "flinkEks.flink.imageTag",
            message: `runs ${fe.flink.repositoryName}:${fe.flink.imageTag} from the repository this stack creates: the JobManager cannot start until that image is pushed; on a first deploy leave it unset`,
        });
    }
    return out;
}
