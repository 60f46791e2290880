//! A tiny interpreter of the LogPoint queries that the LogPoint backend writes, for one event.
//!
//! Layout: `search`, or `pre\n| process regex(…)\n| process eval(…) \n| …\n| search rest`.
//! Search: implicit AND (loosest), `OR`, `-` for NOT (tightest), parentheses; terms
//! `field="glob"` or `field='glob'` (no escape character at all; `*` any run, `?` one character;
//! whole value, no case), `field=5` (numeric equality), `field=*` (present and not null),
//! `field!=*` (absent or null), `field > 5` and friends, `field IN [v, …]`, and bare quoted
//! values (keywords: the glob anywhere in any value of the event).
//! Commands: `process regex("(?P<G>re)", field)` sets `G` when the regex is found in the field's
//! value (the field `msg`, the raw message, when the event has none: then in any of its values),
//! and `process eval("C=case(isnotnull(G) -> 'true', 'false')")`. Anything else is an error.

use super::Profile;
use super::boolean::{self, AND_THEN_OR, Grammar, Node, Token, Tokens, comparison, operator};
use super::fields::Fields;
use super::glob::{Piece, glob, glob_within, literal};
use super::read::Item;
use super::value::{number, ordered};
use serde_json::{Map, Value};
use sigc_compiler::ir::{Expr, Pattern, Value as V};

/// The field standing for the raw log message, which keyword regexes search.
const MESSAGE: &str = "msg";

/// LogPoint has no booleans, field references nor `|cased`. IPv6 networks are generated: the
/// backend refuses them (no wildcard on an address's text is exact), and a query that wrote one
/// anyway would disagree with the evaluator on the addresses generated for it (`fe8::1`, `FEBF::A`).
pub const PROFILE: Profile = Profile {
    any_char: true,
    keywords: true,
    existence: true,
    compare: true,
    booleans: false,
    regex: true,
    cidr_v6: true,
    fieldref: false,
    chars: super::ALL_CHARS,
    fields: super::ALL_FIELDS,
    prepare: |_| {},
    admits,
};

/// A value that is exactly `-` is written `field!=*` on purpose: LogPoint's normaliser drops
/// Windows' `-` placeholder, which the evaluator does not model.
fn admits(condition: &Expr) -> bool {
    let dash = |p: &Pattern| p.as_plain().as_deref() == Some("-");
    !condition.leaves().iter().any(|m| {
        m.field.is_some()
            && match &m.value {
                V::Str(p) => dash(p),
                V::Expansion(ps) => ps.iter().any(dash),
                _ => false,
            }
    })
}

/// Whether `query` selects `event`.
pub fn matches(query: &str, event: &Map<String, Value>) -> Result<bool, String> {
    let mut fields = Fields::new(event);
    let segments = split_pipes(query)?;
    let (first, rest) = segments.split_first().ok_or("empty query")?;
    if !first.is_empty() && !eval_search(first, &fields)? {
        return Ok(false);
    }
    let Some((last, chain)) = rest.split_last() else {
        return Ok(true);
    };
    for command in chain {
        match process(command)? {
            Process::Regex { group, re, field } => {
                let re = regex::Regex::new(&re).map_err(|e| e.to_string())?;
                let hit = fields.found(&re, &field, MESSAGE);
                fields.capture(&group, hit);
            }
            Process::Eval { target, group } => fields.flag(&target, &group),
        }
    }
    let search = last
        .strip_prefix("search ")
        .ok_or("the chain does not end with a search")?;
    eval_search(search, &fields)
}

/// The query's stages, names and literals ([`Item`]); a regex is read with its named group.
pub fn read(query: &str) -> Result<Vec<Item>, String> {
    let segments = split_pipes(query)?;
    let mut out = Vec::new();
    for (i, segment) in segments.iter().enumerate() {
        let search = if i == 0 {
            Some(segment.as_str())
        } else if i + 1 == segments.len() {
            Some(
                segment
                    .strip_prefix("search ")
                    .ok_or("the chain does not end with a search")?,
            )
        } else {
            None
        };
        if let Some(text) = search {
            out.push(Item::Stage("search".into()));
            if !text.is_empty() {
                read_search(text, &mut out)?;
            }
            continue;
        }
        match process(segment)? {
            Process::Regex { re, field, .. } => {
                out.push(Item::Stage("process regex".into()));
                out.extend([Item::Regex(re), Item::Name(field)]);
            }
            Process::Eval { target, .. } => {
                out.push(Item::Stage("process eval".into()));
                out.push(Item::Name(target));
            }
        }
    }
    Ok(out)
}

fn read_search(text: &str, out: &mut Vec<Item>) -> Result<(), String> {
    for term in SEARCH.parse(tokenize(text)?)?.leaves() {
        match term {
            Term::Cmp(field, _, value) => {
                out.push(Item::Name(field.clone()));
                out.push(match value {
                    Token::Quoted(pieces) => Item::Value(pieces.clone()),
                    Token::Word(w) => Item::Word(w.clone()),
                    t => return Err(format!("unexpected value {t:?}")),
                });
            }
            Term::Keyword(pieces) => out.push(Item::Value(pieces.clone())),
        }
    }
    Ok(())
}

/// A `process` command of the regex chain.
enum Process {
    /// `process regex("(?P<G>…)", field)`: the group, the whole regex, the field.
    Regex {
        group: String,
        re: String,
        field: String,
    },
    /// `process eval("C=case(isnotnull(G) -> 'true', 'false')")`.
    Eval { target: String, group: String },
}

fn process(command: &str) -> Result<Process, String> {
    let call = command
        .strip_prefix("process ")
        .ok_or_else(|| format!("unknown command `{command}`"))?;
    if let Some(args) = call
        .strip_prefix("regex(")
        .and_then(|a| a.strip_suffix(')'))
    {
        let (quoted, field) = take_quoted(args)?;
        let re = literal(&quoted);
        let field = field.strip_prefix(", ").ok_or("regex without a field")?;
        let field = match field.strip_prefix('"') {
            Some(f) => f.strip_suffix('"').ok_or("unterminated field")?,
            None => field,
        };
        let group = re
            .strip_prefix("(?P<")
            .and_then(|r| r.split_once('>'))
            .ok_or("regex without a named group")?
            .0
            .to_string();
        return Ok(Process::Regex {
            group,
            re,
            field: field.to_string(),
        });
    }
    let args = call
        .strip_prefix("eval(")
        .and_then(|a| a.strip_suffix(')'))
        .ok_or_else(|| format!("unknown process command `{call}`"))?;
    let (quoted, rest) = take_quoted(args)?;
    if !rest.is_empty() {
        return Err(format!("junk after eval: {rest:?}"));
    }
    let body = literal(&quoted);
    let (target, expr) = body.split_once('=').ok_or("eval without =")?;
    let group = expr
        .strip_prefix("case(isnotnull(")
        .and_then(|e| e.strip_suffix(") -> 'true', 'false')"))
        .ok_or("unknown eval")?;
    Ok(Process::Eval {
        target: target.to_string(),
        group: group.to_string(),
    })
}

/// The query's commands, split at `|` outside quotes.
fn split_pipes(query: &str) -> Result<Vec<String>, String> {
    let mut out = vec![String::new()];
    let mut quote = None;
    for c in query.chars() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '|') => {
                out.push(String::new());
                continue;
            }
            _ => {}
        }
        out.last_mut().expect("segment").push(c);
    }
    if quote.is_some() {
        return Err("unterminated quote".into());
    }
    Ok(out.into_iter().map(|s| s.trim().to_string()).collect())
}

/// Reads `"…"` or `'…'` (no escapes) at the start of `text`: its pieces and the rest.
fn take_quoted(text: &str) -> Result<(Vec<Piece>, &str), String> {
    let quote = text.chars().next().ok_or("expected a quote")?;
    if quote != '"' && quote != '\'' {
        return Err(format!("expected a quote, got {quote:?}"));
    }
    let mut pieces = Vec::new();
    for (i, c) in text.char_indices().skip(1) {
        match c {
            c if c == quote => return Ok((pieces, &text[i + 1..])),
            '*' => pieces.push(Piece::Star),
            '?' => pieces.push(Piece::One),
            c => pieces.push(Piece::Char(c)),
        }
    }
    Err("unterminated quote".into())
}

/// LogPoint's reserved words (NOT is `-`).
const WORDS: &[(&str, Token)] = &[("OR", Token::Or), ("IN", Token::Reserved("IN"))];

fn tokenize(text: &str) -> Result<Vec<Token>, String> {
    boolean::tokenize(text, |rest, last| {
        let in_value = matches!(last, Some(Token::Op(_) | Token::ListOpen | Token::Comma));
        let c = rest.chars().next().expect("not empty");
        Ok(match c {
            '(' => (Token::Open, 1),
            ')' => (Token::Close, 1),
            '[' => (Token::ListOpen, 1),
            ']' => (Token::ListClose, 1),
            ',' => (Token::Comma, 1),
            // A sign where a value is expected belongs to the number; anywhere else `-` is NOT.
            '-' if !in_value => (Token::Not, 1),
            '"' | '\'' => {
                let (pieces, after) = take_quoted(rest)?;
                (Token::Quoted(pieces), rest.len() - after.len())
            }
            '<' | '>' | '!' | '=' => operator(rest, &["<=", ">=", "!=", "<", ">", "="])?,
            _ => {
                let end = rest
                    .char_indices()
                    .find(|&(i, c)| {
                        !(c.is_alphanumeric() || "_.*".contains(c) || (i == 0 && c == '-'))
                    })
                    .map_or(rest.len(), |(i, _)| i);
                Token::word(rest, end, WORDS)?
            }
        })
    })
}

/// A search term.
#[derive(Debug)]
enum Term {
    /// `field op value`; `IN` is an OR of `=`.
    Cmp(String, &'static str, Token),
    /// A bare quoted value.
    Keyword(Vec<Piece>),
}

const SEARCH: Grammar<Term> = Grammar {
    levels: AND_THEN_OR,
    term,
};

fn term(token: Token, tokens: &mut Tokens) -> Result<Node<Term>, String> {
    let name = token.field_name()?;
    let list = [Token::ListOpen, Token::ListClose];
    if let Some(cmp) = comparison(tokens, &name, list, Term::Cmp)? {
        return Ok(cmp);
    }
    match token {
        Token::Quoted(pieces) => Ok(Node::Leaf(Term::Keyword(pieces))),
        t => Err(format!("bare word {t:?}")),
    }
}

fn eval_search(text: &str, fields: &Fields) -> Result<bool, String> {
    SEARCH
        .parse(tokenize(text)?)?
        .eval(&|term| eval(term, fields))
}

fn eval(term: &Term, fields: &Fields) -> Result<bool, String> {
    match term {
        Term::Cmp(field, op, value) => compare(fields.get(field), op, value),
        Term::Keyword(pieces) => {
            let re = glob_within(pieces);
            Ok(fields.any_value(|t| re.is_match(t)))
        }
    }
}

fn compare(value: Option<&str>, op: &str, want: &Token) -> Result<bool, String> {
    Ok(match (op, want, value) {
        ("!=", Token::Word(w), v) if w == "*" => v.is_none(),
        (_, _, None) => false,
        ("=", Token::Word(w), _) if w == "*" => true,
        ("=", Token::Quoted(pieces), Some(v)) => glob(pieces).is_match(v),
        (op, Token::Word(w), Some(v)) => {
            let b = number(w).ok_or_else(|| format!("not a number: {w}"))?;
            number(v).is_some_and(|a| ordered(op, a, b))
        }
        (op, value, _) => return Err(format!("unknown comparison {op} {value:?}")),
    })
}
