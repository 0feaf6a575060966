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
wrk_timeout=30s
server_ready_seconds=300

# shellcheck source=bench/lib.sh
. "$bench_dir/lib.sh"

require_curl
require_wrk
require_postgresql_if_listed "$databases"
build_server
classpath=$bench_classpath

results=$bench_dir/results/security-$(date +%Y%m%d-%H%M%S)
mkdir -p "$results"
work=$(mktemp -d "${TMPDIR:-/tmp}/flowbin-bench-security.XXXXXX")

declare -A notes

# measure <key> <token> <path>
measure() {
    local key=$1
    export BENCH_TOKEN=$2 BENCH_QUERY_PATH=$3 BENCH_PREFER=
    run_wrk "$key-warmup" "http://127.0.0.1:$port" "$warmup_seconds" query.lua
    run_wrk "$key" "http://127.0.0.1:$port" "$measure_seconds" query.lua
    rate[$key]=$wrk_rate
    p99[$key]=$wrk_p99
    log "$key: $wrk_rate requests/s (p99 $wrk_p99)"
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
                echo "| $who / admin, $kind | $db | $measured | >= 0.5 | $(verdict "$measured" ">=" 0.5) |"
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
