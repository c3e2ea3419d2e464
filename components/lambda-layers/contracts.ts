import { AccessContract } from "../../functions/shared/contract";

/**
 * What the layer build (layers/buildspec.yml) calls itself: nothing. It installs the pinned
 * packages and zips them; CodeBuild reads the source artifact and writes the layer artifact
 * (wirings.ts, CodeBuild).
 */
export const LAYER_BUILD: AccessContract = { handler: "layer-build", calls: [] };
