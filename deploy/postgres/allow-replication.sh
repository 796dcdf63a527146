#!/bin/sh
# Run once by the postgres image at initdb: let the read replica stream from this primary.
set -e
echo "host replication all all scram-sha-256" >> "$PGDATA/pg_hba.conf"
