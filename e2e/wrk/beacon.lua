-- The storefront's beacon as wrk sends it (the benchmark's audience load):
-- `POST /api/events` from the shop's own origin, product views of 64
-- visitors per wrk thread (each its own user agent) over 50 products.
-- Arguments: the shop's origin, then the pause in milliseconds before each
-- request (0: as fast as answered).
-- The requests are formatted once, in `init`: formatting each one in Lua
-- would make the load generator, which shares the shop's cores here, cost
-- more than the load it sends.

local threads = 0

function setup(thread)
  thread:set("id", threads)
  threads = threads + 1
end

function init(args)
  local origin = args[1]
  pause = tonumber(args[2]) or 0
  requests = {}
  -- 64 visitors × 50 products, 1 600 requests in turn.
  for i = 0, 1599 do
    local headers = {
      ["Content-Type"] = "application/json",
      ["Origin"] = origin,
      ["Sec-Fetch-Site"] = "same-origin",
      ["User-Agent"] = "Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0 Safari/537.36 Visitor/"
        .. id .. "-" .. (i % 64),
    }
    local body = '{"kind":"product_view","path":"/produits/p' .. (i % 50)
      .. '","utm_source":"bench"}'
    requests[i + 1] = wrk.format("POST", "/api/events", headers, body)
  end
  n = 0
end

function request()
  n = n % #requests + 1
  return requests[n]
end

function delay()
  return pause
end
