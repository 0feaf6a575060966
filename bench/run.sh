#!/usr/bin/env bash
# Benchmark of the core Web API (retrieve, create, update of flowsessionbinary rows), start-up time and heap, with
# baselines measured in the same run: raw JDBC on the same database and a bare handler on the same HTTP stack.
# With the argument "bulk" it runs the bulk benchmark instead (bulk actions and cascade delete).
# The machine is shared and noisy, so the results are ratios against those baselines. See bench/README.md.
set -euo pipefail

bench_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$bench_dir")

# `./flowbin bench files` runs the file transfer benchmark instead (bench/files.sh)
if [ "${1:-}" = files ]; then
    shift
    exec "$bench_dir/files.sh" "$@"
fi

measure_seconds=${BENCH_SECONDS:-15}
warmup_seconds=${BENCH_WARMUP_SECONDS:-5}
rows=${BENCH_ROWS:-1000}
connections=${BENCH_CONNECTIONS:-16}
wrk_threads=${BENCH_WRK_THREADS:-2}
startup_runs=${BENCH_STARTUP_RUNS:-5}
databases=${BENCH_DATABASES:-h2 postgresql}
worker_threads=${BENCH_WORKER_THREADS:-32}
heap=${BENCH_HEAP:-256m}
port=${BENCH_PORT:-18080}
hello_port=$((port + 1))

# shellcheck source=bench/lib.sh
. "$bench_dir/lib.sh"

# `./flowbin bench bulk`: the bulk benchmark (CreateMultiple, UpdateMultiple, cascade delete against raw JDBC on the
# same database in the same run); a server and the baselines in one JVM. See "Bulk benchmark" in bench/README.md.
if [ "${1:-}" = bulk ]; then
    require_postgresql_if_listed "$databases"
    build_server
    results=$bench_dir/results/$(date +%Y%m%d-%H%M%S)
    mkdir -p "$results"
    # shellcheck disable=SC2086 # the database list is split on purpose
    "$java" -Xmx${BENCH_BULK_HEAP:-1g} -Dflowbin.test.pg.url="jdbc:postgresql://$pg_host:$pg_port/postgres" \
        -Dflowbin.test.pg.user="$pg_user" -cp "$bench_classpath" \
        io.flowbin.bench.BulkBench "$results/bulk-summary.md" $databases 2>"$results/bulk.log" \
        || { tail -n 30 "$results/bulk.log" >&2; die "the bulk benchmark failed (log: $results/bulk.log)."; }
    cp "$results/bulk-summary.md" "$bench_dir/results/latest-bulk.md"
    log "results in $results"
    exit 0
fi

require_curl
require_wrk
require_postgresql_if_listed "$databases"
build_server

load_at_start=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)
results=$bench_dir/results/$(date +%Y%m%d-%H%M%S)
mkdir -p "$results"
work=$(mktemp -d "${TMPDIR:-/tmp}/flowbin-bench.XXXXXX")

# ---- the server -------------------------------------------------------------------------------------------

now_ms() {
    echo $(($(date +%s%N) / 1000000))
}

# ---- wrk --------------------------------------------------------------------------------------------------

# Warms up, then measures; stores the rate and p99 latency under key $1.
measure() {
    local key=$1 url=$2 script=${3:-}
    run_wrk "$key-warmup" "$url" "$warmup_seconds" "$script"
    run_wrk "$key" "$url" "$measure_seconds" "$script"
    rate[$key]=$wrk_rate
    p99[$key]=$wrk_p99
    log "$key: $wrk_rate requests/s (p99 $wrk_p99)"
}

# ---- measurements -----------------------------------------------------------------------------------------

# Starts the hello baseline with its log in $1; sets hello_pid.
start_hello() {
    local logfile=$1
    "$java" -Xmx"$heap" -cp "$bench_classpath" io.flowbin.bench.HelloServer "$hello_port" "$worker_threads" \
        >>"$logfile" 2>&1 </dev/null &
    hello_pid=$!
    running_pids+=("$hello_pid")
    wait_until_ready "http://127.0.0.1:$hello_port/" "$hello_pid" "$logfile"
}

measure_hello() {
    local db=$1
    start_hello "$results/hello-$db.log"
    measure "$db.hello" "http://127.0.0.1:$hello_port/"
    stop_process "$hello_pid"
}

declare -A heap_max_mb
declare -A stopped_cleanly

measure_database() {
    local db=$1
    local data_dir=$work/data-$db
    local secret jdbc_url=''
    secret=$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')
    local settings=(FLOWBIN_DATA_DIR="$data_dir" FLOWBIN_ADMIN_OID="$admin_oid" FLOWBIN_JWT_SECRET="$secret"
        FLOWBIN_WORKER_THREADS="$worker_threads")
    if [ "$db" = postgresql ]; then
        local database
        database=flowbin_bench_$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')
        psql_admin "CREATE DATABASE $database" >/dev/null
        created_databases+=("$database")
        jdbc_url="jdbc:postgresql://$pg_host:$pg_port/$database"
        settings+=(FLOWBIN_DB_URL="$jdbc_url" FLOWBIN_DB_USER="$pg_user")
        log "postgresql: database $database"
    fi

    measure_hello "$db"

    local gc_log=$results/gc-$db.log
    BENCH_SERVER_JAVA_OPTS="${BENCH_SERVER_JAVA_OPTS:-} -Xlog:gc:file=$gc_log" start_server "$db" "${settings[@]}"
    local token session ids=$work/ids-$db.txt
    token=$(FLOWBIN_JWT_SECRET=$secret FLOWBIN_ADMIN_OID=$admin_oid \
        "$java" -cp "$bench_classpath" io.flowbin.bench.AdminToken)
    log "$db: seeding $rows rows"
    session=$(BENCH_TOKEN=$token "$java" -cp "$bench_classpath" io.flowbin.bench.Seed \
        "http://127.0.0.1:$port/api/data/v9.2/" "$rows" "$ids")
    export BENCH_TOKEN=$token BENCH_IDS=$ids BENCH_SESSION_ID=$session

    local base=http://127.0.0.1:$port
    measure "$db.retrieve" "$base" retrieve.lua
    measure "$db.create" "$base" create.lua
    measure "$db.update" "$base" update.lua

    local started=$SECONDS
    stop_process "$server_pid"
    if grep -q 'OutOfMemoryError' "$results/server-$db.log"; then
        stopped_cleanly[$db]="OutOfMemoryError (see server-$db.log)"
    else
        stopped_cleanly[$db]="stopped in $((SECONDS - started)) s"
    fi
    heap_max_mb[$db]=$(max_heap_after_gc_mb "$gc_log")

    if [ -n "$jdbc_url" ]; then
        log "$db: JDBC baseline"
        FLOWBIN_DB_USER=$pg_user run_interruptibly "$java" -cp "$bench_classpath" io.flowbin.bench.JdbcBaseline \
            "$jdbc_url" flowsessionbinary "$connections" "$warmup_seconds" "$measure_seconds" name \
            >"$results/jdbc-$db.txt" 2>"$results/jdbc-$db.log" \
            || die "the JDBC baseline failed: $(tail -n 5 "$results/jdbc-$db.log")"
        local name rate_value
        while IFS='=' read -r name rate_value; do
            rate[$db.${name%_per_sec}]=$rate_value
        done <"$results/jdbc-$db.txt"
        log "$db: JDBC select ${rate[$db.jdbc_select]:-?}, insert ${rate[$db.jdbc_insert]:-?}," \
            "update ${rate[$db.jdbc_update]:-?} per second"
    fi
}

# The hello baseline's start-up is measured the same way: it shows what the JVM alone costs on this machine now.
measure_startup() {
    local first=() restart=() hello=() run phase data_dir started
    for run in $(seq 1 "$startup_runs"); do
        data_dir=$work/startup-$run
        for phase in first restart; do
            started=$(now_ms)
            start_server startup FLOWBIN_DATA_DIR="$data_dir"
            if [ $phase = first ]; then first+=($(($(now_ms) - started))); else restart+=($(($(now_ms) - started))); fi
            stop_process "$server_pid"
        done
        started=$(now_ms)
        start_hello "$results/hello-startup.log"
        hello+=($(($(now_ms) - started)))
        stop_process "$hello_pid"
        log "start-up run $run: first start ${first[-1]} ms, restart ${restart[-1]} ms, hello baseline ${hello[-1]} ms"
    done
    startup_first_ms=$(median "${first[@]}")
    startup_restart_ms=$(median "${restart[@]}")
    startup_hello_ms=$(median "${hello[@]}")
    startup_all="first: ${first[*]} ms; restart: ${restart[*]} ms; hello baseline: ${hello[*]} ms"
}

# ---- report -----------------------------------------------------------------------------------------------

value() {
    echo "${rate[$1]:-n/a}"
}

target_row() {
    local name=$1 measured=$2 comparison=$3 limit=$4
    printf '| %s | %s | %s %s | %s |\n' "$name" "$measured" "$comparison" "$limit" \
        "$(verdict "$measured" "$comparison" "$limit")"
}

write_report() {
    local db
    echo "# flowbin benchmark, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo
    echo "Commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)," \
        "$(nproc) CPUs, $("$java" -version 2>&1 | head -n 1)." \
        "Load average (1, 5, 15 min) at start: $load_at_start; at end: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)."
    echo "wrk: $wrk_threads threads, $connections connections, ${warmup_seconds} s warm-up then ${measure_seconds} s;" \
        "JDBC: $connections threads; $rows seeded rows; server and hello baseline with -Xmx$heap," \
        "hello with $worker_threads worker threads."
    echo
    echo "## Rates (requests or operations per second)"
    echo
    echo "| Measurement | ${databases// / | } |"
    echo "|---|$(for db in $databases; do printf -- '---:|'; done)"
    local key label
    for key in retrieve create update hello jdbc_select jdbc_insert jdbc_update; do
        case $key in
            retrieve) label="Retrieve by id (GET)" ;;
            create) label="Create (POST)" ;;
            update) label="Update (PATCH, If-Match: *)" ;;
            hello) label="Baseline: hello handler" ;;
            jdbc_select) label="Baseline: JDBC select by key" ;;
            jdbc_insert) label="Baseline: JDBC insert + commit" ;;
            jdbc_update) label="Baseline: JDBC update by key + commit" ;;
        esac
        printf '| %s |' "$label"
        for db in $databases; do printf ' %s |' "$(value "$db.$key")"; done
        echo
    done
    printf '| p99 latency retrieve / create / update |'
    for db in $databases; do printf ' %s / %s / %s |' "${p99[$db.retrieve]:-}" "${p99[$db.create]:-}" "${p99[$db.update]:-}"; done
    echo
    printf '| Max heap after GC under load (MB, -Xmx%s) |' "$heap"
    for db in $databases; do printf ' %s |' "${heap_max_mb[$db]:-n/a}"; done
    echo
    printf '| Server stop on SIGTERM |'
    for db in $databases; do printf ' %s |' "${stopped_cleanly[$db]:-n/a}"; done
    echo
    echo
    echo "Start-up to ready on the embedded default (process start until GET /health answers 200), median of" \
        "$startup_runs: first start (empty data dir) ${startup_first_ms:-n/a} ms, restart ${startup_restart_ms:-n/a} ms;" \
        "the hello baseline's start-up, measured the same way: ${startup_hello_ms:-n/a} ms" \
        "(${startup_all:-not measured})."
    echo
    echo "Non-2xx responses and socket errors over all wrk runs: $bad_responses."
    echo
    echo "## Targets"
    echo
    echo "| Target | Measured | Required | Result |"
    echo "|---|---:|---|---|"
    target_row "Retrieve on PostgreSQL / JDBC select" "$(ratio postgresql.retrieve postgresql.jdbc_select)" ">=" 0.35
    for db in $databases; do
        target_row "Retrieve on $db / hello" "$(ratio "$db.retrieve" "$db.hello")" ">=" 0.3
    done
    target_row "Create on PostgreSQL / JDBC insert" "$(ratio postgresql.create postgresql.jdbc_insert)" ">=" 0.6
    target_row "Update on PostgreSQL / JDBC update" "$(ratio postgresql.update postgresql.jdbc_update)" ">=" 0.5
    local first_s restart_s
    first_s=$(awk -v ms="${startup_first_ms:-}" 'BEGIN { if (ms == "") print "n/a"; else printf "%.2f", ms / 1000 }')
    restart_s=$(awk -v ms="${startup_restart_ms:-}" 'BEGIN { if (ms == "") print "n/a"; else printf "%.2f", ms / 1000 }')
    target_row "Start-up, first start (s)" "$first_s" "<" 3
    target_row "Start-up, restart (s)" "$restart_s" "<" 3
    target_row "Non-2xx responses and socket errors" "$bad_responses" "<" 1
}

for db in $databases; do
    case $db in h2 | postgresql) ;; *) die "unknown database '$db' in BENCH_DATABASES (use h2 and/or postgresql)." ;; esac
    log "== $db"
    measure_database "$db"
done
if [ "$startup_runs" -gt 0 ]; then
    log "== start-up"
    measure_startup
fi

write_report >"$results/summary.md"
cp "$results/summary.md" "$bench_dir/results/latest.md"
echo
cat "$results/summary.md"
echo
log "results in $results"
