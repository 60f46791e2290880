//! How rule text becomes one target's query ([`crate::explain`]), for the playground.

use super::{BadRequest, Located, convert, source};
use crate::explain::Explanation;
use serde::Serialize;

/// The explanation of each rule of the text, and the errors of those that have none.
#[derive(Debug, Serialize)]
pub struct Explained {
    /// One per rule that compiled, in the text's order.
    pub rules: Vec<Explanation>,
    /// The errors of the documents that could not be explained.
    pub diagnostics: Vec<Located>,
}

/// Explains every rule of `rule` for `target` with the built-in `pipelines` meant for it (its
/// defaults when none is), as `sigc explain` does for a file.
pub fn explain(rule: &str, target: &str, pipelines: &[String]) -> Result<Explained, BadRequest> {
    let plans = convert::plans(std::slice::from_ref(&target.to_string()), pipelines)?;
    let (plan, _) = plans
        .into_iter()
        .next()
        .ok_or_else(|| BadRequest(format!("no plan for target `{target}`")))?;
    let (mut rules, mut diagnostics) = (Vec::new(), Vec::new());
    for explained in crate::explain::explain(&source(rule), &plan) {
        match explained {
            Ok(e) => rules.push(e),
            Err(errors) => diagnostics.extend(Located::all(&errors)),
        }
    }
    Ok(Explained { rules, diagnostics })
}
