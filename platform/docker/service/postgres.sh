#!/bin/sh
# PostgreSQL for docker-compose.yml, from the service image: initialise the data folder once
# (its owner's password from ASSAY_DB_PASSWORD), then serve on loopback.
set -eu
DATA=/var/lib/postgresql/data
: "${ASSAY_DB_PASSWORD:?set ASSAY_DB_PASSWORD}"
: "${ASSAY_PG_PORT:=5432}"
if [ ! -s "$DATA/PG_VERSION" ]; then
    printf '%s\n' "$ASSAY_DB_PASSWORD" >/tmp/pwfile
    initdb -D "$DATA" -U assay --pwfile=/tmp/pwfile --auth-host=scram-sha-256 \
        --auth-local=peer -E UTF8 >/dev/null
    rm -f /tmp/pwfile
    echo "CREATE DATABASE assay OWNER assay" | postgres --single -D "$DATA" postgres >/dev/null
fi
exec postgres -D "$DATA" -c listen_addresses=127.0.0.1 -c "port=$ASSAY_PG_PORT" \
    -c unix_socket_directories=/tmp
