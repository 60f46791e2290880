//! What a run's pipelines left for the user to set, said once per run on standard error: a
//! pipeline variable still holding its placeholder (`sysmon_index: __your_sysmon_index__` of the
//! splunk target's default pipeline) is written into the queries of the rules it scopes, and the
//! other rules are not scoped by it at all.

use super::outcome::FileOutcome;
use super::{report, terminal};
use sigc_backends::{Plan, Subject};

/// A placeholder value, by the built-in pipelines' convention: `__your_…__`.
fn is_placeholder(value: &str) -> bool {
    value.len() > "__your___".len() && value.starts_with("__your_") && value.ends_with("__")
}

/// The placeholders in effect in a run's plans (a variable whose pipeline value is a
/// placeholder and that `--var` does not set), each with how many converted rules hold it and
/// how many it does not scope; counted file by file, as the files convert.
pub struct Placeholders<'a> {
    found: Vec<Found<'a>>,
}

/// A placeholder of plan `plan`'s pipeline `pipeline`, and its counts so far.
struct Found<'a> {
    plan: usize,
    target: &'static str,
    pipeline: &'a str,
    var: &'a str,
    value: &'a str,
    scoped: usize,
    unscoped: usize,
}

impl<'a> Placeholders<'a> {
    /// The placeholders of `plans` that the variables `set` by `--var` leave in effect.
    pub fn new(plans: &'a [Plan], set: &[(String, String)]) -> Self {
        let mut found = Vec::new();
        for (i, plan) in plans.iter().enumerate() {
            for p in plan.pipelines() {
                for (var, values) in &p.vars {
                    let Some(value) = values.iter().find(|v| is_placeholder(v)) else {
                        continue;
                    };
                    if set.iter().any(|(k, _)| k == var) {
                        continue;
                    }
                    found.push(Found {
                        plan: i,
                        target: plan.target.name(),
                        pipeline: &p.name,
                        var,
                        value,
                        scoped: 0,
                        unscoped: 0,
                    });
                }
            }
        }
        Placeholders { found }
    }

    /// Counts the rules of `files` written with a query holding each placeholder, and those
    /// without.
    pub fn count(&mut self, files: &[FileOutcome]) {
        for f in &mut self.found {
            let written = files
                .iter()
                .flat_map(|file| &file.rules)
                .filter_map(|r| r.targets.get(f.plan)?.as_ref().ok())
                .filter(|c| c.output && matches!(c.subject, Subject::Rule { .. }));
            for c in written {
                if c.queries.iter().any(|q| q.to_string().contains(f.value)) {
                    f.scoped += 1;
                } else {
                    f.unscoped += 1;
                }
            }
        }
    }

    /// Reports the notes for the rules counted, on standard error. Every text is sigc's own or
    /// comes from a pipeline file, and is escaped.
    pub fn report(&self) {
        for note in self.notes() {
            report::note(&terminal::escape(&note));
        }
    }

    /// Per placeholder, how many rules hold it and how many it does not scope.
    fn notes(&self) -> Vec<String> {
        let mut notes = Vec::new();
        for f in &self.found {
            let (target, var, value, pipeline) = (f.target, f.var, f.value, f.pipeline);
            if f.scoped > 0 {
                notes.push(format!(
                    "note: {} for target `{target}` hold{} `{value}`, the placeholder of \
                     variable `{var}` of pipeline `{pipeline}`: set it with --var {var}=VALUE",
                    rules(f.scoped),
                    if f.scoped == 1 { "s" } else { "" },
                ));
            }
            if f.unscoped > 0 {
                notes.push(format!(
                    "note: {} for target `{target}` {} not scoped by `{var}`: pipeline \
                     `{pipeline}` sets it for some log sources only, so their queries search \
                     without it",
                    rules(f.unscoped),
                    if f.unscoped == 1 { "is" } else { "are" },
                ));
            }
        }
        notes
    }
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
