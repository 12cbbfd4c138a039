#!/bin/sh
# Creates and migrates Temporal's two PostgreSQL databases (persistence and
# visibility) with temporal-sql-tool from the temporalio/admin-tools image.
# Runs once before the server starts; safe to run again on an existing volume:
# setup-schema skips a database whose schema is already past 0.0 and
# update-schema only applies versions that are missing.
set -eu

: "${POSTGRES_SEEDS:?}" "${POSTGRES_USER:?}" "${SQL_PASSWORD:?}"
DB_PORT="${DB_PORT:-5432}"
SCHEMA_ROOT=/etc/temporal/schema/postgresql/v12

echo "Waiting for PostgreSQL at ${POSTGRES_SEEDS}:${DB_PORT}..."
tries=0
until nc -z -w 2 "$POSTGRES_SEEDS" "$DB_PORT"; do
  tries=$((tries + 1))
  if [ "$tries" -ge 60 ]; then
    echo "PostgreSQL did not accept connections" >&2
    exit 1
  fi
  sleep 1
done

sql_tool() {
  temporal-sql-tool --plugin postgres12 --ep "$POSTGRES_SEEDS" -p "$DB_PORT" -u "$POSTGRES_USER" "$@"
}

for pair in temporal:temporal visibility:temporal_visibility; do
  dir="${pair%%:*}"
  db="${pair#*:}"
  echo "Database ${db}: create (an 'already exists' error is expected on a reused volume)"
  # A real connection problem is still caught by setup-schema just below.
  sql_tool --db "$db" create || true
  sql_tool --db "$db" setup-schema -v 0.0
  sql_tool --db "$db" update-schema -d "${SCHEMA_ROOT}/${dir}/versioned"
done

echo "PostgreSQL schema setup complete"
