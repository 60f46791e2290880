//! The condition parser: nom combinators straight over the condition text.
//!
//! Each precedence level is one function: `or_expr` → `and_expr` → `not_expr` → `operand`. A
//! chain of `and`/`or` is read by `many0` (a loop), and `not`s by `many0` too, so only
//! parentheses recurse; `depth` counts open parentheses and `not`s and is checked before going
//! deeper. Backtracking errors (`Err::Error`) only mean "not this alternative"; every real
//! mistake is an `Err::Failure` carrying the final message and span.
//!
//! The grammar builds any [`Tree`]: a rule's [`Cond`], or a pipeline's [`BoolExpr`], which
//! refuses selectors.

use super::ast::{BoolExpr, Cond, Name, Quantifier, Target};
use crate::limits::{MAX_CONDITION_BYTES as MAX_LEN, MAX_CONDITION_DEPTH as MAX_DEPTH};
use crate::span::Span;
use nom::branch::alt;
use nom::bytes::complete::{tag, take_while1};
use nom::character::complete::{char, multispace0};
use nom::combinator::{map, verify};
use nom::error::{ErrorKind, ParseError};
use nom::multi::many0;
use nom::sequence::preceded;
use nom::{Err, IResult, Offset, Parser};
use std::fmt;
use std::marker::PhantomData;

/// Words that are never identifiers.
const KEYWORDS: [&str; 8] = ["and", "or", "not", "of", "them", "1", "any", "all"];

/// A condition that does not parse: what is wrong and where, in bytes of the condition string.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConditionError {
    pub span: Span,
    pub message: String,
}

impl fmt::Display for ConditionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ConditionError {}

/// What the grammar builds: one constructor per construct.
trait Tree: Sized {
    /// What may start an operand, for error messages.
    const OPERAND: &'static str;
    /// Whether `x of …` selectors are allowed, for hints in error messages.
    const SELECTORS: bool;
    fn or(items: Vec<Self>) -> Self;
    fn and(items: Vec<Self>) -> Self;
    fn not(inner: Self) -> Self;
    fn ident(name: &str, span: Span) -> Self;
    /// A selector, or the message refusing it.
    fn selector(quantifier: Quantifier, target: Target, span: Span) -> Result<Self, String>;
}

impl Tree for Cond {
    const OPERAND: &'static str = "an identifier, `1 of …`, `all of …` or `(`";
    const SELECTORS: bool = true;
    fn or(items: Vec<Self>) -> Self {
        Cond::Or(items)
    }
    fn and(items: Vec<Self>) -> Self {
        Cond::And(items)
    }
    fn not(inner: Self) -> Self {
        Cond::Not(Box::new(inner))
    }
    fn ident(name: &str, span: Span) -> Self {
        let name = name.to_owned();
        Cond::Ident { name, span }
    }
    fn selector(quantifier: Quantifier, target: Target, span: Span) -> Result<Self, String> {
        Ok(Cond::Selector {
            quantifier,
            target,
            span,
        })
    }
}

impl Tree for BoolExpr<Name> {
    const OPERAND: &'static str = "an identifier or `(`";
    const SELECTORS: bool = false;
    fn or(items: Vec<Self>) -> Self {
        BoolExpr::Or(items)
    }
    fn and(items: Vec<Self>) -> Self {
        BoolExpr::And(items)
    }
    fn not(inner: Self) -> Self {
        BoolExpr::Not(Box::new(inner))
    }
    fn ident(name: &str, span: Span) -> Self {
        let name = name.to_owned();
        BoolExpr::Leaf(Name { name, span })
    }
    fn selector(_: Quantifier, _: Target, _: Span) -> Result<Self, String> {
        Err("`x of …` selectors are not allowed here: name each condition".to_owned())
    }
}

/// Parses a condition string into a [`Cond`] tree.
pub fn parse(text: &str) -> Result<Cond, ConditionError> {
    parse_tree(text)
}

/// Parses a boolean expression over names (`a and not (b or c)`): the condition grammar
/// without `x of` selectors, with the same limits.
pub fn parse_boolean(text: &str) -> Result<BoolExpr<Name>, ConditionError> {
    parse_tree(text)
}

fn parse_tree<T: Tree>(text: &str) -> Result<T, ConditionError> {
    if text.len() > MAX_LEN {
        let message = format!(
            "condition is {} bytes long; the limit is {MAX_LEN}",
            text.len()
        );
        return Err(error(Span::new(0, 0), message));
    }
    if text.trim_matches([' ', '\t', '\r', '\n']).is_empty() {
        return Err(error(Span::new(0, text.len()), "the condition is empty"));
    }
    let p = Grammar::<T> {
        src: text,
        tree: PhantomData,
    };
    match p.or_expr(text, 0) {
        Ok((rest, cond)) => match multispace0::<_, Fail>(rest) {
            Ok(("", _)) => Ok(cond),
            Ok((rest, _)) if rest.starts_with(')') => Err(error(p.span(rest, 1), "unmatched `)`")),
            _ => Err(p.unexpected(rest, "`and` or `or`")),
        },
        Err(Err::Failure(Fail::Found(e)) | Err::Error(Fail::Found(e))) => Err(e),
        Err(Err::Failure(Fail::Nom(at)) | Err::Error(Fail::Nom(at))) => {
            Err(p.unexpected(at, T::OPERAND))
        }
        Err(Err::Incomplete(_)) => Err(p.unexpected(&text[text.len()..], T::OPERAND)),
    }
}

fn error(span: Span, message: impl Into<String>) -> ConditionError {
    ConditionError {
        span,
        message: message.into(),
    }
}

/// The parsers' error: a nom backtrack position, or a finished [`ConditionError`].
#[derive(Debug)]
enum Fail<'a> {
    Nom(&'a str),
    Found(ConditionError),
}

impl<'a> ParseError<&'a str> for Fail<'a> {
    fn from_error_kind(input: &'a str, _: ErrorKind) -> Self {
        Fail::Nom(input)
    }
    fn append(_: &'a str, _: ErrorKind, other: Self) -> Self {
        other
    }
}

type PResult<'a, T> = IResult<&'a str, T, Fail<'a>>;

fn failure<T>(e: ConditionError) -> PResult<'static, T> {
    Err(Err::Failure(Fail::Found(e)))
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '*')
}

/// A maximal run of word characters (identifier characters and `*`), after optional whitespace.
fn word(i: &str) -> PResult<'_, &str> {
    preceded(multispace0, take_while1(is_word_char)).parse(i)
}

/// Exactly the lowercase word `kw`; `notfilter` or `and_x` do not match `not` or `and`.
fn keyword<'a>(kw: &'static str) -> impl Parser<&'a str, Output = &'a str, Error = Fail<'a>> {
    verify(word, move |w: &str| w == kw)
}

/// `AND`, `Or`, …: an operator in the wrong case, which gets its own message.
fn miscased_operator(w: &str) -> Option<&'static str> {
    ["and", "or", "not", "of"]
        .into_iter()
        .find(|op| w != *op && w.eq_ignore_ascii_case(op))
}

/// Words that may be neither an identifier nor a selector pattern.
fn is_reserved(w: &str) -> bool {
    KEYWORDS.contains(&w) || w == "near" || miscased_operator(w).is_some()
}

/// Builds `Or`/`And` from a chain; a single operand stands for itself.
fn chain<T>(first: T, rest: Vec<T>, node: fn(Vec<T>) -> T) -> T {
    if rest.is_empty() {
        return first;
    }
    let mut all = Vec::with_capacity(rest.len() + 1);
    all.push(first);
    all.extend(rest);
    node(all)
}

/// The grammar over one condition string; `src` turns sub-slices back into byte offsets.
struct Grammar<'a, T> {
    src: &'a str,
    tree: PhantomData<T>,
}

impl<'a, T: Tree> Grammar<'a, T> {
    /// The span of the `len` bytes starting where `at` (a suffix or sub-slice of `src`) starts.
    fn span(&self, at: &str, len: usize) -> Span {
        let start = self.src.offset(at);
        Span::new(start, start + len)
    }

    fn or_expr(&self, i: &'a str, depth: usize) -> PResult<'a, T> {
        let (i, first) = self.and_expr(i, depth)?;
        let (i, rest) = many0(preceded(keyword("or"), |i| self.and_expr(i, depth))).parse(i)?;
        Ok((i, chain(first, rest, T::or)))
    }

    fn and_expr(&self, i: &'a str, depth: usize) -> PResult<'a, T> {
        let (i, first) = self.not_expr(i, depth)?;
        let (i, rest) = many0(preceded(keyword("and"), |i| self.not_expr(i, depth))).parse(i)?;
        Ok((i, chain(first, rest, T::and)))
    }

    fn not_expr(&self, i: &'a str, depth: usize) -> PResult<'a, T> {
        let (i, nots) = many0(keyword("not")).parse(i)?;
        if let Some(too_deep) = nots.get(MAX_DEPTH.saturating_sub(depth)) {
            return failure(self.too_deep(too_deep));
        }
        let (i, operand) = self.operand(i, depth + nots.len())?;
        let cond = nots.iter().fold(operand, |c, _| T::not(c));
        Ok((i, cond))
    }

    /// A parenthesised expression, a selector or an identifier; anything else is a failure.
    fn operand(&self, i: &'a str, depth: usize) -> PResult<'a, T> {
        let ident = map(
            verify(word, |w: &str| !is_reserved(w) && !w.contains('*')),
            |w| T::ident(w, self.span(w, w.len())),
        );
        alt((|i| self.parens(i, depth), |i| self.selector(i), ident))
            .parse(i)
            .map_err(|e| match e {
                Err::Error(_) => Err::Failure(Fail::Found(self.unexpected(i, T::OPERAND))),
                e => e,
            })
    }

    fn parens(&self, i: &'a str, depth: usize) -> PResult<'a, T> {
        let (inner, paren) = preceded(multispace0, tag("(")).parse(i)?;
        if depth >= MAX_DEPTH {
            return failure(self.too_deep(paren));
        }
        let (rest, cond) = self.or_expr(inner, depth + 1)?;
        match preceded(multispace0::<_, Fail>, char(')')).parse(rest) {
            Ok((rest, _)) => Ok((rest, cond)),
            Err(_) if rest.trim_start_matches([' ', '\t', '\r', '\n']).is_empty() => {
                failure(error(self.span(paren, 1), "unclosed `(`"))
            }
            Err(_) => failure(self.unexpected(rest, "`and`, `or` or `)`")),
        }
    }

    /// `<quantifier> of <them | pattern>`; backtracks unless a word is followed by `of`.
    fn selector(&self, i: &'a str) -> PResult<'a, T> {
        let (i, (quantifier, _)) = (word, keyword("of")).parse(i)?;
        let q_span = self.span(quantifier, quantifier.len());
        let quantifier = match quantifier {
            "1" | "any" => Quantifier::Any,
            "all" => Quantifier::All,
            other => {
                let message =
                    format!("`{other}` is not a quantifier: write `1 of`, `any of` or `all of`");
                return failure(error(q_span, message));
            }
        };
        let target = verify(word, |w: &str| w == "them" || !is_reserved(w)).parse(i);
        let Ok((rest, target)) = target else {
            return failure(self.unexpected(i, "`them` or an identifier pattern after `of`"));
        };
        let span = q_span.to(self.span(target, target.len()));
        let target = match target {
            "them" => Target::Them,
            pattern => Target::Pattern(pattern.to_owned()),
        };
        match T::selector(quantifier, target, span) {
            Ok(selector) => Ok((rest, selector)),
            Err(message) => failure(error(span, message)),
        }
    }

    fn too_deep(&self, token: &str) -> ConditionError {
        let message = format!("nesting deeper than {MAX_DEPTH} levels");
        error(self.span(token, token.len()), message)
    }

    /// Describes whatever is at `at` (after whitespace) when `expected` was wanted there.
    fn unexpected(&self, at: &'a str, expected: &str) -> ConditionError {
        let at = at.trim_start_matches([' ', '\t', '\r', '\n']);
        let Some(c) = at.chars().next() else {
            let message = format!("unexpected end of condition: expected {expected}");
            return error(self.span(at, 0), message);
        };
        if let Ok((_, w)) = word(at) {
            let span = self.span(w, w.len());
            let message = if w == "near" {
                "`near` is deprecated Sigma v1 syntax and not supported; use a temporal correlation rule".to_owned()
            } else if let Some(op) = miscased_operator(w) {
                format!("operators are lowercase: write `{op}`")
            } else if w.contains('*') && T::SELECTORS && expected == T::OPERAND {
                format!("`{w}`: wildcards are only allowed in selectors such as `1 of {w}`")
            } else if matches!(w, "1" | "any" | "all") && T::SELECTORS && expected == T::OPERAND {
                format!("`{w}` must be followed by `of`")
            } else {
                format!("expected {expected}, found `{w}`")
            };
            return error(span, message);
        }
        let span = self.span(at, c.len_utf8());
        let message = match c {
            '|' => "aggregation expressions (`| …`) are deprecated Sigma v1 syntax and not supported; use a correlation rule".to_owned(),
            '(' | ')' => format!("expected {expected}, found `{c}`"),
            _ => format!("unexpected character `{c}`"),
        };
        error(span, message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A compact rendering of a tree: `or(a, and(b, c))`, `not(a)`, `any(sel*)`, `all(them)`.
    fn show(c: &Cond) -> String {
        let list = |items: &[Cond]| items.iter().map(show).collect::<Vec<_>>().join(", ");
        match c {
            Cond::Or(items) => format!("or({})", list(items)),
            Cond::And(items) => format!("and({})", list(items)),
            Cond::Not(inner) => format!("not({})", show(inner)),
            Cond::Ident { name, .. } => name.clone(),
            Cond::Selector {
                quantifier, target, ..
            } => {
                let q = match quantifier {
                    Quantifier::Any => "any",
                    Quantifier::All => "all",
                };
                match target {
                    Target::Them => format!("{q}(them)"),
                    Target::Pattern(p) => format!("{q}({p})"),
                }
            }
        }
    }

    fn ok(text: &str) -> String {
        show(&parse(text).unwrap_or_else(|e| panic!("{text:?}: {e} at {:?}", e.span)))
    }

    #[test]
    fn precedence_and_grouping() {
        for (text, tree) in [
            ("a", "a"),
            ("a or b and c", "or(a, and(b, c))"),
            ("a and b or c", "or(and(a, b), c)"),
            ("not a and b", "and(not(a), b)"),
            ("a and not b or c", "or(and(a, not(b)), c)"),
            ("a or b or c", "or(a, b, c)"),
            ("a and b and c and d", "and(a, b, c, d)"),
            ("(a or b) or c", "or(or(a, b), c)"),
            ("(a or b) and c", "and(or(a, b), c)"),
            ("not (a and b)", "not(and(a, b))"),
            ("not not a", "not(not(a))"),
            ("((a))", "a"),
            (
                "1 of sel* and not 1 of filter*",
                "and(any(sel*), not(any(filter*)))",
            ),
            ("all of them", "all(them)"),
            ("any of them or all of x_*", "or(any(them), all(x_*))"),
            ("not 1 of filter_*", "not(any(filter_*))"),
            ("(a)and(b)", "and(a, b)"),
            ("not(a)", "not(a)"),
            ("\ta\n and\r\n  b ", "and(a, b)"),
            (
                "sel-1 or win.proc or sélection",
                "or(sel-1, win.proc, sélection)",
            ),
        ] {
            assert_eq!(ok(text), tree, "{text:?}");
        }
    }

    #[test]
    fn keywords_need_word_boundaries() {
        for (text, tree) in [
            ("notfilter", "notfilter"),
            ("not_filter", "not_filter"),
            ("not-filter", "not-filter"),
            ("order or andy", "or(order, andy)"),
            ("not notor", "not(notor)"),
            ("1 of them_*", "any(them_*)"),
            ("all of ofx", "all(ofx)"),
        ] {
            assert_eq!(ok(text), tree, "{text:?}");
        }
        // `and_b` is an identifier, so this is two operands in a row
        let e = parse("a and_b").unwrap_err();
        assert_eq!(
            (e.span, e.message.as_str()),
            (Span::new(2, 7), "expected `and` or `or`, found `and_b`")
        );
    }

    #[test]
    fn spans_are_byte_offsets() {
        let Cond::And(items) = parse("é and 1 of  s*").unwrap() else {
            panic!("expected and")
        };
        let spans: Vec<Span> = items
            .iter()
            .map(|c| match c {
                Cond::Ident { span, .. } | Cond::Selector { span, .. } => *span,
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(spans, [Span::new(0, 2), Span::new(7, 15)]);
    }

    #[test]
    fn errors_point_at_the_offending_token() {
        for (text, (start, end), message) in [
            ("", (0, 0), "the condition is empty"),
            ("  \n", (0, 3), "the condition is empty"),
            ("(a or b", (0, 1), "unclosed `(`"),
            ("a and (b or (c)", (6, 7), "unclosed `(`"),
            ("a)", (1, 2), "unmatched `)`"),
            ("(a) or b)", (8, 9), "unmatched `)`"),
            (
                "()",
                (1, 2),
                "expected an identifier, `1 of …`, `all of …` or `(`, found `)`",
            ),
            ("a b", (2, 3), "expected `and` or `or`, found `b`"),
            ("(a b)", (3, 4), "expected `and`, `or` or `)`, found `b`"),
            (
                "a and",
                (5, 5),
                "unexpected end of condition: expected an identifier",
            ),
            (
                "and b",
                (0, 3),
                "expected an identifier, `1 of …`, `all of …` or `(`, found `and`",
            ),
            ("a or or b", (5, 7), "found `or`"),
            ("not", (3, 3), "unexpected end of condition"),
            ("a AND b", (2, 5), "operators are lowercase: write `and`"),
            ("NOT a", (0, 3), "operators are lowercase: write `not`"),
            ("a Or b", (2, 4), "operators are lowercase: write `or`"),
            (
                "sel | count() by x > 5",
                (4, 5),
                "aggregation expressions (`| …`) are deprecated",
            ),
            ("a near b", (2, 6), "`near` is deprecated Sigma v1 syntax"),
            (
                "near a and b",
                (0, 4),
                "`near` is deprecated Sigma v1 syntax",
            ),
            (
                "2 of sel*",
                (0, 1),
                "`2` is not a quantifier: write `1 of`, `any of` or `all of`",
            ),
            (
                "1 of",
                (4, 4),
                "expected `them` or an identifier pattern after `of`",
            ),
            ("1 of )", (5, 6), "found `)`"),
            ("all of and", (7, 10), "found `and`"),
            ("any", (0, 3), "`any` must be followed by `of`"),
            (
                "sel* or a",
                (0, 4),
                "wildcards are only allowed in selectors",
            ),
            ("a & b", (2, 3), "unexpected character `&`"),
            ("a and\u{a0}b", (5, 7), "unexpected character `\u{a0}`"),
            ("them", (0, 4), "found `them`"),
        ] {
            let e = parse(text).expect_err(text);
            assert_eq!(e.span, Span::new(start, end), "{text:?}: {e}");
            assert!(e.message.contains(message), "{text:?}: {e}");
        }
    }

    #[test]
    fn nesting_is_limited_before_recursing() {
        let nested = |n: usize| format!("{}a{}", "(".repeat(n), ")".repeat(n));
        assert_eq!(ok(&nested(MAX_DEPTH)), "a");
        let e = parse(&nested(MAX_DEPTH + 1)).unwrap_err();
        assert_eq!(e.span, Span::new(MAX_DEPTH, MAX_DEPTH + 1));
        assert_eq!(e.message, "nesting deeper than 128 levels");
        let e = parse(&nested(10_000)).unwrap_err();
        assert_eq!(e.span, Span::new(MAX_DEPTH, MAX_DEPTH + 1));
        // `not`s nest too, and count together with parentheses
        let e = parse(&format!("{}a", "not ".repeat(10_000))).unwrap_err();
        assert_eq!(e.span, Span::new(4 * MAX_DEPTH, 4 * MAX_DEPTH + 3));
        let e = parse(&format!("(not {}a)", "not ".repeat(MAX_DEPTH))).unwrap_err();
        assert_eq!(e.message, "nesting deeper than 128 levels");
        assert!(parse(&format!("{}a", "not ".repeat(MAX_DEPTH))).is_ok());
    }

    #[test]
    fn hostile_lengths() {
        let e = parse(&"a or ".repeat(50_000)).unwrap_err();
        assert_eq!(e.span, Span::new(0, 0));
        assert_eq!(
            e.message,
            "condition is 250000 bytes long; the limit is 65536"
        );
        let long = format!("a{}", " or a".repeat(13_000));
        let start = std::time::Instant::now();
        let Cond::Or(items) = parse(&long).unwrap() else {
            panic!("expected one or node")
        };
        assert_eq!(items.len(), 13_001);
        assert!(start.elapsed().as_secs() < 2, "{:?}", start.elapsed());
        let e = parse(&format!("{long} and")).unwrap_err();
        assert_eq!(e.span, Span::new(long.len() + 4, long.len() + 4));
    }

    /// A compact rendering of a boolean expression, as `show` does for conditions.
    fn show_bool(e: &BoolExpr<Name>) -> String {
        let list = |items: &[BoolExpr<Name>]| items.iter().map(show_bool).collect::<Vec<_>>();
        match e {
            BoolExpr::Or(items) => format!("or({})", list(items).join(", ")),
            BoolExpr::And(items) => format!("and({})", list(items).join(", ")),
            BoolExpr::Not(inner) => format!("not({})", show_bool(inner)),
            BoolExpr::Leaf(n) => n.name.clone(),
        }
    }

    #[test]
    fn boolean_expressions_share_the_precedence() {
        for (text, tree) in [
            ("win", "win"),
            ("a or b and c", "or(a, and(b, c))"),
            ("a and not b or c", "or(and(a, not(b)), c)"),
            (
                "windows and not (security or not sigma)",
                "and(windows, not(or(security, not(sigma))))",
            ),
            ("not not a", "not(not(a))"),
            ("((a))", "a"),
        ] {
            let e = parse_boolean(text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
            assert_eq!(show_bool(&e), tree, "{text:?}");
        }
        let BoolExpr::And(items) = parse_boolean("a and cond-2").unwrap() else {
            panic!("expected and")
        };
        assert_eq!(
            items[1],
            BoolExpr::Leaf(Name {
                name: "cond-2".into(),
                span: Span::new(6, 12)
            })
        );
    }

    #[test]
    fn boolean_expressions_refuse_selectors_and_bad_syntax() {
        for (text, (start, end), message) in [
            (
                "1 of sel*",
                (0, 9),
                "`x of …` selectors are not allowed here: name each condition",
            ),
            (
                "a and all of them",
                (6, 17),
                "`x of …` selectors are not allowed here",
            ),
            ("a*", (0, 2), "expected an identifier or `(`, found `a*`"),
            ("any", (0, 3), "expected an identifier or `(`, found `any`"),
            ("a AND b", (2, 5), "operators are lowercase: write `and`"),
            ("(a or b", (0, 1), "unclosed `(`"),
            ("a b", (2, 3), "expected `and` or `or`, found `b`"),
            ("", (0, 0), "the condition is empty"),
        ] {
            let e = parse_boolean(text).expect_err(text);
            assert_eq!(e.span, Span::new(start, end), "{text:?}: {e}");
            assert!(e.message.contains(message), "{text:?}: {e}");
        }
    }

    #[test]
    fn boolean_expressions_have_the_same_limits() {
        let e = parse_boolean(&"(".repeat(100_000)).unwrap_err();
        assert_eq!(e.span, Span::new(0, 0));
        assert_eq!(
            e.message,
            "condition is 100000 bytes long; the limit is 65536"
        );
        let nested = |n: usize| format!("{}a{}", "(".repeat(n), ")".repeat(n));
        assert!(parse_boolean(&nested(MAX_DEPTH)).is_ok());
        let e = parse_boolean(&nested(MAX_DEPTH + 1)).unwrap_err();
        assert_eq!(e.span, Span::new(MAX_DEPTH, MAX_DEPTH + 1));
        assert_eq!(e.message, "nesting deeper than 128 levels");
        let e = parse_boolean(&format!("{}a", "not ".repeat(10_000))).unwrap_err();
        assert_eq!(e.message, "nesting deeper than 128 levels");
    }
}
