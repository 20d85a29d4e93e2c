-- wrk script: send the request targets listed in the file named by $PATHS, one per line, in that order.
-- With one wrk thread (-t1) one counter spans every connection, so no target is sent twice until the list
-- wraps around (bench/_loads.py makes the lists longer than a run needs, and the harness checks it).
local paths = {}
for line in io.lines(os.getenv("PATHS")) do
  paths[#paths + 1] = line
end
local count = 0
request = function()
  count = count + 1
  return wrk.format("GET", paths[(count - 1) % #paths + 1])
end
