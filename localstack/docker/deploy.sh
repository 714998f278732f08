#!/usr/bin/env bash
# Deploys TileMUD to a running LocalStack (docker compose up -d first). See README.md.
#
#   ./deploy.sh [stack]     full CDK stack through cdklocal — needs the LocalStack paid plan (LOCALSTACK_AUTH_TOKEN)
#   ./deploy.sh resources   free plan: DynamoDB connection table + secrets only; prints the env for host-run functions
#   ./deploy.sh destroy     removes what "stack" or "resources" created
#
# Names are read from the shared contract (shared/src/main/java/io/tilemud/contract), never repeated here.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$HERE/../.." && pwd)"
CONTRACT="$REPO_ROOT/shared/src/main/java/io/tilemud/contract"
ENDPOINT="${LOCALSTACK_ENDPOINT:-http://localhost:4566}"
export AWS_DEFAULT_REGION="${AWS_DEFAULT_REGION:-us-east-1}"
export AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-test}"
export AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-test}"
STACK_NAME="${STACK_NAME:-TileMud}"

die() { echo "deploy.sh: $*" >&2; exit 1; }

# contract_constant <File.java> <NAME>: the string value of `public static final String NAME = "...";`
contract_constant() {
  local value
  value="$(sed -n "s/.*static final String $2 = \"\\(.*\\)\";.*/\\1/p" "$CONTRACT/$1")"
  [[ -n "$value" ]] || die "constant $2 not found in $CONTRACT/$1"
  printf '%s' "$value"
}

awsl() { aws --endpoint-url "$ENDPOINT" "$@"; }

wait_for_localstack() {
  echo "Waiting for LocalStack at $ENDPOINT ..."
  for _ in $(seq 1 60); do
    if curl -fsS "$ENDPOINT/_localstack/health" >/dev/null 2>&1; then return 0; fi
    sleep 2
  done
  die "LocalStack is not answering at $ENDPOINT (run: docker compose up -d)"
}

require_jars() {
  for jar in functions/target/tilemud-functions.jar websocket-handlers/target/tilemud-websocket-handlers.jar; do
    [[ -f "$REPO_ROOT/$jar" ]] || die "$jar is missing: run ./mvnw -DskipTests package from $REPO_ROOT"
  done
}

deploy_stack() {
  [[ -n "${LOCALSTACK_AUTH_TOKEN:-}" ]] || die "the full stack needs API Gateway v2, ElastiCache and RDS, which \
LocalStack only emulates on a paid plan: export LOCALSTACK_AUTH_TOKEN (and restart the container), or use \
'./deploy.sh resources' on the free plan"
  command -v npx >/dev/null || die "npx (Node.js) is required for cdklocal"
  require_jars
  wait_for_localstack
  cd "$REPO_ROOT/infra-cdk"
  # cdklocal wraps the regular CDK CLI and points every SDK call at LocalStack.
  local cdklocal=(npx --yes --package aws-cdk-local --package aws-cdk cdklocal)
  AWS_ENDPOINT_URL="$ENDPOINT" "${cdklocal[@]}" bootstrap
  # Reserved concurrency means nothing locally and LocalStack accounts have no quota to reserve from.
  AWS_ENDPOINT_URL="$ENDPOINT" "${cdklocal[@]}" deploy "$STACK_NAME" --require-approval never \
    -c stackName="$STACK_NAME" -c dbReservedConcurrency=0 \
    --outputs-file "$HERE/outputs.json"
  echo "Outputs written to $HERE/outputs.json"
}

deploy_resources() {
  command -v aws >/dev/null || die "the AWS CLI v2 is required"
  wait_for_localstack
  local table connection_id session_id instance_id expires_at by_session by_instance
  table="$(contract_constant ConnectionsTable.java DEFAULT_TABLE_NAME)"
  connection_id="$(contract_constant ConnectionsTable.java CONNECTION_ID)"
  session_id="$(contract_constant ConnectionsTable.java SESSION_ID)"
  instance_id="$(contract_constant ConnectionsTable.java INSTANCE_ID)"
  expires_at="$(contract_constant ConnectionsTable.java EXPIRES_AT)"
  by_session="$(contract_constant ConnectionsTable.java BY_SESSION_INDEX)"
  by_instance="$(contract_constant ConnectionsTable.java BY_INSTANCE_INDEX)"

  if awsl dynamodb describe-table --table-name "$table" >/dev/null 2>&1; then
    echo "Table $table already exists"
  else
    echo "Creating DynamoDB table $table"
    awsl dynamodb create-table --table-name "$table" \
      --billing-mode PAY_PER_REQUEST \
      --attribute-definitions \
        AttributeName="$connection_id",AttributeType=S \
        AttributeName="$session_id",AttributeType=S \
        AttributeName="$instance_id",AttributeType=S \
      --key-schema AttributeName="$connection_id",KeyType=HASH \
      --global-secondary-indexes \
        "IndexName=$by_session,KeySchema=[{AttributeName=$session_id,KeyType=HASH}],Projection={ProjectionType=ALL}" \
        "IndexName=$by_instance,KeySchema=[{AttributeName=$instance_id,KeyType=HASH}],Projection={ProjectionType=ALL}" \
      >/dev/null
    awsl dynamodb wait table-exists --table-name "$table"
    awsl dynamodb update-time-to-live --table-name "$table" \
      --time-to-live-specification "Enabled=true,AttributeName=$expires_at" >/dev/null
  fi

  local db_password="${TILEMUD_LOCAL_DB_PASSWORD:-tilemud}"
  awsl secretsmanager describe-secret --secret-id tilemud/db >/dev/null 2>&1 || \
    awsl secretsmanager create-secret --name tilemud/db \
      --secret-string "{\"username\":\"tilemud\",\"password\":\"$db_password\"}" >/dev/null

  # Environment for functions run on the host against the compose services (names from Environment.java).
  cat <<ENV

# --- TileMUD environment (free plan: compose Redis/PostgreSQL + LocalStack DynamoDB) ---
export $(contract_constant Environment.java REDIS_URL)=redis://localhost:6379
export $(contract_constant Environment.java JDBC_URL)=jdbc:postgresql://localhost:5432/tilemud
export $(contract_constant Environment.java DB_USERNAME)=tilemud
export $(contract_constant Environment.java DB_PASSWORD)=$db_password
export $(contract_constant Environment.java DYNAMODB_ENDPOINT)=$ENDPOINT
export $(contract_constant Environment.java DYNAMODB_TABLE)=$table
export $(contract_constant Environment.java MIGRATE)=true
export AWS_REGION=$AWS_DEFAULT_REGION AWS_ACCESS_KEY_ID=$AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY=$AWS_SECRET_ACCESS_KEY
ENV
}

destroy() {
  wait_for_localstack
  if [[ -n "${LOCALSTACK_AUTH_TOKEN:-}" ]] && command -v npx >/dev/null; then
    (cd "$REPO_ROOT/infra-cdk" && AWS_ENDPOINT_URL="$ENDPOINT" \
      npx --yes --package aws-cdk-local --package aws-cdk cdklocal destroy "$STACK_NAME" --force) || true
  fi
  if command -v aws >/dev/null; then
    awsl dynamodb delete-table --table-name "$(contract_constant ConnectionsTable.java DEFAULT_TABLE_NAME)" \
      >/dev/null 2>&1 || true
    awsl secretsmanager delete-secret --secret-id tilemud/db --force-delete-without-recovery >/dev/null 2>&1 || true
  fi
  echo "Destroyed (compose volumes are kept: docker compose down -v removes them)"
}

case "${1:-stack}" in
  stack) deploy_stack ;;
  resources) deploy_resources ;;
  destroy) destroy ;;
  -h|--help) sed -n '2,8p' "$0" ;;
  *) die "unknown command '$1' (stack | resources | destroy)" ;;
esac
