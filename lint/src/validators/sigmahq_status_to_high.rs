//! `sigmahq_status_to_high`
//!
//! ## What it does
//! Reports a new rule whose status is above what its age allows: a rule dated less than
//! `min_days_for_nolog_rule` days ago (default 60) may be at most `experimental`; one with
//! `regression_tests_path` may be `test` from day `min_days_for_log_rule` (default 0).
//!
//! ## Why is this bad?
//! `test` and `stable` promise a rule that has met real events; a rule that has not had the time
//! (or the regression data) to meet them is not there yet.
//!
//! ## Example
//! ```yaml
//! status: stable
//! date: 2026-11-30   # yesterday
//! ```

use crate::{Ctx, Out};
use sigc_compiler::vocabulary::Status;
use std::time::{SystemTime, UNIX_EPOCH};

const ID: &str = "sigmahq_status_to_high";

pub fn check(cx: &Ctx<'_>, out: &mut Out<'_>) {
    let (Some((status, node)), Some((date, _))) = (cx.string("status"), cx.string("date")) else {
        return;
    };
    let (Ok(status), Some(day)) = (status.parse::<Status>(), day_number(date)) else {
        return;
    };
    let logged = cx.root.get("regression_tests_path").is_some();
    let (most, min_days) = if logged {
        (
            Status::Test,
            cx.config.number(ID, "min_days_for_log_rule", 0),
        )
    } else {
        (
            Status::Experimental,
            cx.config.number(ID, "min_days_for_nolog_rule", 60),
        )
    };
    let age = today() - day;
    if rank(status) > rank(most) && age <= min_days as i64 {
        out.report(
            node.span(),
            format!("`status: {status}` for a rule dated {date}: at most `{most}` until it is older than {min_days} days"),
        );
    }
}

/// pySigma's order of statuses.
fn rank(status: Status) -> u8 {
    match status {
        Status::Unsupported => 0,
        Status::Deprecated => 1,
        Status::Experimental => 2,
        Status::Test => 3,
        Status::Stable => 4,
    }
}

/// Days since 1970-01-01 of `YYYY-MM-DD` (or `YYYY/MM/DD`).
fn day_number(date: &str) -> Option<i64> {
    let mut parts = date.split(['-', '/']).map(|p| p.parse::<i64>().ok());
    let (y, m, d) = (parts.next()??, parts.next()??, parts.next()??);
    if parts.next().is_some() || !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    // Howard Hinnant's days_from_civil.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

fn today() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| (d.as_secs() / 86_400) as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_days() {
        assert_eq!(day_number("1970-01-01"), Some(0));
        assert_eq!(day_number("2000-03-01"), Some(11_017));
        assert_eq!(day_number("2024/02/29"), Some(19_782));
        assert_eq!(day_number("2024-13-01"), None);
        assert_eq!(day_number("yesterday"), None);
    }
}
