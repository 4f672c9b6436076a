// Nothing that arrives from outside makes the core throw. The Wasm build has no exceptions: a
// throw there is a dead module in a browser. These cases are what a JSON library throws on
// (invalid UTF-8 in text it writes, text that is not JSON, fields of the wrong type, numbers out of
// range); the core reads and writes JSON text with its own scanner and writer, which answer each
// with an error or U+FFFD instead.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "detail/text_fields.hpp"
#include "huddle/codec.hpp"
#include "huddle/peer_message.hpp"

namespace huddle {
namespace {

using nlohmann::json;

// U+FFFD as UTF-8: what the encoders write for a byte that is not UTF-8.
const std::string kReplacement = "\xEF\xBF\xBD";
// A lone surrogate as Embind hands it over from a JavaScript string (3 bytes, not valid UTF-8).
const std::string kLoneSurrogate = "\xED\xA0\x80";

TEST(NoThrow, EncodersWriteInvalidUtf8AsReplacementCharacters) {
  std::string create = encode(ClientMessage{Create{"Ann" + kLoneSurrogate}});
  EXPECT_NE(create.find("Ann" + kReplacement), std::string::npos) << create;

  std::string joined = encode(ServerMessage{PeerJoined{PeerInfo{"PEER000001", "Bob\xFF", 2}}});
  EXPECT_NE(joined.find("Bob" + kReplacement), std::string::npos) << joined;

  // App data is text the sender checked (send refuses invalid UTF-8 as data_invalid); a frame
  // that carries some anyway is refused, not thrown over.
  std::string message = encode(PeerMessage{AppMessage{1, 1, 0, true, "\"\xC3\""}});
  EXPECT_EQ(decodePeerMessage(message).error().code, ErrorCode::BadJson) << message;
}

TEST(NoThrow, DecodersRefuseWhatNlohmannWouldThrowOn) {
  const std::vector<std::string> texts = {
      "",
      "{",
      "{\"t\":\"ping\",\"id\":1}}",
      "{\"t\":\"hello\",\"v\":1,\"id\":\"\xFF\"}",     // invalid UTF-8 in a string
      "{\"t\":\"hello\",\"v\":1,\"id\":\"\\ud800\"}",  // an escaped lone surrogate
      "{\"t\":5}",
      "{\"t\":null}",
      "[\"t\",\"hello\"]",
      "\"hello\"",
      "{\"t\":\"hello\",\"v\":\"1\"}",
      "{\"t\":\"hello\",\"v\":1e999}",
      "{\"t\":\"hello\",\"v\":-1e999}",
      "{\"t\":\"hello\",\"v\":123456789012345678901234567890}",
      "{\"t\":\"relay\",\"seq\":-1,\"data\":1}",
      "{\"t\":\"relay\",\"seq\":1.5,\"data\":1}",
      "{\"t\":\"relay\",\"seq\":1,\"parts\":{}}",
      "{\"t\":\"relay\",\"seq\":1,\"parts\":[1]}",
      "{\"t\":\"relay\",\"seq\":1,\"parts\":[{\"to\":[],\"data\":1}]}",
      "{\"t\":\"signal\",\"to\":\"P\",\"data\":[]}",
      "{\"t\":\"signal\",\"from\":\"P\",\"data\":{\"kind\":7}}",
      "{\"t\":\"welcome\",\"v\":1,\"id\":\"P\",\"iceServers\":{}}",
      "{\"t\":\"room_joined\",\"code\":\"C\",\"you\":\"P\",\"host\":\"P\",\"maxMembers\":2,\"peers\":[1]}",
      "{\"t\":\"room_joined\",\"code\":\"C\",\"you\":\"P\",\"host\":\"P\",\"maxMembers\":2,\"peers\":{}}",
      "{\"t\":\"peer_joined\",\"peer\":\"P\"}",
      "{\"t\":\"peer_left\",\"id\":\"P\",\"reason\":{}}",
      "{\"t\":\"error\",\"code\":[],\"message\":\"m\"}",
      "{\"t\":\"msg\",\"seq\":1,\"id\":1,\"ts\":\"now\",\"data\":1}",
      "{\"t\":\"msg\",\"seq\":true,\"id\":1,\"ts\":0,\"data\":1}",
      "{\"t\":\"umsg\",\"e\":1,\"n\":[],\"id\":1,\"ts\":0,\"data\":1}",
      "{\"t\":\"sync\",\"e\":{},\"seq\":1}",
      "{\"t\":\"ack\",\"seq\":18446744073709551616}",
  };
  for (const std::string& text : texts) {
    EXPECT_FALSE(decodeClientMessage(text).ok()) << text;
    EXPECT_FALSE(decodeServerMessage(text).ok()) << text;
    EXPECT_FALSE(decodePeerMessage(text).ok()) << text;
    EXPECT_LE(frameType(text).size(), 32u) << text;
  }
}

TEST(NoThrow, AppDataThatIsNotJsonIsRefusedAsDataInvalid) {
  for (const std::string& text : {std::string("\"\xFF\""), "\"" + kLoneSurrogate + "\"", std::string("[1,"),
                                  std::string("1e999"), std::string("{\"a\":}")}) {
    auto checked = detail::checkData(text, 1024);
    ASSERT_FALSE(checked.ok()) << text;
    EXPECT_EQ(checked.error().code, ErrorCode::DataInvalid) << text;
  }
}

}  // namespace
}  // namespace huddle
