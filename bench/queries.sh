#!/usr/bin/env bash
# Benchmark of RetrieveMultiple over BENCH_QUERY_ROWS (default 1,000,000) flowsessionbinary rows on H2 and PostgreSQL:
# a filtered ordered page, keyset page 1 against page 1,000, $count and $apply, each beside the same SQL issued by
# raw JDBC in the same run; the query plans; and the heap while a client pages through every row. See
# bench/README.md ("Query benchmark").
set -euo pipefail

bench_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$bench_dir")

measure_seconds=${BENCH_SECONDS:-15}
warmup_seconds=${BENCH_WARMUP_SECONDS:-5}
rows=${BENCH_QUERY_ROWS:-1000000}
connections=${BENCH_CONNECTIONS:-16}
wrk_threads=${BENCH_WRK_THREADS:-2}
databases=${BENCH_DATABASES:-h2 postgresql}
heap=${BENCH_HEAP:-256m}
page_rounds=${BENCH_PAGE_ROUNDS:-5}
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

results=$bench_dir/results/queries-$(date +%Y%m%d-%H%M%S)
mkdir -p "$results"
work=$(mktemp -d "${TMPDIR:-/tmp}/flowbin-bench-queries.XXXXXX")

declare -A notes

# measure <key> <path> [prefer]
measure() {
    local key=$1
    export BENCH_QUERY_PATH=$2 BENCH_PREFER=${3:-}
    run_wrk "$key-warmup" "http://127.0.0.1:$port" "$warmup_seconds" query.lua
    run_wrk "$key" "http://127.0.0.1:$port" "$measure_seconds" query.lua
    rate[$key]=$wrk_rate
    p99[$key]=$wrk_p99
    log "$key: $wrk_rate requests/s (p99 $wrk_p99)"
}

filtered_path='/api/data/v9.2/flowsessionbinaries?$select=name,createdon&$filter=statecode%20eq%200%20and%20startswith(name,%27x%27)&$orderby=createdon%20desc&$top=50'
walk_path='/api/data/v9.2/flowsessionbinaries?$select=name&$filter=statecode%20eq%200&$orderby=createdon%20desc'
count_path='/api/data/v9.2/flowsessionbinaries/$count'
apply_path='/api/data/v9.2/flowsessionbinaries?$apply=groupby((statecode),aggregate($count%20as%20count))'
all_path='/api/data/v9.2/flowsessionbinaries?$select=name,type,createdon&$orderby=createdon%20desc'

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
        # the embedded default's URL (DatabaseSettings.embedded, with its 16 MB page cache) without H2's reuse of an
        # identical query's last result while the table is unchanged, on the server and the baseline alike: otherwise
        # both would measure a cache instead of the statements
        target="jdbc:h2:file:$data_dir/db/flowbin;DB_CLOSE_ON_EXIT=FALSE;DEFAULT_LOCK_TIMEOUT=10000"
        target+=";CACHE_SIZE=${BENCH_H2_CACHE_KB:-16384};OPTIMIZE_REUSE_RESULTS=FALSE"
        settings+=(FLOWBIN_DB_URL="$target")
    fi
    local base=http://127.0.0.1:$port
    start_server "$db-schema" "${settings[@]}"
    local token
    token=$(FLOWBIN_JWT_SECRET=$secret FLOWBIN_ADMIN_OID=$admin_oid "$java" -cp "$classpath" io.flowbin.bench.AdminToken)
    export BENCH_TOKEN=$token
    curl -sf -o /dev/null -X POST -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
        -d '{"name":"bench"}' "$base/api/data/v9.2/flowsessions" || die "could not create the flow session."
    stop_process "$server_pid"

    log "$db: seeding $rows rows with SQL"
    local started=$SECONDS
    "$java" -cp "$classpath" io.flowbin.bench.QuerySeed "$target" "$rows" 2>"$results/seed-$db.log" \
        || die "seeding failed (see $results/seed-$db.log)."
    notes[$db.seed]="$((SECONDS - started)) s"

    local gc_log=$results/gc-$db.log
    BENCH_SERVER_JAVA_OPTS="${BENCH_SERVER_JAVA_OPTS:-} -Xlog:gc:file=$gc_log" start_server "$db" "${settings[@]}"
    local page1000
    page1000=$("$java" -cp "$classpath" io.flowbin.bench.QueryWalk link 1000 50 "$base$walk_path") \
        || die "could not walk to page 1000."
    page1000=${page1000#"$base"}

    measure "$db.filtered" "$filtered_path"
    # page 1 and page 1,000 alternate, so that a change in the machine's load weighs on both alike; the cost is the
    # median of the rounds' own ratios (each from two runs back to back), not a ratio of medians taken apart, which
    # would pair a round of one with another round of the other
    local round first=() thousandth=() costs=()
    for round in $(seq 1 "$page_rounds"); do
        measure "$db.page1-$round" "$walk_path" "odata.maxpagesize=50"
        first+=("${rate[$db.page1-$round]}")
        measure "$db.page1000-$round" "$page1000" "odata.maxpagesize=50"
        thousandth+=("${rate[$db.page1000-$round]}")
        costs+=("$(ratio "$db.page1-$round" "$db.page1000-$round")")
    done
    rate[$db.page1]=$(median "${first[@]}")
    rate[$db.page1000]=$(median "${thousandth[@]}")
    notes[$db.page_costs]=$(IFS=,; echo "${costs[*]}" | sed 's/,/, /g')
    notes[$db.page_cost]=$(median "${costs[@]}")
    p99[$db.page1]=${p99[$db.page1-1]}
    p99[$db.page1000]=${p99[$db.page1000-1]}
    measure "$db.count" "$count_path"
    measure "$db.apply" "$apply_path"

    log "$db: paging through all $rows rows"
    local gc_lines walk
    gc_lines=$(wc -l <"$gc_log")
    walk=$("$java" -cp "$classpath" io.flowbin.bench.QueryWalk walk 5000 "$base$all_path") \
        || die "the walk through every row failed."
    notes[$db.walk]=$(echo "$walk" | tr '\n' ' ')
    notes[$db.walk_heap]=$(max_heap_after_gc_mb "$gc_log" "$gc_lines")
    notes[$db.heap]=$(max_heap_after_gc_mb "$gc_log" 0)
    notes[$db.live]=$({ grep 'Pause Full' "$gc_log" || true; } | max_heap_after_gc_mb /dev/stdin 0)
    grep -q OutOfMemoryError "$results/server-$db.log" && notes[$db.walk_heap]="OutOfMemoryError"
    stop_process "$server_pid"

    log "$db: raw JDBC baseline"
    local name value
    while IFS='=' read -r name value; do
        case $name in jdbc_*_per_sec) rate[$db.${name%_per_sec}]=$value ;; esac
    done < <("$java" -Xmx"$heap" -cp "$classpath" io.flowbin.bench.QueryBaseline "$target" "$connections" "$warmup_seconds" \
        "$measure_seconds" "$results/plans-$db.md" 2>"$results/jdbc-$db.log" | tee "$results/jdbc-$db.txt")
    [ -n "${rate[$db.jdbc_filtered]:-}" ] || die "the JDBC baseline failed (see $results/jdbc-$db.log)."
}

write_report() {
    local db key label
    echo "# flowbin query benchmark, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo
    echo "Commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown), $(nproc) CPUs," \
        "$("$java" -version 2>&1 | head -n 1). $rows rows; wrk $wrk_threads threads, $connections connections," \
        "${warmup_seconds} s warm-up then ${measure_seconds} s; JDBC $connections threads; server -Xmx$heap."
    echo
    echo "| Measurement (requests or statements per second) | ${databases// / | } |"
    echo "|---|$(for db in $databases; do printf -- '---:|'; done)"
    for key in filtered jdbc_filtered page1 page1000 jdbc_page1 jdbc_page1000 count jdbc_count apply jdbc_apply; do
        case $key in
            filtered) label="Filtered ordered page of 50 (API)" ;;
            jdbc_filtered) label="  same SQL, raw JDBC" ;;
            page1) label="Keyset walk, page 1 (API, median of $page_rounds rounds)" ;;
            page1000) label="Keyset walk, page 1,000 (API, median of $page_rounds rounds)" ;;
            jdbc_page1) label="  page 1 SQL, raw JDBC" ;;
            jdbc_page1000) label="  page 1,000 SQL, raw JDBC" ;;
            count) label="/\$count (API)" ;;
            jdbc_count) label="  same SQL, raw JDBC" ;;
            apply) label="\$apply groupby statecode, \$count (API)" ;;
            jdbc_apply) label="  same SQL, raw JDBC" ;;
        esac
        printf '| %s |' "$label"
        for db in $databases; do printf ' %s |' "${rate[$db.$key]:-n/a}"; done
        echo
    done
    printf '| p99 latency filtered / page 1 / page 1,000 / count / apply |'
    for db in $databases; do
        printf ' %s / %s / %s / %s / %s |' "${p99[$db.filtered]:-}" "${p99[$db.page1]:-}" \
            "${p99[$db.page1000]:-}" "${p99[$db.count]:-}" "${p99[$db.apply]:-}"
    done
    echo
    printf '| Seeding with SQL |'
    for db in $databases; do printf ' %s |' "${notes[$db.seed]:-n/a}"; done
    echo
    printf '| Walk through every row (pages of 5,000) |'
    for db in $databases; do printf ' %s |' "${notes[$db.walk]:-n/a}"; done
    echo
    printf '| Max heap after GC during the walk / whole run (MB, -Xmx%s) |' "$heap"
    for db in $databases; do printf ' %s / %s |' "${notes[$db.walk_heap]:-n/a}" "${notes[$db.heap]:-n/a}"; done
    echo
    printf '| Max heap after a full GC, whole run (MB; 0: none happened) |'
    for db in $databases; do printf ' %s |' "${notes[$db.live]:-n/a}"; done
    echo
    echo
    echo "Non-2xx responses and socket errors over all wrk runs: $bad_responses."
    echo
    echo "| Target | Database | Measured | Required | Result |"
    echo "|---|---|---:|---|---|"
    for db in $databases; do
        local filtered cost count apply
        filtered=$(ratio "$db.filtered" "$db.jdbc_filtered")
        cost=${notes[$db.page_cost]:-n/a}
        count=$(ratio "$db.count" "$db.jdbc_count")
        apply=$(ratio "$db.apply" "$db.jdbc_apply")
        echo "| Filtered page / raw JDBC | $db | $filtered | >= 0.5 | $(verdict "$filtered" ">=" 0.5) |"
        echo "| Cost of page 1,000 / page 1 (median of the rounds: ${notes[$db.page_costs]:-n/a}) | $db | $cost | <= 1.2 | $(verdict "$cost" "<=" 1.2) |"
        echo "| \$count / raw SQL | $db | $count | >= 0.7 | $(verdict "$count" ">=" 0.7) |"
        echo "| \$apply / raw SQL | $db | $apply | >= 0.7 | $(verdict "$apply" ">=" 0.7) |"
    done
    echo
    echo "Query plans: plans-<database>.md beside this summary."
}

for db in $databases; do
    case $db in h2 | postgresql) ;; *) die "unknown database '$db' in BENCH_DATABASES (use h2 and/or postgresql)." ;; esac
    log "== $db"
    measure_database "$db"
done

write_report >"$results/summary.md"
cp "$results/summary.md" "$bench_dir/results/latest-queries.md"
for db in $databases; do cp "$results/plans-$db.md" "$bench_dir/results/latest-queries-plans-$db.md"; done
echo
cat "$results/summary.md"
log "results in $results"
