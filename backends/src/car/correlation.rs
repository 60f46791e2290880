//! Correlations in CAR pseudocode, with the aggregation forms of CAR's own analytics
//! (CAR-2013-02-008: `group … by`, `from … select`, `filter … where`; CAR-2014-03-005: a `join`
//! with time comparisons):
//!
//! ```text
//! user_sessions = search User_Session:Login
//! target_user_sessions = filter user_sessions where (
//!   login_successful="false"
//! )
//! windows = group target_user_sessions by bin(time, 5 minutes), user
//! counts = from windows select count(*) as event_count
//! alerts = filter counts where (event_count >= 10)
//! output alerts
//! ```
//!
//! Each referenced rule's program is kept but its `output`; with several rules, their statement
//! names are numbered in the order of `rules`. `bin(time, <timespan>)` is the fixed window, as
//! Splunk's `bin`. Several collections grouped together keep, as `source`, the collection each
//! event came from, so `temporal` counts `distinct source`. `temporal_ordered` (every rule, in
//! order, within the timespan) is a `join` whose times are chained; it has no count, so only its
//! default condition can be written.

use crate::Query;
use crate::correlation::{Referenced, unsupported};
use sigc_compiler::Diagnostic;
use sigc_compiler::ir::{ConditionOp, Correlation, CorrelationType, Name, TimeUnit};

/// The one program of correlation `c`.
pub fn program(c: &Correlation, referenced: &[Referenced<'_>]) -> Result<Query, Diagnostic> {
    let mut lines = Vec::new();
    let mut outputs = Vec::new();
    let numbered = referenced.len() > 1 || referenced.iter().any(|r| r.queries.len() > 1);
    for r in referenced {
        if r.correlation {
            return Err(unsupported(
                c,
                r.at.span,
                format!(
                    "`{}` is a correlation: CAR pseudocode of a correlation of correlations is not written",
                    r.name
                ),
            )
            .with_help("correlate its base rules directly"));
        }
        if !r.renames.is_empty() {
            return Err(unsupported(
                c,
                r.renames[0].1.span,
                "`aliases` are not written in CAR pseudocode: its data model already names one field per meaning",
            ));
        }
        for query in r.queries {
            let suffix = if numbered {
                (outputs.len() + 1).to_string()
            } else {
                String::new()
            };
            let (statements, output) = without_output(&query.main, &suffix);
            lines.push(statements);
            outputs.push(output);
        }
    }
    let span = timespan(c);
    let label = c.kind.aggregate();
    let function = match c.kind {
        CorrelationType::EventCount => "count(*)".to_string(),
        CorrelationType::ValueCount => format!("count(distinct {})", value_field(c)?),
        CorrelationType::Temporal => "count(distinct source)".to_string(),
        CorrelationType::ValueSum => format!("sum({})", value_field(c)?),
        CorrelationType::ValueAvg => format!("avg({})", value_field(c)?),
        CorrelationType::ValuePercentile => {
            let Some(p) = c.condition.percentile else {
                return Err(unsupported(
                    c,
                    c.condition.span.unwrap_or(c.kind_span),
                    "`value_percentile` needs `percentile` in its condition",
                ));
            };
            format!("percentile({}, {p})", value_field(c)?)
        }
        CorrelationType::TemporalOrdered => {
            lines.push(ordered(c, &outputs, &span)?);
            lines.push("output sequence".to_string());
            return Ok(Query::search_only(lines.join("\n")));
        }
    };
    let mut by = String::new();
    for n in &c.group_by {
        by.push_str(", ");
        by.push_str(&name(c, n)?);
    }
    lines.push(format!(
        "windows = group {} by bin(time, {span}){by}",
        outputs.join(", ")
    ));
    lines.push(format!(
        "counts = from windows select {function} as {label}"
    ));
    lines.push(format!(
        "alerts = filter counts where ({label} {} {})",
        operator(c.condition.op),
        c.condition.value
    ));
    lines.push("output alerts".to_string());
    Ok(Query::search_only(lines.join("\n")))
}

/// A program without its last line (`output <name>`), its first two statements' names suffixed
/// with `suffix`; and the name it output. The program is the target's own, in the layout of
/// `super::program`: `<collection> = search …`, `<name> = filter <collection> where (`, …,
/// `output <name>`.
fn without_output(program: &str, suffix: &str) -> (String, String) {
    let (body, last) = program.rsplit_once('\n').unwrap_or((program, ""));
    let output = last.strip_prefix("output ").unwrap_or(last);
    let (first, rest) = body.split_once('\n').unwrap_or((body, ""));
    let (collection, search) = first.split_once(" = ").unwrap_or((first, ""));
    let (_, rest) = rest.split_once('\n').unwrap_or((rest, ""));
    (
        format!(
            "{collection}{suffix} = {search}\n{output}{suffix} = filter {collection}{suffix} where (\n{rest}"
        ),
        format!("{output}{suffix}"),
    )
}

/// `temporal_ordered`: one event of each collection, in the order given, the group-by fields
/// equal and the last no later than the timespan after the first.
fn ordered(c: &Correlation, outputs: &[String], span: &str) -> Result<String, Diagnostic> {
    let every =
        c.condition.op == ConditionOp::Gte && c.condition.value.as_f64() == outputs.len() as f64;
    if !every {
        return Err(unsupported(
            c,
            c.condition.span.unwrap_or(c.kind_span),
            "a `temporal_ordered` condition other than every rule: a CAR `join` finds whole sequences only",
        ));
    }
    let [first, _, ..] = outputs else {
        return Err(unsupported(
            c,
            c.kind_span,
            "`temporal_ordered` over one query has no order to check",
        ));
    };
    let mut terms = Vec::new();
    for pair in outputs.windows(2) {
        for n in &c.group_by {
            let n = name(c, n)?;
            terms.push(format!("{}.{n}={}.{n}", pair[0], pair[1]));
        }
    }
    let times: Vec<String> = outputs.iter().map(|o| format!("{o}.time")).collect();
    terms.push(format!("{} <= {first}.time + {span}", times.join(" <= ")));
    Ok(format!(
        "sequence = join ({}) where ({})",
        outputs.join(", "),
        terms.join(" AND ")
    ))
}

/// A group-by or value field: a data-model field name, a plain word.
fn name(c: &Correlation, n: &Name) -> Result<String, Diagnostic> {
    let plain = !n.name.is_empty()
        && n.name
            .chars()
            .all(|ch| ch.is_ascii_alphanumeric() || ch == '_');
    if plain {
        Ok(n.name.clone())
    } else {
        Err(unsupported(
            c,
            n.span,
            format!(
                "`{}` is not a CAR data-model field name (letters, digits and `_`)",
                n.name.escape_debug()
            ),
        ))
    }
}

/// The timespan in words, as CAR writes durations (`1 hour`, `5 minutes`).
fn timespan(c: &Correlation) -> String {
    let unit = match c.timespan.unit {
        TimeUnit::Second => "second",
        TimeUnit::Minute => "minute",
        TimeUnit::Hour => "hour",
        TimeUnit::Day => "day",
        TimeUnit::Week => "week",
        TimeUnit::Month => "month",
        TimeUnit::Year => "year",
    };
    let plural = if c.timespan.count == 1 { "" } else { "s" };
    format!("{} {unit}{plural}", c.timespan.count)
}

fn operator(op: ConditionOp) -> &'static str {
    match op {
        ConditionOp::Gt => ">",
        ConditionOp::Gte => ">=",
        ConditionOp::Lt => "<",
        ConditionOp::Lte => "<=",
        ConditionOp::Eq => "=",
        ConditionOp::Neq => "!=",
    }
}

/// The `field` of a value type; one only.
fn value_field(c: &Correlation) -> Result<String, Diagnostic> {
    crate::correlation::value_field(c, name, " is not written in CAR pseudocode")
}
