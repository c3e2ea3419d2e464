import * as pulumi from "@pulumi/pulumi";
import { deployAll } from "./components";

// Thin entry point: validate the stack config (a ConfigError stops here, before any
// resource is registered), build the provider registry, choose the Availability Zones
// (invokes at preview), then the enabled concerns. The Pulumi Node.js runtime calls an
// exported function and awaits it; the keys of the object it returns are the stack outputs
// (one per concern of components/index.ts; a concern that is off has none).
export = async (): Promise<Record<string, unknown>> => deployAll(pulumi.runtime.allConfig(), pulumi.getStack());
