import * as pulumi from "@pulumi/pulumi";
import { deployAll } from "./lib/program";

// Thin entry point: validate the stack config (a ConfigError stops here, before any
// resource is registered), build the provider registry and the enabled concerns.
const outputs = deployAll(pulumi.runtime.allConfig(), pulumi.getStack());

export const securityEvents = outputs.securityEvents;
export const msk = outputs.msk;
export const lambdaLayers = outputs.lambdaLayers;
export const containerPipelines = outputs.containerPipelines;
export const snsFanout = outputs.snsFanout;
export const batchMonitor = outputs.batchMonitor;
export const macDev = outputs.macDev;
export const outpostFleet = outputs.outpostFleet;
export const flinkEks = outputs.flinkEks;

