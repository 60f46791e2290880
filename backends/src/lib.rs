//! sigc-backends: query generators from the sigc IR, the output formats, and the conversion
//! plan that ties them to the pipelines.
//!
//! Each target implements [`Target`] in its own module, declaring its facts there (name, file
//! extension, default pipelines, formats, limitations); [`targets`] is the one place they are
//! registered. Text query languages share the machinery in [`text`] (token tables, escaping,
//! grouping, IN lists) and add only their real differences. A query comes back in parts
//! ([`Query`]). A [`Plan`] takes rules through pipelines, backend and format checks
//! ([`convert`]); [`format`](mod@format) renders the result with minijinja templates. The
//! built-in processing pipelines are in sigc-pipeline.

pub mod car;
pub mod correlation;
pub mod format;
pub mod logpoint;
pub mod options;
pub mod plan;
pub mod query;
pub mod splunk;
pub mod target;
pub mod text;

pub use correlation::{Method, Referenced};
pub use options::{BackendOption, Options};
pub use plan::{Conversion, Converted, Outcome, Plan, Subject, convert};
pub use query::Query;
pub use target::{Limitation, Target};

/// Every target, in the order they are listed.
pub fn targets() -> Vec<&'static dyn Target> {
    vec![&splunk::Splunk, &logpoint::LogPoint, &car::Car]
}

/// The target with this command-line name.
pub fn target(name: &str) -> Option<&'static dyn Target> {
    targets().into_iter().find(|t| t.name() == name)
}

#[cfg(test)]
mod tests;
