#!/bin/sh
# Creates and migrates Temporal's two PostgreSQL databases (persistence and
# visibility) with temporal-sql-tool. Runs once before the server starts; safe to
# run again on an existing database: setup-schema skips a database whose schema
# is already past 0.0 and update-schema only applies versions that are missing.
#
# Used by docker-compose.yml (in the temporalio/admin-tools image, after the
# postgresql service is healthy) and by `npm run cluster` (cluster/cluster.ts,
# with the tool and schema it built, after PostgreSQL accepts connections).
set -eu

: "${POSTGRES_SEEDS:?}" "${POSTGRES_USER:?}" "${SQL_PASSWORD:?}"
DB_PORT="${DB_PORT:-5432}"
# Where temporalio/admin-tools keeps the schema; the cluster passes its own copy.
SCHEMA_ROOT="${SCHEMA_ROOT:-/etc/temporal/schema/postgresql/v12}"

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
