// A server over a TempWebRoot: its dist/ is the web app, its experiences/ the experiences.
#pragma once

#include "server_fixture.hpp"
#include "temp_web_root.hpp"

namespace huddle::test {

class WebRootServer : public ServerFixture {
 protected:
  void SetUp() override { startServer(webRootConfig()); }

  // testConfig() serving web_; a suite that writes files of its own or sets more knobs starts
  // the server with it itself.
  server::ServerConfig webRootConfig() const {
    auto config = testConfig();
    config.staticDir = web_.dist().string();
    config.experiencesDir = web_.experiences().string();
    return config;
  }

  TempWebRoot web_;
};

}  // namespace huddle::test
