-- bench/hh_get.lua — wrk script: GET /api/v1/households/{id} with a random id.
--
--   wrk ... -H "Authorization: Bearer TOKEN" -s bench/hh_get.lua URL -- LO HI [PREFIX]
--
-- PREFIX (default /api/v1/households/) is put before the id: the floor's
-- `srv --db` is measured with /household/ over the same ids.
--
-- Every id in [LO, HI] exists (the demo's and the generated households are
-- numbered without gaps), so every answer should be 200.  Each thread seeds
-- its own generator, so the threads do not ask for the same sequence.
local counter = 0

function setup(thread)
	counter = counter + 1
	thread:set("tid", counter)
end

function init(args)
	lo = tonumber(args[1])
	hi = tonumber(args[2])
	assert(lo and hi and lo <= hi, "usage: -- LO HI [PREFIX]")
	prefix = args[3] or "/api/v1/households/"
	math.randomseed(os.time() * 1000 + (tid or 0))
	for _ = 1, 10 do math.random() end
end

function request()
	return wrk.format("GET", prefix .. math.random(lo, hi))
end
