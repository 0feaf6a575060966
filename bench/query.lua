-- GET one query path (BENCH_QUERY_PATH, already URL-encoded) again and again, with an optional Prefer header
-- (BENCH_PREFER), for the query benchmark.
package.path = os.getenv("BENCH_DIR") .. "/?.lua;" .. package.path
local common = require("common")

local path, headers

setup = common.setup

function init(args)
    path = assert(os.getenv("BENCH_QUERY_PATH"), "BENCH_QUERY_PATH is not set")
    headers = common.headers()
    local prefer = os.getenv("BENCH_PREFER")
    if prefer ~= nil and prefer ~= "" then
        headers["Prefer"] = prefer
    end
end

function request()
    return wrk.format("GET", path, headers)
end
