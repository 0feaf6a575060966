#!/usr/bin/env bash
# Event benchmark: Create with no step, with one asynchronous webhook step and with one synchronous PreOperation
# plug-in, then delivery of 1,000 creates/s to a local webhook receiver for 60 s with the backlog. One server on
# the embedded H2 default (BENCH_DATABASES=postgresql for PostgreSQL). See bench/README.md ("Event benchmark").
set -euo pipefail

bench_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$bench_dir")

databases=${BENCH_DATABASES:-h2}
heap=${BENCH_HEAP:-256m}
port=${BENCH_PORT:-18080}

# shellcheck source=bench/lib.sh
. "$bench_dir/lib.sh"

require_curl
require_postgresql_if_listed "$databases"
build_server
# the test classes hold the plug-in the synchronous scenario registers (found through META-INF/services)
classpath=$bench_classpath

results=$bench_dir/results/events-$(date +%Y%m%d-%H%M%S)
mkdir -p "$results"
work=$(mktemp -d "${TMPDIR:-/tmp}/flowbin-bench-events.XXXXXX")

summary=$results/summary.md
echo "# Event benchmark $(date -u +%Y-%m-%dT%H:%M:%SZ)" >"$summary"
echo >>"$summary"
echo "Machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at start." >>"$summary"

for database in $databases; do
    secret=$(head -c 32 /dev/urandom | base64 | tr -d '/+=' | head -c 40)
    env_vars=(FLOWBIN_PORT="$port" FLOWBIN_DATA_DIR="$work/data-$database" FLOWBIN_JWT_SECRET="$secret"
        FLOWBIN_ADMIN_OID="$admin_oid" FLOWBIN_EVENT_WORKERS="${BENCH_EVENT_WORKERS:-16}")
    if [ "$database" = postgresql ]; then
        created_database=flowbin_bench_events_$RANDOM$RANDOM
        psql_admin "CREATE DATABASE $created_database" >/dev/null || die "cannot create the PostgreSQL database."
        created_databases+=("$created_database")
        env_vars+=(FLOWBIN_DB_URL="jdbc:postgresql://$pg_host:$pg_port/$created_database" FLOWBIN_DB_USER="$pg_user")
    fi
    log "$database: starting the server"
    # on the class path rather than -jar, so that the test plug-in is found
    # shellcheck disable=SC2086 # the options hold several words
    env "${env_vars[@]}" "$java" "-Xmx$heap" ${BENCH_SERVER_JAVA_OPTS:-} -cp "$classpath" io.flowbin.Main serve \
        >"$results/server-$database.log" 2>&1 </dev/null &
    server_pid=$!
    running_pids+=("$server_pid")
    wait_until_ready "http://127.0.0.1:$port/health" "$server_pid" "$results/server-$database.log"
    log "$database: measuring"
    {
        echo
        echo "# $database"
        echo
        env "${env_vars[@]}" "$java" -cp "$classpath" io.flowbin.bench.EventsBench
    } | tee -a "$summary"
    stop_process "$server_pid"
done
cp "$summary" "$bench_dir/results/latest-events.md"
log "summary: $summary"
