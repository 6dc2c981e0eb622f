-- wrk script for bench/run: requests paths read from the file named by the
-- URLS environment variable (one path a line).
--   MODE=random (default): each request picks a path at random (seeded per
--                          thread, so runs are repeatable).
--   MODE=once:             the threads share out the list and stop when
--                          every path has been asked once (warming a cache).
local paths = {}
local mode = os.getenv("MODE") or "random"

local function load()
  local file = assert(io.open(assert(os.getenv("URLS"), "set URLS"), "r"))
  for line in file:lines() do
    if #line > 0 then paths[#paths + 1] = line end
  end
  file:close()
end
load()

-- THREADS must equal wrk's -t for MODE=once (each thread takes every
-- THREADS-th path).
local stride = tonumber(os.getenv("THREADS") or "1")
local counter = 1
function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end

function init(args)
  math.randomseed(id * 7919)
  next_index = id
end

function request()
  local path
  if mode == "once" then
    if next_index > #paths then
      wrk.thread:stop()
      path = paths[1]
    else
      path = paths[next_index]
      next_index = next_index + stride
    end
  else
    path = paths[math.random(#paths)]
  end
  return wrk.format("GET", path)
end
