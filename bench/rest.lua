-- GET of a trivial REST route for wrk; with KEY set, sent with 'Authorization: Bearer <KEY>'.
local key = os.getenv("KEY")
if key and key ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. key
end
wrk.method = "GET"

dofile("bench/report.lua")
