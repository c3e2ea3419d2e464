#!/usr/bin/env bash
# Runs the workloads stack of platform stack $1 from inside the cluster's VPC: uploads this checkout
# to the in-VPC deployer's source bucket, refreshes the Pulumi token it logs in with, starts its
# CodeBuild project and waits for the build. Needs the pulumi CLI (logged in), the aws CLI with the
# account's deploy credentials, jq and git. The deployer's names come from the platform stack's
# `flinkEks.deployer` output (components/flink-eks/index.ts).
set -euo pipefail
stack="${1:?usage: scripts/run-deployer.sh <platform stack>}"
# The output holds the kubeconfig (a secret) too: read it whole, print none of it.
out="$(pulumi stack output --stack "${stack}" flinkEks --json --show-secrets)"
project="$(jq -r '.deployer.projectName' <<<"${out}")"
bucket="$(jq -r '.deployer.sourceBucket' <<<"${out}")"
key="$(jq -r '.deployer.sourceKey' <<<"${out}")"
secret="$(jq -r '.deployer.tokenSecretArn' <<<"${out}")"
workloads="$(jq -r '.deployer.workloadsStack' <<<"${out}")"
export AWS_REGION="$(jq -r '.region' <<<"${out}")"
echo "deployer ${project}: pulumi up ${workloads} from inside the VPC"

archive="$(mktemp -d)/awsarch.zip"
git archive --format=zip -o "${archive}" HEAD
version="$(aws s3api put-object --bucket "${bucket}" --key "${key}" --body "${archive}" --query VersionId --output text)"
if [ -n "${PULUMI_ACCESS_TOKEN:-}" ]; then
  aws secretsmanager put-secret-value --secret-id "${secret}" --secret-string "${PULUMI_ACCESS_TOKEN}" >/dev/null
fi
build="$(aws codebuild start-build --project-name "${project}" --source-version "${version}" --query build.id --output text)"
echo "build ${build}"
while true; do
  status="$(aws codebuild batch-get-builds --ids "${build}" --query 'builds[0].buildStatus' --output text)"
  case "${status}" in
    SUCCEEDED) echo "workloads deployed"; exit 0 ;;
    FAILED|FAULT|STOPPED|TIMED_OUT) echo "build ${build} ended ${status}: see its CloudWatch logs" >&2; exit 1 ;;
    *) sleep 20 ;;
  esac
done
