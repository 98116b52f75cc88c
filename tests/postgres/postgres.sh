#!/bin/sh
# postgres.sh start|stop DIR: a PostgreSQL server of its own for a test,
# its data and its socket in DIR, no TCP port (nothing else on the machine
# sees it, nothing else collides with it), local connections trusted.
# start prints the URL to give --db and exits 0; 77 when PostgreSQL is not
# installed; 1 when it does not come up. stop shuts it down.
#
# PostgreSQL will not run as root: as root, the server and its files
# belong to the postgres user Debian's package made.
set -u
dir=$2
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)

as_owner() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case $1 in
start)
    [ -n "$bin" ] && [ -x "$bin/initdb" ] || {
        echo "postgres.sh: PostgreSQL missing (apt-get install postgresql)" >&2
        exit 77
    }
    mkdir -p "$dir" || exit 1
    if [ "$(id -u)" = 0 ]; then
        id postgres >/dev/null 2>&1 || {
            echo "postgres.sh: no postgres user to run the server as" >&2
            exit 77
        }
        chown postgres "$dir"
        # the test's own folder is private (mktemp): the server may pass
        # through it to DIR, not list it
        chmod o+x "$(dirname "$dir")"
    fi
    as_owner "$bin/initdb" -D "$dir/data" -U ivrkit --auth=trust \
        --no-sync >"$dir/initdb.out" 2>&1 || { cat "$dir/initdb.out" >&2; exit 1; }
    # fsync off for tests (a test's record need not outlive a power cut);
    # PG_FSYNC=on for a benchmark, as a real server runs
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
        -o "-c listen_addresses= -k $dir -c fsync=${PG_FSYNC:-off} -c max_connections=200" \
        start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    as_owner "$bin/createdb" -h "$dir" -U ivrkit ivrkit || exit 1
    echo "postgresql:///ivrkit?host=$dir&user=ivrkit"
    ;;
stop)
    [ -n "$bin" ] && [ -d "$dir/data" ] &&
        as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1
    exit 0
    ;;
esac
