// A throwaway web app directory: <tmp>/dist with index.html, an asset, a .wasm file, and a
// secret file *outside* dist that traversal attempts aim at.
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

  TempWebRoot() {
    std::string pattern = (std::filesystem::temp_directory_path() / "huddle-server-test-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    base_ = pattern;
    write("dist/index.html", kIndex);
    write("dist/assets/app-1234.js", "console.log('hi');");
    write("dist/assets/huddle-5678.wasm", std::string("\0asm\1\0\0\0", 8));
    write("dist/robots.txt", "User-agent: *\n");
    write("dist/.env", "SECRET=1");
    write("secret.txt", kSecret);
  }
  ~TempWebRoot() {
    std::error_code ec;
    std::filesystem::remove_all(base_, ec);
  }
  TempWebRoot(const TempWebRoot&) = delete;
  TempWebRoot& operator=(const TempWebRoot&) = delete;

  std::filesystem::path dist() const { return base_ / "dist"; }
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
