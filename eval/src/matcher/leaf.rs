//! Evaluating compiled expressions: each leaf's test on the event's value (see the module
//! documentation of [`eval`](crate) for the semantics).

use super::{Leaf, Node, Test};
use crate::event::{Event, FieldValue};
use crate::fields::Slots;
use crate::text::{Num, Scratch, fold_into, scalar_num, scalar_text};
use crate::time;
use sigc_compiler::ir::{CmpOp, FieldRefKind};
use std::net::IpAddr;

/// Whether `node` holds for the event of `slots`.
pub(super) fn eval<E: Event + ?Sized>(
    node: &Node,
    slots: &mut Slots<'_, '_, E>,
    sc: &mut Scratch,
) -> bool {
    match node {
        Node::And(xs) => xs.iter().all(|x| eval(x, slots, sc)),
        Node::Or(xs) => xs.iter().any(|x| eval(x, slots, sc)),
        Node::Not(x) => !eval(x, slots, sc),
        Node::Leaf(leaf) => eval_leaf(leaf, slots, sc),
    }
}

fn eval_leaf<E: Event + ?Sized>(
    leaf: &Leaf,
    slots: &mut Slots<'_, '_, E>,
    sc: &mut Scratch,
) -> bool {
    let Some(field) = leaf.field else {
        if let Test::Patterns(set) = &leaf.test {
            return slots.any_text(|raw, folded| set.matches_folded(raw, folded));
        }
        return slots.event().any_scalar(&mut |v| leaf.test.scalar(v, sc));
    };
    match &leaf.test {
        Test::Patterns(set) => {
            if let Some((raw, folded)) = slots.text(field) {
                return set.matches_folded(raw, folded);
            }
            slots.value(field).is_some_and(|v| set.matches_value(v, sc))
        }
        Test::Null => matches!(slots.value(field), None | Some(FieldValue::Null)),
        Test::Exists(want) => {
            matches!(slots.value(field), Some(v) if *v != FieldValue::Null) == *want
        }
        Test::FieldRef { field: other, kind } => match slots.pair(field, *other) {
            (Some(a), Some(b)) => field_ref(a, b, *kind, sc),
            _ => false,
        },
        test => slots.value(field).is_some_and(|v| test.value(v, sc)),
    }
}

impl Test {
    /// A field's value: a list matches when any element does.
    fn value(&self, v: &FieldValue<'_>, sc: &mut Scratch) -> bool {
        match (self, v) {
            (Test::Patterns(set), _) => set.matches_value(v, sc),
            (_, FieldValue::List(xs)) => xs.iter().any(|x| self.value(x, sc)),
            _ => self.scalar(v, sc),
        }
    }

    /// One scalar (for keywords, any of the event's scalars).
    fn scalar(&self, v: &FieldValue<'_>, sc: &mut Scratch) -> bool {
        match self {
            Test::Patterns(set) => set.matches_scalar(v, sc),
            Test::Num(n) => scalar_num(v).is_some_and(|x| x.equals(Num::from(*n))),
            Test::Bool(b) => match *v {
                FieldValue::Bool(x) => x == *b,
                FieldValue::Str(s) => s.eq_ignore_ascii_case(if *b { "true" } else { "false" }),
                _ => false,
            },
            Test::Null => *v == FieldValue::Null,
            Test::Regex(re) => scalar_text(v, &mut sc.num).is_some_and(|t| re.is_match(t)),
            Test::Cidr(net) => match *v {
                FieldValue::Str(s) => parse_ip(s).is_some_and(|ip| in_net(net, ip)),
                _ => false,
            },
            Test::Compare { op, value } => scalar_num(v)
                .and_then(|x| x.cmp(Num::from(*value)))
                .is_some_and(|ord| match op {
                    CmpOp::Lt => ord.is_lt(),
                    CmpOp::Lte => ord.is_le(),
                    CmpOp::Gt => ord.is_gt(),
                    CmpOp::Gte => ord.is_ge(),
                }),
            Test::TimePart { part, value } => match *v {
                FieldValue::Str(s) => time::parse(s).is_some_and(|ts| {
                    Num::Int(time::part(ts, *part).into()).equals(Num::from(*value))
                }),
                _ => false,
            },
            // Only meaningful with a field; refused for keywords when compiling.
            Test::Exists(_) | Test::FieldRef { .. } => false,
        }
    }
}

/// Compares two fields' text forms, case-insensitively; lists compare element by element.
fn field_ref(a: &FieldValue<'_>, b: &FieldValue<'_>, kind: FieldRefKind, sc: &mut Scratch) -> bool {
    if let FieldValue::List(xs) = a {
        return xs.iter().any(|x| field_ref(x, b, kind, sc));
    }
    if let FieldValue::List(ys) = b {
        return ys.iter().any(|y| field_ref(a, y, kind, sc));
    }
    let Scratch {
        num,
        num2,
        fold,
        fold2,
    } = sc;
    let (Some(ta), Some(tb)) = (scalar_text(a, num), scalar_text(b, num2)) else {
        return false;
    };
    fold_into(ta, fold);
    fold_into(tb, fold2);
    let (a, b) = (fold.as_str(), fold2.as_str());
    match kind {
        FieldRefKind::Equals => a == b,
        FieldRefKind::StartsWith => a.starts_with(b),
        FieldRefKind::EndsWith => a.ends_with(b),
        FieldRefKind::Contains => a.contains(b),
    }
}

/// An IP address as logs write it: plain, with an IPv6 zone (`fe80::1%12`) or in brackets.
fn parse_ip(s: &str) -> Option<IpAddr> {
    let s = s
        .strip_prefix('[')
        .and_then(|r| r.strip_suffix(']'))
        .unwrap_or(s);
    let s = s.split_once('%').map_or(s, |(addr, _zone)| addr);
    s.parse().ok()
}

/// Network membership; an IPv4-mapped IPv6 address (`::ffff:10.0.0.1`) counts as IPv4.
fn in_net(net: &ipnet::IpNet, ip: IpAddr) -> bool {
    net.contains(&ip)
        || match (net, ip) {
            (ipnet::IpNet::V4(v4), IpAddr::V6(v6)) => {
                v6.to_ipv4_mapped().is_some_and(|m| v4.contains(&m))
            }
            _ => false,
        }
}
