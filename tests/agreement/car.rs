//! A tiny interpreter of the CAR pseudocode that the CAR backend writes, for one event.
//!
//! Program: `c = search Object:Action`, `t = filter c where (…)`, `output t`. Filter: `OR`
//! (loosest), `AND`, `NOT` (tightest), parentheses; `field="glob"` (`*` any run, `?` one
//! character, `\` escaping the next character; whole value, no case), `field=5`,
//! `field=true`, `field=null` (absent or null), `field exists`, `field IN [v, …]` (a network
//! `10.0.0.0/8` among them holds the addresses in it), `field>=5`, `field=other_field` (equal
//! without case), `field match "re"` (`\` escaping `\` and `"`; found anywhere in the value).
//! Anything else is an error.

use super::{Piece, Profile, glob, number, text};
use serde_json::{Map, Value};
use sigc_compiler::ir::Rule;

/// CAR has no keywords and only data-model field names.
pub const PROFILE: Profile = Profile {
    any_char: true,
    keywords: false,
    existence: true,
    compare: true,
    booleans: true,
    regex: true,
    cidr_v6: true,
    fieldref: true,
    chars: super::ALL_CHARS,
    fields: &["command_line", "exe", "image_path", "pid", "user"],
    prepare,
    admits: |_| true,
};

/// Process creation in the data model.
fn prepare(rule: &mut Rule) {
    rule.meta
        .custom
        .insert("car_object".into(), "process".into());
    rule.meta
        .custom
        .insert("car_action".into(), "create".into());
}

/// Whether the program selects `event`.
pub fn matches(program: &str, event: &Map<String, Value>) -> Result<bool, String> {
    let (head, rest) = program.split_once(" where (\n").ok_or("no filter")?;
    let mut lines = head.lines();
    let search = lines.next().ok_or("no search line")?;
    let filter = lines.next().ok_or("no filter line")?;
    if !search.starts_with("processes = search Process:Create")
        || filter != "target_processes = filter processes"
    {
        return Err(format!("unexpected program head {head:?}"));
    }
    let body = rest
        .strip_suffix("\n)\noutput target_processes")
        .ok_or("unexpected program end")?;
    let mut parser = Parser {
        tokens: tokenize(body)?,
        at: 0,
    };
    let node = parser.or()?;
    if parser.at != parser.tokens.len() {
        return Err(format!("trailing tokens at {}", parser.at));
    }
    Ok(eval(&node, event))
}

#[derive(Clone, Debug, PartialEq)]
enum Token {
    Open,
    Close,
    ListOpen,
    ListClose,
    Comma,
    And,
    Or,
    Not,
    In,
    Exists,
    Match,
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
            '[' => (Token::ListOpen, 1),
            ']' => (Token::ListClose, 1),
            ',' => (Token::Comma, 1),
            '"' => {
                let mut pieces = Vec::new();
                let mut iter = rest.char_indices().skip(1);
                let end = loop {
                    match iter.next().ok_or("unterminated quote")? {
                        (i, '"') => break i + 1,
                        (_, '\\') => match iter.next() {
                            Some((_, n @ ('\\' | '"' | '*' | '?'))) => pieces.push(Piece::Char(n)),
                            other => return Err(format!("unexpected escape {other:?}")),
                        },
                        (_, '*') => pieces.push(Piece::Star),
                        (_, '?') => pieces.push(Piece::One),
                        (_, c) => pieces.push(Piece::Char(c)),
                    }
                };
                (Token::Quoted(pieces), end)
            }
            '<' | '>' | '=' => {
                let op = ["<=", ">=", "<", ">", "="]
                    .into_iter()
                    .find(|op| rest.starts_with(op))
                    .ok_or("bad operator")?;
                (Token::Op(op), op.len())
            }
            _ => {
                let end = rest
                    .find(|c: char| c.is_whitespace() || "()[],\"<>=".contains(c))
                    .unwrap_or(rest.len());
                let token = match &rest[..end] {
                    "AND" => Token::And,
                    "OR" => Token::Or,
                    "NOT" => Token::Not,
                    "IN" => Token::In,
                    "exists" => Token::Exists,
                    "match" => Token::Match,
                    "" => return Err(format!("unexpected character {c:?}")),
                    w => Token::Word(w.to_string()),
                };
                (token, end)
            }
        };
        out.push(token);
        rest = &rest[len..];
    }
}

#[derive(Debug)]
enum Node {
    And(Vec<Node>),
    Or(Vec<Node>),
    Not(Box<Node>),
    Cmp(String, &'static str, Token),
    Exists(String),
    Regex(String, regex::Regex),
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

    fn or(&mut self) -> Result<Node, String> {
        let mut items = vec![self.and()?];
        while self.peek() == Some(&Token::Or) {
            self.at += 1;
            items.push(self.and()?);
        }
        Ok(if items.len() == 1 {
            items.pop().expect("one")
        } else {
            Node::Or(items)
        })
    }

    fn and(&mut self) -> Result<Node, String> {
        let mut items = vec![self.not()?];
        while self.peek() == Some(&Token::And) {
            self.at += 1;
            items.push(self.not()?);
        }
        Ok(if items.len() == 1 {
            items.pop().expect("one")
        } else {
            Node::And(items)
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
        let field = match self.next()? {
            Token::Open => {
                let inner = self.or()?;
                return match self.next()? {
                    Token::Close => Ok(inner),
                    t => Err(format!("expected ), got {t:?}")),
                };
            }
            Token::Word(w) => w,
            t => return Err(format!("unexpected {t:?}")),
        };
        match self.next()? {
            Token::Exists => Ok(Node::Exists(field)),
            Token::Match => {
                let Token::Quoted(pieces) = self.next()? else {
                    return Err("match without a quoted regex".into());
                };
                let re: String = pieces
                    .iter()
                    .map(|p| match p {
                        Piece::Char(c) => *c,
                        Piece::Star => '*',
                        Piece::One => '?',
                    })
                    .collect();
                let re = regex::Regex::new(&re).map_err(|e| e.to_string())?;
                Ok(Node::Regex(field, re))
            }
            Token::Op(op) => {
                let value = self.next()?;
                if !matches!(value, Token::Word(_) | Token::Quoted(_)) {
                    return Err(format!("bad value {value:?}"));
                }
                Ok(Node::Cmp(field, op, value))
            }
            Token::In => {
                if self.next()? != Token::ListOpen {
                    return Err("IN without [".into());
                }
                let mut items = Vec::new();
                loop {
                    items.push(Node::Cmp(field.clone(), "=", self.next()?));
                    match self.next()? {
                        Token::Comma => {}
                        Token::ListClose => break,
                        t => return Err(format!("unexpected {t:?} in IN list")),
                    }
                }
                Ok(Node::Or(items))
            }
            t => Err(format!("unexpected {t:?} after field {field}")),
        }
    }
}

fn eval(node: &Node, event: &Map<String, Value>) -> bool {
    match node {
        Node::And(xs) => xs.iter().all(|x| eval(x, event)),
        Node::Or(xs) => xs.iter().any(|x| eval(x, event)),
        Node::Not(x) => !eval(x, event),
        Node::Exists(f) => event.get(f).and_then(text).is_some(),
        Node::Regex(f, re) => event.get(f).and_then(text).is_some_and(|v| re.is_match(&v)),
        Node::Cmp(f, op, value) => {
            let v = event.get(f).and_then(text);
            match (op, value, v) {
                (&"=", Token::Word(w), v) if w == "null" => v.is_none(),
                (_, _, None) => false,
                (&"=", Token::Word(w), Some(v)) if w == "true" || w == "false" => {
                    v.eq_ignore_ascii_case(w)
                }
                (&"=", Token::Quoted(pieces), Some(v)) => glob(pieces).is_match(&v),
                (&"=", Token::Word(w), Some(v)) if number(w).is_none() => {
                    if let Ok(net) = w.parse::<ipnet::IpNet>() {
                        v.parse::<std::net::IpAddr>()
                            .is_ok_and(|ip| net.contains(&ip))
                    } else {
                        // Another field: compared without case; a missing one equals nothing.
                        event
                            .get(w.as_str())
                            .and_then(text)
                            .is_some_and(|o| o.to_lowercase() == v.to_lowercase())
                    }
                }
                (op, Token::Word(w), Some(v)) => match (number(&v), number(w)) {
                    (Some(a), Some(b)) => match *op {
                        "=" => a == b,
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
    }
}
