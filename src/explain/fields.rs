//! What became of each field a rule tests, from the pipeline trace: the names it ends up with,
//! the items that renamed it, and why the field-name items that ran left it alone. This is the
//! answer to "why did my field not map?".

use serde::Serialize;
use sigc_compiler::ir::Rule;
use sigc_pipeline::trace::{Changed, Outcome, Step, place};
use std::collections::BTreeSet;

/// One field of the rule and its fate.
#[derive(Debug, Serialize)]
pub struct Fate {
    pub field: String,
    /// The field names its detection items have after the pipelines (empty when they failed
    /// or dropped every such item).
    pub becomes: Vec<String>,
    /// The items that renamed it or replaced its detection items (`pipeline `p` item `id``), in
    /// order.
    pub changed_by: Vec<String>,
    /// The field-name items that ran and left it (or a name it had by then) alone, and why.
    pub left_alone: Vec<LeftAlone>,
}

/// A field-name item that did not rename the field.
#[derive(Debug, Serialize)]
pub struct LeftAlone {
    pub by: String,
    pub name: String,
    pub why: String,
}

/// The fate of every field of `rule`'s leaves, in order; `processed` is the rule after the
/// pipelines, if they succeeded.
pub fn fates(rule: &Rule, processed: Option<&Rule>, steps: &[Step]) -> Vec<Fate> {
    let leaves = || rule.conditions.iter().flat_map(|c| c.leaves());
    let mut seen = BTreeSet::new();
    leaves()
        .filter_map(|m| m.field.as_deref())
        .filter(|f| seen.insert(*f))
        .map(|field| {
            let places: BTreeSet<String> = leaves()
                .filter(|m| m.field.as_deref() == Some(field))
                .map(|m| place(&rule.source, m))
                .collect();
            fate(field, &places, processed, steps)
        })
        .collect()
}

/// The fate of `field`, written at `places`.
fn fate(field: &str, places: &BTreeSet<String>, processed: Option<&Rule>, steps: &[Step]) -> Fate {
    let by = |s: &Step| format!("pipeline `{}` {}", s.pipeline, s.item);
    let mut names = vec![field.to_string()];
    let mut changed_by = Vec::new();
    let mut left_alone = Vec::new();
    for step in steps {
        let Outcome::Applied { changes, untouched } = &step.outcome else {
            continue;
        };
        // a one-to-many mapping shows as the place's leaves replaced (`Detection`)
        let renames = changes.iter().filter(|c| {
            matches!(c.what, Changed::Field | Changed::Detection)
                && c.at.as_ref().is_some_and(|at| places.contains(at))
        });
        let mut renamed = false;
        for c in renames {
            renamed = true;
            if let Some(after) = c
                .after
                .as_ref()
                .filter(|a| c.what == Changed::Field && !names.contains(a))
            {
                names.push(after.clone());
            }
        }
        if renamed {
            changed_by.push(by(step));
        }
        left_alone.extend(
            untouched
                .iter()
                .filter(|u| names.contains(&u.field))
                .map(|u| LeftAlone {
                    by: by(step),
                    name: u.field.clone(),
                    why: u.why.clone(),
                }),
        );
    }
    let mut becomes = Vec::new();
    for (rule, m) in processed.iter().flat_map(|p| {
        p.conditions
            .iter()
            .flat_map(|c| c.leaves())
            .map(move |m| (p, m))
    }) {
        if let Some(name) = &m.field
            && places.contains(&place(&rule.source, m))
            && !becomes.contains(name)
        {
            becomes.push(name.clone());
        }
    }
    Fate {
        field: field.to_string(),
        becomes,
        changed_by,
        left_alone,
    }
}
