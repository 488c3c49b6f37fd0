-- wrk script of bench/run: method, body and Authorization from the environment, and the
-- summary printed as one JSON line (the last line of wrk's output).
--
-- With WRK_REVOKE_SALT, each request revokes another refresh token of those `pbench seed`
-- wrote with that salt (scale-SALT-0.secret-0, scale-SALT-1.secret-1, …): no token is revoked twice.
wrk.method = os.getenv("WRK_METHOD") or "GET"
local body = os.getenv("WRK_BODY") or ""
if body ~= "" then
  wrk.body = body
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
end
local auth = os.getenv("WRK_AUTH") or ""
if auth ~= "" then
  wrk.headers["Authorization"] = auth
end

local salt = os.getenv("WRK_REVOKE_SALT") or ""
if salt ~= "" then
  local n = 0
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  request = function()
    local b = "token=scale-" .. salt .. "-" .. n .. ".secret-" .. n .. "&token_type_hint=refresh_token"
    n = n + 1
    return wrk.format(nil, nil, nil, b)
  end
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d,"errors":%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.status + e.timeout))
end
