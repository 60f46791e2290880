//! What a run's pipelines left for the user to set, said once per run on standard error: a
//! pipeline variable still holding its placeholder (`sysmon_index: __your_sysmon_index__` of the
//! splunk target's default pipeline) is written into the queries of the rules it scopes, and the
//! other rules are not scoped by it at all.

use super::outcome::FileOutcome;
use sigc_backends::{Plan, Subject};

/// A placeholder value, by the built-in pipelines' convention: `__your_…__`.
fn is_placeholder(value: &str) -> bool {
    value.len() > "__your___".len() && value.starts_with("__your_") && value.ends_with("__")
}

/// The notes for the placeholders in effect in each plan (a variable whose pipeline value is a
/// placeholder and that `set` by `--var` does not override): how many converted rules hold it
/// and how many it does not scope. Every text is sigc's own or comes from a pipeline file, so
/// the caller escapes it.
pub fn notes(plans: &[Plan], files: &[FileOutcome], set: &[(String, String)]) -> Vec<String> {
    let mut notes = Vec::new();
    for (i, plan) in plans.iter().enumerate() {
        for p in plan.pipelines() {
            for (var, values) in &p.vars {
                let Some(value) = values.iter().find(|v| is_placeholder(v)) else {
                    continue;
                };
                if set.iter().any(|(k, _)| k == var) {
                    continue;
                }
                let (scoped, unscoped) = count(files, i, value);
                let target = plan.target.name();
                if scoped > 0 {
                    notes.push(format!(
                        "note: {} for target `{target}` hold{} `{value}`, the placeholder of \
                         variable `{var}` of pipeline `{}`: set it with --var {var}=VALUE",
                        rules(scoped),
                        if scoped == 1 { "s" } else { "" },
                        p.name
                    ));
                }
                if unscoped > 0 {
                    notes.push(format!(
                        "note: {} for target `{target}` {} not scoped by `{var}`: pipeline `{}` \
                         sets it for some log sources only, so their queries search without it",
                        rules(unscoped),
                        if unscoped == 1 { "is" } else { "are" },
                        p.name
                    ));
                }
            }
        }
    }
    notes
}

/// How many rules converted by plan `i` are written with a query holding `value`, and how many
/// without.
fn count(files: &[FileOutcome], i: usize, value: &str) -> (usize, usize) {
    let mut counts = (0, 0);
    let written = files
        .iter()
        .flat_map(|f| &f.rules)
        .filter_map(|r| r.targets.get(i)?.as_ref().ok())
        .filter(|c| c.output && matches!(c.subject, Subject::Rule { .. }));
    for c in written {
        if c.queries.iter().any(|q| q.to_string().contains(value)) {
            counts.0 += 1;
        } else {
            counts.1 += 1;
        }
    }
    counts
}

fn rules(n: usize) -> String {
    format!("{n} rule{}", if n == 1 { "" } else { "s" })
}

#[cfg(test)]
mod tests {
    use super::is_placeholder;

    #[test]
    fn placeholders_follow_the_builtin_convention() {
        assert!(is_placeholder("__your_sysmon_index__"));
        for value in ["main", "__your___", "__your_x", "your_x__", ""] {
            assert!(!is_placeholder(value), "{value}");
        }
    }
}
