-- bench/mixed.lua — wrk script: a mixed read/write load for the scale-out
-- benchmark (bench/scale.sh).  Of every 10 requests, WRITES are deposits of
-- 1 fen into fund account ACCOUNT (a write transaction: ledger row, balance,
-- audit entry), the rest reads alternating GET /api/v1/households?limit=20
-- and GET /api/v1/fund-accounts/ACCOUNT.
--
--   wrk ... -H "Authorization: Bearer TOKEN" -s bench/mixed.lua URL -- ACCOUNT WRITES
--
-- At the end it prints  MIXED writes=N reads=M non2xx=K
local threads = {}

function setup(thread)
	table.insert(threads, thread)
end

function init(args)
	account = assert(tonumber(args[1]), "usage: -- ACCOUNT WRITES")
	writes = assert(tonumber(args[2]), "usage: -- ACCOUNT WRITES")
	n, w, r, bad = 0, 0, 0, 0
	wrk.headers["Content-Type"] = "application/json"
end

function request()
	n = n + 1
	if n % 10 < writes then
		w = w + 1
		return wrk.format("POST", "/api/v1/fund-accounts/" .. account .. "/deposits", nil,
			'{"amount_fen":1,"note":"bench"}')
	end
	r = r + 1
	if n % 2 == 0 then
		return wrk.format("GET", "/api/v1/households?limit=20")
	end
	return wrk.format("GET", "/api/v1/fund-accounts/" .. account)
end

function response(status, headers, body)
	if status >= 300 then
		bad = bad + 1
	end
end

function done(summary, latency, requests)
	local tw, tr, tb = 0, 0, 0
	for _, t in ipairs(threads) do
		tw = tw + t:get("w")
		tr = tr + t:get("r")
		tb = tb + t:get("bad")
	end
	io.write(string.format("MIXED writes=%d reads=%d non2xx=%d\n", tw, tr, tb))
end
