#!/usr/bin/env bash
# Event benchmark: Create with no step and with one asynchronous webhook step on a node that does not deliver (the
# cost of writing the job); then, on one node that also delivers, Create with no step, with one asynchronous webhook
# step and with one synchronous PreOperation plug-in, and delivery of 1,000 creates/s to a local webhook receiver for
# 60 s with the backlog. The embedded H2 default (BENCH_DATABASES=postgresql for PostgreSQL, or "h2 postgresql").
# See bench/README.md ("Event benchmark").
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

# Starts the server with the environment given (NAME=value ...), logging to $results/server-$1.log.
start_events_server() {
    local name=$1
    shift
    # on the class path rather than -jar, so that the test plug-in is found
    # shellcheck disable=SC2086 # the options hold several words
    env "$@" "$java" "-Xmx$heap" ${BENCH_SERVER_JAVA_OPTS:-} -cp "$classpath" io.flowbin.Main serve \
        >"$results/server-$name.log" 2>&1 </dev/null &
    server_pid=$!
    running_pids+=("$server_pid")
    wait_until_ready "http://127.0.0.1:$port/health" "$server_pid" "$results/server-$name.log"
}

# A fresh database for one server run; sets db_vars.
fresh_database() {
    local name=$1 database=$2
    db_vars=(FLOWBIN_DATA_DIR="$work/data-$name")
    if [ "$database" = postgresql ]; then
        created_database=flowbin_bench_events_$RANDOM$RANDOM
        psql_admin "CREATE DATABASE $created_database" >/dev/null || die "cannot create the PostgreSQL database."
        created_databases+=("$created_database")
        db_vars+=(FLOWBIN_DB_URL="jdbc:postgresql://$pg_host:$pg_port/$created_database" FLOWBIN_DB_USER="$pg_user")
    fi
}

for database in $databases; do
    secret=$(head -c 32 /dev/urandom | base64 | tr -d '/+=' | head -c 40)
    common_vars=(FLOWBIN_PORT="$port" FLOWBIN_JWT_SECRET="$secret" FLOWBIN_ADMIN_OID="$admin_oid")
    {
        echo
        echo "# $database"
        echo
    } | tee -a "$summary"

    # 1. the cost of writing the job alone: a node that delivers nothing (an API node beside delivery nodes)
    fresh_database "$database-outbox" "$database"
    log "$database: the job write alone (FLOWBIN_EVENT_WORKERS=0)"
    start_events_server "$database-outbox" "${common_vars[@]}" "${db_vars[@]}" FLOWBIN_EVENT_WORKERS=0
    env "${common_vars[@]}" "$java" -cp "$classpath" io.flowbin.bench.EventsBench outbox | tee -a "$summary"
    stop_process "$server_pid"

    # 2. one node that writes and delivers, then delivery at a fixed rate
    fresh_database "$database" "$database"
    log "$database: one node writing and delivering (FLOWBIN_EVENT_WORKERS=${BENCH_EVENT_WORKERS:-16})"
    start_events_server "$database" "${common_vars[@]}" "${db_vars[@]}" \
        FLOWBIN_EVENT_WORKERS="${BENCH_EVENT_WORKERS:-16}"
    env "${common_vars[@]}" "$java" -cp "$classpath" io.flowbin.bench.EventsBench | tee -a "$summary"
    stop_process "$server_pid"
done
cp "$summary" "$bench_dir/results/latest-events.md"
log "summary: $summary"
