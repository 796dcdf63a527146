#!/bin/sh
# The account list comes from the environment; PgBouncer refuses to run as root.
set -e
printf '"%s" "%s"\n' "${POSTGRES_USER:-portal}" "$POSTGRES_PASSWORD" > /etc/pgbouncer/userlist.txt
chown postgres /etc/pgbouncer/userlist.txt
chmod 600 /etc/pgbouncer/userlist.txt
exec su postgres -s /bin/sh -c "exec pgbouncer /etc/pgbouncer/pgbouncer.ini"
