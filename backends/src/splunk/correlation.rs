//! Correlations in SPL with pySigma-backend-splunk's `stats` method: the searches of the rules
//! correlated, then `| bin _time span=…` and a `| stats … by _time <group-by>`, then
//! `| search <value> <op> <count>`, blank lines between the three stages.
//!
//! One referenced rule with one query is its search as is (followed by `| rename` for its
//! aliases, which pySigma leaves out); several are joined by `| multisearch`, each subsearch
//! typed with `| eval event_type="<name or id>"` and its aliases renamed. `event_count`,
//! `value_count` and `temporal` are pySigma's text. The rest are sigc's own, in the same shape
//! (`docs/compat.md`): `value_sum`, `value_avg` and `value_percentile` use `sum`, `avg` and
//! `exactperc<N>`; `temporal_ordered` keeps each event's time (`bin … as sigc_window`) and finds
//! the earliest event of each rule no earlier than the previous rule's, one `eventstats` per
//! rule, so `event_type_count` is how many rules matched in the order listed.

use super::names;
use crate::Query;
use crate::correlation::{Method, Referenced, unsupported};
use crate::text::literal::{self, NameError};
use sigc_compiler::Diagnostic;
use sigc_compiler::ir::{ConditionOp, Correlation, CorrelationType, Name, TimeUnit};
use std::borrow::Cow;

/// The methods Splunk offers, as pySigma-backend-splunk names them.
pub const METHODS: &[Method] = &[Method {
    name: "stats",
    description: "correlation with the stats command over fixed time windows (`bin _time`)",
}];

/// The one query of correlation `c`.
pub fn query(c: &Correlation, referenced: &[Referenced<'_>]) -> Result<Query, Diagnostic> {
    let by = group_by(c)?;
    let span = timespan(c);
    let aggregate = aggregate(c, referenced, &span, &by)?;
    let mut lines = search(c, referenced)?;
    lines.push(String::new());
    lines.extend(aggregate);
    lines.push(String::new());
    lines.push(format!(
        "| search {} {} {}",
        c.kind.aggregate(),
        operator(c.condition.op),
        c.condition.value
    ));
    Ok(Query::from_lines(lines))
}

/// The searches of the documents correlated, as lines.
fn search(c: &Correlation, referenced: &[Referenced<'_>]) -> Result<Vec<String>, Diagnostic> {
    let typed = c.kind.is_temporal();
    if let [one] = referenced
        && let [query] = one.queries
    {
        let mut lines = query.parts();
        let mut tail = if typed {
            event_type(c, one)?
        } else {
            String::new()
        };
        tail.push_str(&renames(c, one)?);
        lines
            .last_mut()
            .expect("a query has a line")
            .push_str(&tail);
        return Ok(lines);
    }
    let mut lines = vec!["| multisearch".to_string()];
    for r in referenced {
        if r.correlation {
            return Err(unsupported(
                c,
                r.at.span,
                format!(
                    "`{}` is a correlation: its query aggregates, and `multisearch` only joins \
                     searches that stream events",
                    r.name
                ),
            )
            .with_help("correlate its base rules directly"));
        }
        let tail = format!("{}{} ]", event_type(c, r)?, renames(c, r)?);
        for query in r.queries {
            let mut parts = query.parts();
            parts[0].insert_str(0, "[ search ");
            parts
                .last_mut()
                .expect("a query has a line")
                .push_str(&tail);
            lines.extend(parts);
        }
    }
    Ok(lines)
}

/// ` | eval event_type="<name>"`: which rule an event matched.
fn event_type(c: &Correlation, r: &Referenced<'_>) -> Result<String, Diagnostic> {
    Ok(format!(" | eval event_type={}", rule_name(c, r)?))
}

/// The rule's name (else id) as an SPL string.
fn rule_name(c: &Correlation, r: &Referenced<'_>) -> Result<String, Diagnostic> {
    string(r.name).map_err(|e| {
        unsupported(
            c,
            r.at.span,
            format!(
                "the name `{}` holds {e}, which SPL cannot carry",
                r.name.escape_debug()
            ),
        )
    })
}

/// `"text"` with `\` and `"` escaped, as an `eval` or `search` string.
fn string(text: &str) -> Result<String, NameError> {
    literal::writable(text)?;
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for ch in text.chars() {
        if matches!(ch, '"' | '\\') {
            out.push('\\');
        }
        out.push(ch);
    }
    out.push('"');
    Ok(out)
}

/// ` | rename <field> as <alias>` for each alias of the rule's events.
fn renames(c: &Correlation, r: &Referenced<'_>) -> Result<String, Diagnostic> {
    let mut out = String::new();
    for (field, alias) in &r.renames {
        out.push_str(&format!(
            " | rename {} as {}",
            field_name(c, field)?,
            field_name(c, alias)?
        ));
    }
    Ok(out)
}

/// A field or alias name as SPL writes it in a command (quoted unless a plain word).
fn field_name(c: &Correlation, name: &Name) -> Result<String, Diagnostic> {
    names::term(&name.name).map(Cow::into_owned).map_err(|e| {
        unsupported(
            c,
            name.span,
            format!(
                "field name `{}` holds {e}, which cannot be written in SPL",
                name.name.escape_debug()
            ),
        )
    })
}

/// ` f1 f2`: the group-by fields after `by _time`.
fn group_by(c: &Correlation) -> Result<String, Diagnostic> {
    let mut out = String::new();
    for name in &c.group_by {
        out.push(' ');
        out.push_str(&field_name(c, name)?);
    }
    Ok(out)
}

/// The timespan as `bin` reads it (`M`, a month, is `mon`).
fn timespan(c: &Correlation) -> String {
    match c.timespan.unit {
        TimeUnit::Month => format!("{}mon", c.timespan.count),
        TimeUnit::Second
        | TimeUnit::Minute
        | TimeUnit::Hour
        | TimeUnit::Day
        | TimeUnit::Week
        | TimeUnit::Year => c.timespan.to_string(),
    }
}

/// The aggregation stage: `bin`, then the `stats` (and, for `temporal_ordered`, the
/// `eventstats`) that compute the compared value.
fn aggregate(
    c: &Correlation,
    referenced: &[Referenced<'_>],
    span: &str,
    by: &str,
) -> Result<Vec<String>, Diagnostic> {
    let bin = format!("| bin _time span={span}");
    let stats = |function: String| {
        vec![
            bin.clone(),
            format!("| stats {function} as {} by _time{by}", c.kind.aggregate()),
        ]
    };
    Ok(match c.kind {
        CorrelationType::EventCount => stats("count".to_string()),
        CorrelationType::ValueCount => stats(format!("dc({})", value_field(c)?)),
        CorrelationType::Temporal => stats("dc(event_type)".to_string()),
        CorrelationType::ValueSum => stats(format!("sum({})", value_field(c)?)),
        CorrelationType::ValueAvg => stats(format!("avg({})", value_field(c)?)),
        CorrelationType::ValuePercentile => {
            let Some(p) = c.condition.percentile else {
                return Err(unsupported(
                    c,
                    c.condition.span.unwrap_or(c.kind_span),
                    "`value_percentile` needs `percentile` in its condition",
                ));
            };
            stats(format!("exactperc{p}({})", value_field(c)?))
        }
        CorrelationType::TemporalOrdered => ordered(c, referenced, span, by)?,
    })
}

/// `temporal_ordered`: step `i` is the earliest time of an event of rule `i` no earlier than step
/// `i - 1`, per window and group; `event_type_count` is the number of steps found.
fn ordered(
    c: &Correlation,
    referenced: &[Referenced<'_>],
    span: &str,
    by: &str,
) -> Result<Vec<String>, Diagnostic> {
    let mut lines = vec![format!("| bin span={span} _time as sigc_window")];
    let mut found = Vec::with_capacity(referenced.len());
    for (i, r) in referenced.iter().enumerate() {
        let step = i + 1;
        let after = match i {
            0 => String::new(),
            _ => format!(" AND _time>=sigc_step{i}"),
        };
        lines.push(format!(
            "| eventstats min(eval(if(event_type={}{after}, _time, null()))) as sigc_step{step} by sigc_window{by}",
            rule_name(c, r)?
        ));
        found.push(format!("isnotnull(sigc_step{step}), {step}"));
    }
    found.reverse();
    lines.push(format!(
        "| stats max(eval(case({}, true(), 0))) as event_type_count by sigc_window{by}",
        found.join(", ")
    ));
    Ok(lines)
}

/// pySigma's `correlation_condition_mapping`.
fn operator(op: ConditionOp) -> &'static str {
    match op {
        ConditionOp::Gt => ">",
        ConditionOp::Gte => ">=",
        ConditionOp::Lt => "<",
        ConditionOp::Lte => "<=",
        ConditionOp::Eq => "==",
        ConditionOp::Neq => "!=",
    }
}

/// The `field` of a value type, as SPL writes it; one only, since a `stats` function takes one.
fn value_field(c: &Correlation) -> Result<String, Diagnostic> {
    crate::correlation::value_field(c, field_name, ": a Splunk `stats` function takes one field")
}
