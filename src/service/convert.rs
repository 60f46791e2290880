//! A rule's queries for several targets: one [`Plan`] per target, every document of the text
//! through [`sigc_backends::convert`], as `sigc convert` does for a file.

use super::{BadRequest, Located, pipelines, source};
use serde::Serialize;
use sigc_backends::format::{self, Layout};
use sigc_backends::{Plan, Target};
use sigc_compiler::RuleSet;
use sigc_pipeline::Vars;

/// What the rule became for each target.
#[derive(Debug, Serialize)]
pub struct Conversion {
    /// One per requested target, in the order asked.
    pub results: Vec<TargetResult>,
    /// The front end's errors (YAML, model, condition), shared by every target.
    pub diagnostics: Vec<Located>,
}

/// The queries of one target, or why its documents did not convert.
#[derive(Debug, Serialize)]
pub struct TargetResult {
    pub target: &'static str,
    /// The pipelines applied, in order.
    pub pipelines: Vec<String>,
    /// Each query as the default output writes it, document after document.
    pub queries: Vec<String>,
    /// The errors of the pipelines, the backend and the references.
    pub errors: Vec<Located>,
}

/// Converts every document of `rule` for each of `targets`, with the built-in `pipelines`
/// meant for each target (its defaults when none is).
pub fn convert(
    rule: &str,
    targets: &[String],
    pipelines: &[String],
) -> Result<Conversion, BadRequest> {
    let plans = plans(targets, pipelines)?;
    let (set, slots) = RuleSet::from_files(vec![sigc_compiler::compile(&source(rule))]);
    let diagnostics = slots
        .iter()
        .flatten()
        .filter_map(|slot| slot.as_ref().err())
        .flat_map(|errors| Located::all(errors))
        .collect();
    let results = plans
        .into_iter()
        .map(|(plan, pipelines)| {
            let (mut queries, mut errors) = (Vec::new(), Vec::new());
            for (_, outcome) in set
                .documents()
                .zip(sigc_backends::convert(&set, &plan))
                .filter(|((id, _), _)| !set.is_applied_filter(*id))
            {
                match outcome {
                    Ok(c) if c.output => queries.extend(c.queries.iter().map(ToString::to_string)),
                    Ok(_) => {}
                    Err(e) => errors.extend(Located::all(&e)),
                }
            }
            TargetResult {
                target: plan.target.name(),
                pipelines,
                queries,
                errors,
            }
        })
        .collect();
    Ok(Conversion {
        results,
        diagnostics,
    })
}

/// One plan per target (the default format), with the names of its pipelines.
fn plans(targets: &[String], names: &[String]) -> Result<Vec<(Plan, Vec<String>)>, BadRequest> {
    let resolved: Vec<&'static dyn Target> = targets
        .iter()
        .map(|t| super::target(t))
        .collect::<Result<_, _>>()?;
    for (i, t) in resolved.iter().enumerate() {
        if resolved[..i].iter().any(|u| u.name() == t.name()) {
            return Err(BadRequest(format!("target `{}` is named twice", t.name())));
        }
    }
    let target_names: Vec<&str> = resolved.iter().map(|t| t.name()).collect();
    for name in names {
        if let Some(e) = pipelines::misfit(name, &pipelines::builtin(name)?, &target_names) {
            return Err(BadRequest(e));
        }
    }
    resolved
        .into_iter()
        .map(|target| {
            let named = names
                .iter()
                .map(|n| pipelines::builtin(n))
                .collect::<Result<Vec<_>, _>>()?;
            let mut loaded =
                pipelines::for_target(named, target).map_err(|e| BadRequest::from(&e[..]))?;
            sigc_pipeline::order(&mut loaded);
            let used = loaded.iter().map(|p| p.name.clone()).collect();
            let layout = Layout::Builtin(&format::DEFAULT);
            Ok((Plan::new(target, loaded, &Vars::new(), layout), used))
        })
        .collect()
}
