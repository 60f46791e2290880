//! Value modifiers (`Field|contains|all`): parsing the chain and applying it, left to right.
//!
//! Value modifiers transform each value of a detection item; `all` and `neq` act on the item.
//! Each modifier declares what it accepts; anything else is a located type error.

mod encoding;
mod table;
mod windash;

pub use table::{MODIFIERS, ModifierInfo};

use crate::ir::{CmpOp, FieldRefKind, Number, Part, Pattern, TimePart, Value};
use crate::limits::{self, Size};

/// One value modifier.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Modifier {
    Contains,
    StartsWith,
    EndsWith,
    All,
    Base64,
    Base64Offset,
    Utf16Le,
    Utf16Be,
    Utf16,
    Windash,
    Re,
    IgnoreCase,
    MultiLine,
    DotAll,
    Cased,
    Cidr,
    Exists,
    Compare(CmpOp),
    Neq,
    FieldRef,
    Expand,
    Time(TimePart),
}

/// A value while modifiers are applied: an IR value, or raw bytes from an encoding modifier.
#[derive(Clone, Debug, PartialEq)]
pub enum Val {
    Ir(Value),
    /// Bytes from `wide`/`utf16*`, waiting for `base64`/`base64offset`.
    Bytes(Vec<u8>),
}

impl Val {
    /// The value's size: its alternatives and bytes.
    fn size(&self) -> Size {
        match self {
            Val::Ir(v) => Size::of_value(v),
            Val::Bytes(b) => Size {
                nodes: 1,
                bytes: b.len(),
            },
        }
    }
}

impl Modifier {
    /// The modifier called `name` (`wide` and `utf16le` are one modifier).
    pub fn parse(name: &str) -> Option<Modifier> {
        table::MODIFIERS
            .iter()
            .find(|m| m.names.contains(&name))
            .map(|m| m.modifier)
    }

    /// The modifier's canonical name (the first of its names).
    pub fn name(self) -> &'static str {
        table::MODIFIERS
            .iter()
            .find(|m| m.modifier == self)
            .map(|m| m.names[0])
            .expect("the table lists every modifier")
    }

    /// Must this modifier come first in its chain?
    pub fn must_be_first(self) -> bool {
        matches!(self, Modifier::Re | Modifier::Cidr | Modifier::Exists)
    }

    /// Applies this value modifier to one value. `All` and `Neq` are item-level and never reach
    /// here. A result past [`MAX_ALTERNATIVES`](crate::limits::MAX_ALTERNATIVES) or, if it grew,
    /// [`MAX_VALUE_BYTES`](crate::limits::MAX_VALUE_BYTES) is an error.
    pub fn apply(self, val: Val) -> Result<Val, String> {
        let before = val.size();
        let out = self.transform(val)?;
        limits::check_value(before, out.size())?;
        Ok(out)
    }

    fn transform(self, val: Val) -> Result<Val, String> {
        use Modifier as M;
        let out = match (self, val) {
            (M::Contains | M::StartsWith | M::EndsWith, Val::Ir(Value::Str(p))) => {
                Value::Str(self.wrap(p))
            }
            (M::Contains | M::StartsWith | M::EndsWith, Val::Ir(Value::Expansion(ps))) => {
                Value::Expansion(ps.into_iter().map(|p| self.wrap(p)).collect())
            }
            (
                M::Contains | M::StartsWith | M::EndsWith,
                Val::Ir(Value::Regex { pattern, flags }),
            ) => Value::Regex {
                pattern: self.wrap_regex(pattern),
                flags,
            },
            (
                M::Contains | M::StartsWith | M::EndsWith,
                Val::Ir(Value::FieldRef { field, kind }),
            ) => {
                let kind =
                    match (kind, self) {
                        (FieldRefKind::Equals, M::Contains) => FieldRefKind::Contains,
                        (FieldRefKind::Equals, M::StartsWith) => FieldRefKind::StartsWith,
                        (FieldRefKind::Equals, M::EndsWith) => FieldRefKind::EndsWith,
                        _ => return Err(
                            "a field reference takes only one of contains, startswith or endswith"
                                .into(),
                        ),
                    };
                Value::FieldRef { field, kind }
            }
            (M::Base64, Val::Ir(Value::Str(p))) => Value::Str(Pattern::literal(encoding::base64(
                &plain_bytes(&p, "base64")?,
            ))),
            (M::Base64, Val::Bytes(b)) => Value::Str(Pattern::literal(encoding::base64(&b))),
            (M::Base64Offset, Val::Ir(Value::Str(p))) => {
                Value::Expansion(encoding::base64_offsets(&plain_bytes(&p, "base64offset")?))
            }
            (M::Base64Offset, Val::Bytes(b)) => Value::Expansion(encoding::base64_offsets(&b)),
            (M::Utf16Le | M::Utf16Be | M::Utf16, Val::Ir(Value::Str(p))) => {
                let text = plain_text(&p, "wide/utf16")?;
                return Ok(Val::Bytes(encoding::utf16(&text, self)));
            }
            (M::Windash, Val::Ir(Value::Str(p))) => Value::Expansion(windash::expand(&p)?),
            (M::Re, Val::Ir(Value::Str(p))) => Value::Regex {
                pattern: raw_text(&p),
                flags: Default::default(),
            },
            (
                M::IgnoreCase | M::MultiLine | M::DotAll,
                Val::Ir(Value::Regex { pattern, mut flags }),
            ) => {
                match self {
                    M::IgnoreCase => flags.ignore_case = true,
                    M::MultiLine => flags.multi_line = true,
                    _ => flags.dot_all = true,
                }
                Value::Regex { pattern, flags }
            }
            (M::Cased, Val::Ir(Value::Str(mut p))) => {
                p.cased = true;
                Value::Str(p)
            }
            (M::Cased, Val::Ir(Value::Expansion(ps))) => Value::Expansion(
                ps.into_iter()
                    .map(|p| Pattern { cased: true, ..p })
                    .collect(),
            ),
            (M::Cidr, Val::Ir(Value::Str(p))) => Value::Cidr(parse_cidr(&raw_text(&p))?),
            (M::Exists, Val::Ir(Value::Bool(b))) => Value::Exists(b),
            (M::Exists, Val::Ir(Value::Str(p))) => Value::Exists(yaml11_bool(&raw_text(&p))?),
            (M::Compare(op), Val::Ir(Value::Num(n))) => Value::Compare { op, value: n },
            (M::FieldRef, Val::Ir(Value::Str(p))) => {
                let field = p
                    .as_plain()
                    .ok_or("a field reference cannot hold wildcards")?;
                Value::FieldRef {
                    field,
                    kind: FieldRefKind::Equals,
                }
            }
            (M::Expand, Val::Ir(Value::Str(p))) => Value::Str(expand_placeholders(p)),
            (M::Time(part), Val::Ir(Value::Num(n @ Number::Int(_)))) => {
                Value::TimePart { part, value: n }
            }
            (M::IgnoreCase | M::MultiLine | M::DotAll, Val::Ir(_)) => {
                return Err("is a regular-expression flag: write `re` before it".into());
            }
            (_, Val::Bytes(_)) => {
                return Err(
                    "an encoding modifier (wide/utf16*) must be followed by base64 or base64offset"
                        .into(),
                );
            }
            (_, Val::Ir(other)) => {
                return Err(format!("cannot be applied to {}", describe(&other)));
            }
        };
        Ok(Val::Ir(out))
    }

    /// The most wildcards [`wrap`](Self::wrap) adds to a pattern: room to leave when reading one
    /// that this modifier will wrap.
    pub fn wrap_room(self) -> usize {
        usize::from(self.opens()) + usize::from(self.closes())
    }

    /// Whether it lets a match begin anywhere (`contains`, `endswith`).
    fn opens(self) -> bool {
        matches!(self, Modifier::Contains | Modifier::EndsWith)
    }

    /// Whether it lets a match end anywhere (`contains`, `startswith`).
    fn closes(self) -> bool {
        matches!(self, Modifier::Contains | Modifier::StartsWith)
    }

    fn wrap(self, mut p: Pattern) -> Pattern {
        let front = self.opens() && !p.starts_with_any();
        let back = self.closes() && !p.ends_with_any();
        // exactly the room needed: a pattern lives as long as its rule
        p.parts
            .reserve_exact(usize::from(front) + usize::from(back));
        if front {
            p.parts.insert(0, Part::AnyRun);
        }
        if back {
            p.parts.push(Part::AnyRun);
        }
        p
    }

    fn wrap_regex(self, mut re: String) -> String {
        if self.opens() && !re.starts_with('^') && !re.starts_with(".*") {
            re.insert_str(0, ".*");
        }
        if self.closes() && !re.ends_with('$') && !re.ends_with(".*") {
            re.push_str(".*");
        }
        re
    }
}

/// What a value is, for type errors ("cannot be applied to a number").
pub fn describe(value: &Value) -> &'static str {
    match value {
        Value::Str(_) => "a string",
        Value::Expansion(_) => "an expanded string (windash/base64offset)",
        Value::Num(_) => "a number",
        Value::Bool(_) => "a boolean",
        Value::Null => "null",
        Value::Regex { .. } => "a regular expression",
        Value::Cidr(_) => "a CIDR network",
        Value::Compare { .. } => "a numeric comparison",
        Value::Exists(_) => "an existence test",
        Value::FieldRef { .. } => "a field reference",
        Value::TimePart { .. } => "a timestamp part",
    }
}

/// The text of a pattern written back with Sigma escapes undone only for wildcards:
/// used by modifiers that take the value raw (`re`, `cidr`).
fn raw_text(p: &Pattern) -> String {
    let mut out = String::new();
    for part in &p.parts {
        match part {
            Part::Lit(s) => out.push_str(s),
            Part::AnyRun => out.push('*'),
            Part::AnyChar => out.push('?'),
            Part::Placeholder(n) => {
                out.push('%');
                out.push_str(n);
                out.push('%');
            }
        }
    }
    out
}

fn plain_text(p: &Pattern, what: &str) -> Result<String, String> {
    p.as_plain()
        .ok_or_else(|| format!("{what} cannot encode wildcards or placeholders"))
}

fn plain_bytes(p: &Pattern, what: &str) -> Result<Vec<u8>, String> {
    plain_text(p, what).map(String::into_bytes)
}

fn parse_cidr(text: &str) -> Result<ipnet::IpNet, String> {
    let text = text.trim();
    text.parse::<ipnet::IpNet>()
        .map(|n| n.trunc())
        .or_else(|_| text.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
        .map_err(|_| format!("`{text}` is not an IPv4 or IPv6 network (e.g. 10.0.0.0/8)"))
}

/// `yes`/`no`/`true`/`false` (YAML 1.1 booleans, as pySigma reads them).
fn yaml11_bool(text: &str) -> Result<bool, String> {
    match text.to_ascii_lowercase().as_str() {
        "true" | "yes" | "on" => Ok(true),
        "false" | "no" | "off" => Ok(false),
        _ => Err(format!("exists takes true or false, not `{text}`")),
    }
}

/// `%name%` in literal text becomes a placeholder; `\%` is a literal `%`.
fn expand_placeholders(p: Pattern) -> Pattern {
    let mut out = Pattern {
        parts: Vec::new(),
        cased: p.cased,
    };
    for part in p.parts {
        let Part::Lit(text) = part else {
            out.push(part);
            continue;
        };
        let mut lit = String::new();
        let mut rest = text.as_str();
        while let Some(i) = rest.find(['%', '\\']) {
            lit.push_str(&rest[..i]);
            let tail = &rest[i..];
            if let Some(after) = tail.strip_prefix("\\%") {
                lit.push('%');
                rest = after;
            } else if let Some(after) = tail.strip_prefix('\\') {
                lit.push('\\');
                rest = after;
            } else if let Some(end) = tail[1..].find('%').filter(|&e| e > 0) {
                out.push(Part::Lit(std::mem::take(&mut lit)));
                out.push(Part::Placeholder(tail[1..=end].to_string()));
                rest = &tail[end + 2..];
            } else {
                lit.push('%');
                rest = &tail[1..];
            }
        }
        lit.push_str(rest);
        out.push(Part::Lit(lit));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::sigma_string;

    fn s(text: &str) -> Val {
        Val::Ir(Value::Str(sigma_string::parse(text)))
    }

    fn chain(mods: &[Modifier], v: Val) -> Result<Val, String> {
        mods.iter().try_fold(v, |v, m| m.apply(v))
    }

    fn texts(v: Val) -> Vec<String> {
        match v {
            Val::Ir(Value::Expansion(ps)) => ps.iter().map(|p| p.to_string()).collect(),
            Val::Ir(Value::Str(p)) => vec![p.to_string()],
            other => panic!("not a string: {other:?}"),
        }
    }

    #[test]
    fn base64offset_of_cmd() {
        let v = chain(&[Modifier::Base64Offset], s("cmd")).unwrap();
        assert_eq!(texts(v), ["Y21k", "NtZ", "jbW"]);
    }

    #[test]
    fn base64offset_then_contains_wraps_each() {
        let v = chain(&[Modifier::Base64Offset, Modifier::Contains], s("cmd")).unwrap();
        assert_eq!(texts(v), ["*Y21k*", "*NtZ*", "*jbW*"]);
    }

    #[test]
    fn wide_then_base64() {
        let v = chain(&[Modifier::Utf16Le, Modifier::Base64], s("cmd")).unwrap();
        assert_eq!(texts(v), ["YwBtAGQA"]);
        let v = chain(&[Modifier::Utf16Be, Modifier::Base64], s("cmd")).unwrap();
        assert_eq!(texts(v), ["AGMAbQBk"]);
        // the specification's utf16: a FF FE byte-order mark, then little-endian
        let v = chain(&[Modifier::Utf16, Modifier::Base64], s("cmd")).unwrap();
        assert_eq!(texts(v), ["//5jAG0AZAA="]);
    }

    #[test]
    fn windash_yields_all_five_dashes() {
        let v = chain(&[Modifier::Windash], s(" -a")).unwrap();
        assert_eq!(texts(v), [" -a", " /a", " –a", " —a", " ―a"]);
        let v = chain(&[Modifier::Windash], s("-a /b")).unwrap();
        assert_eq!(texts(v).len(), 25);
        assert_eq!(
            texts(chain(&[Modifier::Windash], s("a-b")).unwrap()),
            ["a-b"]
        );
    }

    #[test]
    fn windash_counts_dashes_before_expanding() {
        for (text, dashes) in [
            ("-a", 1),
            ("*-a /b", 2),
            ("a-b -", 0),
            ("x%y%-a", 1),
            ("-1 -2 -3 -4 -5", 5),
        ] {
            let v = chain(&[Modifier::Expand, Modifier::Windash], s(text)).unwrap();
            assert_eq!(texts(v).len(), 5usize.pow(dashes), "{text}");
        }
        let err = Modifier::Windash.apply(s("-1 -2 -3 -4 -5 -6")).unwrap_err();
        assert!(err.contains("3125"), "{err}");
        let long = format!("-a -b -c -d -e {}", "x".repeat(400));
        let Err(err) = Modifier::Windash.apply(s(&long)) else {
            panic!("3125 alternatives of 414 bytes accepted");
        };
        assert!(err.contains("MiB"), "{err}");
    }

    #[test]
    fn encodings_stop_growing_at_the_value_limit() {
        let mut v = s("abc");
        let mut steps = 0;
        let err = loop {
            match chain(&[Modifier::Utf16Le, Modifier::Base64], v.clone()) {
                Ok(next) => v = next,
                Err(e) => break e,
            }
            steps += 1;
        };
        assert!(err.contains("1 MiB"), "{err}");
        assert!((10..20).contains(&steps), "{steps}");
    }

    #[test]
    fn contains_keeps_existing_wildcards() {
        assert_eq!(
            texts(chain(&[Modifier::Contains], s("*a")).unwrap()),
            ["*a*"]
        );
        assert_eq!(
            texts(chain(&[Modifier::EndsWith], s(r"\x.exe")).unwrap()),
            [r"*\x.exe"]
        );
        assert_eq!(
            texts(chain(&[Modifier::StartsWith], s("a")).unwrap()),
            ["a*"]
        );
    }

    #[test]
    fn type_errors_are_reported() {
        assert!(Modifier::Base64.apply(s("a*")).is_err());
        assert!(Modifier::IgnoreCase.apply(s("a")).is_err());
        assert!(Modifier::Compare(CmpOp::Gt).apply(s("5")).is_err());
        assert!(Modifier::Cidr.apply(s("10.0.0.300/8")).is_err());
        assert!(chain(&[Modifier::Utf16Le], s("a")).is_ok());
        assert!(chain(&[Modifier::Utf16Le, Modifier::Contains], s("a")).is_err());
    }

    #[test]
    fn cidr_and_placeholders() {
        let v = Modifier::Cidr.apply(s("10.1.2.3/8")).unwrap();
        assert_eq!(v, Val::Ir(Value::Cidr("10.0.0.0/8".parse().unwrap())));
        let v = Modifier::Expand.apply(s(r"%Admins%\%x\%")).unwrap();
        let Val::Ir(Value::Str(p)) = v else { panic!() };
        assert_eq!(
            p.parts,
            vec![Part::Placeholder("Admins".into()), Part::Lit("%x%".into())]
        );
    }
}
