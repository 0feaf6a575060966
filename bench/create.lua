-- POST a new flowsessionbinary in the seeded flow session.
package.path = os.getenv("BENCH_DIR") .. "/?.lua;" .. package.path
local common = require("common")

local headers, session, counter

setup = common.setup

function init(args)
    headers = common.headers()
    headers["Content-Type"] = "application/json; charset=utf-8"
    session = assert(os.getenv("BENCH_SESSION_ID"), "BENCH_SESSION_ID is not set")
    counter = 0
end

function request()
    counter = counter + 1
    local body = string.format(
        '{"name":"wrk-%d-%d","type":"Output","mimetype":"application/json","metadata":"{}",'
            .. '"flowsessionid@odata.bind":"/flowsessions(%s)"}',
        thread_index or 0, counter, session)
    return wrk.format("POST", "/api/data/v9.2/flowsessionbinaries", headers, body)
end
