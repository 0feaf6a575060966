-- PATCH the name of an existing flowsessionbinary (If-Match: * = update only), rotating over the seeded ids.
package.path = os.getenv("BENCH_DIR") .. "/?.lua;" .. package.path
local common = require("common")

local ids, position, headers, counter

setup = common.setup

function init(args)
    ids = common.load_ids()
    position = common.first_position(ids)
    headers = common.headers()
    headers["Content-Type"] = "application/json; charset=utf-8"
    headers["If-Match"] = "*"
    counter = 0
end

function request()
    position = position % #ids + 1
    counter = counter + 1
    local body = string.format('{"name":"wrk-%d-%d"}', thread_index or 0, counter)
    return wrk.format("PATCH", common.row_path(ids[position]), headers, body)
end
