//! Comparisons: the operators of `processing_state` and `rule_attribute`, and the
//! `processing_state` condition itself (the same at every level).

use crate::Context;
use crate::names::named;
use serde_json::Value as Json;

named! {
    /// A comparison operator (`op:`).
    pub enum CompareOp {
        Eq = "eq",
        Ne = "ne",
        Gte = "gte",
        Gt = "gt",
        Lte = "lte",
        Lt = "lt",
        /// Membership in a list attribute.
        In = "in",
        /// No membership in a list attribute.
        NotIn = "not_in",
    }
}

impl CompareOp {
    /// The operators that compare two single values (all but `in` and `not_in`): the ones
    /// `processing_state` takes.
    pub const ORDERING: &'static [CompareOp] = &[
        CompareOp::Eq,
        CompareOp::Ne,
        CompareOp::Gte,
        CompareOp::Gt,
        CompareOp::Lte,
        CompareOp::Lt,
    ];

    /// Compares two single values: numbers numerically, strings by text. `in` and `not_in`
    /// need a list and never hold here.
    pub fn values(self, a: &Json, b: &Json) -> bool {
        use std::cmp::Ordering::*;
        let ord = match (a, b) {
            (Json::Number(x), Json::Number(y)) => x.as_f64().partial_cmp(&y.as_f64()),
            (Json::String(x), Json::String(y)) => Some(x.cmp(y)),
            _ => None,
        };
        let equal = a == b || ord == Some(Equal);
        match self {
            CompareOp::Eq => equal,
            CompareOp::Ne => !equal,
            CompareOp::Gte => matches!(ord, Some(Greater | Equal)),
            CompareOp::Gt => ord == Some(Greater),
            CompareOp::Lte => matches!(ord, Some(Less | Equal)),
            CompareOp::Lt => ord == Some(Less),
            CompareOp::In | CompareOp::NotIn => false,
        }
    }

    /// Compares a list with a value: membership for `in` and `not_in`; a list is never equal to
    /// a value, and has no order.
    pub fn list(self, list: &[Json], value: &Json) -> bool {
        match self {
            CompareOp::In => list.contains(value),
            CompareOp::NotIn => !list.contains(value),
            CompareOp::Ne => true,
            CompareOp::Eq | CompareOp::Gte | CompareOp::Gt | CompareOp::Lte | CompareOp::Lt => {
                false
            }
        }
    }
}

/// `processing_state`: the pipeline state at `key` compared with `val`.
#[derive(Debug)]
pub struct StateCond {
    pub key: String,
    pub val: Json,
    pub op: CompareOp,
}

impl StateCond {
    pub fn matches(&self, cx: &Context<'_>) -> bool {
        cx.state
            .get(&self.key)
            .is_some_and(|state| self.op.values(state, &self.val))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn names_round_trip() {
        crate::names::assert_round_trip(CompareOp::ALL);
        assert!(
            CompareOp::ORDERING
                .iter()
                .all(|op| CompareOp::ALL.contains(op))
        );
    }

    #[test]
    fn operators_compare() {
        use CompareOp::*;
        let (one, two) = (json!(1), json!(2.0));
        for (op, want) in [
            (Eq, false),
            (Ne, true),
            (Gte, false),
            (Gt, false),
            (Lte, true),
        ] {
            assert_eq!(op.values(&one, &two), want, "{op}");
        }
        assert!(Lt.values(&json!("a"), &json!("b")));
        assert!(Eq.values(&json!(2), &json!(2.0)));
        assert!(!In.values(&one, &one) && !NotIn.values(&one, &one));
        let list = [json!("a"), json!("b")];
        assert!(In.list(&list, &json!("a")) && NotIn.list(&list, &json!("c")));
        assert!(Ne.list(&list, &json!("a")) && !Eq.list(&list, &json!("a")));
    }
}
