#!/usr/bin/env bash
# The stack on LocalStack with cdklocal: `scripts/localstack.sh deploy|destroy|synth|bootstrap`.
# Needs a running LocalStack (docs/deploy.md); `synth` works without one (offline).
set -euo pipefail
cd "$(dirname "$0")/.."

# cdklocal refuses AWS_ENDPOINT_URL without AWS_ENDPOINT_URL_S3, and the S3 one must contain `.s3.` so asset
# uploads use LocalStack's virtual-host S3. It drops every other AWS_* variable unless allow-listed.
export AWS_ENDPOINT_URL="${AWS_ENDPOINT_URL:-http://localhost:4566}"
export AWS_ENDPOINT_URL_S3="${AWS_ENDPOINT_URL_S3:-http://s3.localhost.localstack.cloud:4566}"
export AWS_REGION="${AWS_REGION:-us-east-1}"
export AWS_DEFAULT_REGION="${AWS_DEFAULT_REGION:-$AWS_REGION}"
export AWS_ENVAR_ALLOWLIST="${AWS_ENVAR_ALLOWLIST:-AWS_REGION,AWS_DEFAULT_REGION}"
export AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-test}"
export AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-test}"
export DEPLOYMENT_STAGE=localstack
ACCOUNT="${LOCALSTACK_ACCOUNT_ID:-000000000000}"
OUTPUTS=cdk.out/localstack-outputs.json
CONTEXT=(-c deploymentStage=localstack)

case "${1:-}" in
  bootstrap)
    npx cdklocal bootstrap "aws://$ACCOUNT/$AWS_REGION"
    ;;
  synth)
    npx cdklocal synth --quiet "${CONTEXT[@]}" "${@:2}"
    ;;
  deploy)
    npx cdklocal bootstrap "aws://$ACCOUNT/$AWS_REGION"
    npx cdklocal deploy --all --require-approval never --outputs-file "$OUTPUTS" "${CONTEXT[@]}" "${@:2}"
    npx tsx scripts/localstack-setup.ts "$OUTPUTS"
    ;;
  destroy)
    npx cdklocal destroy --all --force "${CONTEXT[@]}" "${@:2}"
    rm -f "$OUTPUTS"
    ;;
  *)
    echo "Usage: scripts/localstack.sh deploy|destroy|synth|bootstrap [extra cdk arguments]" >&2
    exit 2
    ;;
esac
