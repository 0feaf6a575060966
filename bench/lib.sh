# Shared by the benchmark scripts, sourced after they set bench_dir, root and (optionally) log_prefix: logging, the
# JDK and the build, processes stopped and PostgreSQL databases dropped on exit, readiness waits, wrk runs, medians,
# ratios and verdicts, and heap figures from GC logs. Not a script of its own.

log() {
    echo "${log_prefix:-bench}: $*" >&2
}

die() {
    log "$*"
    exit 1
}

# The server must see only the settings a script gives it.
while read -r name; do unset "$name"; done < <(compgen -e | grep '^FLOWBIN_' || true)

JAVA_HOME=$("$root/flowbin" java-home)
export JAVA_HOME
java=$JAVA_HOME/bin/java

pg_host=${BENCH_PG_HOST:-127.0.0.1}
pg_port=${BENCH_PG_PORT:-5432}
pg_user=${BENCH_PG_USER:-postgres}
admin_oid=3b0c6d1e-5f2a-4c8b-9e7d-1a2b3c4d5e6f

# ---- tools and the build ----------------------------------------------------------------------------------

require_curl() {
    command -v curl >/dev/null || die "curl is needed."
}

# wrk is installed with apt-get when it is missing and this runs as root.
require_wrk() {
    if ! command -v wrk >/dev/null; then
        if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
            log "installing wrk"
            apt-get install -y -qq wrk >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
        fi
        command -v wrk >/dev/null || die "wrk is needed: apt-get install wrk (Debian, Ubuntu) or brew install wrk."
    fi
}

# Checks psql and the server when the list of databases $1 names postgresql.
require_postgresql_if_listed() {
    if [[ " $1 " == *" postgresql "* ]]; then
        command -v psql >/dev/null || die "psql is needed for the PostgreSQL runs (or set BENCH_DATABASES=h2)."
        pg_isready -q -h "$pg_host" -p "$pg_port" || die "PostgreSQL does not answer on $pg_host:$pg_port."
    fi
}

# Builds the server (unless BENCH_SKIP_BUILD=1); sets jar, bench_classpath and startup_options, the JVM options of
# `./flowbin serve` for a fast start (its start-up cache is trained here when the build is new).
build_server() {
    if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
        log "building (mvn -B -DskipTests package)"
        (cd "$root" && mvn -B -q -DskipTests package) || die "the build failed."
    fi
    jar=$(ls "$root"/target/flowbin-*.jar 2>/dev/null | grep -Ev -- '-(sources|tests|javadoc)\.jar$' | head -n 1 || true)
    [ -n "$jar" ] || die "no target/flowbin-*.jar: the build did not produce the server."
    bench_classpath="$root/target/test-classes:$root/target/classes:$root/target/lib/*"
    startup_options=$("$root/flowbin" startup-options)
}

# ---- processes and databases: everything started here is stopped on exit ----------------------------------

running_pids=()
created_databases=()
work=''

stop_process() {
    local pid=$1 waited=0
    if kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null || true
        while kill -0 "$pid" 2>/dev/null && [ $waited -lt 300 ]; do
            sleep 0.1
            waited=$((waited + 1))
        done
        if kill -0 "$pid" 2>/dev/null; then
            log "process $pid did not stop within 30 s of SIGTERM; killing it"
            kill -KILL "$pid" 2>/dev/null || true
        fi
    fi
    wait "$pid" 2>/dev/null || true
    forget_process "$pid"
}

forget_process() {
    local remaining=() other
    for other in "${running_pids[@]}"; do
        [ "$other" = "$1" ] || remaining+=("$other")
    done
    running_pids=("${remaining[@]}")
}

# Runs a command in the background and waits for it, so that Ctrl-C or SIGTERM interrupts the wait at once and
# the exit trap stops the command; returns the command's status.
run_interruptibly() {
    "$@" &
    local pid=$! status=0
    running_pids+=("$pid")
    wait "$pid" || status=$?
    forget_process "$pid"
    return $status
}

psql_admin() {
    psql -h "$pg_host" -p "$pg_port" -U "$pg_user" -d postgres -v ON_ERROR_STOP=1 -qAt -c "$1"
}

cleanup() {
    local pid database
    for pid in "${running_pids[@]}"; do
        stop_process "$pid"
    done
    for database in "${created_databases[@]}"; do
        psql_admin "DROP DATABASE IF EXISTS $database WITH (FORCE)" >/dev/null 2>&1 \
            || log "could not drop database $database"
    done
    [ -z "$work" ] || rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Waits until $1 answers 200 while process $2 lives; fails with the log $3's tail otherwise. $4: seconds (120).
wait_until_ready() {
    local url=$1 pid=$2 logfile=$3 limit=${4:-120}
    local deadline=$((SECONDS + limit))
    while :; do
        if ! kill -0 "$pid" 2>/dev/null; then
            tail -n 30 "$logfile" >&2 || true
            die "the process behind $url exited before it was ready (log: $logfile)."
        fi
        [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$url" || true)" = 200 ] && return
        [ $SECONDS -lt $deadline ] || die "$url did not answer 200 within $limit s (log: $logfile)."
        sleep 0.02
    done
}

# Starts the server with the extra environment (NAME=value ...) on $port with -Xmx$heap, the start-up options of
# `./flowbin serve`, server_java_options and BENCH_SERVER_JAVA_OPTS, logging to $results/server-$1.log; waits up to
# server_ready_seconds (120) for /health; sets server_pid.
start_server() {
    local name=$1
    shift
    local logfile=$results/server-$name.log
    # shellcheck disable=SC2086 # the options hold several words
    env "$@" FLOWBIN_PORT="$port" "$java" -Xmx"$heap" $startup_options ${server_java_options:-} \
        ${BENCH_SERVER_JAVA_OPTS:-} -jar "$jar" serve >>"$logfile" 2>&1 </dev/null &
    server_pid=$!
    running_pids+=("$server_pid")
    wait_until_ready "http://127.0.0.1:$port/health" "$server_pid" "$logfile" "${server_ready_seconds:-120}"
}

# ---- wrk --------------------------------------------------------------------------------------------------

declare -A rate
declare -A p99
bad_responses=0

# Runs wrk for $3 seconds against $2 with script $4 (optional, in bench/); label $1 names the output file under
# $results. Uses wrk_threads, connections and wrk_timeout (10s). Sets wrk_rate and wrk_p99, and adds non-2xx
# responses and socket errors to bad_responses.
run_wrk() {
    local label=$1 url=$2 duration=$3 script=${4:-}
    local output=$results/wrk-$label.txt
    local args=(-t"$wrk_threads" -c"$connections" -d"${duration}s" --timeout "${wrk_timeout:-10s}" --latency)
    [ -n "$script" ] && args+=(-s "$bench_dir/$script")
    BENCH_DIR=$bench_dir run_interruptibly wrk "${args[@]}" "$url" >"$output" 2>&1 \
        || die "wrk failed: $(cat "$output")"
    wrk_rate=$(awk '/^Requests\/sec:/ {print $2}' "$output")
    wrk_p99=$(awk '$1 == "99%" {print $2}' "$output")
    local non2xx socket
    non2xx=$(awk -F': *' '/Non-2xx or 3xx responses/ {print $2}' "$output")
    socket=$(awk '/Socket errors/ {gsub(",", ""); print $4 + $6 + $8 + $10}' "$output")
    local bad=$((${non2xx:-0} + ${socket:-0}))
    if [ "$bad" -gt 0 ]; then
        log "$label: $bad non-2xx responses or socket errors (see $output)"
        bad_responses=$((bad_responses + bad))
    fi
    [ -n "$wrk_rate" ] || die "wrk printed no rate for $label (see $output)."
}

# ---- figures ----------------------------------------------------------------------------------------------

median() {
    printf '%s\n' "$@" | sort -g | awk '{ value[NR] = $1 } END { print value[int((NR + 1) / 2)] }'
}

# rate[$1] / rate[$2] with two decimals, or n/a when either is missing.
ratio() {
    awk -v n="${rate[$1]:-}" -v d="${rate[$2]:-}" \
        'BEGIN { if (n == "" || d == "" || d <= 0) print "n/a"; else printf "%.2f", n / d }'
}

# PASS or FAIL for "$1 $2 $3" (comparison >=, <= or <), or "not measured" when $1 is n/a.
verdict() {
    local measured=$1 comparison=$2 limit=$3
    [ "$measured" = n/a ] && { echo "not measured"; return; }
    awk -v m="$measured" -v l="$limit" -v c="$comparison" 'BEGIN {
        ok = (c == ">=") ? (m >= l) : (c == "<=") ? (m <= l) : (m < l); print ok ? "PASS" : "FAIL" }'
}

# The largest heap after a collection in the -Xlog:gc file $1 (from its line $2 on), in MB.
max_heap_after_gc_mb() {
    awk -v from="${2:-0}" 'NR > from {
        if (match($0, /->[0-9.]+[KMG]\(/)) {
            size = substr($0, RSTART + 2, RLENGTH - 3)
            unit = substr(size, length(size))
            value = substr(size, 1, length(size) - 1) + 0
            if (unit == "K") value /= 1024
            if (unit == "G") value *= 1024
            if (value > max) max = value
        }
    } END { printf "%.0f", max }' "$1"
}
