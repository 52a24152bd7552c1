#!/bin/sh
# Sends one batch to a local edge-cdp with curl: `sh examples/curl.sh`.
# EDGE_CDP_URL changes the worker (default http://127.0.0.1:8787, what `npm start` serves).
set -eu
URL="${EDGE_CDP_URL:-http://127.0.0.1:8787}"
curl --fail-with-body -sS -i "$URL/v2/events" \
  -u demo-server-key:demo-server-secret \
  -H 'Content-Type: application/json' \
  -d '{"environment":"development",
       "user_identities":{"customerid":"curl-user","email":"curl-user@example.com"},
       "user_attributes":{"plan":"premium"},
       "events":[{"event_type":"custom_event","data":{"event_name":"Signup","custom_event_type":"other"}}]}'
echo
