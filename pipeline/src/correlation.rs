//! Pipelines applied to a correlation, as pySigma applies them before writing one: each item is
//! gated by its rule conditions evaluated on the correlation (a `logsource` condition holds when
//! some referenced rule's log source matches, `is_sigma_correlation_rule` holds, conditions on
//! detection items do not), and the field-name transformations rename its `fields` list,
//! `group-by` (an alias name stays), the fields of its `aliases` and its condition's `field`.
//! `set_state` feeds later `processing_state` conditions. No other is applied (pySigma also
//! applies `rule_failure`, `set_custom_attribute` and the `fields` edits to a correlation).

use crate::fields::{self, Rename};
use crate::names::or_list;
use crate::{At, Context, Pipeline, Transformation, Vars};
use sigc_compiler::diagnostic::Diagnostic;
use sigc_compiler::ir::{Correlation, LogSource, Name, Rule};
use std::collections::BTreeSet;

/// `c` with the field names that `pipelines` rename (in the given order, with the merged `vars`)
/// renamed. `referenced` are the log sources of the rules it references, after their pipelines.
/// A field of `aliases` or of the condition that a mapping turns into several is a located error.
pub fn map_correlation_fields(
    pipelines: &[Pipeline],
    vars: &Vars,
    c: &Correlation,
    referenced: &[LogSource],
) -> Result<Correlation, Vec<Diagnostic>> {
    let mut out = c.clone();
    let mut carrier = Rule {
        meta: std::mem::take(&mut out.meta),
        logsource: LogSource::default(),
        conditions: Vec::new(),
        tests: None,
        source: c.source.clone(),
        span: c.span,
    };
    let mut cx = Context::new(&mut carrier, Vec::new(), vars, pipelines, Some(referenced));
    for pipeline in pipelines {
        for item in &pipeline.items {
            if !item.conditions.rule_matches(&cx) {
                continue;
            }
            if let Some(id) = &item.id {
                cx.applied.insert(id.clone());
            }
            let at = At { pipeline, item };
            use Transformation as T;
            match &item.transformation {
                T::Rename(t) => {
                    fields::rename(&mut cx, at, t)?;
                    rename(&mut cx, at, t, &mut out).map_err(|e| vec![e])?;
                }
                T::SetState { key, val } => {
                    cx.state.insert(key.clone(), val.clone());
                }
                T::HashesFields(_)
                | T::AddField(_)
                | T::RemoveField(_)
                | T::SetField(_)
                | T::DropDetectionItem
                | T::AddCondition(_)
                | T::ChangeLogsource { .. }
                | T::SetCustomAttribute { .. }
                | T::Rewrite(_)
                | T::ValuePlaceholders(_)
                | T::WildcardPlaceholders(_)
                | T::RuleFailure(_)
                | T::DetectionItemFailure(_) => {}
            }
        }
    }
    out.meta = carrier.meta;
    Ok(out)
}

/// pySigma's renaming of a correlation's names: the aliases' fields and the condition's `field`
/// each to one name, and `group-by` (only when given) to every name.
fn rename(
    cx: &mut Context<'_>,
    at: At<'_>,
    t: &Rename,
    c: &mut Correlation,
) -> Result<(), Diagnostic> {
    if !c.group_by.is_empty() {
        for alias in &mut c.aliases {
            for (_, field) in &mut alias.fields {
                rename_one(cx, at, t, field, "an alias names one field per rule")?;
            }
        }
        let aliases: BTreeSet<String> = c.aliases.iter().map(|a| a.name.name.clone()).collect();
        let mut group_by = Vec::with_capacity(c.group_by.len());
        for name in std::mem::take(&mut c.group_by) {
            let renamed = if aliases.contains(&name.name) {
                None
            } else {
                fields::rename_name(cx, at, t, &name.name)
            };
            match renamed {
                Some(names) => group_by.extend(names.into_iter().map(|n| Name {
                    name: n,
                    span: name.span,
                })),
                None => group_by.push(name),
            }
        }
        c.group_by = group_by;
    }
    for field in &mut c.condition.field {
        rename_one(cx, at, t, field, "a condition's `field` is one field")?;
    }
    Ok(())
}

/// Renames `field` to the one name `t` gives it; a mapping to several is a located error, `what`
/// saying why.
fn rename_one(
    cx: &mut Context<'_>,
    at: At<'_>,
    t: &Rename,
    field: &mut Name,
    what: &str,
) -> Result<(), Diagnostic> {
    match fields::rename_name(cx, at, t, &field.name) {
        None => Ok(()),
        Some(names) => match <[String; 1]>::try_from(names) {
            Ok([one]) => {
                field.name = one;
                Ok(())
            }
            Err(names) => Err(Diagnostic::error(
                "pipeline_error",
                format!(
                    "{} maps `{}` to several fields ({}), but {what} in a correlation",
                    at.describe(),
                    field.name,
                    or_list(&names)
                ),
                &cx.rule.source,
                field.span,
            )),
        },
    }
}
