import { AccessContract } from "../../functions/shared/contract";

/**
 * What pipeline 1's build (the source's buildspec, examples/container-app/buildspec.yml) calls with
 * the image-build role: `aws ecr describe-images` (tag must be new), `aws ecr get-login-password`,
 * and `docker push`, which ECR authorizes as the layer-upload actions (ECR User Guide,
 * "image-push-iam": BatchCheckLayerAvailability, InitiateLayerUpload, UploadLayerPart,
 * CompleteLayerUpload, PutImage, BatchGetImage). The spec holds each `aws` command of the
 * buildspec to this list.
 */
export const IMAGE_BUILD: AccessContract = {
    handler: "container-image-build",
    calls: [
        { action: "ecr:DescribeImages", resource: { env: "REPOSITORY_NAME" }, why: "refuses a tag that already exists (tags are immutable)" },
        { action: "ecr:GetAuthorizationToken", resource: "*", why: "aws ecr get-login-password (the action supports only *)" },
        ...["ecr:BatchCheckLayerAvailability", "ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload", "ecr:PutImage", "ecr:BatchGetImage"].map((action) => ({
            action,
            resource: { env: "REPOSITORY_NAME" },
            why: "docker push of the new image",
        })),
    ],
};

/**
 * What pipeline 2's build (deploy-buildspec.yml) calls with the function-update role. Updating a
 * function to an image also needs the caller to be able to pull it (Lambda Developer Guide,
 * "permissions-user-function": ecr:BatchGetImage and ecr:GetDownloadUrlForLayer on the repository).
 * `aws lambda wait function-updated-v2` polls GetFunction.
 */
export const FUNCTION_UPDATE: AccessContract = {
    handler: "container-function-update",
    calls: [
        { action: "ecr:DescribeImages", resource: { env: "REPOSITORY_NAME" }, why: "finds the newest tagged image" },
        { action: "lambda:GetFunctionConfiguration", resource: { env: "FUNCTION_NAME" }, why: "checks the function exists, then reports its state" },
        { action: "lambda:UpdateFunctionCode", resource: { env: "FUNCTION_NAME" }, why: "moves the function onto the image" },
        { action: "lambda:GetFunction", resource: { env: "FUNCTION_NAME" }, why: "aws lambda wait function-updated-v2" },
        { action: "ecr:BatchGetImage", resource: { env: "REPOSITORY_NAME" }, impliedBy: "lambda:UpdateFunctionCode", why: "UpdateFunctionCode with an image checks the caller can pull it" },
        { action: "ecr:GetDownloadUrlForLayer", resource: { env: "REPOSITORY_NAME" }, impliedBy: "lambda:UpdateFunctionCode", why: "UpdateFunctionCode with an image checks the caller can pull it" },
    ],
};
