// Where the p2p.js script tag goes in an experience's HTML: after <head>, else after <html>, else
// at the start (after a byte-order mark and the doctype), never fooled by look-alikes.
#include <string>

#include <gtest/gtest.h>

#include "server/script_injection.hpp"

namespace huddle::server {
namespace {

// A short tag keeps the expectations readable.
std::string withTag(std::string_view html) { return insertScriptTag(html, "<T>"); }

TEST(ServerScriptInjection, GoesRightAfterTheHeadTag) {
  EXPECT_EQ(withTag("<!doctype html><html><head><title>x</title></head><body></body></html>"),
            "<!doctype html><html><head><T><title>x</title></head><body></body></html>");
  EXPECT_EQ(withTag("<head><script src=app.js></script>"), "<head><T><script src=app.js></script>");
  EXPECT_EQ(withTag("<!DOCTYPE html>\n<html lang=\"en\">\n  <head>\n    <meta charset=\"utf-8\">"),
            "<!DOCTYPE html>\n<html lang=\"en\">\n  <head><T>\n    <meta charset=\"utf-8\">");
}

TEST(ServerScriptInjection, MatchesTagNamesInAnyCaseWithAttributes) {
  EXPECT_EQ(withTag("<HTML><HEAD>"), "<HTML><HEAD><T>");
  EXPECT_EQ(withTag("<Html><hEaD profile=x>"), "<Html><hEaD profile=x><T>");
  EXPECT_EQ(withTag("<head\n  class=\"a\"\n>x"), "<head\n  class=\"a\"\n><T>x");
  EXPECT_EQ(withTag("<head/>x"), "<head/><T>x");
  EXPECT_EQ(withTag("<html\tlang=en><body>"), "<html\tlang=en><T><body>");
}

TEST(ServerScriptInjection, QuotedAttributeValuesMayHoldAngleBrackets) {
  EXPECT_EQ(withTag(R"(<head data-x="a>b" data-y='c>d'>x)"), R"(<head data-x="a>b" data-y='c>d'><T>x)");
  EXPECT_EQ(withTag(R"(<html data-x = "<head>"><body>)"), R"(<html data-x = "<head>"><T><body>)");
  // A quote that does not follow '=' is part of an attribute name, not the start of a value.
  EXPECT_EQ(withTag("<head a'b>x"), "<head a'b><T>x");
}

TEST(ServerScriptInjection, IsNotFooledByHeaderOrOtherLookAlikes) {
  EXPECT_EQ(withTag("<html><header>hi</header></html>"), "<html><T><header>hi</header></html>");
  EXPECT_EQ(withTag("<body><header>hi</header>"), "<T><body><header>hi</header>");
  EXPECT_EQ(withTag("<head-line>x</head-line>"), "<T><head-line>x</head-line>");
  EXPECT_EQ(withTag("<headx>"), "<T><headx>");
  EXPECT_EQ(withTag("<htmlx><head>"), "<T><htmlx><head>");
  EXPECT_EQ(withTag("<HEADER><head>"), "<T><HEADER><head>");
}

TEST(ServerScriptInjection, WithoutHeadGoesAfterTheHtmlTag) {
  EXPECT_EQ(withTag("<!doctype html>\n<html lang=\"en\">\n<body><script>go()</script>"),
            "<!doctype html>\n<html lang=\"en\"><T>\n<body><script>go()</script>");
  EXPECT_EQ(withTag("<html>"), "<html><T>");
}

TEST(ServerScriptInjection, WithoutEitherGoesAtTheStartButAfterTheDoctype) {
  EXPECT_EQ(withTag("<p>hi</p><script>go()</script>"), "<T><p>hi</p><script>go()</script>");
  EXPECT_EQ(withTag("plain text"), "<T>plain text");
  EXPECT_EQ(withTag(""), "<T>");
  // Anything before the doctype would switch the page to quirks mode.
  EXPECT_EQ(withTag("<!DOCTYPE html><script>go()</script>"), "<!DOCTYPE html><T><script>go()</script>");
  EXPECT_EQ(withTag("\n<!doctype html>\n<p>x"), "\n<!doctype html><T>\n<p>x");
}

TEST(ServerScriptInjection, ByteOrderMarkStaysFirst) {
  EXPECT_EQ(withTag("\xEF\xBB\xBF<p>x"), "\xEF\xBB\xBF<T><p>x");
  EXPECT_EQ(withTag("\xEF\xBB\xBF<!doctype html><head>"), "\xEF\xBB\xBF<!doctype html><head><T>");
}

TEST(ServerScriptInjection, HeadInsideACommentIsNotTheHead) {
  EXPECT_EQ(withTag("<!-- <head> --><html><head>"), "<!-- <head> --><html><head><T>");
  EXPECT_EQ(withTag("<!doctype html><!-- a --><html><!-- <head> --><head>x"),
            "<!doctype html><!-- a --><html><!-- <head> --><head><T>x");
  EXPECT_EQ(withTag("<!-- <head> --><p>x"), "<!-- <head> --><T><p>x");
  // The short comments browsers accept.
  EXPECT_EQ(withTag("<!--><head>"), "<!--><head><T>");
  EXPECT_EQ(withTag("<!---><head>"), "<!---><head><T>");
  EXPECT_EQ(withTag("<?xml version=\"1.0\"?><html><head>"), "<?xml version=\"1.0\"?><html><head><T>");
}

TEST(ServerScriptInjection, HeadAfterContentIsNotTheHead) {
  // Browsers open the head implicitly at the first content and ignore a later <head>.
  EXPECT_EQ(withTag("<html><title>x</title><head>"), "<html><T><title>x</title><head>");
  EXPECT_EQ(withTag("<html><body><head>"), "<html><T><body><head>");
  EXPECT_EQ(withTag("text<head>"), "<T>text<head>");
  EXPECT_EQ(withTag("<p><html><head>"), "<T><p><html><head>");
}

TEST(ServerScriptInjection, MalformedInputGetsTheTagAtTheStart) {
  EXPECT_EQ(withTag("<html><head"), "<html><T><head");
  EXPECT_EQ(withTag("<head class=\"a>"), "<T><head class=\"a>");
  EXPECT_EQ(withTag("<html"), "<T><html");
  EXPECT_EQ(withTag("<!doctype html><!-- never closed <head>"), "<!doctype html><T><!-- never closed <head>");
  EXPECT_EQ(withTag("<!doctype html"), "<T><!doctype html");
  EXPECT_EQ(withTag("<"), "<T><");
  EXPECT_EQ(withTag(std::string("<head>\0x", 8)), std::string("<head><T>\0x", 11));
}

TEST(ServerScriptInjection, TheP2pTagLoadsTheScriptFromTheServer) {
  EXPECT_EQ(insertScriptTag("<head>", kP2pScriptTag), "<head><script src=\"/p2p.js\"></script>");
}

}  // namespace
}  // namespace huddle::server
