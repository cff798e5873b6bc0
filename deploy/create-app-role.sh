#!/bin/sh
# Run once by the PostgreSQL image when its data folder is first created: the role Casework
# runs as. It owns nothing; `manage.py grant_app_role casework_app` (the migrate service)
# gives it row access after every migration.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v password="$APP_DB_PASSWORD" <<'SQL'
CREATE ROLE casework_app LOGIN PASSWORD :'password';
SQL
