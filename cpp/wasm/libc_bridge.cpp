// Two C library functions the module takes from the browser, or from a smaller part of libc, rather
// than from musl's full versions. Their one caller is nlohmann/json, and the full versions were an
// eighth of the module (18 KB, 9 KB gzipped; bench/wasm_size.mjs): musl's strtod computes in
// 128-bit floating point, all of it emulated in Wasm (__multf3, __divtf3, fmodl, ...), and its
// snprintf brings float formatting (fmt_fp) that nlohmann never asks for. The client links with
// --wrap=strtod and --wrap=snprintf (CMakeLists.txt), so every call to them in the module lands
// here: nothing in the module may rely on what these two leave out.
#include <emscripten.h>

#include <cstdarg>
#include <cstddef>

namespace {

bool isDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

// JavaScript's Number() reads a decimal number as strtod does: correctly rounded to the nearest
// double, infinite past DBL_MAX. The text is ASCII digits, signs, '.' and 'e' (strtod below).
EM_JS(double, hd_number, (const char* text, int length), {
  let s = "";
  for (let i = 0; i < length; i++) s += String.fromCharCode(HEAPU8[text + i]);
  return Number(s);
});

extern "C" {

// strtod for decimal numbers: [space][+-]digits[.digits][e[+-]digits], and .digits. Hexadecimal
// floats, inf and nan are not read (*end = text, 0.0), nor is errno set. nlohmann's lexer calls it
// with a number it has already checked against JSON's grammar and tests the result with isfinite.
double __wrap_strtod(const char* text, char** end) {
  const char* p = text;
  while (*p == ' ' || (*p >= '\t' && *p <= '\r')) ++p;
  const char* start = p;
  if (*p == '+' || *p == '-') ++p;
  const char* digits = p;
  while (isDigit(*p)) ++p;
  bool any = p != digits;
  if (*p == '.') {
    const char* fraction = ++p;
    while (isDigit(*p)) ++p;
    any = any || p != fraction;
  }
  if (!any) {
    if (end) *end = const_cast<char*>(text);
    return 0;
  }
  if (*p == 'e' || *p == 'E') {
    const char* exponent = p + 1;
    if (*exponent == '+' || *exponent == '-') ++exponent;
    if (isDigit(*exponent)) {
      p = exponent;
      while (isDigit(*p)) ++p;
    }
  }
  if (end) *end = const_cast<char*>(p);
  return hd_number(start, static_cast<int>(p - start));
}

// musl's integer-only vsnprintf (Emscripten builds it for iprintf and friends).
int vsniprintf(char* out, std::size_t size, const char* format, va_list args);

// snprintf without floating-point conversions: nlohmann writes "\u%04x" and "<U+%.4X>" with it.
// A %f, %e, %g or %a here would have no formatter to call.
int __wrap_snprintf(char* out, std::size_t size, const char* format, ...) {
  va_list args;
  va_start(args, format);
  int written = vsniprintf(out, size, format, args);
  va_end(args);
  return written;
}

}  // extern "C"
