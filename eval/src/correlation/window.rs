//! Tumbling windows, as Splunk's `bin _time span=…` cuts time: each instant falls in exactly
//! one window, and windows start at whole multiples of the timespan.

use crate::time;
use sigc_compiler::ir::{TimeUnit, Timespan};

/// A window, in microseconds since the Unix epoch: `start` included, `end` excluded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Window {
    pub start: i64,
    pub end: i64,
}

impl Window {
    /// The window of `timespan` that holds `instant`. Seconds, minutes, hours, days and weeks
    /// are multiples of the span counted from 1970-01-01T00:00:00Z (UTC); months and years are
    /// calendar months (`span=Nmon`) and years counted from January 1970.
    pub fn of(instant: i64, timespan: &Timespan) -> Window {
        let count = i64::try_from(timespan.count).unwrap_or(i64::MAX).max(1);
        match timespan.unit {
            TimeUnit::Month | TimeUnit::Year => {
                let months = if timespan.unit == TimeUnit::Year {
                    count.saturating_mul(12)
                } else {
                    count
                };
                let first = time::months_since_epoch(instant).div_euclid(months) * months;
                Window {
                    start: time::month_start(first),
                    end: time::month_start(first.saturating_add(months)),
                }
            }
            TimeUnit::Second
            | TimeUnit::Minute
            | TimeUnit::Hour
            | TimeUnit::Day
            | TimeUnit::Week => {
                let span = i64::try_from(timespan.seconds)
                    .unwrap_or(i64::MAX)
                    .saturating_mul(1_000_000);
                let start = instant.div_euclid(span) * span;
                Window {
                    start,
                    end: start.saturating_add(span),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sigc_compiler::span::Span;

    fn span(count: u64, unit: TimeUnit) -> Timespan {
        Timespan {
            count,
            unit,
            seconds: count * unit.seconds(),
            span: Span::default(),
        }
    }

    fn shown(instant: &str, timespan: Timespan) -> (String, String) {
        let w = Window::of(time::instant(instant).unwrap(), &timespan);
        (time::format_instant(w.start), time::format_instant(w.end))
    }

    #[test]
    fn windows_are_aligned_to_multiples_of_the_span() {
        let cases = [
            (
                "2024-01-02T03:04:05Z",
                span(5, TimeUnit::Minute),
                "2024-01-02T03:00:00Z",
                "2024-01-02T03:05:00Z",
            ),
            (
                "2024-01-02T03:05:00Z",
                span(5, TimeUnit::Minute),
                "2024-01-02T03:05:00Z",
                "2024-01-02T03:10:00Z",
            ),
            (
                "2024-01-02T03:04:59.999Z",
                span(5, TimeUnit::Minute),
                "2024-01-02T03:00:00Z",
                "2024-01-02T03:05:00Z",
            ),
            (
                "2024-01-02T03:04:05Z",
                span(1, TimeUnit::Day),
                "2024-01-02T00:00:00Z",
                "2024-01-03T00:00:00Z",
            ),
            (
                "2024-01-02T03:04:05Z",
                span(1, TimeUnit::Week),
                "2023-12-28T00:00:00Z",
                "2024-01-04T00:00:00Z",
            ),
            (
                "2024-05-17T00:00:00Z",
                span(2, TimeUnit::Month),
                "2024-05-01T00:00:00Z",
                "2024-07-01T00:00:00Z",
            ),
            (
                "2024-05-17T00:00:00Z",
                span(1, TimeUnit::Year),
                "2024-01-01T00:00:00Z",
                "2025-01-01T00:00:00Z",
            ),
            (
                "1969-12-31T23:59:30Z",
                span(1, TimeUnit::Minute),
                "1969-12-31T23:59:00Z",
                "1970-01-01T00:00:00Z",
            ),
        ];
        for (instant, timespan, start, end) in cases {
            let (s, e) = shown(instant, timespan);
            assert_eq!(
                (s.as_str(), e.as_str()),
                (start, end),
                "{instant} {timespan}"
            );
        }
    }
}
