//! A tiny interpreter of the SPL that the Splunk backend writes, for one event.
//!
//! Search: implicit AND (loosest), `OR`, `NOT` (tightest), parentheses; terms `field=value`,
//! `field IN (v, …)`, `field<5` and friends, and bare values (keywords: a substring of any value).
//! Values: `"…"` with `\\`, `\"` and `\*` escapes and `*` as a wildcard (a CIDR when the text is a
//! network), whole-value and case-insensitive; unquoted numbers (numeric equality), `true`/`false`
//! (text), `*` (the field exists and is not null). Commands: `regex f="re"` / `regex f!="re"`,
//! `rex field=f "(?<G>re)"`, `eval C=if(isnotnull(G), "true", "false")`, `search …`,
//! `where lower('a')=lower('b')` and its null-aware negation, `table …`. Regexes on `_raw` (the
//! raw event) are found in any of the event's values. Anything else is an error.

use super::{Piece, Profile, glob, number, text};
use serde_json::{Map, Value};
use std::collections::HashMap;

/// The raw event, which keyword regexes search.
const RAW: &str = "_raw";

/// Splunk cannot express `?` (it becomes `*`) nor `|cased`.
pub const PROFILE: Profile = Profile {
    any_char: false,
    keywords: true,
    existence: true,
    compare: true,
    booleans: true,
    regex: true,
    cidr_v6: true,
    fieldref: true,
    chars: super::ALL_CHARS,
    fields: super::ALL_FIELDS,
    prepare: |_| {},
    admits: |_| true,
};

/// Whether `query` selects `event`.
pub fn matches(query: &str, event: &Map<String, Value>) -> Result<bool, String> {
    let mut fields: HashMap<String, Option<String>> =
        event.iter().map(|(k, v)| (k.clone(), text(v))).collect();
    let segments = split_pipes(query)?;
    let (first, rest) = segments.split_first().ok_or("empty query")?;
    if !eval_search(first, &fields, event)? {
        return Ok(false);
    }
    for segment in rest {
        let (command, args) = segment.split_once(' ').ok_or("command without arguments")?;
        let keep = match command {
            "search" => eval_search(args, &fields, event)?,
            "regex" => {
                let (field, rest) = field_name(args)?;
                let (negated, body) = if let Some(b) = rest.strip_prefix("!=") {
                    (true, b)
                } else {
                    (false, rest.strip_prefix('=').ok_or("regex without =")?)
                };
                let re = regex(quoted_body(body)?)?;
                found(&re, &field, &fields, event) != negated
            }
            "rex" => {
                let args = args.strip_prefix("field=").ok_or("rex without field=")?;
                let (field, rest) = field_name(args)?;
                let body = quoted_body(rest.strip_prefix(' ').ok_or("rex without regex")?)?;
                let inner = body.strip_prefix("(?<").ok_or("rex without a group")?;
                let (group, re) = inner.split_once('>').ok_or("rex group")?;
                let re = regex(
                    re.strip_suffix(')')
                        .ok_or("rex group not closed")?
                        .to_string(),
                )?;
                let hit = found(&re, &field, &fields, event);
                fields.insert(group.to_string(), hit.then(|| "x".to_string()));
                true
            }
            "eval" => {
                let (target, expr) = args.split_once('=').ok_or("eval without =")?;
                let group = expr
                    .strip_prefix("if(isnotnull(")
                    .and_then(|e| e.strip_suffix("), \"true\", \"false\")"))
                    .ok_or("unknown eval")?;
                let set = fields.get(group).is_some_and(Option::is_some);
                fields.insert(target.to_string(), Some(set.to_string()));
                true
            }
            "where" => where_(args, &fields)?,
            "table" => true,
            other => return Err(format!("unknown command `{other}`")),
        };
        if !keep {
            return Ok(false);
        }
    }
    Ok(true)
}

/// `where lower('a')=lower('b')`, or its negation
/// `where isnull('a') OR isnull('b') OR lower('a')!=lower('b')`. `lower` folds Unicode case;
/// a comparison with a null side is null, which `where` drops, and `isnull` is never null.
fn where_(args: &str, fields: &HashMap<String, Option<String>>) -> Result<bool, String> {
    let get = |name: &str| fields.get(name).cloned().flatten();
    let lower_pair = |cmp: &str, op: &str| -> Result<(String, String), String> {
        let (a, b) = cmp
            .split_once(&format!("){op}lower("))
            .ok_or_else(|| format!("unknown where {args:?}"))?;
        let a = a.strip_prefix("lower('").and_then(|a| a.strip_suffix('\''));
        let b = b.strip_prefix('\'').and_then(|b| b.strip_suffix("')"));
        match (a, b) {
            (Some(a), Some(b)) => Ok((a.to_string(), b.to_string())),
            _ => Err(format!("unknown where {args:?}")),
        }
    };
    let equal = |a: &str, b: &str| match (get(a), get(b)) {
        (Some(x), Some(y)) => Some(x.to_lowercase() == y.to_lowercase()),
        _ => None,
    };
    if args.starts_with("isnull(") {
        let terms: Vec<&str> = args.split(" OR ").collect();
        let [first, second, cmp] = terms[..] else {
            return Err(format!("unknown where {args:?}"));
        };
        let (a, b) = lower_pair(cmp, "!=")?;
        if first != format!("isnull('{a}')") || second != format!("isnull('{b}')") {
            return Err(format!("unknown where {args:?}"));
        }
        return Ok(get(&a).is_none() || get(&b).is_none() || equal(&a, &b) == Some(false));
    }
    let (a, b) = lower_pair(args, "=")?;
    Ok(equal(&a, &b) == Some(true))
}

/// Whether `re` is found in the field's value; `_raw`, the raw event, holds all its values.
fn found(
    re: &regex::Regex,
    field: &str,
    fields: &HashMap<String, Option<String>>,
    event: &Map<String, Value>,
) -> bool {
    match fields.get(field) {
        Some(v) => v.as_deref().is_some_and(|t| re.is_match(t)),
        None if field == RAW => event.values().filter_map(text).any(|t| re.is_match(&t)),
        None => false,
    }
}

/// The query's commands, split at `|` outside quotes.
fn split_pipes(query: &str) -> Result<Vec<String>, String> {
    let mut out = vec![String::new()];
    let mut quote = false;
    let mut chars = query.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' if quote => {
                let next = chars.next().ok_or("dangling escape")?;
                let last = out.last_mut().expect("segment");
                last.push(c);
                last.push(next);
                continue;
            }
            '"' => quote = !quote,
            '|' if !quote => {
                out.push(String::new());
                continue;
            }
            _ => {}
        }
        out.last_mut().expect("segment").push(c);
    }
    if quote {
        return Err("unterminated quote".into());
    }
    Ok(out.into_iter().map(|s| s.trim().to_string()).collect())
}

/// A field name at the start of `text` (bare or quoted) and the rest.
fn field_name(text: &str) -> Result<(String, &str), String> {
    if text.starts_with('"') {
        let (s, rest) = take_quoted(text)?;
        let name: String = s
            .into_iter()
            .map(|p| match p {
                Piece::Char(c) => c,
                Piece::Star => '*',
                Piece::One => '?',
            })
            .collect();
        return Ok((name, rest));
    }
    let end = text.find(['=', '!', ' ']).unwrap_or(text.len());
    Ok((text[..end].to_string(), &text[end..]))
}

/// The body of `"…"` (the whole text) with `\\` and `\"` unescaped, for regexes.
fn quoted_body(text: &str) -> Result<String, String> {
    let inner = text
        .strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .ok_or("expected a quoted regex")?;
    let mut out = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some(n @ ('\\' | '"')) => out.push(n),
                Some(n) => return Err(format!("unexpected escape \\{n} in a regex literal")),
                None => return Err("dangling escape".into()),
            }
        } else if c == '"' {
            return Err("unescaped quote in a regex literal".into());
        } else {
            out.push(c);
        }
    }
    Ok(out)
}

fn regex(re: String) -> Result<regex::Regex, String> {
    regex::Regex::new(&re).map_err(|e| e.to_string())
}

/// Reads `"…"` at the start of `text`: its pieces and the rest.
fn take_quoted(text: &str) -> Result<(Vec<Piece>, &str), String> {
    let mut pieces = Vec::new();
    let mut iter = text.char_indices().skip(1);
    while let Some((i, c)) = iter.next() {
        match c {
            '"' => return Ok((pieces, &text[i + 1..])),
            '\\' => match iter.next() {
                Some((_, n @ ('\\' | '"' | '*'))) => pieces.push(Piece::Char(n)),
                Some((_, n)) => return Err(format!("unexpected escape \\{n}")),
                None => return Err("dangling escape".into()),
            },
            '*' => pieces.push(Piece::Star),
            c => pieces.push(Piece::Char(c)),
        }
    }
    Err("unterminated quote".into())
}

#[derive(Clone, Debug, PartialEq)]
enum Token {
    Open,
    Close,
    Comma,
    Not,
    Or,
    In,
    Op(&'static str),
    Word(String),
    Quoted(Vec<Piece>),
}

fn tokenize(text: &str) -> Result<Vec<Token>, String> {
    let mut out = Vec::new();
    let mut rest = text;
    loop {
        rest = rest.trim_start();
        let Some(c) = rest.chars().next() else {
            return Ok(out);
        };
        let (token, len) = match c {
            '(' => (Token::Open, 1),
            ')' => (Token::Close, 1),
            ',' => (Token::Comma, 1),
            '"' => {
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
                    .find(|c: char| c.is_whitespace() || "()\",<>!=".contains(c))
                    .unwrap_or(rest.len());
                let word = &rest[..end];
                let token = match word {
                    "NOT" => Token::Not,
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
    /// A bare value.
    Keyword(Token),
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
            Token::Quoted(p) => p
                .iter()
                .map(|p| match p {
                    Piece::Char(c) => *c,
                    Piece::Star => '*',
                    Piece::One => '?',
                })
                .collect(),
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
                if self.next()? != Token::Open {
                    return Err("IN without (".into());
                }
                let mut items = Vec::new();
                loop {
                    let value = self.next()?;
                    items.push(Node::Cmp(name.clone(), "=", value));
                    match self.next()? {
                        Token::Comma => {}
                        Token::Close => break,
                        t => return Err(format!("unexpected {t:?} in IN list")),
                    }
                }
                Ok(Node::Or(items))
            }
            _ => Ok(Node::Keyword(token)),
        }
    }
}

fn eval_search(
    text: &str,
    fields: &HashMap<String, Option<String>>,
    event: &Map<String, Value>,
) -> Result<bool, String> {
    if text == "*" {
        return Ok(true);
    }
    let mut parser = Parser {
        tokens: tokenize(text)?,
        at: 0,
    };
    let node = parser.and()?;
    if parser.at != parser.tokens.len() {
        return Err(format!("trailing tokens after {}", parser.at));
    }
    Ok(eval(&node, fields, event))
}

fn eval(node: &Node, fields: &HashMap<String, Option<String>>, event: &Map<String, Value>) -> bool {
    match node {
        Node::And(xs) => xs.iter().all(|x| eval(x, fields, event)),
        Node::Or(xs) => xs.iter().any(|x| eval(x, fields, event)),
        Node::Not(x) => !eval(x, fields, event),
        Node::Cmp(field, op, value) => {
            let v = fields.get(field).cloned().flatten();
            compare(v.as_deref(), op, value)
        }
        Node::Keyword(Token::Quoted(pieces)) => {
            let mut wrapped = vec![Piece::Star];
            wrapped.extend(pieces.iter().copied());
            wrapped.push(Piece::Star);
            let re = glob(&wrapped);
            event.values().filter_map(text).any(|t| re.is_match(&t))
        }
        Node::Keyword(_) => false,
    }
}

fn compare(value: Option<&str>, op: &str, want: &Token) -> bool {
    let Some(value) = value else {
        return false;
    };
    match (op, want) {
        ("=", Token::Word(w)) if w == "*" => true,
        ("=", Token::Word(w)) if w == "true" || w == "false" => value.eq_ignore_ascii_case(w),
        ("=", Token::Word(w)) => match (number(value), number(w)) {
            (Some(a), Some(b)) => a == b,
            _ => false,
        },
        ("=", Token::Quoted(pieces)) => {
            let plain: Option<String> = pieces
                .iter()
                .map(|p| match p {
                    Piece::Char(c) => Some(*c),
                    Piece::Star | Piece::One => None,
                })
                .collect();
            if let Some(net) = plain.and_then(|p| p.parse::<ipnet::IpNet>().ok()) {
                return value
                    .parse::<std::net::IpAddr>()
                    .is_ok_and(|ip| net.contains(&ip));
            }
            glob(pieces).is_match(value)
        }
        (op, Token::Word(w)) => match (number(value), number(w)) {
            (Some(a), Some(b)) => match op {
                "<" => a < b,
                "<=" => a <= b,
                ">" => a > b,
                ">=" => a >= b,
                _ => false,
            },
            _ => false,
        },
        _ => false,
    }
}
