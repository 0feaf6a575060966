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
pg_host=${BENCH_PG_HOST:-127.0.0.1}
pg_port=${BENCH_PG_PORT:-5432}
pg_user=${BENCH_PG_USER:-postgres}
admin_oid=3b0c6d1e-5f2a-4c8b-9e7d-1a2b3c4d5e6f

log() {
    echo "bench: $*" >&2
}

die() {
    log "$*"
    exit 1
}

while read -r name; do unset "$name"; done < <(compgen -e | grep '^FLOWBIN_' || true)

JAVA_HOME=$("$root/flowbin" java-home)
export JAVA_HOME
java=$JAVA_HOME/bin/java

if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
    log "building (mvn -B -DskipTests package)"
    (cd "$root" && mvn -B -q -DskipTests package) || die "the build failed."
fi
[ -d "$root/target/lib" ] || die "no target/lib: run without BENCH_SKIP_BUILD=1 once."
# the test classes hold the plug-in the synchronous scenario registers (found through META-INF/services)
classpath="$root/target/test-classes:$root/target/classes:$root/target/lib/*"

results=$bench_dir/results/events-$(date +%Y%m%d-%H%M%S)
mkdir -p "$results"
work=$(mktemp -d "${TMPDIR:-/tmp}/flowbin-bench-events.XXXXXX")
server_pid=""
created_database=""

cleanup() {
    if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
        kill -TERM "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    if [ -n "$created_database" ]; then
        psql -q -h "$pg_host" -p "$pg_port" -U "$pg_user" -d postgres \
            -c "DROP DATABASE IF EXISTS $created_database" >/dev/null 2>&1 || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT INT TERM

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
        psql -q -h "$pg_host" -p "$pg_port" -U "$pg_user" -d postgres -c "CREATE DATABASE $created_database" \
            >/dev/null || die "cannot create the PostgreSQL database."
        env_vars+=(FLOWBIN_DB_URL="jdbc:postgresql://$pg_host:$pg_port/$created_database" FLOWBIN_DB_USER="$pg_user")
    fi
    log "$database: starting the server"
    env "${env_vars[@]}" "$java" "-Xmx$heap" -cp "$classpath" io.flowbin.Main serve \
        >"$results/server-$database.log" 2>&1 &
    server_pid=$!
    for _ in $(seq 1 120); do
        curl -fs "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break
        kill -0 "$server_pid" 2>/dev/null || die "the server stopped; see $results/server-$database.log"
        sleep 0.5
    done
    log "$database: measuring"
    {
        echo
        echo "# $database"
        echo
        env "${env_vars[@]}" "$java" -cp "$classpath" io.flowbin.bench.EventsBench
    } | tee -a "$summary"
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
done
cp "$summary" "$bench_dir/results/latest-events.md"
log "summary: $summary"
