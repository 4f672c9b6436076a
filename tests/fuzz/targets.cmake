# One libFuzzer target per decoder: tests/fuzz/<name>_fuzz.cpp with its seed corpus in
# tests/fuzz/corpus/<name>/. Read by the fuzz tree (CMakeLists.txt here, scripts/fuzz.sh) and by the
# corpus test of the normal test build (tests/cpp/fuzz_corpus).
set(HUDDLE_FUZZ_TARGETS
  client_frame
  route
  server_frame
  peer_message
  json_scan
  signal_payload
  ws_frame
  ws_reader
  http_headers
  origin_address
  hub
  state_frame
  game_frame
  game_delta
  room_record
)
