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

use super::{Piece, Profile, glob, number, text};
use serde_json::{Map, Value};
use sigc_compiler::ir::{Expr, Pattern, Value as V};
use std::collections::HashMap;

/// The field standing for the raw log message, which keyword regexes search.
const MESSAGE: &str = "msg";

/// LogPoint has no booleans, field references nor `|cased`. IPv6 networks are left out: their
/// wildcards (pySigma's expansion) match text, not addresses, so `fe8*` for `fe80::/10` also
/// matches `fe8::1`, which is outside it.
pub const PROFILE: Profile = Profile {
    any_char: true,
    keywords: true,
    existence: true,
    compare: true,
    booleans: false,
    regex: true,
    cidr_v6: false,
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
    let mut fields: HashMap<String, Option<String>> =
        event.iter().map(|(k, v)| (k.clone(), text(v))).collect();
    let segments = split_pipes(query)?;
    let (first, rest) = segments.split_first().ok_or("empty query")?;
    if !first.is_empty() && !eval_search(first, &fields, event)? {
        return Ok(false);
    }
    let Some((last, chain)) = rest.split_last() else {
        return Ok(true);
    };
    for command in chain {
        let call = command
            .strip_prefix("process ")
            .ok_or_else(|| format!("unknown command `{command}`"))?;
        if let Some(args) = call
            .strip_prefix("regex(")
            .and_then(|a| a.strip_suffix(')'))
        {
            let (quoted, field) = take_quoted(args)?;
            let re: String = quoted.iter().map(piece_char).collect();
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
            let re = regex::Regex::new(&re).map_err(|e| e.to_string())?;
            let hit = match fields.get(field) {
                Some(v) => v.as_deref().is_some_and(|t| re.is_match(t)),
                None if field == MESSAGE => {
                    event.values().filter_map(text).any(|t| re.is_match(&t))
                }
                None => false,
            };
            fields.insert(group, hit.then(|| "x".to_string()));
        } else if let Some(args) = call.strip_prefix("eval(").and_then(|a| a.strip_suffix(')')) {
            let (quoted, rest) = take_quoted(args)?;
            if !rest.is_empty() {
                return Err(format!("junk after eval: {rest:?}"));
            }
            let body: String = quoted.iter().map(piece_char).collect();
            let (target, expr) = body.split_once('=').ok_or("eval without =")?;
            let group = expr
                .strip_prefix("case(isnotnull(")
                .and_then(|e| e.strip_suffix(") -> 'true', 'false')"))
                .ok_or("unknown eval")?;
            let set = fields.get(group).is_some_and(Option::is_some);
            fields.insert(target.to_string(), Some(set.to_string()));
        } else {
            return Err(format!("unknown process command `{call}`"));
        }
    }
    let search = last
        .strip_prefix("search ")
        .ok_or("the chain does not end with a search")?;
    eval_search(search, &fields, event)
}

fn piece_char(p: &Piece) -> char {
    match p {
        Piece::Char(c) => *c,
        Piece::Star => '*',
        Piece::One => '?',
    }
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

#[derive(Clone, Debug, PartialEq)]
enum Token {
    Open,
    Close,
    ListOpen,
    ListClose,
    Comma,
    Not,
    Or,
    In,
    Op(&'static str),
    Word(String),
    Quoted(Vec<Piece>),
}

fn tokenize(text: &str) -> Result<Vec<Token>, String> {
    let mut out: Vec<Token> = Vec::new();
    let mut rest = text;
    loop {
        rest = rest.trim_start();
        let Some(c) = rest.chars().next() else {
            return Ok(out);
        };
        let in_value = matches!(
            out.last(),
            Some(Token::Op(_) | Token::ListOpen | Token::Comma)
        );
        let (token, len) = match c {
            '(' => (Token::Open, 1),
            ')' => (Token::Close, 1),
            '[' => (Token::ListOpen, 1),
            ']' => (Token::ListClose, 1),
            ',' => (Token::Comma, 1),
            // A sign where a value is expected belongs to the number; anywhere else `-` is NOT.
            '-' if !in_value => (Token::Not, 1),
            '"' | '\'' => {
                let (pieces, after) = take_quoted(rest)?;
                out.push(Token::Quoted(pieces));
                rest = after;
                continue;
            }
            '<' | '>' | '!' | '=' => {
                let op = ["<=", ">=", "!=", "<", ">", "="]
                    .into_iter()
                    .find(|op| rest.starts_with(op))
                    .ok_or("bad operator")?;
                (Token::Op(op), op.len())
            }
            _ => {
                let end = rest
                    .char_indices()
                    .find(|&(i, c)| {
                        !(c.is_alphanumeric() || "_.*".contains(c) || (i == 0 && c == '-'))
                    })
                    .map_or(rest.len(), |(i, _)| i);
                let token = match &rest[..end] {
                    "" => return Err(format!("unexpected character {c:?}")),
                    "OR" => Token::Or,
                    "IN" => Token::In,
                    w => Token::Word(w.to_string()),
                };
                (token, end)
            }
        };
        out.push(token);
        rest = &rest[len..];
    }
}

/// A parsed search expression.
#[derive(Debug)]
enum Node {
    And(Vec<Node>),
    Or(Vec<Node>),
    Not(Box<Node>),
    /// `field op value`; `IN` is an OR of `=`.
    Cmp(String, &'static str, Token),
    /// A bare quoted value.
    Keyword(Vec<Piece>),
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn next(&mut self) -> Result<Token, String> {
        let t = self.tokens.get(self.at).cloned().ok_or("unexpected end")?;
        self.at += 1;
        Ok(t)
    }

    /// Implicit AND: the loosest.
    fn and(&mut self) -> Result<Node, String> {
        let mut items = vec![self.or()?];
        while !matches!(self.peek(), None | Some(Token::Close)) {
            items.push(self.or()?);
        }
        Ok(if items.len() == 1 {
            items.pop().expect("one")
        } else {
            Node::And(items)
        })
    }

    fn or(&mut self) -> Result<Node, String> {
        let mut items = vec![self.not()?];
        while self.peek() == Some(&Token::Or) {
            self.at += 1;
            items.push(self.not()?);
        }
        Ok(if items.len() == 1 {
            items.pop().expect("one")
        } else {
            Node::Or(items)
        })
    }

    fn not(&mut self) -> Result<Node, String> {
        if self.peek() == Some(&Token::Not) {
            self.at += 1;
            return Ok(Node::Not(Box::new(self.not()?)));
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<Node, String> {
        let token = self.next()?;
        if token == Token::Open {
            let inner = self.and()?;
            return match self.next()? {
                Token::Close => Ok(inner),
                t => Err(format!("expected ), got {t:?}")),
            };
        }
        let name = match &token {
            Token::Word(w) => w.clone(),
            Token::Quoted(p) => p.iter().map(piece_char).collect(),
            t => return Err(format!("unexpected {t:?}")),
        };
        match self.peek() {
            Some(Token::Op(op)) => {
                let op = *op;
                self.at += 1;
                let value = self.next()?;
                if !matches!(value, Token::Word(_) | Token::Quoted(_)) {
                    return Err(format!("bad value {value:?}"));
                }
                Ok(Node::Cmp(name, op, value))
            }
            Some(Token::In) => {
                self.at += 1;
                if self.next()? != Token::ListOpen {
                    return Err("IN without [".into());
                }
                let mut items = Vec::new();
                loop {
                    items.push(Node::Cmp(name.clone(), "=", self.next()?));
                    match self.next()? {
                        Token::Comma => {}
                        Token::ListClose => break,
                        t => return Err(format!("unexpected {t:?} in IN list")),
                    }
                }
                Ok(Node::Or(items))
            }
            _ => match token {
                Token::Quoted(pieces) => Ok(Node::Keyword(pieces)),
                t => Err(format!("bare word {t:?}")),
            },
        }
    }
}

fn eval_search(
    text: &str,
    fields: &HashMap<String, Option<String>>,
    event: &Map<String, Value>,
) -> Result<bool, String> {
    let mut parser = Parser {
        tokens: tokenize(text)?,
        at: 0,
    };
    let node = parser.and()?;
    if parser.at != parser.tokens.len() {
        return Err(format!("trailing tokens after {}", parser.at));
    }
    eval(&node, fields, event)
}

fn eval(
    node: &Node,
    fields: &HashMap<String, Option<String>>,
    event: &Map<String, Value>,
) -> Result<bool, String> {
    Ok(match node {
        Node::And(xs) => {
            let mut all = true;
            for x in xs {
                all &= eval(x, fields, event)?;
            }
            all
        }
        Node::Or(xs) => {
            let mut any = false;
            for x in xs {
                any |= eval(x, fields, event)?;
            }
            any
        }
        Node::Not(x) => !eval(x, fields, event)?,
        Node::Cmp(field, op, value) => {
            let v = fields.get(field).cloned().flatten();
            compare(v.as_deref(), op, value)?
        }
        Node::Keyword(pieces) => {
            let mut wrapped = vec![Piece::Star];
            wrapped.extend(pieces.iter().copied());
            wrapped.push(Piece::Star);
            let re = glob(&wrapped);
            event.values().filter_map(text).any(|t| re.is_match(&t))
        }
    })
}

fn compare(value: Option<&str>, op: &str, want: &Token) -> Result<bool, String> {
    Ok(match (op, want, value) {
        ("!=", Token::Word(w), v) if w == "*" => v.is_none(),
        (_, _, None) => false,
        ("=", Token::Word(w), _) if w == "*" => true,
        ("=", Token::Quoted(pieces), Some(v)) => glob(pieces).is_match(v),
        (op, Token::Word(w), Some(v)) => {
            let b = number(w).ok_or_else(|| format!("not a number: {w}"))?;
            number(v).is_some_and(|a| match op {
                "=" => a == b,
                "<" => a < b,
                "<=" => a <= b,
                ">" => a > b,
                ">=" => a >= b,
                _ => false,
            })
        }
        (op, value, _) => return Err(format!("unknown comparison {op} {value:?}")),
    })
}
