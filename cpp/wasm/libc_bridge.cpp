// Two C library functions the module takes from the browser, or writes itself, rather than from
// musl's full versions (bench/wasm_size.mjs measures them):
// - strtod: musl's computes in 128-bit floating point, all of it emulated in Wasm (__multf3,
//   __divtf3, fmodl, ...: 7 KB gzipped). Its callers are the core's JSON text reader (a number that
//   is not a plain integer) and validator (a number long enough that it might overflow).
// - siprintf: its one caller is Embind's __getTypeName, which names a type by its address with
//   sprintf(out, "%p", ...), and the compiler calls libc's integer-only siprintf for a format
//   without floats. musl's brings all of printf's machinery (2.4 KB gzipped).
// The client links with --wrap=strtod and --wrap=siprintf (CMakeLists.txt), so every call in the
// module lands here: nothing may rely on what these leave out.
#include <emscripten.h>

#include <cstdarg>
#include <cstddef>
#include <cstdint>

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
// floats, inf and nan are not read (*end = text, 0.0), nor is errno set. Its callers pass a number
// already checked against JSON's grammar.
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

// siprintf for "%p" alone, as 0x and lowercase hex digits. Any other format is copied as it is,
// unformatted: no caller in the module writes one.
int __wrap_siprintf(char* out, const char* format, ...) {
  char* p = out;
  if (format[0] == '%' && format[1] == 'p' && format[2] == '\0') {
    va_list args;
    va_start(args, format);
    auto value = reinterpret_cast<std::uintptr_t>(va_arg(args, void*));
    va_end(args);
    char digits[2 * sizeof value];
    int n = 0;
    do {
      digits[n++] = "0123456789abcdef"[value & 15];
      value >>= 4;
    } while (value);
    *p++ = '0';
    *p++ = 'x';
    while (n) *p++ = digits[--n];
  } else {
    while (*format) *p++ = *format++;
  }
  *p = '\0';
  return static_cast<int>(p - out);
}

}  // extern "C"
