#!/usr/bin/env bash
# Benchmark of the File column transfers (uploads in one request and in chunks, raw and JSON downloads, concurrent
# uploads under a small heap) on the embedded default (H2 and the file system blob store), with baselines measured
# in the same run: files written straight to the same disk with fsync, and the same file served as a static resource
# by Undertow's resource handler on the same HTTP stack. See bench/README.md.
set -euo pipefail

bench_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$bench_dir")

count=${BENCH_FILE_COUNT:-8}
file_bytes=${BENCH_FILE_BYTES:-33554432}
parallel=${BENCH_FILE_PARALLEL:-8}
heap=${BENCH_HEAP:-256m}
port=${BENCH_PORT:-18080}
static_port=$((port + 2))
log_prefix="bench files"

# shellcheck source=bench/lib.sh
. "$bench_dir/lib.sh"

require_curl
build_server

results=$bench_dir/results/$(date +%Y%m%d-%H%M%S)-files
mkdir -p "$results"
# the disk baseline, the server's data folder and the static file all live here: one disk for all
work=$(mktemp -d "${TMPDIR:-/tmp}/flowbin-bench-files.XXXXXX")

secret=$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')
api=http://127.0.0.1:$port/api/data/v9.2/

# Starts the server on a fresh data folder $1 with GC log $2; sets server_pid.
start_file_server() {
    server_java_options="-Xlog:gc:file=$2" start_server "$(basename "$1")" \
        FLOWBIN_DATA_DIR="$1" FLOWBIN_ADMIN_OID="$admin_oid" FLOWBIN_JWT_SECRET="$secret"
}

errors=0
declare -A round_ratio

# Runs FileBench with the arguments; records its name_mb_per_sec lines in rate and adds its errors.
file_bench() {
    local output=$results/filebench-$1.txt
    BENCH_TOKEN=${token:-} "$java" -Xmx1g -cp "$bench_classpath" io.flowbin.bench.FileBench "$@" \
        >"$output" 2>"$output.err" || die "FileBench $1 failed: $(tail -n 20 "$output.err")"
    local name value
    while IFS='=' read -r name value; do
        case $name in
            *_mb_per_sec) rate[${name%_mb_per_sec}]=$value; log "${name%_mb_per_sec}: $value MB/s" ;;
            ratio_*) round_ratio[${name#ratio_}]=$value ;;
            errors) errors=$((errors + value)) ;;
        esac
    done <"$output"
}

# Largest heap in use before and after a collection in a -Xlog:gc file, in MB: "before after".
heap_peaks_mb() {
    awk '{
        if (match($0, /[0-9.]+[KMG]->[0-9.]+[KMG]\(/)) {
            split(substr($0, RSTART, RLENGTH - 1), sizes, "->")
            for (i = 1; i <= 2; i++) {
                unit = substr(sizes[i], length(sizes[i])); value = substr(sizes[i], 1, length(sizes[i]) - 1) + 0
                if (unit == "K") value /= 1024
                if (unit == "G") value *= 1024
                if (value > max[i]) max[i] = value
            }
        }
    } END { printf "%.0f %.0f\n", max[1], max[2] }' "$1"
}

mb=$(awk -v b="$file_bytes" 'BEGIN { printf "%.0f", b / 1048576 }')
log "disk baseline: $count files of $mb MiB with fsync"
file_bench disk "$work/disk" "$count" "$file_bytes"

log "server: single and chunked uploads, raw and JSON downloads ($count files of $mb MiB, one at a time)"
start_file_server "$work/data" "$results/gc-transfers.log"
token=$(FLOWBIN_JWT_SECRET=$secret FLOWBIN_ADMIN_OID=$admin_oid "$java" -cp "$bench_classpath" io.flowbin.bench.AdminToken)
mkdir -p "$work/static"
file_bench server "$api" "$count" "$file_bytes" "$work/static/file.bin" "$work/disk-rounds"
log "server: single uploads by curl (Expect: 100-continue, as curl sends it)"
BENCH_TOKEN=$token "$java" -cp "$bench_classpath" io.flowbin.bench.FileBench rows "$api" "$count" >"$work/rows.txt"
curl_upload() {
    curl -s -o /dev/null -w '%{http_code}' -X PATCH -H "Authorization: Bearer $token" \
        -H 'Content-Type: application/octet-stream' -H 'x-ms-file-name: bench.bin' \
        --data-binary @"$work/static/file.bin" "${api}flowsessionbinaries($1)/data"
}
[ "$(curl_upload "$(head -n 1 "$work/rows.txt")")" = 204 ] || errors=$((errors + 1))
started=$(date +%s%N)
while read -r row; do
    [ "$(curl_upload "$row")" = 204 ] || errors=$((errors + 1))
done <"$work/rows.txt"
rate[upload_single_curl]=$(awk -v b="$file_bytes" -v n="$count" -v ns="$(($(date +%s%N) - started))" \
    'BEGIN { printf "%.1f", b * n / 1e6 / (ns / 1e9) }')
log "upload_single_curl: ${rate[upload_single_curl]} MB/s"
stop_process "$server_pid"

log "static baseline: the same file from Undertow's resource handler"
"$java" -Xmx"$heap" -cp "$bench_classpath" io.flowbin.bench.StaticFileServer "$static_port" "$work/static" \
    >"$results/static.log" 2>&1 </dev/null &
static_pid=$!
running_pids+=("$static_pid")
wait_until_ready "http://127.0.0.1:$static_port/file.bin" "$static_pid" "$results/static.log"
file_bench static "http://127.0.0.1:$static_port/file.bin" "$count"
log "client ceiling: single uploads to a handler that discards the body, on the same HTTP stack"
file_bench sink "http://127.0.0.1:$static_port/sink" "$count" "$file_bytes"
stop_process "$static_pid"

log "concurrent: $parallel uploads of $mb MiB at once, server with -Xmx$heap"
start_file_server "$work/data-concurrent" "$results/gc-concurrent.log"
file_bench concurrent "$api" "$parallel" "$file_bytes"
stop_process "$server_pid"
oom=no
grep -q OutOfMemoryError "$results"/server-*.log && oom=yes
read -r peak_before peak_after < <(heap_peaks_mb "$results/gc-concurrent.log")

{
    echo "# flowbin file transfer benchmark, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo
    echo "Commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown), $(nproc) CPUs," \
        "$("$java" -version 2>&1 | head -n 1). $count files of $file_bytes bytes per batch, one transfer at a" \
        "time (uploads after three warm-up transfers of their form, downloads after one); server -Xmx$heap on H2 and the file system blob store."
    echo
    echo "| Measurement | MB/s |"
    echo "|---|---:|"
    echo "| Baseline: write to the same disk with fsync (first, before the server starts) | ${rate[disk_write]:-n/a} |"
    echo "| Upload, single request (PATCH data), median of 3 rounds | ${rate[upload_single]:-n/a} |"
    echo "|   disk write with fsync in the same rounds | ${rate[disk_single]:-n/a} |"
    echo "| Upload, chunked (4 MiB chunks), median of 3 rounds | ${rate[upload_chunked]:-n/a} |"
    echo "|   disk write with fsync in the same rounds | ${rate[disk_chunked]:-n/a} |"
    echo "| Upload, single request, lean client, median of 3 rounds | ${rate[upload_single_lean]:-n/a} |"
    echo "|   disk write with fsync in the same rounds | ${rate[disk_single_lean]:-n/a} |"
    echo "| Upload, chunked, lean client, median of 3 rounds | ${rate[upload_chunked_lean]:-n/a} |"
    echo "|   disk write with fsync in the same rounds | ${rate[disk_chunked_lean]:-n/a} |"
    echo "| Upload, single request, by curl | ${rate[upload_single_curl]:-n/a} |"
    echo "| Client ceiling: Java's HttpClient, single uploads to a handler that discards the body | ${rate[sink_java]:-n/a} |"
    echo "| Client ceiling: lean client, the same | ${rate[sink_lean]:-n/a} |"
    echo "| Baseline: static file from Undertow's resource handler | ${rate[static_download]:-n/a} |"
    echo "| Download, raw (data/\$value) | ${rate[download_raw]:-n/a} |"
    echo "| Download, JSON base64 (data?size=full, 4 MiB ranges; file bytes counted) | ${rate[download_json]:-n/a} |"
    echo "| $parallel concurrent single uploads (total) | ${rate[upload_concurrent]:-n/a} |"
    echo
    echo "Rounds (upload and disk batch, alternating order, each batch after a 1 s pause):"
    echo
    sed -n 's/^\(.* round [0-9]*: .*\)$/- \1/p' "$results/filebench-server.txt.err"
    echo
    echo "Concurrent uploads with -Xmx$heap: peak heap in use before a collection $peak_before MB, after a" \
        "collection $peak_after MB (from -Xlog:gc); OutOfMemoryError: $oom; failed transfers over the run: $errors."
    echo
    echo "| Target | Measured | Required | Result |"
    echo "|---|---:|---|---|"
    for form in single_lean chunked_lean single chunked; do
        r=${round_ratio[$form]:-n/a}
        case $form in
            single_lean) label="Upload single / disk write with fsync (lean client; median of the rounds' ratios)" ;;
            chunked_lean) label="Upload chunked / disk write with fsync (lean client; median of the rounds' ratios)" ;;
            single) label="Upload single / disk write with fsync (Java's HttpClient, bound by the client: see its ceiling)" ;;
            chunked) label="Upload chunked / disk write with fsync (Java's HttpClient, bound by the client)" ;;
        esac
        echo "| $label | $r | >= 0.6 | $(verdict "$r" ">=" 0.6) |"
    done
    r=$(ratio upload_single_curl disk_write); echo "| Upload single by curl / disk write with fsync (first baseline) | $r | >= 0.6 | $(verdict "$r" ">=" 0.6) |"
    r=$(ratio download_raw static_download); echo "| Download raw / static file | $r | >= 0.5 | $(verdict "$r" ">=" 0.5) |"
    r=$(ratio download_json static_download); echo "| Download JSON / static file | $r | >= 0.5 | $(verdict "$r" ">=" 0.5) |"
    echo "| $parallel concurrent uploads: failed transfers, OutOfMemoryError | $errors, $oom | 0, no | $( [ "$errors" = 0 ] && [ $oom = no ] && echo PASS || echo FAIL) |"
} >"$results/summary.md"
cp "$results/summary.md" "$bench_dir/results/latest-files.md"
echo
cat "$results/summary.md"
log "results in $results"
