//! A tiny interpreter of the SPL that the Splunk backend writes, for one event.
//!
//! Search: implicit AND (loosest), `OR`, `NOT` (tightest), parentheses; terms `field=value`,
//! `field IN (v, …)`, `field<5` and friends, and bare values (keywords: a substring of any value).
//! Values: `"…"` with `\\`, `\"` and `\*` escapes and `*` as a wildcard (a CIDR when the text is a
//! network), whole-value and case-insensitive; unquoted numbers (numeric equality), `true`/`false`
//! (text), `*` (the field exists and is not null). Commands: `regex f="re"` / `regex f!="re"`,
//! `rex field=f "(?<G>re)"`, `eval C=if(isnotnull(G), "true", "false")`, `search …`,
//! `where lower('a')=lower('b')` and its null-aware negation, `table a,"b c"`. Regexes on `_raw` (the
//! raw event) are found in any of the event's values. Anything else is an error.

use super::Profile;
use super::boolean::{self, AND_THEN_OR, Grammar, Node, Token, Tokens, comparison, operator};
use super::fields::Fields;
use super::glob::{Piece, glob, glob_within, literal};
use super::read::Item;
use super::value::{in_network, number, ordered};
use serde_json::{Map, Value};

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
    let mut fields = Fields::new(event);
    let segments = split_pipes(query)?;
    let (first, rest) = segments.split_first().ok_or("empty query")?;
    if !eval_search(first, &fields)? {
        return Ok(false);
    }
    for segment in rest {
        let (command, args) = command(segment)?;
        let keep = match command {
            "search" => eval_search(args, &fields)?,
            "regex" => {
                let (field, negated, body) = regex_args(args)?;
                fields.found(&regex(body)?, &field, RAW) != negated
            }
            "rex" => {
                let (field, group, re) = rex_args(args)?;
                let hit = fields.found(&regex(re)?, &field, RAW);
                fields.capture(&group, hit);
                true
            }
            "eval" => {
                let (target, group) = eval_args(args)?;
                fields.flag(target, group);
                true
            }
            "where" => {
                let (negated, a, b) = where_args(args)?;
                // `lower` folds Unicode case; a comparison with a null side is null, which
                // `where` drops, and `isnull` is never null.
                let equal = match (fields.get(&a), fields.get(&b)) {
                    (Some(x), Some(y)) => Some(x.to_lowercase() == y.to_lowercase()),
                    _ => None,
                };
                if negated {
                    equal != Some(true)
                } else {
                    equal == Some(true)
                }
            }
            "table" => true,
            other => return Err(format!("unknown command `{other}`")),
        };
        if !keep {
            return Ok(false);
        }
    }
    Ok(true)
}

/// The query's stages, names and literals ([`Item`]).
pub fn read(query: &str) -> Result<Vec<Item>, String> {
    let mut out = Vec::new();
    for (i, segment) in split_pipes(query)?.iter().enumerate() {
        let (command, args) = if i == 0 {
            ("search", segment.as_str())
        } else {
            command(segment)?
        };
        out.push(Item::Stage(command.to_string()));
        match command {
            "search" if args == "*" => {}
            "search" => {
                for term in SEARCH.parse(tokenize(args)?)?.leaves() {
                    match term {
                        Term::Cmp(field, _, value) => {
                            out.push(Item::Name(field.clone()));
                            out.push(value_item(value)?);
                        }
                        Term::Keyword(value) => out.push(value_item(value)?),
                    }
                }
            }
            "regex" => {
                let (field, _, body) = regex_args(args)?;
                out.extend([Item::Name(field), Item::Regex(body)]);
            }
            "rex" => {
                let (field, _, re) = rex_args(args)?;
                out.extend([Item::Name(field), Item::Regex(re)]);
            }
            "eval" => out.push(Item::Name(eval_args(args)?.0.to_string())),
            "where" => {
                let (_, a, b) = where_args(args)?;
                out.extend([Item::Name(a), Item::Name(b)]);
            }
            "table" => out.extend(table_args(args)?.into_iter().map(Item::Name)),
            other => return Err(format!("unknown command `{other}`")),
        }
    }
    Ok(out)
}

fn value_item(token: &Token) -> Result<Item, String> {
    match token {
        Token::Quoted(pieces) => Ok(Item::Value(pieces.clone())),
        Token::Word(w) => Ok(Item::Word(w.clone())),
        t => Err(format!("unexpected value {t:?}")),
    }
}

/// A command's name and its arguments.
fn command(segment: &str) -> Result<(&str, &str), String> {
    segment
        .split_once(' ')
        .ok_or_else(|| format!("command without arguments: {segment:?}"))
}

/// `f="re"` or `f!="re"`: the field, whether negated, and the regex.
fn regex_args(args: &str) -> Result<(String, bool, String), String> {
    let (field, rest) = field_name(args)?;
    let (negated, body) = if let Some(b) = rest.strip_prefix("!=") {
        (true, b)
    } else {
        (false, rest.strip_prefix('=').ok_or("regex without =")?)
    };
    Ok((field, negated, quoted_body(body)?))
}

/// `field=f "(?<G>re)"`: the field, the group and the regex inside it.
fn rex_args(args: &str) -> Result<(String, String, String), String> {
    let args = args.strip_prefix("field=").ok_or("rex without field=")?;
    let (field, rest) = field_name(args)?;
    let body = quoted_body(rest.strip_prefix(' ').ok_or("rex without regex")?)?;
    let inner = body.strip_prefix("(?<").ok_or("rex without a group")?;
    let (group, re) = inner.split_once('>').ok_or("rex group")?;
    let re = re.strip_suffix(')').ok_or("rex group not closed")?;
    Ok((field, group.to_string(), re.to_string()))
}

/// `C=if(isnotnull(G), "true", "false")`: the condition and the group.
fn eval_args(args: &str) -> Result<(&str, &str), String> {
    let (target, expr) = args.split_once('=').ok_or("eval without =")?;
    let group = expr
        .strip_prefix("if(isnotnull(")
        .and_then(|e| e.strip_suffix("), \"true\", \"false\")"))
        .ok_or("unknown eval")?;
    Ok((target, group))
}

/// `lower('a')=lower('b')`, or its negation
/// `isnull('a') OR isnull('b') OR lower('a')!=lower('b')`: whether negated, and the two names
/// (read between single quotes, which nothing escapes).
fn where_args(args: &str) -> Result<(bool, String, String), String> {
    let bad = || format!("unknown where {args:?}");
    let mut rest = args;
    let mut call = |name: &str, after: &str| -> Result<String, String> {
        let inner = rest.strip_prefix(name).and_then(|r| r.strip_prefix("('"));
        let (field, tail) = inner.and_then(|r| r.split_once('\'')).ok_or_else(bad)?;
        rest = tail
            .strip_prefix(')')
            .and_then(|r| r.strip_prefix(after))
            .ok_or_else(bad)?;
        Ok(field.to_string())
    };
    let negated = args.starts_with("isnull(");
    let nulls = if negated {
        Some((call("isnull", " OR ")?, call("isnull", " OR ")?))
    } else {
        None
    };
    let a = call("lower", if negated { "!=" } else { "=" })?;
    let b = call("lower", "")?;
    if !rest.is_empty() || nulls.is_some_and(|n| n != (a.clone(), b.clone())) {
        return Err(bad());
    }
    Ok((negated, a, b))
}

/// `a,"b c",d`: the names of a `table` command.
fn table_args(args: &str) -> Result<Vec<String>, String> {
    let mut names = Vec::new();
    let mut rest = args;
    loop {
        let (name, tail) = if rest.starts_with('"') {
            let (pieces, tail) = take_quoted(rest)?;
            (literal(&pieces), tail)
        } else {
            let end = rest.find([',', ' ', '"']).unwrap_or(rest.len());
            (rest[..end].to_string(), &rest[end..])
        };
        if name.is_empty() {
            return Err(format!("empty name in table {args:?}"));
        }
        names.push(name);
        match tail.strip_prefix(',') {
            Some(t) => rest = t,
            None if tail.is_empty() => return Ok(names),
            None => return Err(format!("junk in table: {tail:?}")),
        }
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
        return Ok((literal(&s), rest));
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

/// SPL's reserved words.
const WORDS: &[(&str, Token)] = &[
    ("NOT", Token::Not),
    ("OR", Token::Or),
    ("IN", Token::Reserved("IN")),
];

fn tokenize(text: &str) -> Result<Vec<Token>, String> {
    boolean::tokenize(text, |rest, _| {
        Ok(match rest.chars().next().expect("not empty") {
            '(' => (Token::Open, 1),
            ')' => (Token::Close, 1),
            ',' => (Token::Comma, 1),
            '"' => {
                let (pieces, after) = take_quoted(rest)?;
                (Token::Quoted(pieces), rest.len() - after.len())
            }
            '<' | '>' | '!' | '=' => operator(rest, &["<=", ">=", "!=", "<", ">", "="])?,
            _ => {
                let end = rest
                    .find(|c: char| c.is_whitespace() || "()\",<>!=".contains(c))
                    .unwrap_or(rest.len());
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
    /// A bare value.
    Keyword(Token),
}

const SEARCH: Grammar<Term> = Grammar {
    levels: AND_THEN_OR,
    term,
};

fn term(token: Token, tokens: &mut Tokens) -> Result<Node<Term>, String> {
    let name = token.field_name()?;
    let cmp = comparison(tokens, &name, [Token::Open, Token::Close], Term::Cmp)?;
    Ok(cmp.unwrap_or(Node::Leaf(Term::Keyword(token))))
}

fn eval_search(text: &str, fields: &Fields) -> Result<bool, String> {
    if text == "*" {
        return Ok(true);
    }
    SEARCH
        .parse(tokenize(text)?)?
        .eval(&|term| Ok(eval(term, fields)))
}

fn eval(term: &Term, fields: &Fields) -> bool {
    match term {
        Term::Cmp(field, op, value) => compare(fields.get(field), op, value),
        Term::Keyword(Token::Quoted(pieces)) => {
            let re = glob_within(pieces);
            fields.any_value(|t| re.is_match(t))
        }
        Term::Keyword(_) => false,
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
            if let Some(hit) = plain.and_then(|p| in_network(&p, value)) {
                return hit;
            }
            glob(pieces).is_match(value)
        }
        (op, Token::Word(w)) => match (number(value), number(w)) {
            (Some(a), Some(b)) => ordered(op, a, b),
            _ => false,
        },
        _ => false,
    }
}
