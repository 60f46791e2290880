//! A tiny interpreter of the aggregation that the Splunk backend writes for a correlation, over a
//! list of timestamped events.
//!
//! Head: one search (its own ` | eval event_type="…"` and ` | rename f as a` allowed), or
//! `| multisearch` with one `[ search Q | eval … | rename … ]` line per rule; each search is
//! decided by [`super::spl::matches`]. Stages: `bin _time span=<n><s|m|h|d>`, `stats <aggregate> as
//! <name> by _time <fields>` with `count`, `dc(f)`, `sum(f)`, `avg(f)` or `exactperc<N>(f)` (the
//! nearest-rank percentile, Splunk's default `perc_method`; a row without a by-field is dropped,
//! as `stats … by` does), and `search <name> <op> <number>` (a null value never
//! passes). `temporal_ordered`'s chain: `bin span=… _time as sigc_window`, `eventstats
//! min(eval(if(event_type="…"[ AND _time>=<step>], _time, null()))) as <step> by sigc_window …`
//! and `stats max(eval(case(isnotnull(<step>), <n>, …, true(), 0))) as <name> by sigc_window …`.
//! Anything else is an error that names the stage.

use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};

/// A result row as a firing: the by-fields with their values (in order) and the window start,
/// in seconds since the epoch.
pub type Firing = (Vec<(String, String)>, i64);

/// An event or a `stats` result: its `_time` (seconds) and its fields.
#[derive(Clone)]
struct Row {
    time: i64,
    fields: Map<String, Value>,
}

/// The rows the correlation `query` leaves from `events` (each with its time in seconds), as
/// firings.
pub fn firings(
    query: &str,
    events: &[(i64, Map<String, Value>)],
) -> Result<BTreeSet<Firing>, String> {
    let mut lines = query.lines().map(str::trim).filter(|l| !l.is_empty());
    let head = lines.next().ok_or("empty query")?;
    let mut stages = Vec::new();
    let mut branches = Vec::new();
    if head == "| multisearch" {
        for line in lines {
            match line
                .strip_prefix("[ search ")
                .and_then(|l| l.strip_suffix(" ]"))
            {
                Some(branch) => branches.push(branch),
                None => stages.push(line),
            }
        }
    } else {
        branches.push(head);
        stages.extend(lines);
    }
    let mut rows = Vec::new();
    for branch in branches {
        rows.extend(search(branch, events)?);
    }
    let mut by = None;
    for stage in stages {
        let stage = stage
            .strip_prefix("| ")
            .ok_or_else(|| format!("not a stage: {stage}"))?;
        if let Some(span) = stage.strip_prefix("bin _time span=") {
            let span = seconds(span)?;
            for row in &mut rows {
                row.time = row.time.div_euclid(span) * span;
            }
        } else if let Some(span) = stage
            .strip_prefix("bin span=")
            .and_then(|s| s.strip_suffix(" _time as sigc_window"))
        {
            let span = seconds(span)?;
            for row in &mut rows {
                let window = row.time.div_euclid(span) * span;
                row.fields.insert(WINDOW.into(), window.into());
            }
        } else if let Some(args) = stage.strip_prefix("eventstats ") {
            let (aggregate, window, fields) = stats_args(args)?;
            eventstats(&mut rows, &aggregate, &window, &fields)?;
        } else if let Some(args) = stage.strip_prefix("stats ") {
            let (aggregate, window, fields) = stats_args(args)?;
            rows = stats(&rows, &aggregate, &window, &fields)?;
            by = Some(fields);
        } else if let Some(args) = stage.strip_prefix("search ") {
            let keep = threshold(args)?;
            rows.retain(|row| keep(&row.fields));
        } else {
            return Err(format!("unknown stage: {stage}"));
        }
    }
    let by = by.ok_or("no stats stage")?;
    Ok(rows
        .iter()
        .map(|row| {
            let group = by
                .iter()
                .map(|f| (f.clone(), text(&row.fields[f]).expect("a by-field")))
                .collect();
            (group, row.time)
        })
        .collect())
}

/// The rows of the events that one search branch (`Q | eval … | rename …`) selects.
fn search(branch: &str, events: &[(i64, Map<String, Value>)]) -> Result<Vec<Row>, String> {
    let mut parts = branch.split(" | ");
    let query = parts.next().ok_or("empty search")?;
    let mut evals = Vec::new();
    let mut renames = Vec::new();
    for part in parts {
        if let Some(value) = part.strip_prefix("eval event_type=") {
            let value = value
                .strip_prefix('"')
                .and_then(|v| v.strip_suffix('"'))
                .ok_or_else(|| format!("unquoted event type: {part}"))?;
            evals.push(value.to_string());
        } else if let Some(args) = part.strip_prefix("rename ") {
            let (from, to) = args
                .split_once(" as ")
                .ok_or_else(|| format!("not a rename: {part}"))?;
            renames.push((unquote(from), unquote(to)));
        } else {
            return Err(format!("unknown search command: {part}"));
        }
    }
    let mut rows = Vec::new();
    for (time, event) in events {
        if !super::spl::matches(query, event)? {
            continue;
        }
        let mut fields = event.clone();
        for value in &evals {
            fields.insert("event_type".into(), Value::String(value.clone()));
        }
        for (from, to) in &renames {
            if let Some(v) = fields.remove(from) {
                fields.insert(to.clone(), v);
            }
        }
        rows.push(Row {
            time: *time,
            fields,
        });
    }
    Ok(rows)
}

/// A `bin` span in seconds.
fn seconds(span: &str) -> Result<i64, String> {
    let digits = span.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let n: i64 = digits.parse().map_err(|_| format!("bad span: {span}"))?;
    let unit = match &span[digits.len()..] {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        other => return Err(format!("unknown span unit: {other}")),
    };
    Ok(n * unit)
}

/// A `stats` aggregate: its function, the field it reads (none for `count`) and its name.
struct Aggregate {
    function: String,
    field: Option<String>,
    name: String,
}

/// The window field of `temporal_ordered`'s `bin`.
const WINDOW: &str = "sigc_window";

/// `<aggregate> as <name> by <window> <fields>`: the aggregate, the window field (`_time` or
/// `sigc_window`) and the other by-fields.
fn stats_args(args: &str) -> Result<(Aggregate, String, Vec<String>), String> {
    let (aggregate, by) = args
        .split_once(" by ")
        .ok_or_else(|| format!("stats without by: {args}"))?;
    let mut by = by.split_whitespace().map(unquote);
    let window = by
        .next()
        .filter(|w| w == "_time" || w == WINDOW)
        .ok_or_else(|| format!("stats not by a window: {args}"))?;
    let (function, name) = aggregate
        .split_once(" as ")
        .ok_or_else(|| format!("unnamed aggregate: {aggregate}"))?;
    let (function, field) = match function.split_once('(') {
        Some((f, rest)) => {
            let field = rest
                .strip_suffix(')')
                .ok_or_else(|| format!("bad aggregate: {function}"))?;
            (f.to_string(), Some(unquote(field)))
        }
        None => (function.to_string(), None),
    };
    let aggregate = Aggregate {
        function,
        field,
        name: name.to_string(),
    };
    Ok((aggregate, window, by.collect()))
}

/// The rows of `rows` by window (the `window` field's value) and `by` values; a row without one
/// of them is in no group.
fn groups<'a>(
    rows: impl IntoIterator<Item = &'a mut Row>,
    window: &str,
    by: &[String],
) -> BTreeMap<(i64, Vec<String>), Vec<&'a mut Row>> {
    let mut groups: BTreeMap<_, Vec<_>> = BTreeMap::new();
    for row in rows {
        let start = if window == "_time" {
            Some(row.time)
        } else {
            row.fields.get(window).and_then(Value::as_i64)
        };
        let values: Option<Vec<String>> = by
            .iter()
            .map(|f| row.fields.get(f).and_then(text))
            .collect();
        if let (Some(start), Some(values)) = (start, values) {
            groups.entry((start, values)).or_default().push(row);
        }
    }
    groups
}

/// `temporal_ordered`'s `eventstats min(eval(if(event_type="…"[ AND _time>=<step>], _time,
/// null()))) as <name>`: each row of a group gets the group's earliest time of an event of that
/// type no earlier than the row's `<step>`.
fn eventstats(
    rows: &mut [Row],
    aggregate: &Aggregate,
    window: &str,
    by: &[String],
) -> Result<(), String> {
    let field = aggregate.field.as_deref().unwrap_or_default();
    let condition = (aggregate.function == "min")
        .then(|| {
            field
                .strip_prefix("eval(if(")?
                .strip_suffix(", _time, null()))")
        })
        .flatten()
        .ok_or_else(|| format!("unknown eventstats aggregate: {field}"))?;
    let (kind, after) = match condition.split_once(" AND _time>=") {
        Some((kind, step)) => (kind, Some(step)),
        None => (condition, None),
    };
    let kind = kind
        .strip_prefix("event_type=\"")
        .and_then(|k| k.strip_suffix('"'))
        .ok_or_else(|| format!("unknown eventstats condition: {condition}"))?;
    for (_, mut group) in groups(rows.iter_mut(), window, by) {
        let earliest = group
            .iter()
            .filter(|row| row.fields.get("event_type").and_then(Value::as_str) == Some(kind))
            .filter(|row| match after {
                Some(step) => row
                    .fields
                    .get(step)
                    .and_then(Value::as_i64)
                    .is_some_and(|t| row.time >= t),
                None => true,
            })
            .map(|row| row.time)
            .min();
        if let Some(earliest) = earliest {
            for row in &mut group {
                row.fields.insert(aggregate.name.clone(), earliest.into());
            }
        }
    }
    Ok(())
}

/// `case(isnotnull(<f>), <n>, …, true(), 0)` of `row`: the `n` of the first field it has.
fn case(arms: &str, row: &Row) -> Result<f64, String> {
    let words: Vec<&str> = arms.split(", ").collect();
    for pair in words.chunks(2) {
        let [test, value] = pair else {
            return Err(format!("odd case: {arms}"));
        };
        let holds = match test
            .strip_prefix("isnotnull(")
            .and_then(|t| t.strip_suffix(')'))
        {
            Some(f) => row.fields.get(f).is_some_and(|v| !v.is_null()),
            None if *test == "true()" => true,
            None => return Err(format!("unknown case test: {test}")),
        };
        if holds {
            return value.parse().map_err(|_| format!("not a number: {value}"));
        }
    }
    Err(format!("no case holds: {arms}"))
}

/// `stats` over `rows`: one row per window and by-values, with the aggregate as `name`.
fn stats(
    rows: &[Row],
    Aggregate {
        function,
        field,
        name,
    }: &Aggregate,
    window: &str,
    by: &[String],
) -> Result<Vec<Row>, String> {
    let mut rows = rows.to_vec();
    let groups = groups(rows.iter_mut(), window, by);
    let values = |group: &[&mut Row]| -> Vec<Value> {
        let f = field.as_deref().unwrap_or_default();
        group
            .iter()
            .filter_map(|r| r.fields.get(f).filter(|v| !v.is_null()).cloned())
            .collect()
    };
    let numbers = |group: &[&mut Row]| -> Vec<f64> {
        values(group)
            .iter()
            .filter_map(|v| text(v)?.parse::<f64>().ok())
            .collect()
    };
    let mut out = Vec::new();
    for ((time, key), group) in groups {
        let value = match (function.as_str(), field) {
            ("count", None) => Some(group.len() as f64),
            ("dc", Some(_)) => {
                let distinct: BTreeSet<String> = values(&group).iter().filter_map(text).collect();
                Some(distinct.len() as f64)
            }
            ("sum", Some(_)) => {
                let n = numbers(&group);
                (!n.is_empty()).then(|| n.iter().sum())
            }
            ("avg", Some(_)) => {
                let n = numbers(&group);
                (!n.is_empty()).then(|| n.iter().sum::<f64>() / n.len() as f64)
            }
            (f, Some(_)) if f.starts_with("exactperc") => {
                let p: f64 = f["exactperc".len()..]
                    .parse()
                    .map_err(|_| format!("bad percentile: {f}"))?;
                let mut n = numbers(&group);
                n.sort_by(f64::total_cmp);
                // Nearest rank: the smallest value with at least p% of the values at or below it.
                let rank = ((p / 100.0 * n.len() as f64).ceil() as usize).max(1);
                n.get(rank - 1).copied()
            }
            ("max", Some(f)) if f.starts_with("eval(case(") => {
                let arms = f["eval(case(".len()..]
                    .strip_suffix("))")
                    .ok_or_else(|| format!("bad case: {f}"))?;
                let cases = group.iter().map(|row| case(arms, row));
                cases
                    .collect::<Result<Vec<f64>, String>>()?
                    .into_iter()
                    .reduce(f64::max)
            }
            _ => return Err(format!("unknown aggregate: {function}")),
        };
        let mut fields: Map<String, Value> = by
            .iter()
            .cloned()
            .zip(key.into_iter().map(Value::String))
            .collect();
        if let Some(v) = value {
            fields.insert(name.clone(), serde_json::json!(v));
        }
        out.push(Row { time, fields });
    }
    Ok(out)
}

/// `<name> <op> <number>` as a test of a row; a missing value fails every comparison.
fn threshold(args: &str) -> Result<impl Fn(&Map<String, Value>) -> bool, String> {
    let words: Vec<&str> = args.split_whitespace().collect();
    let [name, op, n] = words[..] else {
        return Err(format!("not a threshold: {args}"));
    };
    let n: f64 = n.parse().map_err(|_| format!("not a number: {n}"))?;
    let op = match op {
        "==" => f64::eq as fn(&f64, &f64) -> bool,
        "!=" => f64::ne,
        "<" => f64::lt,
        "<=" => f64::le,
        ">" => f64::gt,
        ">=" => f64::ge,
        other => return Err(format!("unknown operator: {other}")),
    };
    let name = name.to_string();
    Ok(move |fields: &Map<String, Value>| {
        fields
            .get(&name)
            .and_then(Value::as_f64)
            .is_some_and(|v| op(&v, &n))
    })
}

/// A value as `stats` groups it: text or a number, not null.
fn text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Null | Value::Array(_) | Value::Object(_) => None,
    }
}

/// A field name without its double quotes.
fn unquote(name: &str) -> String {
    name.strip_prefix('"')
        .and_then(|n| n.strip_suffix('"'))
        .unwrap_or(name)
        .to_string()
}
