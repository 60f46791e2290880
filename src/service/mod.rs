//! Rule text in memory in, serializable answers out: the conversions, `check` findings and event
//! matches that the playground (`sigc serve`) and the language server show, computed by the same
//! library calls as the command line (the compiler, [`sigc_backends::convert`] with one
//! [`sigc_backends::Plan`] per target, sigc-lint's validators, sigc-eval). Nothing here reads or
//! writes a file.

pub mod check;
pub mod convert;
pub mod explain;
pub mod located;
pub mod pipelines;
pub mod test;

pub use located::Located;

use sigc_backends::Target;
use sigc_compiler::{Diagnostic, Source};
use std::sync::Arc;

/// The name of a rule given without a file: sigc's name for text that has none (standard input),
/// which the validators of file names pass over.
pub const RULE_NAME: &str = "<stdin>";

/// A request that cannot be answered as asked (an unknown target or pipeline): the message says
/// what is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadRequest(pub String);

impl std::fmt::Display for BadRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Diagnostics that refuse a request, one line each.
impl From<&[Diagnostic]> for BadRequest {
    fn from(errors: &[Diagnostic]) -> Self {
        let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
        BadRequest(lines.join("\n"))
    }
}

/// The target called `name`, or the error naming the targets there are.
pub fn target(name: &str) -> Result<&'static dyn Target, BadRequest> {
    sigc_backends::target(name).ok_or_else(|| {
        let known: Vec<&str> = sigc_backends::targets().iter().map(|t| t.name()).collect();
        BadRequest(format!(
            "unknown target `{name}`; targets: {}",
            known.join(", ")
        ))
    })
}

/// The rule text as a source of its own, named [`RULE_NAME`].
pub fn source(rule: &str) -> Arc<Source> {
    Source::new(RULE_NAME, rule)
}
