// Event files: the text of an event, and the comparison of a run's events
// with event lines, where a line that is the event's own text is taken as
// equal without being parsed. Random events, extreme values included, and
// lines mutated from their text: the comparison must give what parsing
// every line gives (match, mismatch message, malformed-line message).
#include <gtest/gtest.h>

#include <climits>
#include <cstdio>
#include <string>
#include <vector>

#include "eie/eie_random.h"
#include "eie_pack.h"

namespace {

// The text of an event by printf: the reference for eie_pack_format_event.
std::string printf_text(const eie_event_t &e) {
  char b[160];
  snprintf(b, sizeof b, "%s %llu %u %u %u %d %d", eie_event_kind_name(e.kind),
           (unsigned long long)e.cycle, e.layer, e.pass, e.index, e.value, e.bypass);
  return b;
}

std::string format(const eie_event_t &e) {
  char b[EIE_PACK_EVENT_TEXT_MAX];
  const size_t n = eie_pack_format_event(&e, b);
  return std::string(b, n);
}

// lo + an offset of at most span: often an end of the range or small, else
// of a random number of digits.
uint64_t pick(eie_rng_t *r, uint64_t lo, uint64_t span) {
  const uint64_t near = eie_rng_below(r, 3);
  uint64_t off;
  switch (eie_rng_below(r, 5)) {
    case 0:
      off = near < span ? near : span;
      break;
    case 1:
      off = span - (near < span ? near : span);
      break;
    case 2:
      off = eie_rng_below(r, 100);
      break;
    default:
      off = eie_rng_next(r) >> eie_rng_below(r, 64);
      break;
  }
  if (span != UINT64_MAX) off %= span + 1;
  return lo + off;
}
int64_t pick_signed(eie_rng_t *r, int64_t lo, int64_t hi) {
  return (int64_t)pick(r, (uint64_t)lo, (uint64_t)hi - (uint64_t)lo);
}

// An event every field of which is in the range of an event line.
eie_event_t in_range(eie_rng_t *r) {
  eie_event_t e{};
  e.kind = (eie_event_kind_t)eie_rng_below(r, 3);
  const bool acc = e.kind == EIE_EV_ACC;
  e.cycle = pick(r, 0, INT64_MAX);
  e.layer = (uint32_t)pick(r, 0, 15);
  e.pass = (uint32_t)pick(r, 0, 65535);
  e.index = (uint32_t)pick(r, 0, 65535);
  e.value = (int32_t)(acc ? pick_signed(r, INT32_MIN, INT32_MAX) : pick_signed(r, -32768, 32767));
  e.bypass = acc ? (int)pick(r, 0, 1) : 0;
  return e;
}

// An event with one field beyond the range of an event line.
eie_event_t out_of_range(eie_rng_t *r) {
  eie_event_t e = in_range(r);
  switch (eie_rng_below(r, 7)) {
    case 0:
      e.cycle = pick(r, (uint64_t)INT64_MAX + 1, (uint64_t)INT64_MAX);
      break;
    case 1:
      e.layer = (uint32_t)pick(r, 16, UINT32_MAX - 16);
      break;
    case 2:
      e.pass = (uint32_t)pick(r, 65536, UINT32_MAX - 65536);
      break;
    case 3:
      e.index = (uint32_t)pick(r, 65536, UINT32_MAX - 65536);
      break;
    case 4:
      e.kind = eie_rng_below(r, 2) ? EIE_EV_BCAST : EIE_EV_WB;
      e.value = eie_rng_below(r, 2) ? (int32_t)pick(r, 32768, INT32_MAX - 32768)
                                    : (int32_t)pick_signed(r, INT32_MIN, -32769);
      break;
    case 5:
      // bypass 1 but for ACC; 2 or negative on ACC (compared as != 0 against a line).
      e.bypass = e.kind != EIE_EV_ACC ? 1 : eie_rng_below(r, 2) ? 2 : INT_MIN;
      break;
    default:
      e.kind = (eie_event_kind_t)3;
      break;
  }
  return e;
}

TEST(EiePackEvents, FormatsAnEventAsPrintfDoes) {
  eie_rng_t r = {1};
  for (int i = 0; i < 200000; i++) {
    eie_event_t e = i % 3 == 0 ? in_range(&r) : out_of_range(&r);
    if (i % 3 == 2) {  // any values at all
      e.cycle = eie_rng_next(&r) >> eie_rng_below(&r, 64);
      e.layer = (uint32_t)eie_rng_next(&r);
      e.pass = (uint32_t)(eie_rng_next(&r) >> eie_rng_below(&r, 32));
      e.value = (int32_t)eie_rng_next(&r);
      e.bypass = (int)eie_rng_next(&r);
    }
    ASSERT_EQ(format(e), printf_text(e)) << "event " << i;
  }
  eie_event_t e{EIE_EV_ACC, UINT64_MAX, UINT32_MAX, UINT32_MAX, 0, UINT32_MAX, INT32_MIN, INT_MIN};
  EXPECT_EQ(format(e),
            "ACC 18446744073709551615 4294967295 4294967295 4294967295 -2147483648 "
            "-2147483648");
}

TEST(EiePackEvents, TheTextOfAnEventInRangeParsesBackToItAndNoOtherDoes) {
  eie_rng_t r = {2};
  for (int i = 0; i < 200000; i++) {
    const bool ok = eie_rng_below(&r, 4) != 0;
    const eie_event_t e = ok ? in_range(&r) : out_of_range(&r);
    const uint32_t end = eie_rng_below(&r, 3);
    const std::string t = format(e) + (end == 0 ? "\n" : end == 1 ? "\r\n" : "");
    eie_event_t p;
    const char *why = "";
    const int got = eie_pack_parse_event(t.data(), t.size(), &p, &why);
    if (!ok) {
      ASSERT_EQ(got, -1) << "'" << t << "' parses, out of range";
      continue;
    }
    ASSERT_EQ(got, 0) << "'" << t << "': " << why;
    ASSERT_EQ(printf_text(p), printf_text(e)) << "every field";
  }
}

// What a comparison ends with.
struct Outcome {
  eie_status_t st;
  std::string msg;
  uint64_t compared, parsed;
};

// Compare events with event files held in memory (stream 0 bcast_events.txt,
// 1 + k pe<k>_events.txt), with the shortcut or parsing every line.
Outcome compare(std::vector<std::string> files, const std::vector<eie_event_t> &ev,
                bool parse_every_line) {
  eie_pack_t pk{};
  pk.prog.cfg.num_pe = (uint32_t)files.size() - 1;
  std::vector<eie_pack_text_t> text;
  for (std::string &f : files) text.push_back({f.data(), f.size()});
  pk.event_text = text.data();
  eie_pack_event_check_t *c = nullptr;
  eie_err_t e{};
  Outcome o{};
  o.st = eie_pack_events_begin(&pk, "pack", &c, &e);
  if (o.st) return {o.st, e.msg, 0, 0};
  if (parse_every_line) eie_pack_events_parse_every_line(c);
  for (const eie_event_t &x : ev) eie_pack_events_feed(c, &x);
  o.parsed = eie_pack_events_parsed(c);
  o.st = eie_pack_events_end(c, &o.compared, &e);
  if (o.st) o.msg = e.msg;
  return o;
}

// Where the fields of an event line start (after each space).
std::vector<size_t> field_starts(const std::string &t) {
  std::vector<size_t> s;
  for (size_t i = 0; i < t.size(); i++)
    if (t[i] == ' ') s.push_back(i + 1);
  return s;
}

// Mutations of an event's line: how the line after the first, the event's,
// is written, and the end of that line.
enum Mutation {
  kExact,          // "\n"
  kCrLf,           // "\r\n"
  kCrCrLf,         // "\r\r\n"
  kAtEnd,          // the file's last line, no newline
  kCrAtEnd,        // the file's last line, "\r" and no newline
  kDigit,          // a digit changed
  kExtraSpace,     // a space doubled, or one at the start or the end
  kLeadingZero,    // a '0' before a field
  kMinus,          // a '-' before a field ("-0" when it is 0)
  kPlus,           // a '+' before a field
  kNul,            // a byte replaced by a NUL, or a NUL and more text at the end
  kComment,        // a comment line before it
  kInnerCr,        // a '\r' inside the line
  kCrThenText,     // "\r", more text, then "\n"
  kTruncated,      // the last byte gone
  kEmptyLine,      // an empty line before it
  kOther,          // another event's text
  kPreviousStart,  // its kind, cycle, layer or pass from the event before
  kTab,            // a tab for a space
  kBypassOne,      // bypass 1 for an ACC's bypass other than 0 (equal: compared as != 0)
  kMutations
};

TEST(EiePackEvents, TakingTheEventsOwnTextGivesWhatParsingEveryLineGives) {
  eie_rng_t r = {3};
  const std::string header = "// events: in order\n// fields: " EIE_EVENT_FIELDS "\n";
  int taken = 0;
  for (int i = 0; i < 60000; i++) {
    // The event before (its line exact), the event, the one after, in one
    // stream. The event before shares with the event its kind, cycle, layer
    // and pass (those in range) but (often) one.
    const bool in = eie_rng_below(&r, 5) != 0;
    const eie_event_t h = in ? in_range(&r) : out_of_range(&r);
    eie_event_t next = in_range(&r);
    eie_event_t prev = in_range(&r);
    const uint32_t differ = eie_rng_below(&r, 5);
    if (differ != 1 && h.cycle <= INT64_MAX) prev.cycle = h.cycle;
    if (differ != 2 && h.layer <= 15) prev.layer = h.layer;
    if (differ != 3 && h.pass <= 65535) prev.pass = h.pass;
    prev.kind = h.kind == EIE_EV_BCAST ? EIE_EV_BCAST
                : differ == 0          ? (h.kind == EIE_EV_ACC ? EIE_EV_WB : EIE_EV_ACC)
                : h.kind == EIE_EV_WB  ? EIE_EV_WB
                                       : EIE_EV_ACC;
    if (prev.kind != EIE_EV_ACC) {
      prev.value = (int16_t)prev.value;
      prev.bypass = 0;
    }
    next.kind = prev.kind;
    if (next.kind != EIE_EV_ACC) {
      next.value = (int16_t)next.value;
      next.bypass = 0;
    }
    const Mutation m = (Mutation)(i % kMutations);
    std::string line = printf_text(h), end = "\n";
    const std::vector<size_t> f = field_starts(line);
    const size_t at = f.empty() ? 0 : f[eie_rng_below(&r, (uint32_t)f.size())];
    switch (m) {
      case kExact:
        break;
      case kCrLf:
        end = "\r\n";
        break;
      case kCrCrLf:
        end = "\r\r\n";
        break;
      case kAtEnd:
        end = "";
        break;
      case kCrAtEnd:
        end = "\r";
        break;
      case kDigit: {
        size_t k = eie_rng_below(&r, (uint32_t)line.size());
        while (line[k] < '0' || line[k] > '9') k = (k + 1) % line.size();
        line[k] = (char)('0' + (line[k] - '0' + 1 + eie_rng_below(&r, 9)) % 10);
        break;
      }
      case kExtraSpace: {
        const uint32_t w = eie_rng_below(&r, 3);
        line.insert(w == 0 ? 0 : w == 1 ? line.size() : at, " ");
        break;
      }
      case kLeadingZero:
        line.insert(line[at] == '-' ? at + 1 : at, "0");
        break;
      case kMinus:
        line.insert(at, "-");
        break;
      case kPlus:
        line.insert(at, "+");
        break;
      case kNul:
        if (eie_rng_below(&r, 2))
          line[eie_rng_below(&r, (uint32_t)line.size())] = '\0';
        else
          line += std::string(1, '\0') + " 1";
        break;
      case kComment:
        line = "// a note\n" + line;
        break;
      case kInnerCr:
        line.insert(1 + eie_rng_below(&r, (uint32_t)line.size() - 1), "\r");
        break;
      case kCrThenText:
        end = "\r" + std::string(eie_rng_below(&r, 2) ? "x" : " 0") + "\n";
        break;
      case kTruncated:
        line.pop_back();
        break;
      case kEmptyLine:
        line = "\n" + line;
        break;
      case kOther:
        line = printf_text(in_range(&r));
        break;
      case kPreviousStart: {
        eie_event_t mixed = h;
        mixed.kind = prev.kind;
        mixed.cycle = prev.cycle;
        mixed.layer = prev.layer;
        mixed.pass = prev.pass;
        line = printf_text(mixed);
        break;
      }
      case kTab:
        line[at - 1] = '\t';
        break;
      case kBypassOne:
        if (h.kind == EIE_EV_ACC && h.bypass) line = line.substr(0, f.back()) + "1";
        break;
      default:
        break;
    }
    std::vector<eie_event_t> ev = {prev, h};
    std::string file = header + printf_text(prev) + "\n" + line + end;
    if (!end.empty() && end.back() == '\n') {
      file += printf_text(next) + "\n";
      ev.push_back(next);
    }
    std::vector<std::string> files = {header, header};
    files[h.kind == EIE_EV_BCAST ? 0 : 1] = file;
    const Outcome fast = compare(files, ev, false), slow = compare(files, ev, true);
    const std::string what = "mutation " + std::to_string(m) + ", line '" + line + "', end " +
                             std::to_string(end.size()) + " bytes";
    ASSERT_EQ(fast.st, slow.st) << what << "\n" << fast.msg << "\n" << slow.msg;
    ASSERT_EQ(fast.msg, slow.msg) << what;
    ASSERT_EQ(fast.compared, slow.compared) << what;
    if (m <= kCrAtEnd && in) {
      // The event's own text, in range: equal, and parsed only the first line
      // (after the comments); every line parsed by the reference.
      ASSERT_EQ(fast.st, EIE_OK) << what << ": " << fast.msg;
      ASSERT_EQ(fast.parsed, 1u) << what;
      ASSERT_EQ(slow.parsed, ev.size()) << what;
      taken++;
    }
  }
  EXPECT_GT(taken, 10000);
}

}  // namespace
