//! A Sigma correlation rule (specification "Sigma Correlation Rules"): a threshold or a sequence
//! over the events that other rules match.

use super::rule::Meta;
use super::test_cases::{SequenceCase, TestCases};
use super::value::Number;
use crate::diagnostic::Source;
use crate::span::Span;
use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

/// A correlation document after reading and checking.
#[derive(Clone, Debug)]
pub struct Correlation {
    pub meta: Meta,
    pub kind: CorrelationType,
    /// The `type` value, where a target that cannot express the type points.
    pub kind_span: Span,
    /// The rules and correlations it correlates (`rules`), in the order written.
    pub rules: Vec<RuleRef>,
    /// `group-by`: the fields (or aliases) whose values must be equal within a group.
    pub group_by: Vec<Name>,
    pub timespan: Timespan,
    pub condition: Threshold,
    /// `aliases`: one field name per referenced rule under a common name.
    pub aliases: Vec<Alias>,
    /// `generate`: whether the referenced rules are also converted on their own (default no).
    pub generate: bool,
    /// Its own test cases (custom attribute `tests`): event sequences it must fire on, or not.
    pub tests: Option<TestCases<SequenceCase>>,
    /// The file the correlation came from.
    pub source: Arc<Source>,
    /// The whole document.
    pub span: Span,
    /// The `correlation` key.
    pub keyword: Span,
}

/// A reference to a rule or correlation by its `id` or `name`, where it is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleRef {
    pub reference: String,
    pub span: Span,
}

/// A field or alias name, where it is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Name {
    pub name: String,
    pub span: Span,
}

/// The seven correlation types of Sigma 2.1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CorrelationType {
    /// Events counted per group.
    EventCount,
    /// Distinct values of `field` counted per group.
    ValueCount,
    /// Every referenced rule matched within the timespan, in any order.
    Temporal,
    /// Every referenced rule matched within the timespan, in the order listed.
    TemporalOrdered,
    /// The sum of `field` per group.
    ValueSum,
    /// The average of `field` per group.
    ValueAvg,
    /// A percentile of `field` per group.
    ValuePercentile,
}

impl CorrelationType {
    pub const ALL: [CorrelationType; 7] = [
        CorrelationType::EventCount,
        CorrelationType::ValueCount,
        CorrelationType::Temporal,
        CorrelationType::TemporalOrdered,
        CorrelationType::ValueSum,
        CorrelationType::ValueAvg,
        CorrelationType::ValuePercentile,
    ];

    /// The name written in `type`.
    pub fn name(self) -> &'static str {
        match self {
            CorrelationType::EventCount => "event_count",
            CorrelationType::ValueCount => "value_count",
            CorrelationType::Temporal => "temporal",
            CorrelationType::TemporalOrdered => "temporal_ordered",
            CorrelationType::ValueSum => "value_sum",
            CorrelationType::ValueAvg => "value_avg",
            CorrelationType::ValuePercentile => "value_percentile",
        }
    }

    /// The name of the value a correlation of this type computes per group and window, which
    /// its condition compares (pySigma's names: the temporal types count `event_type`s).
    pub fn aggregate(self) -> &'static str {
        match self {
            CorrelationType::Temporal | CorrelationType::TemporalOrdered => "event_type_count",
            CorrelationType::EventCount
            | CorrelationType::ValueCount
            | CorrelationType::ValueSum
            | CorrelationType::ValueAvg
            | CorrelationType::ValuePercentile => self.name(),
        }
    }

    /// The types whose condition applies to a `field` (which they require).
    pub fn is_value(self) -> bool {
        match self {
            CorrelationType::ValueCount
            | CorrelationType::ValueSum
            | CorrelationType::ValueAvg
            | CorrelationType::ValuePercentile => true,
            CorrelationType::EventCount
            | CorrelationType::Temporal
            | CorrelationType::TemporalOrdered => false,
        }
    }

    /// The types that may leave out `condition` (it then defaults to "every rule matched").
    pub fn is_temporal(self) -> bool {
        matches!(
            self,
            CorrelationType::Temporal | CorrelationType::TemporalOrdered
        )
    }
}

impl FromStr for CorrelationType {
    type Err = ();

    fn from_str(text: &str) -> Result<Self, ()> {
        Self::ALL.into_iter().find(|t| t.name() == text).ok_or(())
    }
}

impl fmt::Display for CorrelationType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// `timespan`: a positive count of a time unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timespan {
    pub count: u64,
    pub unit: TimeUnit,
    /// The length in seconds (checked not to overflow).
    pub seconds: u64,
    pub span: Span,
}

/// The unit letter of a timespan (`s`, `m`, `h`, `d` in the specification; pySigma adds `w`, `M`
/// and `y`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TimeUnit {
    Second,
    Minute,
    Hour,
    Day,
    Week,
    /// pySigma's average month (2,629,746 s).
    Month,
    /// pySigma's average year (31,556,952 s).
    Year,
}

impl TimeUnit {
    pub const ALL: [TimeUnit; 7] = [
        TimeUnit::Second,
        TimeUnit::Minute,
        TimeUnit::Hour,
        TimeUnit::Day,
        TimeUnit::Week,
        TimeUnit::Month,
        TimeUnit::Year,
    ];

    /// The letter written after the count.
    pub fn letter(self) -> char {
        match self {
            TimeUnit::Second => 's',
            TimeUnit::Minute => 'm',
            TimeUnit::Hour => 'h',
            TimeUnit::Day => 'd',
            TimeUnit::Week => 'w',
            TimeUnit::Month => 'M',
            TimeUnit::Year => 'y',
        }
    }

    pub fn seconds(self) -> u64 {
        match self {
            TimeUnit::Second => 1,
            TimeUnit::Minute => 60,
            TimeUnit::Hour => 3_600,
            TimeUnit::Day => 86_400,
            TimeUnit::Week => 604_800,
            TimeUnit::Month => 2_629_746,
            TimeUnit::Year => 31_556_952,
        }
    }
}

/// `count` then the unit letter, as written.
impl fmt::Display for Timespan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.count, self.unit.letter())
    }
}

/// `condition`: the aggregated value compared with a number.
#[derive(Clone, Debug, PartialEq)]
pub struct Threshold {
    pub op: ConditionOp,
    pub value: Number,
    /// `field` (value types only): the field whose values are aggregated.
    pub field: Vec<Name>,
    /// `percentile` (value_percentile only, a pySigma extension).
    pub percentile: Option<u8>,
    /// The `condition` node; `None` for the default of a temporal type (`gte` the number of rules).
    pub span: Option<Span>,
}

/// The comparison of a correlation condition.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ConditionOp {
    Gt,
    Gte,
    Lt,
    Lte,
    Eq,
    Neq,
}

impl ConditionOp {
    pub const ALL: [ConditionOp; 6] = [
        ConditionOp::Gt,
        ConditionOp::Gte,
        ConditionOp::Lt,
        ConditionOp::Lte,
        ConditionOp::Eq,
        ConditionOp::Neq,
    ];

    /// The key written in `condition`.
    pub fn name(self) -> &'static str {
        match self {
            ConditionOp::Gt => "gt",
            ConditionOp::Gte => "gte",
            ConditionOp::Lt => "lt",
            ConditionOp::Lte => "lte",
            ConditionOp::Eq => "eq",
            ConditionOp::Neq => "neq",
        }
    }
}

impl FromStr for ConditionOp {
    type Err = ();

    fn from_str(text: &str) -> Result<Self, ()> {
        Self::ALL.into_iter().find(|op| op.name() == text).ok_or(())
    }
}

impl fmt::Display for ConditionOp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An entry of `aliases`: a name usable in `group-by`, standing for one field per rule.
#[derive(Clone, Debug, PartialEq)]
pub struct Alias {
    pub name: Name,
    /// The rule (by name) and the field that the alias stands for in its events.
    pub fields: Vec<(RuleRef, Name)>,
}
