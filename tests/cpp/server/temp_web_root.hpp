// A throwaway server tree: <tmp>/dist (the web app: index.html, the embed scripts, an asset, a
// .wasm file), <tmp>/experiences (valid ones and every kind of bad one), and a secret file
// *outside* both that traversal attempts aim at.
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

namespace huddle::test {

class TempWebRoot {
 public:
  static constexpr const char* kIndex = "<!doctype html><title>huddle</title>";
  static constexpr const char* kSecret = "top secret, never served";
  static constexpr const char* kDrawPage =
      "<!doctype html><html lang=\"en\"><head><title>Draw</title></head>"
      "<body><script src=\"app.js\"></script></body></html>";
  static constexpr const char* kDrawScript = "P2P.onMessage = (from, data) => draw(data);";

  TempWebRoot() {
    std::string pattern = (std::filesystem::temp_directory_path() / "huddle-server-test-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    base_ = pattern;
    write("dist/index.html", kIndex);
    write("dist/assets/app-1234.js", "console.log('hi');");
    write("dist/assets/huddle-5678.wasm", std::string("\0asm\1\0\0\0", 8));
    write("dist/robots.txt", "User-agent: *\n");
    write("dist/.env", "SECRET=1");
    write("dist/huddle.js", "export {};");
    write("dist/p2p.js", "window.P2P = {};");
    write("secret.txt", kSecret);

    // Listed: a full description, a broken one, none, wrongly typed fields.
    write("experiences/draw/index.html", kDrawPage);
    write("experiences/draw/app.js", kDrawScript);
    write("experiences/draw/levels/index.html", "<p>level 1</p>");
    write("experiences/draw/.secret", "dotfile");
    write("experiences/draw/experience.json",
          R"({"title":"Draw together","description":"A shared canvas","minPlayers":2,"maxPlayers":6})");
    write("experiences/chess/index.html", "<html><body>chess</body></html>");
    write("experiences/chess/experience.json", R"({"title":"Chess",)");
    write("experiences/plain-1/index.html", "<p>plain</p>");
    write("experiences/typed/index.html", "<p>typed</p>");
    write("experiences/typed/experience.json",
          R"({"title":5,"description":["x"],"minPlayers":"2","maxPlayers":2.5})");
    // Not listed, not served: bad names, no index.html, a file, a link out of the directory.
    write("experiences/Bad_Name/index.html", "<p>bad</p>");
    write("experiences/.hidden/index.html", "<p>hidden</p>");
    write("experiences/" + std::string(65, 'a') + "/index.html", "<p>long</p>");
    write("experiences/no-index/experience.json", R"({"title":"No index"})");
    write("experiences/a-file", "not a directory");
    write("outside/index.html", kSecret);
    std::filesystem::create_directory_symlink(base_ / "outside", base_ / "experiences/escape");
  }
  ~TempWebRoot() {
    std::error_code ec;
    std::filesystem::remove_all(base_, ec);
  }
  TempWebRoot(const TempWebRoot&) = delete;
  TempWebRoot& operator=(const TempWebRoot&) = delete;

  std::filesystem::path dist() const { return base_ / "dist"; }
  std::filesystem::path experiences() const { return base_ / "experiences"; }
  std::filesystem::path base() const { return base_; }

  void write(const std::string& relative, const std::string& content) {
    auto path = base_ / relative;
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << content;
  }

 private:
  std::filesystem::path base_;
};

}  // namespace huddle::test
