// A room record as read back from Redis (huddle-server --redis, docs/cluster.md): decoded by the
// server (room_records.cpp), then given to a Hub (Hub::restoreRooms). Whatever the text, nothing
// crashes; a record that decodes writes back to the same record; a room that comes back holds the
// record's members, each away, and its record from the Hub matches what went in.
#include "fakes/fake_random.hpp"
#include "fuzz_check.hpp"
#include "huddle/hub.hpp"
#include "server/room_records.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace huddle;
  std::string_view text = huddle::fuzz::asText(data, size);
  std::string error;
  auto record = server::decodeRoomRecord(text, 1000, error);
  if (!record) {
    HUDDLE_FUZZ_CHECK(!error.empty());
    return 0;
  }
  // Encoding what was read reads back the same (idle time included: written and read at 1000).
  auto again = server::decodeRoomRecord(server::encodeRoomRecord(*record, 1000), 1000, error);
  HUDDLE_FUZZ_CHECK(again.has_value());
  HUDDLE_FUZZ_CHECK(again->key == record->key && again->maxMembers == record->maxMembers);
  HUDDLE_FUZZ_CHECK(again->passwordSalt == record->passwordSalt && again->passwordHash == record->passwordHash);
  HUDDLE_FUZZ_CHECK(again->members.size() == record->members.size());

  double now = 0;
  HubConfig config;
  config.hashPassword = [](std::string_view password, std::string_view salt) {
    return std::string(salt) + std::string(password);
  };
  Hub hub(config, huddle::testing::seededRandom(1), [&now] { return now; });
  std::vector<std::string> skipped;
  std::size_t restored = hub.restoreRooms({*record}, skipped);
  HUDDLE_FUZZ_CHECK(restored + skipped.size() == 1);
  HUDDLE_FUZZ_CHECK(hub.stats().rooms == restored);
  if (restored == 1) {
    HUDDLE_FUZZ_CHECK(hub.stats().awayMembers == record->members.size());
    auto records = hub.roomRecords();
    HUDDLE_FUZZ_CHECK(records.size() == 1 && records[0].key == record->key);
    HUDDLE_FUZZ_CHECK(records[0].members.size() == record->members.size());
    for (std::size_t i = 0; i < record->members.size(); ++i) {
      HUDDLE_FUZZ_CHECK(records[0].members[i].id == record->members[i].id);
      HUDDLE_FUZZ_CHECK(records[0].members[i].token == record->members[i].token);
      HUDDLE_FUZZ_CHECK(records[0].members[i].joinOrder == record->members[i].joinOrder);
    }
    now += 600000;  // every member's grace is over: the room is gone, and nothing is left
    hub.expireAway();
    HUDDLE_FUZZ_CHECK(hub.stats().rooms == 0 && hub.stats().awayMembers == 0 && hub.stats().members == 0);
  }
  return 0;
}
