-- wrk script: POST the body in $BENCH_BODY with the client key in $BENCH_KEY (both formats' auth headers).
local f = assert(io.open(os.getenv("BENCH_BODY"), "rb"))
wrk.body = f:read("*a")
f:close()
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local key = os.getenv("BENCH_KEY")
if key and #key > 0 then
  wrk.headers["Authorization"] = "Bearer " .. key
  wrk.headers["x-api-key"] = key
end
wrk.headers["anthropic-version"] = "2023-06-01"

