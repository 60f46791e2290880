//! Where a leaf of the IR came from: the rule's own text, or a processing pipeline.

use crate::span::Span;
use serde::Serialize;
use std::fmt;

/// The origin of a [`Match`](super::Match).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum Origin {
    /// Written in the rule: the YAML node the match came from (the value, or the key of an
    /// empty list).
    Source(Span),
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
    /// Where an error about the match points, in the rule's file.
    pub fn span(&self) -> Span {
        match self {
            Origin::Source(span) | Origin::Pipeline { at: span, .. } => *span,
        }
    }

    /// Whether a pipeline added the match.
    pub fn is_pipeline(&self) -> bool {
        matches!(self, Origin::Pipeline { .. })
    }
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
