import { DeployContext } from "../../lib/context";

/** Placeholder: this concern is not built yet. Returns the concern's stack outputs when enabled. */
export function deployMskStreaming(ctx: DeployContext): Record<string, unknown> | undefined {
    void ctx;
    return undefined;
}
