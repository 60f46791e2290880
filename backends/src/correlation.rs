//! What a target is given to write a correlation: the documents it references, each already
//! converted by the same plan, and the method chosen (`-c/--correlation-method`).

use crate::Query;
use sigc_compiler::Diagnostic;
use sigc_compiler::ir::{Correlation, Name, RuleRef};

/// A way of writing correlations that a target offers.
#[derive(Debug, PartialEq, Eq)]
pub struct Method {
    /// Its name on the command line, e.g. `stats`.
    pub name: &'static str,
    /// One line describing it.
    pub description: &'static str,
}

/// One document that a correlation references, converted for the same plan.
pub struct Referenced<'a> {
    /// How the correlation's query names it: its `name`, else its `id` (as pySigma does).
    pub name: &'a str,
    /// Where the correlation references it (in `rules`).
    pub at: &'a RuleRef,
    /// Its queries; a rule's without the closing `table`, which only its own output carries.
    pub queries: &'a [Query],
    /// Whether it is itself a correlation.
    pub correlation: bool,
    /// The `aliases` that apply to its events: each field and the alias it stands under.
    pub renames: Vec<(&'a Name, &'a Name)>,
}

/// An `unsupported_feature` error of correlation `c` at `span`.
pub fn unsupported(
    c: &Correlation,
    span: sigc_compiler::span::Span,
    message: impl Into<String>,
) -> Diagnostic {
    Diagnostic::error(crate::text::UNSUPPORTED, message, &c.source, span)
}

/// The one `field` of a value type, written by `name`. None is a located error, and so are
/// several, which a target aggregates one at a time: `several` ends that message (": a Splunk
/// `stats` function takes one field").
pub fn value_field(
    c: &Correlation,
    name: impl Fn(&Correlation, &Name) -> Result<String, Diagnostic>,
    several: &str,
) -> Result<String, Diagnostic> {
    match c.condition.field.as_slice() {
        [one] => name(c, one),
        [] => Err(unsupported(
            c,
            c.condition.span.unwrap_or(c.kind_span),
            format!("`{}` needs a `field` in its condition", c.kind),
        )),
        [_, second, ..] => Err(unsupported(
            c,
            second.span,
            format!("`{}` over several fields{several}", c.kind),
        )),
    }
}
