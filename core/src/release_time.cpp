// Release times from post-call analysis text (docs/workflows.md#time-nodes-and-release-times).
//
// Index:
//   [SECTION] Tokens
//   [SECTION] Parsing into components (date, day, time, part of day, zone)
//   [SECTION] Resolving components against `now`
#include "leadflow/release_time.hpp"

#include <cstdint>
#include <string>
#include <vector>

#include "leadflow/civil_time.hpp"

namespace leadflow {

namespace {

// [SECTION] Tokens

enum class Tok { kNum, kWord, kColon, kSlash, kDash, kDot, kPlus, kApos, kOclock };

struct Token {
    explicit Token(Tok k) : kind(k) {}
    Tok kind;
    int value = 0;     // kNum
    int digits = 0;    // kNum: how many digits were written ("05" → 2)
    std::string text;  // kWord
};

bool is_letter(char c) {
    return c >= 'a' && c <= 'z';
}
bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

// Lower case; "a.m."/"p.m." → "am"/"pm"; the typographic apostrophe → "'". Fails (false) on
// bytes that have no business in a time (non-ASCII other than ’, control characters).
bool normalize(std::string_view in, std::string* out) {
    std::string s;
    s.reserve(in.size());
    for (std::size_t i = 0; i < in.size(); ++i) {
        const unsigned char c = static_cast<unsigned char>(in[i]);
        if (c == 0xE2 && i + 2 < in.size() && static_cast<unsigned char>(in[i + 1]) == 0x80 &&
            static_cast<unsigned char>(in[i + 2]) == 0x99) {
            s += '\'';
            i += 2;
        } else if (c >= 0x80 || (c < 0x20 && c != '\t' && c != '\n' && c != '\r')) {
            return false;
        } else {
            s += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : static_cast<char>(c);
        }
    }
    out->clear();
    for (std::size_t i = 0; i < s.size(); ++i) {
        const bool word_start = i == 0 || !is_letter(s[i - 1]);
        if (word_start && (s[i] == 'a' || s[i] == 'p') && s.compare(i + 1, 2, ".m") == 0 &&
            (i + 3 >= s.size() || !is_letter(s[i + 3]))) {
            *out += s[i];
            *out += 'm';
            i += 2;
            if (i + 1 < s.size() && s[i + 1] == '.') ++i;
            continue;
        }
        *out += s[i];
    }
    return true;
}

bool tokenize(std::string_view value, std::vector<Token>* toks) {
    std::string s;
    if (!normalize(value, &s)) return false;
    for (std::size_t i = 0; i < s.size();) {
        const char c = s[i];
        if (is_digit(c)) {
            Token t{Tok::kNum};
            while (i < s.size() && is_digit(s[i])) {
                if (++t.digits > 9) return false;
                t.value = t.value * 10 + (s[i] - '0');
                ++i;
            }
            toks->push_back(t);
        } else if (is_letter(c)) {
            Token t{Tok::kWord};
            while (i < s.size() && is_letter(s[i])) t.text += s[i++];
            toks->push_back(t);
        } else {
            switch (c) {
                case ':':
                    toks->push_back(Token{Tok::kColon});
                    break;
                case '/':
                    toks->push_back(Token{Tok::kSlash});
                    break;
                case '-':
                    toks->push_back(Token{Tok::kDash});
                    break;
                case '.':
                    toks->push_back(Token{Tok::kDot});
                    break;
                case '+':
                    toks->push_back(Token{Tok::kPlus});
                    break;
                case '\'':
                    toks->push_back(Token{Tok::kApos});
                    break;
                case ' ':
                case '\t':
                case '\n':
                case '\r':
                case ',':
                case ';':
                case '!':
                case '?':
                case '(':
                case ')':
                case '"':
                case '@':
                    break;
                default:
                    return false;
            }
            ++i;
        }
    }
    // "o'clock", "oclock", "o clock" → one token.
    std::vector<Token> merged;
    for (std::size_t i = 0; i < toks->size(); ++i) {
        const Token& t = (*toks)[i];
        if (t.kind == Tok::kWord && t.text == "oclock") {
            merged.push_back(Token{Tok::kOclock});
            continue;
        }
        if (t.kind == Tok::kWord && t.text == "o") {
            std::size_t j = i + 1;
            if (j < toks->size() && (*toks)[j].kind == Tok::kApos) ++j;
            if (j < toks->size() && (*toks)[j].kind == Tok::kWord && (*toks)[j].text == "clock") {
                merged.push_back(Token{Tok::kOclock});
                i = j;
                continue;
            }
        }
        merged.push_back(t);
    }
    *toks = std::move(merged);
    return true;
}

// [SECTION] Parsing into components (date, day, time, part of day, zone)

int month_index(const std::string& w) {  // 1–12, 0 when not a month
    static const char* const kNames[][2] = {
        {"jan", "january"},   {"feb", "february"}, {"mar", "march"},    {"apr", "april"},
        {"may", "may"},       {"jun", "june"},     {"jul", "july"},     {"aug", "august"},
        {"sep", "september"}, {"oct", "october"},  {"nov", "november"}, {"dec", "december"}};
    for (int i = 0; i < 12; ++i) {
        if (w == kNames[i][0] || w == kNames[i][1]) return i + 1;
    }
    return w == "sept" ? 9 : 0;
}

int weekday_index(const std::string& w) {  // 0 = Monday … 6 = Sunday, -1 when not a weekday
    static const char* const kNames[][4] = {
        {"mon", "monday", "mon", "mon"},     {"tue", "tuesday", "tues", "tu"},
        {"wed", "wednesday", "weds", "wed"}, {"thu", "thursday", "thur", "thurs"},
        {"fri", "friday", "fri", "fri"},     {"sat", "saturday", "sat", "sat"},
        {"sun", "sunday", "sun", "sun"}};
    for (int i = 0; i < 7; ++i) {
        for (const char* n : kNames[i]) {
            if (w == n) return i;
        }
    }
    return -1;
}

enum class Period { kNone, kMorning, kAfternoon, kEvening, kNight };
enum class DayKind { kNone, kToday, kTomorrow, kWeekday, kNextWeekday };
enum class Meridiem { kNone, kAm, kPm };

struct Parsed {
    bool has_date = false;
    int year = 0;  // 0 = not given
    int month = 0, mday = 0;

    DayKind day = DayKind::kNone;
    int weekday = -1;

    bool has_time = false;
    int hour = 0, minute = 0, second = 0, millisecond = 0;
    bool has_minutes = false;
    Meridiem meridiem = Meridiem::kNone;
    bool oclock = false;
    bool exact_time = false;  // noon / midnight

    Period period = Period::kNone;

    bool has_zone = false;
    TimeMs zone_offset = 0;
};

class Parser {
  public:
    explicit Parser(const std::vector<Token>& t) : t_(t) {}

    bool parse(Parsed* p) {
        p_ = p;
        bool after_date = false;
        while (i_ < t_.size()) {
            const Token& tok = t_[i_];
            const bool was_after_date = after_date;
            after_date = false;
            switch (tok.kind) {
                case Tok::kDash:
                case Tok::kDot:
                case Tok::kSlash:
                case Tok::kApos:
                case Tok::kColon:
                    ++i_;  // stray punctuation
                    break;
                case Tok::kPlus:
                case Tok::kOclock:
                    return false;
                case Tok::kNum:
                    if (starts_day_first_date()) {
                        if (!day_first_date()) return false;
                        after_date = true;
                    } else if (starts_numeric_date()) {
                        if (!numeric_date()) return false;
                        after_date = true;
                    } else if (!time()) {
                        return false;
                    }
                    break;
                case Tok::kWord:
                    if (!word(was_after_date, &after_date)) return false;
                    break;
            }
        }
        return true;
    }

  private:
    const Token* at(std::size_t k) const { return k < t_.size() ? &t_[k] : nullptr; }
    bool is(std::size_t k, Tok kind) const { return at(k) && at(k)->kind == kind; }
    bool is_word(std::size_t k, const char* w) const {
        return is(k, Tok::kWord) && t_[k].text == w;
    }
    bool is_ordinal(std::size_t k) const {
        return is_word(k, "st") || is_word(k, "nd") || is_word(k, "rd") || is_word(k, "th");
    }
    bool is_month(std::size_t k) const { return is(k, Tok::kWord) && month_index(t_[k].text) > 0; }

    bool set_date(int y, int m, int d) {
        if (p_->has_date) return false;
        p_->has_date = true;
        p_->year = y;
        p_->month = m;
        p_->mday = d;
        return m >= 1 && m <= 12 && d >= 1 && d <= 31;
    }

    // Optional 4-digit year at k (2-digit years are only taken in numeric dates).
    void year_at(std::size_t* k, int* year) const {
        std::size_t j = *k;
        if (is(j, Tok::kDot)) ++j;
        // A 4-digit number followed by ':' is an odd time, not a year.
        if (is(j, Tok::kNum) && t_[j].digits == 4 && !is(j + 1, Tok::kColon) &&
            !is(j + 1, Tok::kDot)) {
            *year = t_[j].value;
            *k = j + 1;
        }
    }

    // "June 5, 2026", "Jun 5th 2026", "June 5" (k at the month word).
    bool month_first_date() {
        const int m = month_index(t_[i_].text);
        std::size_t k = i_ + 1;
        if (!is(k, Tok::kNum) || t_[k].digits > 2) return false;
        const int d = t_[k].value;
        ++k;
        if (is_ordinal(k)) ++k;
        int y = 0;
        year_at(&k, &y);
        i_ = k;
        return set_date(y, m, d);
    }

    bool starts_day_first_date() const {
        std::size_t k = i_ + 1;
        if (t_[i_].digits > 2) return false;
        if (is_ordinal(k)) ++k;
        if (is_word(k, "of")) ++k;
        return is_month(k);
    }

    // "5 June 2026", "5th of June 2026".
    bool day_first_date() {
        const int d = t_[i_].value;
        std::size_t k = i_ + 1;
        if (is_ordinal(k)) ++k;
        if (is_word(k, "of")) ++k;
        const int m = month_index(t_[k].text);
        ++k;
        int y = 0;
        year_at(&k, &y);
        i_ = k;
        return set_date(y, m, d);
    }

    bool is_date_sep(std::size_t k) const {
        return is(k, Tok::kSlash) || is(k, Tok::kDot) || is(k, Tok::kDash);
    }

    bool starts_numeric_date() const {
        return is_date_sep(i_ + 1) && is(i_ + 2, Tok::kNum) && is(i_ + 3, at(i_ + 1)->kind) &&
               is(i_ + 4, Tok::kNum);
    }

    // "05/06/2026" (d/m/y unless forced m/d), "2026-06-05" / "2026/06/05" (y/m/d).
    bool numeric_date() {
        const Token& a = t_[i_];
        const Token& b = t_[i_ + 2];
        const Token& c = t_[i_ + 4];
        i_ += 5;
        if (a.digits == 4 && b.digits <= 2 && c.digits <= 2)
            return set_date(a.value, b.value, c.value);
        if (a.digits > 2 || b.digits > 2 || (c.digits != 4 && c.digits != 2)) return false;
        const int y = c.digits == 2 ? 2000 + c.value : c.value;
        int d = a.value, m = b.value;
        if (a.value <= 12 && b.value > 12) std::swap(d, m);  // the numbers force month/day
        return set_date(y, m, d);
    }

    // h[:mm[:ss[.fff]]] [am|pm|o'clock] [zone]
    bool time() {
        if (p_->has_time) return false;
        p_->has_time = true;
        const Token& h = t_[i_++];
        if (h.digits > 2) return false;
        p_->hour = h.value;
        if ((is(i_, Tok::kColon) || is(i_, Tok::kDot)) && is(i_ + 1, Tok::kNum) &&
            t_[i_ + 1].digits == 2) {
            p_->has_minutes = true;
            p_->minute = t_[i_ + 1].value;
            i_ += 2;
            if (is(i_, Tok::kColon) && is(i_ + 1, Tok::kNum) && t_[i_ + 1].digits == 2) {
                p_->second = t_[i_ + 1].value;
                i_ += 2;
                if (is(i_, Tok::kDot) && is(i_ + 1, Tok::kNum)) {
                    int v = t_[i_ + 1].value;
                    int digits = t_[i_ + 1].digits;
                    for (; digits > 3; --digits) v /= 10;
                    for (; digits < 3; ++digits) v *= 10;
                    p_->millisecond = v;
                    i_ += 2;
                }
            }
        }
        if (p_->minute > 59 || p_->second > 59) return false;
        if (is_word(i_, "am")) {
            p_->meridiem = Meridiem::kAm;
            ++i_;
        } else if (is_word(i_, "pm")) {
            p_->meridiem = Meridiem::kPm;
            ++i_;
        } else if (is(i_, Tok::kOclock)) {
            p_->oclock = true;
            ++i_;
        }
        return zone();
    }

    // "z", "utc", "gmt", "+02:00", "-0500", "+02" (at the end) right after a time.
    bool zone() {
        if (is_word(i_, "z") || is_word(i_, "utc") || is_word(i_, "gmt")) {
            ++i_;
            return set_zone(0);
        }
        if (!is(i_, Tok::kPlus) && !is(i_, Tok::kDash)) return true;
        const int sign = is(i_, Tok::kPlus) ? 1 : -1;
        const Token* n = at(i_ + 1);
        if (!n || n->kind != Tok::kNum) return true;
        int hh = 0, mm = 0;
        std::size_t used = 0;
        if (n->digits == 2 && is(i_ + 2, Tok::kColon) && is(i_ + 3, Tok::kNum) &&
            t_[i_ + 3].digits == 2) {
            hh = n->value;
            mm = t_[i_ + 3].value;
            used = 4;
        } else if (n->digits == 4) {
            hh = n->value / 100;
            mm = n->value % 100;
            used = 2;
        } else if (n->digits == 2 && i_ + 2 == t_.size()) {
            hh = n->value;
            used = 2;
        } else {
            return true;  // not a zone: the dash/plus is left to the caller
        }
        if (hh > 14 || mm > 59) return false;
        i_ += used;
        return set_zone(sign * (hh * kMsPerHour + mm * kMsPerMinute));
    }

    bool set_zone(TimeMs off) {
        if (p_->has_zone) return false;
        p_->has_zone = true;
        p_->zone_offset = off;
        return true;
    }

    bool set_day(DayKind k, int wd) {
        if (p_->day != DayKind::kNone) return false;
        p_->day = k;
        p_->weekday = wd;
        return true;
    }

    bool set_period(Period per) {
        if (p_->period != Period::kNone) return false;
        p_->period = per;
        return true;
    }

    bool word(bool after_date, bool* now_after_date) {
        const std::string& w = t_[i_].text;
        if (w == "at" || w == "on" || w == "in" || w == "the" || w == "of" ||
            (w == "t" && after_date)) {
            ++i_;
            return true;
        }
        if (w == "next" || w == "this") {
            if (!is(i_ + 1, Tok::kWord)) return false;
            const int wd = weekday_index(t_[i_ + 1].text);
            if (wd < 0) return false;
            i_ += 2;
            return set_day(w == "next" ? DayKind::kNextWeekday : DayKind::kWeekday, wd);
        }
        const int wd = weekday_index(w);
        if (wd >= 0) {
            ++i_;
            return set_day(DayKind::kWeekday, wd);
        }
        if (month_index(w) > 0) {
            *now_after_date = true;
            return month_first_date();
        }
        ++i_;
        if (w == "today") return set_day(DayKind::kToday, -1);
        if (w == "tomorrow") return set_day(DayKind::kTomorrow, -1);
        if (w == "tonight") return set_day(DayKind::kToday, -1) && set_period(Period::kNight);
        if (w == "morning") return set_period(Period::kMorning);
        if (w == "afternoon") return set_period(Period::kAfternoon);
        if (w == "evening") return set_period(Period::kEvening);
        if (w == "night") return set_period(Period::kNight);
        if (w == "noon" || w == "midday" || w == "midnight") {
            if (p_->has_time) return false;
            p_->has_time = p_->exact_time = p_->has_minutes = true;
            p_->hour = w == "midnight" ? 0 : 12;
            return true;
        }
        return false;
    }

    const std::vector<Token>& t_;
    std::size_t i_ = 0;
    Parsed* p_ = nullptr;
};

// [SECTION] Resolving components against `now`

// Wall-clock times of day (ms since local midnight) the value may mean, earliest first; empty
// when the time is impossible.
std::vector<TimeMs> times_of_day(const Parsed& p) {
    auto at = [&](int h) {
        return h * kMsPerHour + p.minute * kMsPerMinute + p.second * kMsPerSecond + p.millisecond;
    };
    if (!p.has_time) {
        switch (p.period) {
            case Period::kMorning:
                return {9 * kMsPerHour};
            case Period::kAfternoon:
                return {14 * kMsPerHour};
            case Period::kEvening:
                return {18 * kMsPerHour};
            case Period::kNight:
                return {20 * kMsPerHour};
            case Period::kNone:
                return {9 * kMsPerHour};
        }
    }
    if (p.exact_time) {
        if (p.period != Period::kNone) return {};
        return {at(p.hour)};
    }
    int h = p.hour;
    if (p.oclock && p.has_minutes) return {};
    if (p.meridiem != Meridiem::kNone) {
        if (h < 1 || h > 12) return {};
        const bool pm = p.meridiem == Meridiem::kPm;
        if (p.period == Period::kMorning && pm) return {};
        if (p.period != Period::kNone && p.period != Period::kMorning && !pm) return {};
        return {at(h % 12 + (pm ? 12 : 0))};
    }
    if (h > 23) return {};
    switch (p.period) {
        case Period::kMorning:
            if (h < 1 || h > 11) return {};
            return {at(h)};
        case Period::kAfternoon:
            if (h == 12 || h >= 13) return {at(h)};
            if (h < 1) return {};
            return {at(h + 12)};
        case Period::kEvening:
        case Period::kNight:
            if (h >= 13) return {at(h)};
            if (h < 1 || h > 11) return {};
            return {at(h + 12)};
        case Period::kNone:
            break;
    }
    if (p.oclock && h >= 1 && h <= 12) return {at(h % 12), at(h % 12 + 12)};
    if (!p.has_minutes && !p.oclock) return {};  // a bare number is not a time
    return {at(h)};
}

// The zone a value is read in: the lead's, or the fixed offset the value names.
struct Zone {
    const TimeZone* tz;
    bool fixed;
    TimeMs offset;

    std::int64_t local_day(TimeMs utc) const {
        const TimeMs local = utc + (fixed ? offset : tz->offset_at(utc));
        std::int64_t q = local / kMsPerDay;
        if (local % kMsPerDay != 0 && local < 0) --q;
        return q;
    }
    TimeMs to_utc(std::int64_t day, TimeMs time_of_day) const {
        const TimeMs wall = day * kMsPerDay + time_of_day;
        if (fixed) return wall - offset;
        return tz->to_utc(civil_from_ms(wall));
    }
};

}  // namespace

std::optional<TimeMs> parse_release_time(std::string_view value, TimeMs now, const TimeZone& tz) {
    std::vector<Token> toks;
    if (!tokenize(value, &toks) || toks.empty()) return std::nullopt;
    Parsed p;
    if (!Parser(toks).parse(&p)) return std::nullopt;
    if (!p.has_date && p.day == DayKind::kNone && !p.has_time && p.period == Period::kNone) {
        return std::nullopt;
    }
    if (p.has_zone && !p.has_time) return std::nullopt;
    const std::vector<TimeMs> times = times_of_day(p);
    if (times.empty()) return std::nullopt;

    const Zone zone{&tz, p.has_zone, p.zone_offset};
    const std::int64_t today = zone.local_day(now);

    // The first candidate on `day` at or after now, if any.
    auto first_future = [&](std::int64_t day) -> std::optional<TimeMs> {
        for (const TimeMs tod : times) {
            const TimeMs t = zone.to_utc(day, tod);
            if (t >= now) return t;
        }
        return std::nullopt;
    };
    // An explicitly named day: its first future candidate, else its first (past) one.
    auto on_day = [&](std::int64_t day) -> TimeMs {
        const std::optional<TimeMs> t = first_future(day);
        return t ? *t : zone.to_utc(day, times.front());
    };

    if (p.has_date) {
        if (p.day != DayKind::kNone && p.day != DayKind::kWeekday) return std::nullopt;
        if (p.year != 0) {
            if (p.year < 1000 || p.mday > days_in_month(p.year, p.month)) return std::nullopt;
            return on_day(days_from_civil(CivilDate{p.year, p.month, p.mday}));
        }
        // No year: the next future occurrence (Feb 29 may be up to 8 years away).
        const int this_year = civil_from_days(today).year;
        for (int y = this_year; y <= this_year + 8; ++y) {
            if (p.mday > days_in_month(y, p.month)) continue;
            const std::optional<TimeMs> t =
                first_future(days_from_civil(CivilDate{y, p.month, p.mday}));
            if (t) return t;
        }
        return std::nullopt;
    }

    const int today_wd = weekday_from_days(today);
    switch (p.day) {
        case DayKind::kToday:
            if (!p.has_time && p.period == Period::kNone) return std::nullopt;
            return on_day(today);
        case DayKind::kTomorrow:
            return on_day(today + 1);
        case DayKind::kNextWeekday:
            return on_day(today - today_wd + 7 + p.weekday);
        case DayKind::kWeekday: {
            for (int k = 0; k <= 7; ++k) {
                if (weekday_from_days(today + k) != p.weekday) continue;
                if (const std::optional<TimeMs> t = first_future(today + k)) return t;
            }
            return std::nullopt;
        }
        case DayKind::kNone:
            break;
    }
    // A time alone: today if not passed, else tomorrow (a day later still if a DST change
    // swallowed it).
    for (int k = 0; k <= 2; ++k) {
        if (const std::optional<TimeMs> t = first_future(today + k)) return t;
    }
    return std::nullopt;
}

}  // namespace leadflow
