-- Each request a new search (the path's query gets a word no text has, unique per
-- request: "remittances or zz<run>y1x42", the run's own prefix, so that neither a later
-- round nor a later run meets a query an earlier one had kept), so no page cache answers
-- it; the report as wrk_report.lua writes it.
dofile("wrk_report.lua")

local threads = 0
local run = tostring(os.time()) .. tostring(math.floor(os.clock() * 1000000))
function setup(thread)
  threads = threads + 1
  thread:set("tid", run .. "y" .. threads)
end

local n = 0
function request()
  n = n + 1
  return wrk.format(nil, wrk.path .. "zz" .. tid .. "x" .. n)
end
