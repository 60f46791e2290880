//! A tiny interpreter of the CAR pseudocode that the CAR backend writes, for one event.
//!
//! Program: `c = search Object:Action`, `t = filter c where (…)`, `output t`. Filter: `OR`
//! (loosest), `AND`, `NOT` (tightest), parentheses; `field="glob"` (`*` any run, `?` one
//! character, `\` escaping the next character; whole value, no case), `field=5`,
//! `field=true`, `field=null` (absent or null), `field exists`, `field IN [v, …]` (a network
//! `10.0.0.0/8` among them holds the addresses in it), `field>=5`, `field=other_field` (equal
//! without case), `field match "re"` (`\` escaping `\` and `"`; found anywhere in the value).
//! Anything else is an error.

use super::Profile;
use super::boolean::{self, Grammar, Join, Level, Node, Token, Tokens, comparison, operator};
use super::fields::Fields;
use super::glob::{Piece, glob, literal};
use super::read::Item;
use super::value::{in_network, number, ordered};
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
    let fields = Fields::new(event);
    filter(program)?.eval(&|term| eval(term, &fields))
}

/// The program's names and literals ([`Item`]), after one `filter` stage.
pub fn read(program: &str) -> Result<Vec<Item>, String> {
    let mut out = vec![Item::Stage("filter".into())];
    for term in filter(program)?.leaves() {
        match term {
            Term::Exists(f) => out.push(Item::Name(f.clone())),
            Term::Regex(f, re) => out.extend([Item::Name(f.clone()), Item::Regex(re.clone())]),
            Term::Cmp(f, _, value) => {
                out.push(Item::Name(f.clone()));
                out.push(match value {
                    Token::Quoted(pieces) => Item::Value(pieces.clone()),
                    Token::Word(w) => Item::Word(w.clone()),
                    t => return Err(format!("unexpected value {t:?}")),
                });
            }
        }
    }
    Ok(out)
}

/// The filter of a program `c = search …`, `t = filter c where (…)`, `output t`.
fn filter(program: &str) -> Result<Node<Term>, String> {
    let (head, rest) = program.split_once(" where (\n").ok_or("no filter")?;
    let mut lines = head.lines();
    let search = lines.next().ok_or("no search line")?;
    let filter = lines.next().ok_or("no filter line")?;
    if !search.starts_with("processes = search Process:Create")
        || filter != "target_processes = filter processes"
        || lines.next().is_some()
    {
        return Err(format!("unexpected program head {head:?}"));
    }
    let body = rest
        .strip_suffix("\n)\noutput target_processes")
        .ok_or("unexpected program end")?;
    FILTER.parse(tokenize(body)?)
}

/// CAR's reserved words.
const WORDS: &[(&str, Token)] = &[
    ("AND", Token::And),
    ("OR", Token::Or),
    ("NOT", Token::Not),
    ("IN", Token::Reserved("IN")),
    ("exists", Token::Reserved("exists")),
    ("match", Token::Reserved("match")),
];

fn tokenize(text: &str) -> Result<Vec<Token>, String> {
    boolean::tokenize(text, |rest, _| {
        let c = rest.chars().next().expect("not empty");
        Ok(match c {
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
            '<' | '>' | '=' => operator(rest, &["<=", ">=", "<", ">", "="])?,
            _ => {
                let end = rest
                    .find(|c: char| c.is_whitespace() || "()[],\"<>=".contains(c))
                    .unwrap_or(rest.len());
                Token::word(rest, end, WORDS)?
            }
        })
    })
}

/// A filter term.
#[derive(Debug)]
enum Term {
    /// `field op value`; `IN` is an OR of `=`.
    Cmp(String, &'static str, Token),
    Exists(String),
    /// `field match "re"`, with the regex's text.
    Regex(String, String),
}

/// `OR` (the loosest), then `AND`.
const FILTER: Grammar<Term> = Grammar {
    levels: &[
        Level {
            join: Join::Or,
            by: Some(Token::Or),
        },
        Level {
            join: Join::And,
            by: Some(Token::And),
        },
    ],
    term,
};

fn term(token: Token, tokens: &mut Tokens) -> Result<Node<Term>, String> {
    let Token::Word(field) = token else {
        return Err(format!("unexpected {token:?}"));
    };
    let term = match tokens.peek() {
        Some(Token::Reserved("exists")) => Term::Exists(field),
        Some(Token::Reserved("match")) => {
            tokens.next()?;
            let Token::Quoted(pieces) = tokens.next()? else {
                return Err("match without a quoted regex".into());
            };
            return Ok(Node::Leaf(Term::Regex(field, literal(&pieces))));
        }
        _ => {
            let list = [Token::ListOpen, Token::ListClose];
            return comparison(tokens, &field, list, Term::Cmp)?
                .ok_or_else(|| format!("unexpected {:?} after field {field}", tokens.peek()));
        }
    };
    tokens.next()?;
    Ok(Node::Leaf(term))
}

fn eval(term: &Term, fields: &Fields) -> Result<bool, String> {
    Ok(match term {
        Term::Exists(f) => fields.get(f).is_some(),
        Term::Regex(f, re) => {
            let re = regex::Regex::new(re).map_err(|e| e.to_string())?;
            fields.get(f).is_some_and(|v| re.is_match(v))
        }
        Term::Cmp(f, op, value) => match (*op, value, fields.get(f)) {
            ("=", Token::Word(w), v) if w == "null" => v.is_none(),
            (_, _, None) => false,
            ("=", Token::Word(w), Some(v)) if w == "true" || w == "false" => {
                v.eq_ignore_ascii_case(w)
            }
            ("=", Token::Quoted(pieces), Some(v)) => glob(pieces).is_match(v),
            ("=", Token::Word(w), Some(v)) if number(w).is_none() => {
                // A network holds addresses; another field is compared without case, and a
                // missing one equals nothing.
                in_network(w, v).unwrap_or_else(|| {
                    fields
                        .get(w)
                        .is_some_and(|o| o.to_lowercase() == v.to_lowercase())
                })
            }
            (op, Token::Word(w), Some(v)) => match (number(v), number(w)) {
                (Some(a), Some(b)) => ordered(op, a, b),
                _ => false,
            },
            _ => false,
        },
    })
}
