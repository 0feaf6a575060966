-- GET one flowsessionbinary by id, rotating over the seeded ids.
package.path = os.getenv("BENCH_DIR") .. "/?.lua;" .. package.path
local common = require("common")

local ids, position, headers

setup = common.setup

function init(args)
    ids = common.load_ids()
    position = common.first_position(ids)
    headers = common.headers()
end

function request()
    position = position % #ids + 1
    return wrk.format("GET", common.row_path(ids[position]), headers)
end
