/**
 * An access contract: the AWS calls a handler makes, as IAM actions, and the resource each one
 * targets (an environment variable of the function, a parameter of the invocation, or `*` where the
 * action supports only `*`). It sits next to the handler; the handler's tests assert that every command it sends is in
 * it, so the contract cannot drift from the code, and policies are checked against it.
 */
export interface ContractCall {
    /** `service:Action` as IAM names it. */
    action: string;
    /**
     * What names the target: an environment variable (with `path` appended to the ARN it names, e.g.
     * an OpenSearch path), a field of the invocation's input, or `*`.
     */
    resource: { env: string; path?: string } | { input: string } | "*";
    /** Which credentials make the call when they are not the function's role (e.g. CodePipeline job credentials). */
    credentials?: "role" | "codepipeline-artifact-credentials";
    /** Not sent by the code itself: AWS checks it with the caller's credentials as part of this other action of the contract. */
    impliedBy?: string;
    /** The handler makes the call only when the environment variable that names its target is set. */
    optional?: boolean;
    /** Request context the call carries that the role's conditions test (e.g. `cloudwatch:namespace`). */
    context?: Record<string, string>;
    /** Why the handler makes it. */
    why: string;
}

export interface AccessContract {
    /** The handler, build script or workload that makes the calls. */
    handler: string;
    calls: readonly ContractCall[];
}
