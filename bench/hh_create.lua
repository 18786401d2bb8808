-- bench/hh_create.lua — wrk script: POST /api/v1/households with valid,
-- unique households.
--
--   wrk ... -H "Authorization: Bearer TOKEN" -s bench/hh_create.lua URL -- ORG_ID THREADS [FIRST]
--
-- Each request carries a GB 11643 ID number that is valid (region 110101,
-- which the demo and bench/gen_households.sh do not use; a real birth date;
-- the ISO 7064 MOD 11-2 check character) and unique: thread t (1..THREADS)
-- sends keys t-1, t-1+THREADS, t-1+2*THREADS, ... and the key is spread
-- over birth year (1960–1999), month, day (1–28) and a 3-digit sequence —
-- 13,440,000 distinct numbers.  At the end it prints one line
--     HH_CREATE created=N responses=M seconds=S
-- (created = 201 answers; a 409 or 422 is a response but not a creation).
local threads = {}
local counter = 0

local W = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
local CHECK = "10X98765432"
local SURNAMES = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周"}
local GIVEN = {"建国", "秀英", "志强", "丽娟", "海燕", "德明", "春梅", "永刚"}

function setup(thread)
	counter = counter + 1
	thread:set("tid", counter)
	table.insert(threads, thread)
end

function init(args)
	org = assert(tonumber(args[1]), "usage: -- ORG_ID THREADS")
	nthreads = assert(tonumber(args[2]), "usage: -- ORG_ID THREADS [FIRST]")
	first = tonumber(args[3]) or 0 -- another run on the same database: other ID numbers
	n = 0
	created = 0
	responses = 0
	wrk.headers["Content-Type"] = "application/json"
end

local function id_number(k)
	local y = 1960 + k % 40
	k = math.floor(k / 40)
	local m = 1 + k % 12
	k = math.floor(k / 12)
	local d = 1 + k % 28
	k = math.floor(k / 28)
	local s17 = string.format("110101%04d%02d%02d%03d", y, m, d, k % 1000)
	local sum = 0
	for i = 1, 17 do
		sum = sum + (s17:byte(i) - 48) * W[i]
	end
	local c = sum % 11 + 1
	return s17 .. CHECK:sub(c, c)
end

function request()
	local k = first + n * nthreads + (tid - 1)
	n = n + 1
	local body = string.format(
		'{"org_id":%d,"name":"%s%s","id_number":"%s","monthly_income_fen":100000,"causes":["low_income"]}',
		org, SURNAMES[k % #SURNAMES + 1], GIVEN[math.floor(k / 7) % #GIVEN + 1], id_number(k))
	return wrk.format("POST", "/api/v1/households", nil, body)
end

function response(status, headers, body)
	responses = responses + 1
	if status == 201 then
		created = created + 1
	end
end

function done(summary, latency, requests)
	local c, r = 0, 0
	for _, t in ipairs(threads) do
		c = c + t:get("created")
		r = r + t:get("responses")
	end
	io.write(string.format("HH_CREATE created=%d responses=%d seconds=%.3f\n", c, r,
		summary.duration / 1e6))
end
