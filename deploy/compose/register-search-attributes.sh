#!/bin/sh
# Creates the namespace the worker uses (if missing) and registers the workflow's
# custom search attributes on it (if missing), with the `temporal` CLI from the
# temporalio/admin-tools image (docker-compose.yml), or the CLI of .temporal/pip
# (`npm run cluster`). Idempotent: safe on every `docker compose up`.
# The names must match SEARCH_ATTRIBUTES in src/shared/constants.ts
# (test/compose/docker-compose.test.ts checks that they do).
set -eu

ADDRESS="${TEMPORAL_ADDRESS:-temporal:7233}"
NAMESPACE="${TEMPORAL_NAMESPACE:-default}"

# Temporal's own compose setup resolves the server host to an IPv4 address before
# calling the CLI (the name can otherwise resolve to an address the frontend does
# not listen on); do the same when getent is available.
host="${ADDRESS%:*}"
port="${ADDRESS##*:}"
if command -v getent >/dev/null 2>&1; then
  ip="$(getent ahostsv4 "$host" 2>/dev/null | awk 'NR == 1 { print $1 }')"
  if [ -n "$ip" ]; then
    ADDRESS="${ip}:${port}"
  fi
fi

echo "Waiting for the Temporal frontend at ${ADDRESS}..."
tries=0
until temporal operator cluster health --address "$ADDRESS" >/dev/null 2>&1; do
  tries=$((tries + 1))
  if [ "$tries" -ge 60 ]; then
    echo "Temporal server did not become healthy" >&2
    exit 1
  fi
  sleep 2
done

if ! temporal operator namespace describe --address "$ADDRESS" --namespace "$NAMESPACE" >/dev/null 2>&1; then
  echo "Creating namespace ${NAMESPACE}"
  temporal operator namespace create --address "$ADDRESS" --namespace "$NAMESPACE"
fi

# A namespace just created reaches the server's namespace cache some seconds later; until then
# listing its search attributes answers "not found".
tries=0
until existing="$(temporal operator search-attribute list --address "$ADDRESS" --namespace "$NAMESPACE" 2>&1)"; do
  tries=$((tries + 1))
  if [ "$tries" -ge 30 ]; then
    echo "Cannot list the search attributes of ${NAMESPACE}: ${existing}" >&2
    exit 1
  fi
  sleep 1
done
for name in BackupPhase DatabaseId BackupId; do
  if printf '%s\n' "$existing" | grep -qw "$name"; then
    echo "Search attribute ${name} already registered"
  else
    echo "Registering search attribute ${name} (Keyword)"
    temporal operator search-attribute create --address "$ADDRESS" --namespace "$NAMESPACE" \
      --name "$name" --type Keyword
  fi
done

echo "Search attributes on ${NAMESPACE}:"
temporal operator search-attribute list --address "$ADDRESS" --namespace "$NAMESPACE"
