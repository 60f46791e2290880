//! Where a leaf of the IR came from: the rule's own text, a filter applied to the rule, or a
//! processing pipeline.

use crate::diagnostic::Source;
use crate::span::Span;
use serde::{Serialize, Serializer};
use std::fmt;
use std::sync::Arc;

/// The origin of a [`Match`](super::Match).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum Origin {
    /// Written in the rule: the YAML node the match came from (the value, or the key of an
    /// empty list).
    Source(Span),
    /// Written in a filter applied to the rule (`RuleSet` applies filters): the YAML node in the
    /// filter's file.
    Filter {
        /// The filter's file.
        #[serde(serialize_with = "source_name")]
        source: Arc<Source>,
        span: Span,
    },
    /// Added by a processing pipeline's item (`add_condition`).
    Pipeline {
        /// The pipeline's name.
        pipeline: String,
        /// The item that added it.
        item: PipelineItem,
        /// Where an error about the match points: the rule it was added to.
        at: Span,
    },
}

impl Origin {
    /// Where an error about the match points, in the file [`Origin::source`] names.
    pub fn span(&self) -> Span {
        match self {
            Origin::Source(span)
            | Origin::Filter { span, .. }
            | Origin::Pipeline { at: span, .. } => *span,
        }
    }

    /// The file an error about the match points into: the filter's for a match a filter added,
    /// else the file of the rule it is in (`rule`).
    pub fn source<'a>(&'a self, rule: &'a Arc<Source>) -> &'a Arc<Source> {
        match self {
            Origin::Filter { source, .. } => source,
            Origin::Source(_) | Origin::Pipeline { .. } => rule,
        }
    }

    /// Whether a pipeline added the match.
    pub fn is_pipeline(&self) -> bool {
        matches!(self, Origin::Pipeline { .. })
    }
}

/// A filter's file is written as its name.
fn source_name<S: Serializer>(source: &Arc<Source>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&source.name)
}

/// A processing item, by its id or, when it has none, by its position in its pipeline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum PipelineItem {
    Id(String),
    /// 1-based, as messages count items.
    Position(usize),
}

/// `item `id`` or `item #n`.
impl fmt::Display for PipelineItem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PipelineItem::Id(id) => write!(f, "item `{id}`"),
            PipelineItem::Position(n) => write!(f, "item #{n}"),
        }
    }
}
