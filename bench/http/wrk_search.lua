-- Each request a new search (the path's query gets a word no text has, unique per
-- request: "remittances or zz1x42"), so no page cache answers it; the report as
-- wrk_report.lua writes it.
dofile("wrk_report.lua")

local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

local n = 0
function request()
  n = n + 1
  return wrk.format(nil, wrk.path .. "zz" .. tid .. "x" .. n)
end
