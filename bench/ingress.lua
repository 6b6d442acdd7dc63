-- Signed commsNotifications for wrk: each request is a notification about one of 1,000 calls, so that
-- the keyed delivery spreads over many call owners as real traffic does. Set RATE (requests/s over all
-- connections) to pace the load; unset, wrk sends as fast as it can.
local token = os.getenv("TOKEN")
local counter = 0
local rate = tonumber(os.getenv("RATE") or "0")
local connections = tonumber(os.getenv("CONNECTIONS") or "1")

request = function()
  counter = counter + 1
  local call = string.format("%08d-bench-call", counter % 1000)
  local body = '{"@odata.type":"#microsoft.graph.commsNotifications","value":[{"@odata.type":'
    .. '"#microsoft.graph.commsNotification","changeType":"updated","resourceUrl":"/communications/calls/' .. call
    .. '","resourceData":{"@odata.type":"#microsoft.graph.call","state":"established","direction":"incoming",'
    .. '"source":{"identity":{"user":{"id":"8A34A46B-3D17-4ADC-8DCE-DC4E7D572698","displayName":"Test User"}},'
    .. '"region":"westus","languageId":"en-US"},"targets":[{"identity":{"application":{"id":"bench-bot",'
    .. '"displayName":"Bench Bot"}}}],"requestedModalities":["audio"],"mediaState":{"audio":"active"},'
    .. '"chatInfo":{"threadId":"19:meeting_NjRlNjY0ZjYtOWQ0Ny00ZDNiLWE4NTEtYmE3YTgzMTBkYmRm@thread.v2",'
    .. '"messageId":"0"},"callChainId":"d8f1d2d4-5a7f-4b3f-9d71-2a1ac8d9c53e","myParticipantId":'
    .. '"a6d1e4c3-6a4f-4f9e-9c0b-0f2f6b1c1a21","tenantId":"tenant-1"}}]}'
  return wrk.format("POST", "/callbacks/calling", {["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/json"}, body)
end

delay = function()
  if rate > 0 then
    return math.floor(connections * 1000 / rate)
  end
  return 0
end

dofile("bench/report.lua")
