// Room state frames on the members' streams (Client::sendState, onStateFrame): through a real
// Hub and the relay, each arrives once and in order with the app's messages, and is neither a
// message nor a receipt for the app.
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "fakes/relay_mesh.hpp"

namespace huddle {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Pair;
using testing::RelayMesh;

constexpr const char* kFrame1 = R"({"t":"sq","q":1})";
constexpr const char* kFrame2 = R"({"t":"sq","q":2})";

TEST(StreamsState, AStateFrameArrivesOnceInOrderAndIsNeitherAMessageNorAReceipt) {
  RelayMesh mesh;
  mesh.add("Ann");
  mesh.add("Bob");
  PeerId ann = mesh[0].client().selfId();
  PeerId bob = mesh[1].client().selfId();
  ASSERT_TRUE(mesh[0].client().sendState(bob, kFrame1).ok());
  auto hello = mesh[0].client().sendTo(bob, R"("hello")");
  ASSERT_TRUE(hello.ok());
  ASSERT_TRUE(mesh[0].client().sendState(bob, kFrame2).ok());
  mesh.advance(2000);
  EXPECT_THAT(mesh[1].observer().stateFrames, ElementsAre(Pair(ann, kFrame1), Pair(ann, kFrame2)));
  ASSERT_EQ(mesh[1].observer().messages.size(), 1u);
  EXPECT_EQ(mesh[1].observer().messages[0].data, "hello");
  // Bob acknowledged all three; Ann's app hears of its message only.
  EXPECT_THAT(mesh[0].observer().delivered, ElementsAre(Pair(bob, hello.value())));
  EXPECT_THAT(mesh[0].observer().errors, IsEmpty());
  EXPECT_THAT(mesh[1].observer().errors, IsEmpty());
}

TEST(StreamsState, SendingAStateFrameMeetsTheErrorsOfASend) {
  RelayMesh mesh;
  mesh.add("Ann");
  mesh.add("Bob");
  PeerId bob = mesh[1].client().selfId();
  EXPECT_EQ(mesh[0].client().sendState("NOBODY0001", kFrame1).error().code, ErrorCode::PeerNotInRoom);
  EXPECT_EQ(mesh[0].client().sendState(bob, "{not json").error().code, ErrorCode::DataInvalid);
  for (std::size_t i = 0; i < testing::kDefaults.maxUnackedPerPeer; ++i) {
    ASSERT_TRUE(mesh[0].client().sendState(bob, kFrame1).ok()) << i;
  }
  EXPECT_EQ(mesh[0].client().sendState(bob, kFrame1).error().code, ErrorCode::SendQueueFull);
  mesh[0].client().leave();
  EXPECT_EQ(mesh[0].client().sendState(bob, kFrame1).error().code, ErrorCode::NotInRoom);
}

}  // namespace
}  // namespace huddle
