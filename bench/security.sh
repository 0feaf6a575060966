#!/usr/bin/env bash
# Benchmark of the security predicate: BENCH_SECURITY_ROWS (default 1,000,000) flowsessionbinary rows owned by
# BENCH_SECURITY_USERS (1,000) users in BENCH_SECURITY_UNITS (50) business units, on H2 and PostgreSQL. A user reading
# at Basic depth and one reading at Local depth ask for a filtered page of 50 and for $count; their rates are set
# against the System Administrator's for the same requests in the same run. See bench/README.md ("Security
# benchmark").
set -euo pipefail

bench_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$bench_dir")

measure_seconds=${BENCH_SECONDS:-15}
warmup_seconds=${BENCH_WARMUP_SECONDS:-5}
rows=${BENCH_SECURITY_ROWS:-1000000}
users=${BENCH_SECURITY_USERS:-1000}
units=${BENCH_SECURITY_UNITS:-50}
rounds=${BENCH_ROUNDS:-2}
connections=${BENCH_CONNECTIONS:-16}
wrk_threads=${BENCH_WRK_THREADS:-2}
databases=${BENCH_DATABASES:-h2 postgresql}
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

command -v curl >/dev/null || die "curl is needed."
command -v wrk >/dev/null || die "wrk is needed: apt-get install wrk (Debian, Ubuntu) or brew install wrk."
if [[ " $databases " == *" postgresql "* ]]; then
    command -v psql >/dev/null || die "psql is needed for the PostgreSQL runs (or set BENCH_DATABASES=h2)."
    pg_isready -q -h "$pg_host" -p "$pg_port" || die "PostgreSQL does not answer on $pg_host:$pg_port."
fi

if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
    log "building (mvn -B -DskipTests package)"
    (cd "$root" && mvn -B -q -DskipTests package) || die "the build failed."
fi
jar=$(ls "$root"/target/flowbin-*.jar 2>/dev/null | grep -Ev -- '-(sources|tests|javadoc)\.jar$' | head -n 1 || true)
[ -n "$jar" ] || die "no target/flowbin-*.jar: the build did not produce the server."
classpath="$root/target/test-classes:$root/target/classes:$root/target/lib/*"

results=$bench_dir/results/security-$(date +%Y%m%d-%H%M%S)
mkdir -p "$results"
work=$(mktemp -d "${TMPDIR:-/tmp}/flowbin-bench-security.XXXXXX")

running_pids=()
created_databases=()

stop_process() {
    local pid=$1 waited=0
    if kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null || true
        while kill -0 "$pid" 2>/dev/null && [ $waited -lt 300 ]; do
            sleep 0.1
            waited=$((waited + 1))
        done
        kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
    local remaining=() other
    for other in "${running_pids[@]}"; do
        [ "$other" = "$pid" ] || remaining+=("$other")
    done
    running_pids=("${remaining[@]}")
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
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

wait_until_ready() {
    local url=$1 pid=$2 logfile=$3 deadline=$((SECONDS + 300))
    while :; do
        if ! kill -0 "$pid" 2>/dev/null; then
            tail -n 30 "$logfile" >&2 || true
            die "the server exited before it was ready (log: $logfile)."
        fi
        [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$url" || true)" = 200 ] && return
        [ $SECONDS -lt $deadline ] || die "$url did not answer 200 within 300 s (log: $logfile)."
        sleep 0.1
    done
}

# Starts the server with the given environment (NAME=value ...), logging to $results/server-$1.log; sets server_pid.
start_server() {
    local name=$1
    shift
    local logfile=$results/server-$name.log
    env "$@" FLOWBIN_PORT="$port" "$java" -Xmx"$heap" ${BENCH_SERVER_JAVA_OPTS:-} -jar "$jar" serve \
        >>"$logfile" 2>&1 </dev/null &
    server_pid=$!
    running_pids+=("$server_pid")
    wait_until_ready "http://127.0.0.1:$port/health" "$server_pid" "$logfile"
}

declare -A rate
declare -A p99
declare -A notes
bad_responses=0

run_wrk() {
    local label=$1 duration=$2
    local output=$results/wrk-$label.txt
    BENCH_DIR=$bench_dir wrk -t"$wrk_threads" -c"$connections" -d"${duration}s" --timeout 30s --latency \
        -s "$bench_dir/query.lua" "http://127.0.0.1:$port" >"$output" 2>&1 || die "wrk failed: $(cat "$output")"
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

# measure <key> <token> <path>
measure() {
    local key=$1
    export BENCH_TOKEN=$2 BENCH_QUERY_PATH=$3 BENCH_PREFER=
    run_wrk "$key-warmup" "$warmup_seconds"
    run_wrk "$key" "$measure_seconds"
    rate[$key]=$wrk_rate
    p99[$key]=$wrk_p99
    log "$key: $wrk_rate requests/s (p99 $wrk_p99)"
}

median() {
    printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'
}

page_path='/api/data/v9.2/flowsessionbinaries?$select=name,createdon&$filter=statecode%20eq%200&$orderby=createdon%20desc&$top=50'
count_path='/api/data/v9.2/flowsessionbinaries/$count'

token_for() {
    FLOWBIN_JWT_SECRET=$1 FLOWBIN_ADMIN_OID=$2 "$java" -cp "$classpath" io.flowbin.bench.AdminToken
}

measure_database() {
    local db=$1
    local data_dir=$work/data-$db target secret
    secret=$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')
    local settings=(FLOWBIN_DATA_DIR="$data_dir" FLOWBIN_ADMIN_OID="$admin_oid" FLOWBIN_JWT_SECRET="$secret")
    target=$data_dir
    if [ "$db" = postgresql ]; then
        local database
        database=flowbin_bench_$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')
        psql_admin "CREATE DATABASE $database" >/dev/null
        created_databases+=("$database")
        target="jdbc:postgresql://$pg_host:$pg_port/$database"
        settings+=(FLOWBIN_DB_URL="$target" FLOWBIN_DB_USER="$pg_user")
        export FLOWBIN_DB_USER=$pg_user
    else
        unset FLOWBIN_DB_USER
        # as in the query benchmark: no reuse of an identical query's last result while the table is unchanged
        target="jdbc:h2:file:$data_dir/db/flowbin;DB_CLOSE_ON_EXIT=FALSE;DEFAULT_LOCK_TIMEOUT=10000"
        target+=";CACHE_SIZE=65536;OPTIMIZE_REUSE_RESULTS=FALSE"
        settings+=(FLOWBIN_DB_URL="$target")
    fi
    local base=http://127.0.0.1:$port
    start_server "$db-schema" "${settings[@]}"
    local admin_token
    admin_token=$(token_for "$secret" "$admin_oid")
    curl -sf -o /dev/null -X POST -H "Authorization: Bearer $admin_token" -H 'Content-Type: application/json' \
        -d '{"name":"bench"}' "$base/api/data/v9.2/flowsessions" || die "could not create the flow session."
    stop_process "$server_pid"

    log "$db: seeding $rows rows of $users users in $units business units with SQL"
    local started=$SECONDS name value basic_oid= local_oid=
    while IFS='=' read -r name value; do
        case $name in basic_oid) basic_oid=$value ;; local_oid) local_oid=$value ;; esac
    done < <("$java" -cp "$classpath" io.flowbin.bench.SecuritySeed "$target" "$rows" "$users" "$units" \
        2>"$results/seed-$db.log")
    [ -n "$basic_oid" ] && [ -n "$local_oid" ] || die "seeding failed (see $results/seed-$db.log)."
    notes[$db.seed]="$((SECONDS - started)) s"

    start_server "$db" "${settings[@]}"
    local basic_token local_token who
    basic_token=$(token_for "$secret" "$basic_oid")
    local_token=$(token_for "$secret" "$local_oid")
    for who in admin basic local; do
        local token_var=${who}_token
        notes[$db.$who.count]=$(curl -sf -H "Authorization: Bearer ${!token_var}" "$base$count_path") \
            || die "$who could not count."
    done
    # the three callers alternate, round after round, so that a change in the machine's load weighs on all alike
    local round kind
    for kind in page count; do
        local path_var=${kind}_path
        local admin_rates=() basic_rates=() local_rates=()
        for round in $(seq 1 "$rounds"); do
            measure "$db.$kind.admin-$round" "$admin_token" "${!path_var}"
            admin_rates+=("${rate[$db.$kind.admin-$round]}")
            measure "$db.$kind.basic-$round" "$basic_token" "${!path_var}"
            basic_rates+=("${rate[$db.$kind.basic-$round]}")
            measure "$db.$kind.local-$round" "$local_token" "${!path_var}"
            local_rates+=("${rate[$db.$kind.local-$round]}")
        done
        rate[$db.$kind.admin]=$(median "${admin_rates[@]}")
        rate[$db.$kind.basic]=$(median "${basic_rates[@]}")
        rate[$db.$kind.local]=$(median "${local_rates[@]}")
        p99[$db.$kind.admin]=${p99[$db.$kind.admin-1]}
        p99[$db.$kind.basic]=${p99[$db.$kind.basic-1]}
        p99[$db.$kind.local]=${p99[$db.$kind.local-1]}
    done
    stop_process "$server_pid"
}

ratio() {
    local numerator=${rate[$1]:-} denominator=${rate[$2]:-}
    if [ -z "$numerator" ] || [ -z "$denominator" ]; then
        echo n/a
    else
        awk -v n="$numerator" -v d="$denominator" 'BEGIN { if (d > 0) printf "%.2f", n / d; else print "n/a" }'
    fi
}

verdict() {
    local measured=$1 limit=$2
    [ "$measured" = n/a ] && { echo "not measured"; return; }
    awk -v m="$measured" -v l="$limit" 'BEGIN { print (m >= l) ? "PASS" : "FAIL" }'
}

write_report() {
    local db kind who
    echo "# flowbin security benchmark, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo
    echo "Commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown), $(nproc) CPUs," \
        "$("$java" -version 2>&1 | head -n 1). $rows rows, $users owners in $units business units; wrk" \
        "$wrk_threads threads, $connections connections, ${warmup_seconds} s warm-up then ${measure_seconds} s," \
        "median of $rounds alternating rounds; server -Xmx$heap."
    echo
    echo "| Requests per second (p99) | ${databases// / | } |"
    echo "|---|$(for db in $databases; do printf -- '---:|'; done)"
    for kind in page count; do
        for who in admin basic local; do
            case $who in
                admin) label="System Administrator" ;;
                basic) label="Basic-depth reader" ;;
                local) label="Local-depth reader" ;;
            esac
            if [ "$kind" = page ]; then label="$label: filtered page of 50"; else label="$label: \$count"; fi
            printf '| %s |' "$label"
            for db in $databases; do printf ' %s (%s) |' "${rate[$db.$kind.$who]:-n/a}" "${p99[$db.$kind.$who]:-}"; done
            echo
        done
    done
    printf '| Rows counted by admin / Basic / Local (capped at 5,000) |'
    for db in $databases; do
        printf ' %s / %s / %s |' "${notes[$db.admin.count]:-}" "${notes[$db.basic.count]:-}" "${notes[$db.local.count]:-}"
    done
    echo
    printf '| Seeding with SQL |'
    for db in $databases; do printf ' %s |' "${notes[$db.seed]:-n/a}"; done
    echo
    echo
    echo "Non-2xx responses and socket errors over all wrk runs: $bad_responses."
    echo
    echo "| Target | Database | Measured | Required | Result |"
    echo "|---|---|---:|---|---|"
    for db in $databases; do
        for kind in page count; do
            for who in basic local; do
                local measured
                measured=$(ratio "$db.$kind.$who" "$db.$kind.admin")
                echo "| $who / admin, $kind | $db | $measured | >= 0.5 | $(verdict "$measured" 0.5) |"
            done
        done
    done
}

for db in $databases; do
    case $db in h2 | postgresql) ;; *) die "unknown database '$db' in BENCH_DATABASES (use h2 and/or postgresql)." ;; esac
    log "== $db"
    measure_database "$db"
done

write_report >"$results/summary.md"
cp "$results/summary.md" "$bench_dir/results/latest-security.md"
echo
cat "$results/summary.md"
log "results in $results"
