//! The value a correlation compares with its condition, over the matches of one group in one
//! window, as Splunk's `stats` computes it.

use sigc_compiler::ir::{ConditionOp, CorrelationType, Threshold};
use std::collections::HashSet;

/// One match of a group in a window, in time order.
pub(super) struct Hit<'a> {
    /// The referenced document it matched (equal for two references to the same document).
    pub input: usize,
    /// Its time, in microseconds since the epoch.
    pub time: i64,
    /// The values of the condition's `field`, as text.
    pub values: &'a [String],
}

/// The aggregate of `hits` (in time order); `None` when it has no value (a sum, average or
/// percentile of no number), which never fires, as Splunk's `search` skips a null field.
///
/// - `event_count`: the matches;
/// - `value_count`: the distinct values of `field` (`dc`, case-sensitive);
/// - `temporal`: the distinct referenced documents matched (`dc(event_type)`);
/// - `temporal_ordered`: how many of `order` (the referenced documents, as listed) matched one
///   after another, the earliest match of each taken no earlier than the previous one's (the
///   query's `_time>=sigc_step<i-1>`, so equal times count as ordered);
/// - `value_sum`, `value_avg`: of the values that are numbers;
/// - `value_percentile`: the nearest-rank percentile of the values that are numbers (Splunk's
///   `perc` below 1,000 distinct values).
pub(super) fn value(
    kind: CorrelationType,
    hits: &[Hit<'_>],
    order: &[usize],
    percentile: u8,
) -> Option<f64> {
    let numbers = || {
        hits.iter()
            .flat_map(|h| h.values)
            .filter_map(|v| v.trim().parse::<f64>().ok().filter(|x| x.is_finite()))
    };
    match kind {
        CorrelationType::EventCount => Some(hits.len() as f64),
        CorrelationType::ValueCount => {
            let distinct: HashSet<&str> = hits
                .iter()
                .flat_map(|h| h.values)
                .map(String::as_str)
                .collect();
            Some(distinct.len() as f64)
        }
        CorrelationType::Temporal => {
            let distinct: HashSet<usize> = hits.iter().map(|h| h.input).collect();
            Some(distinct.len() as f64)
        }
        CorrelationType::TemporalOrdered => {
            let mut after = i64::MIN;
            let mut steps = 0;
            for &input in order {
                let step = hits
                    .iter()
                    .filter(|h| h.input == input && h.time >= after)
                    .map(|h| h.time)
                    .min();
                let Some(step) = step else { break };
                after = step;
                steps += 1;
            }
            Some(f64::from(steps))
        }
        CorrelationType::ValueSum => {
            let mut values = numbers().peekable();
            values.peek()?;
            Some(values.sum())
        }
        CorrelationType::ValueAvg => {
            let (sum, n) = numbers().fold((0.0, 0u64), |(s, n), x| (s + x, n + 1));
            (n > 0).then(|| sum / n as f64)
        }
        CorrelationType::ValuePercentile => {
            let mut sorted: Vec<f64> = numbers().collect();
            sorted.sort_by(f64::total_cmp);
            let rank = (f64::from(percentile) / 100.0 * sorted.len() as f64).ceil() as usize;
            sorted.get(rank.max(1) - 1).copied()
        }
    }
}

/// Whether `value` meets the condition.
pub(super) fn holds(threshold: &Threshold, value: f64) -> bool {
    let limit = threshold.value.as_f64();
    match threshold.op {
        ConditionOp::Gt => value > limit,
        ConditionOp::Gte => value >= limit,
        ConditionOp::Lt => value < limit,
        ConditionOp::Lte => value <= limit,
        ConditionOp::Eq => value == limit,
        ConditionOp::Neq => value != limit,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hits<'a>(rows: &'a [(usize, Vec<String>)]) -> Vec<Hit<'a>> {
        rows.iter()
            .zip(0..)
            .map(|((input, values), time)| Hit {
                input: *input,
                time,
                values,
            })
            .collect()
    }

    fn row(input: usize, values: &[&str]) -> (usize, Vec<String>) {
        (input, values.iter().map(|v| v.to_string()).collect())
    }

    #[test]
    fn each_type_aggregates_as_splunk_stats_does() {
        let rows = [
            row(0, &["10"]),
            row(1, &["b", "10"]),
            row(0, &["B"]),
            row(2, &["30"]),
            row(1, &["x"]),
        ];
        let h = hits(&rows);
        let v = |kind, order: &[usize], p| value(kind, &h, order, p);
        assert_eq!(v(CorrelationType::EventCount, &[], 0), Some(5.0));
        assert_eq!(v(CorrelationType::ValueCount, &[], 0), Some(5.0));
        assert_eq!(v(CorrelationType::Temporal, &[], 0), Some(3.0));
        assert_eq!(
            v(CorrelationType::TemporalOrdered, &[0, 1, 2], 0),
            Some(3.0)
        );
        assert_eq!(
            v(CorrelationType::TemporalOrdered, &[0, 2, 1], 0),
            Some(3.0)
        );
        assert_eq!(
            v(CorrelationType::TemporalOrdered, &[2, 0, 1], 0),
            Some(1.0)
        );
        assert_eq!(v(CorrelationType::ValueSum, &[], 0), Some(50.0));
        assert_eq!(v(CorrelationType::ValueAvg, &[], 0), Some(50.0 / 3.0));
        assert_eq!(v(CorrelationType::ValuePercentile, &[], 50), Some(10.0));
        assert_eq!(v(CorrelationType::ValuePercentile, &[], 90), Some(30.0));
        assert_eq!(v(CorrelationType::ValuePercentile, &[], 0), Some(10.0));
        let words = [row(0, &["a"])];
        let h = hits(&words);
        for kind in [
            CorrelationType::ValueSum,
            CorrelationType::ValueAvg,
            CorrelationType::ValuePercentile,
        ] {
            assert_eq!(value(kind, &h, &[], 50), None, "{kind}");
        }
    }
}
