//! ISO-8601-like timestamps, for the `|minute` … `|year` modifiers and for the instants that
//! correlations bucket events by.
//!
//! Accepted: `YYYY-MM-DD`, optionally followed by `T`, `t` or a space and `HH:MM`, optional
//! `:SS`, optional fraction (`.` or `,`), and an optional zone: `Z`, `±HH`, `±HHMM` or `±HH:MM`.
//! A timestamp with an offset is converted to UTC; one without is taken as UTC.

use sigc_compiler::ir::TimePart;

/// A calendar date and time of day, to the minute, in UTC.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Timestamp {
    pub(crate) year: i64,
    pub(crate) month: u32,
    pub(crate) day: u32,
    pub(crate) hour: u32,
    pub(crate) minute: u32,
}

/// A cursor over ASCII bytes.
struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Cursor<'_> {
    /// Exactly `n` decimal digits.
    fn digits(&mut self, n: usize) -> Option<u32> {
        let chunk = self.bytes.get(self.pos..self.pos + n)?;
        let mut value = 0;
        for &b in chunk {
            if !b.is_ascii_digit() {
                return None;
            }
            value = value * 10 + u32::from(b - b'0');
        }
        self.pos += n;
        Some(value)
    }

    /// Consumes one byte if it is one of `set`; returns it.
    fn eat(&mut self, set: &[u8]) -> Option<u8> {
        let b = *self.bytes.get(self.pos)?;
        if set.contains(&b) {
            self.pos += 1;
            Some(b)
        } else {
            None
        }
    }

    fn done(&self) -> bool {
        self.pos == self.bytes.len()
    }
}

/// Parses a timestamp (see the module documentation); `None` when it is not one.
pub(crate) fn parse(s: &str) -> Option<Timestamp> {
    parse_precise(s).map(|(ts, _)| ts)
}

/// Microseconds since 1970-01-01T00:00:00Z of a timestamp (see the module documentation); a
/// fraction finer than a microsecond is cut off.
pub(crate) fn instant(s: &str) -> Option<i64> {
    let (ts, micros) = parse_precise(s)?;
    let minutes = days_from_epoch(ts.year, ts.month, ts.day) * 1440
        + i64::from(ts.hour) * 60
        + i64::from(ts.minute);
    minutes
        .checked_mul(60_000_000)?
        .checked_add(i64::from(micros))
}

/// RFC 3339 in UTC of an instant in microseconds since the epoch: `2024-01-02T03:04:05Z`, with
/// the fraction of a second when there is one (`…05.678Z`).
pub fn format_instant(micros: i64) -> String {
    let seconds = micros.div_euclid(1_000_000);
    let fraction = micros.rem_euclid(1_000_000);
    let (year, month, day) = date_from_epoch(seconds.div_euclid(86_400));
    let in_day = seconds.rem_euclid(86_400);
    let (hour, minute, second) = (in_day / 3600, in_day / 60 % 60, in_day % 60);
    let mut text = format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}");
    if fraction > 0 {
        let digits = format!("{fraction:06}");
        text.push('.');
        text.push_str(digits.trim_end_matches('0'));
    }
    text.push('Z');
    text
}

/// The first instant of the calendar month `months` after January 1970, in microseconds.
pub(crate) fn month_start(months: i64) -> i64 {
    let (year, month) = (
        1970 + months.div_euclid(12),
        months.rem_euclid(12) as u32 + 1,
    );
    days_from_epoch(year, month, 1) * 86_400_000_000
}

/// The months from January 1970 to the month of an instant in microseconds.
pub(crate) fn months_since_epoch(micros: i64) -> i64 {
    let (year, month, _) = date_from_epoch(micros.div_euclid(86_400_000_000));
    (year - 1970) * 12 + i64::from(month) - 1
}

/// A timestamp to the minute and the microseconds within that minute.
fn parse_precise(s: &str) -> Option<(Timestamp, u32)> {
    let mut c = Cursor {
        bytes: s.as_bytes(),
        pos: 0,
    };
    let year = i64::from(c.digits(4)?);
    c.eat(b"-")?;
    let month = c.digits(2)?;
    c.eat(b"-")?;
    let day = c.digits(2)?;
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    let mut ts = Timestamp {
        year,
        month,
        day,
        hour: 0,
        minute: 0,
    };
    if c.done() {
        return Some((ts, 0));
    }
    c.eat(b"Tt ")?;
    ts.hour = c.digits(2)?;
    c.eat(b":")?;
    ts.minute = c.digits(2)?;
    let mut micros = 0;
    if c.eat(b":").is_some() {
        let second = c.digits(2)?;
        if second > 60 {
            return None;
        }
        micros = second * 1_000_000;
        if c.eat(b".,").is_some() {
            let mut scale = 100_000;
            micros += c.digits(1)? * scale;
            while let Some(digit) = c.digits(1) {
                scale /= 10;
                micros += digit * scale;
            }
        }
    }
    if ts.hour > 23 || ts.minute > 59 {
        return None;
    }
    let offset = match c.eat(b"Zz+-") {
        None | Some(b'Z' | b'z') => 0,
        Some(sign) => {
            let hours = i64::from(c.digits(2)?);
            let minutes = if c.done() {
                0
            } else {
                c.eat(b":");
                i64::from(c.digits(2)?)
            };
            if hours > 23 || minutes > 59 {
                return None;
            }
            let total = hours * 60 + minutes;
            if sign == b'-' { -total } else { total }
        }
    };
    if !c.done() {
        return None;
    }
    if offset != 0 {
        ts = shift_minutes(ts, -offset);
    }
    Some((ts, micros))
}

/// The value of one part of a timestamp; `week` is the ISO-8601 week number.
pub(crate) fn part(ts: Timestamp, part: TimePart) -> i64 {
    match part {
        TimePart::Minute => ts.minute.into(),
        TimePart::Hour => ts.hour.into(),
        TimePart::Day => ts.day.into(),
        TimePart::Week => iso_week(ts.year, ts.month, ts.day).into(),
        TimePart::Month => ts.month.into(),
        TimePart::Year => ts.year,
    }
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days before `month` in a year (1-based month).
fn days_before_month(year: i64, month: u32) -> i64 {
    (1..month).map(|m| i64::from(days_in_month(year, m))).sum()
}

/// Days from 1970-01-01 to the given date (negative before it).
fn days_from_epoch(year: i64, month: u32, day: u32) -> i64 {
    // Whole years, counted with the Gregorian leap rule relative to 1970.
    let y = year - 1;
    let leaps = |y: i64| y.div_euclid(4) - y.div_euclid(100) + y.div_euclid(400);
    let years = (year - 1970) * 365 + leaps(y) - leaps(1969);
    years + days_before_month(year, month) + i64::from(day) - 1
}

/// The date `days` after 1970-01-01.
fn date_from_epoch(days: i64) -> (i64, u32, u32) {
    // Estimate the year, then correct it; at most a step or two either way.
    let mut year = 1970 + days.div_euclid(365);
    while days_from_epoch(year, 1, 1) > days {
        year -= 1;
    }
    while days_from_epoch(year + 1, 1, 1) <= days {
        year += 1;
    }
    let mut rest = days - days_from_epoch(year, 1, 1);
    let mut month = 1;
    while rest >= i64::from(days_in_month(year, month)) {
        rest -= i64::from(days_in_month(year, month));
        month += 1;
    }
    (year, month, rest as u32 + 1)
}

/// Moves a timestamp by a number of minutes, across days, months and years.
fn shift_minutes(ts: Timestamp, minutes: i64) -> Timestamp {
    let total = days_from_epoch(ts.year, ts.month, ts.day) * 1440
        + i64::from(ts.hour) * 60
        + i64::from(ts.minute)
        + minutes;
    let (year, month, day) = date_from_epoch(total.div_euclid(1440));
    let in_day = total.rem_euclid(1440);
    Timestamp {
        year,
        month,
        day,
        hour: (in_day / 60) as u32,
        minute: (in_day % 60) as u32,
    }
}

/// ISO weekday, Monday = 1 … Sunday = 7, of a day counted from 1970-01-01 (a Thursday).
fn weekday(days: i64) -> i64 {
    (days + 3).rem_euclid(7) + 1
}

/// Number of ISO weeks in a year: 53 when it starts on a Thursday, or on a Wednesday in a leap
/// year; 52 otherwise.
fn iso_weeks_in_year(year: i64) -> u32 {
    let jan1 = weekday(days_from_epoch(year, 1, 1));
    if jan1 == 4 || (jan1 == 3 && is_leap(year)) {
        53
    } else {
        52
    }
}

/// The ISO-8601 week number (weeks start on Monday; week 1 holds the year's first Thursday).
fn iso_week(year: i64, month: u32, day: u32) -> u32 {
    let days = days_from_epoch(year, month, day);
    let ordinal = days - days_from_epoch(year, 1, 1) + 1;
    let week = (ordinal - weekday(days) + 10).div_euclid(7);
    if week < 1 {
        iso_weeks_in_year(year - 1)
    } else if week > i64::from(iso_weeks_in_year(year)) {
        1
    } else {
        week as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(year: i64, month: u32, day: u32, hour: u32, minute: u32) -> Timestamp {
        Timestamp {
            year,
            month,
            day,
            hour,
            minute,
        }
    }

    #[test]
    fn parse_table() {
        let cases = [
            ("2023-05-01T12:34:56.789Z", Some(ts(2023, 5, 1, 12, 34))),
            ("2023-05-01 12:34:56", Some(ts(2023, 5, 1, 12, 34))),
            ("2025-12-25 14:30:27.352", Some(ts(2025, 12, 25, 14, 30))),
            (
                "2025-12-25T14:30:27.369114Z",
                Some(ts(2025, 12, 25, 14, 30)),
            ),
            ("2023-05-01t01:02", Some(ts(2023, 5, 1, 1, 2))),
            ("2023-05-01", Some(ts(2023, 5, 1, 0, 0))),
            ("2023-05-01T12:34:56,5", Some(ts(2023, 5, 1, 12, 34))),
            ("2023-05-01T12:34:56+02:00", Some(ts(2023, 5, 1, 10, 34))),
            ("2023-05-01T12:34:56+0200", Some(ts(2023, 5, 1, 10, 34))),
            ("2023-05-01T12:34+02", Some(ts(2023, 5, 1, 10, 34))),
            ("2023-01-01T00:10:00+01:00", Some(ts(2022, 12, 31, 23, 10))),
            ("2024-02-28T23:30:00-01:00", Some(ts(2024, 2, 29, 0, 30))),
            ("2024-02-29T00:00", Some(ts(2024, 2, 29, 0, 0))),
            ("2023-02-29", None),
            ("2023-13-01", None),
            ("2023-05-01T24:00", None),
            ("2023-05-01T12:60", None),
            ("2023-05-01T12", None),
            ("2023-05-01T12:34:56.", None),
            ("2023-05-01T12:34:56Zjunk", None),
            ("2023-5-1", None),
            ("not a date", None),
            ("", None),
        ];
        for (s, want) in cases {
            assert_eq!(parse(s), want, "{s:?}");
        }
    }

    #[test]
    fn instants_and_their_text() {
        let cases = [
            ("1970-01-01T00:00:00Z", 0, "1970-01-01T00:00:00Z"),
            (
                "2024-01-02 03:04:05.678",
                1_704_164_645_678_000,
                "2024-01-02T03:04:05.678Z",
            ),
            (
                "2024-01-02T05:04:05.1234567+02:00",
                1_704_164_645_123_456,
                "2024-01-02T03:04:05.123456Z",
            ),
            ("1969-12-31T23:59:59Z", -1_000_000, "1969-12-31T23:59:59Z"),
        ];
        for (text, micros, shown) in cases {
            assert_eq!(instant(text), Some(micros), "{text}");
            assert_eq!(format_instant(micros), shown);
        }
        assert_eq!(instant("2024-01-02T03:04:05Zjunk"), None);
        let march = instant("2024-03-31T23:59:59Z").unwrap();
        assert_eq!(months_since_epoch(march), 54 * 12 + 2);
        assert_eq!(
            format_instant(month_start(54 * 12 + 2)),
            "2024-03-01T00:00:00Z"
        );
        assert_eq!(format_instant(month_start(-1)), "1969-12-01T00:00:00Z");
    }

    #[test]
    fn calendar_round_trip() {
        for days in [-800_000, -1, 0, 1, 59, 365, 10_957, 19_000, 2_932_896] {
            let (y, m, d) = date_from_epoch(days);
            assert_eq!(days_from_epoch(y, m, d), days, "{days}");
        }
        assert_eq!(days_from_epoch(1970, 1, 1), 0);
        assert_eq!(days_from_epoch(2000, 3, 1), 11_017);
        assert_eq!(date_from_epoch(-1), (1969, 12, 31));
    }

    #[test]
    fn iso_weeks() {
        let cases = [
            ((2023, 5, 1), 18),
            ((2021, 1, 3), 53), // Sunday, still in 2020's last week
            ((2021, 1, 4), 1),
            ((2019, 12, 30), 1), // Monday, already 2020's first week
            ((2020, 12, 31), 53),
            ((2015, 12, 31), 53),
            ((2016, 1, 1), 53),
            ((2022, 1, 1), 52),
            ((2024, 12, 30), 1),
            ((2026, 6, 15), 25),
        ];
        for ((y, m, d), want) in cases {
            assert_eq!(iso_week(y, m, d), want, "{y}-{m}-{d}");
        }
    }

    #[test]
    fn parts() {
        let t = parse("2023-05-01T12:34:56Z").unwrap();
        let want = [
            (TimePart::Minute, 34),
            (TimePart::Hour, 12),
            (TimePart::Day, 1),
            (TimePart::Week, 18),
            (TimePart::Month, 5),
            (TimePart::Year, 2023),
        ];
        for (p, v) in want {
            assert_eq!(part(t, p), v, "{}", p.name());
        }
    }
}
