//! What a conversion target is, and the facts it declares about itself: its name, the file
//! extension of its queries, its default pipelines, its output formats, its backend options and
//! what it cannot express. Each target states them in its own module; nothing else keeps a table
//! keyed by a target's name.

use crate::Query;
use crate::correlation::{Method, Referenced};
use crate::format::{self, Format};
use crate::options::BackendOption;
use sigc_compiler::Diagnostic;
use sigc_compiler::ir::{Correlation, Rule};

/// A conversion target.
pub trait Target: Sync {
    /// Target name on the command line, e.g. "splunk".
    fn name(&self) -> &'static str;
    /// One line describing the target.
    fn description(&self) -> &'static str;
    /// The extension of a file of its queries, e.g. "spl".
    fn extension(&self) -> &'static str;
    /// The built-in pipelines applied when the user names none (`--without-pipeline` turns
    /// them off), by name.
    fn default_pipelines(&self) -> &'static [&'static str];
    /// What the target cannot express: each is refused with a located error.
    fn limitations(&self) -> &'static [Limitation];
    /// The output formats it offers, in the order they are listed.
    fn formats(&self) -> &'static [&'static Format] {
        format::COMMON
    }
    /// Its backend options (`-O NAME=VALUE`), which its formats read; none by default.
    fn options(&self) -> &'static [BackendOption] {
        &[]
    }
    /// One query per condition expression of the rule (rule.conditions), in parts.
    fn queries(&self, rule: &Rule) -> Result<Vec<Query>, Diagnostic>;

    /// The ways it writes correlations (`-c/--correlation-method`), its default first; empty
    /// when it writes none (each correlation is then refused, a limitation).
    fn correlation_methods(&self) -> &'static [Method];
    /// The queries of correlation `c` written by `method` (one of its methods), from the
    /// documents it references, converted by the same plan, in the order of its `rules`. A
    /// target without methods is given `None` and nothing referenced, and refuses `c`, located.
    fn correlation(
        &self,
        c: &Correlation,
        method: Option<&Method>,
        referenced: &[Referenced<'_>],
    ) -> Result<Vec<Query>, Diagnostic>;

    /// The correlation method called `name`, if the target offers it.
    fn correlation_method(&self, name: &str) -> Option<&'static Method> {
        self.correlation_methods().iter().find(|m| m.name == name)
    }

    /// The same queries as text, as the default output writes them.
    fn convert(&self, rule: &Rule) -> Result<Vec<String>, Diagnostic> {
        Ok(self.queries(rule)?.iter().map(Query::to_string).collect())
    }

    /// The backend option called `name`, if the target declares it.
    fn option(&self, name: &str) -> Option<&'static BackendOption> {
        self.options().iter().find(|o| o.name == name)
    }

    /// The format called `name`, if the target offers it.
    fn format(&self, name: &str) -> Option<&'static Format> {
        self.formats().iter().copied().find(|f| f.name == name)
    }
}

/// Something a target cannot express.
pub struct Limitation {
    /// What it is, in a few words (`sigc list limitations TARGET`).
    pub what: &'static str,
    /// A rule (its text after `title:`) that the target refuses for this reason, without any
    /// pipeline; a unit test converts it.
    pub example: &'static str,
}
