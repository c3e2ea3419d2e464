import { AccessContract } from "../shared/contract";

/** What the layer distributor calls (index.ts). */
export const CONTRACT: AccessContract = {
    handler: "layer-distributor",
    calls: [
        { action: "s3:GetObject", resource: { input: "inputArtifacts[0].location.s3Location" }, credentials: "codepipeline-artifact-credentials", why: "downloads the layer zip with the job's artifactCredentials (not the role)" },
        { action: "lambda:PublishLayerVersion", resource: { input: "UserParameters.layerName" }, why: "publishes the layer in the job's target Region" },
        { action: "lambda:AddLayerVersionPermission", resource: { input: "UserParameters.layerName" }, why: "shares the new version with the configured principal" },
        { action: "codepipeline:PutJobSuccessResult", resource: "*", why: "reports success (the action supports only *)" },
        { action: "codepipeline:PutJobFailureResult", resource: "*", why: "reports failure, never leaving the job hanging (the action supports only *)" },
    ],
};
