-- The storefront's beacon as wrk sends it (the benchmark's audience load):
-- `POST /api/events` from the shop's own origin, one product view per
-- request, 64 visitors per wrk thread (each its own user agent).
-- Arguments: the shop's origin, then the pause in milliseconds before each
-- request (0: as fast as answered).

local threads = 0

function setup(thread)
  thread:set("id", threads)
  threads = threads + 1
end

function init(args)
  origin = args[1]
  pause = tonumber(args[2]) or 0
  n = 0
end

function request()
  n = n + 1
  local headers = {
    ["Content-Type"] = "application/json",
    ["Origin"] = origin,
    ["Sec-Fetch-Site"] = "same-origin",
    ["User-Agent"] = "Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0 Safari/537.36 Visitor/"
      .. id .. "-" .. (n % 64),
  }
  local body = '{"kind":"product_view","path":"/produits/p' .. (n % 50)
    .. '","utm_source":"bench"}'
  return wrk.format("POST", "/api/events", headers, body)
end

function delay()
  return pause
end
