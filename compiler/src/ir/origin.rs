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
    /// Added by a processing pipeline's item (`add_condition`); boxed, since it is rare and
    /// every leaf of the IR has room for the largest origin.
    Pipeline(Box<AddedBy>),
}

/// The pipeline item that added a match.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AddedBy {
    /// The pipeline's name.
    pub pipeline: String,
    /// The item that added it.
    pub item: PipelineItem,
    /// Where an error about the match points: the rule it was added to.
    pub at: Span,
}

impl Origin {
    /// Added by `item` of `pipeline` to the rule at `at`.
    pub fn pipeline(pipeline: String, item: PipelineItem, at: Span) -> Self {
        Origin::Pipeline(Box::new(AddedBy { pipeline, item, at }))
    }

    /// Where an error about the match points, in the file [`Origin::source`] names.
    pub fn span(&self) -> Span {
        match self {
            Origin::Source(span) | Origin::Filter { span, .. } => *span,
            Origin::Pipeline(added) => added.at,
        }
    }

    /// The file an error about the match points into: the filter's for a match a filter added,
    /// else the file of the rule it is in (`rule`).
    pub fn source<'a>(&'a self, rule: &'a Arc<Source>) -> &'a Arc<Source> {
        match self {
            Origin::Filter { source, .. } => source,
            Origin::Source(_) | Origin::Pipeline(_) => rule,
        }
    }

    /// Whether a pipeline added the match.
    pub fn is_pipeline(&self) -> bool {
        matches!(self, Origin::Pipeline(_))
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
