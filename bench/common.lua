-- Shared by the benchmark's wrk scripts: Dataverse client headers, the bearer token, the seeded row ids and a
-- per-thread position so that the threads start at different rows.
-- Environment: BENCH_TOKEN, BENCH_IDS (file with one row id a line), BENCH_SESSION_ID (for creates).

local common = {}

local thread_count = 0

function common.setup(thread)
    thread:set("thread_index", thread_count)
    thread_count = thread_count + 1
end

function common.headers()
    return {
        ["Authorization"] = "Bearer " .. assert(os.getenv("BENCH_TOKEN"), "BENCH_TOKEN is not set"),
        ["Accept"] = "application/json",
        ["OData-MaxVersion"] = "4.0",
        ["OData-Version"] = "4.0",
    }
end

function common.load_ids()
    local path = assert(os.getenv("BENCH_IDS"), "BENCH_IDS is not set")
    local ids = {}
    for line in io.lines(path) do
        if line ~= "" then
            ids[#ids + 1] = line
        end
    end
    assert(#ids > 0, "no ids in " .. path)
    return ids
end

function common.first_position(ids)
    return (thread_index or 0) * 7919 % #ids
end

function common.row_path(id)
    return "/api/data/v9.2/flowsessionbinaries(" .. id .. ")"
end

return common
