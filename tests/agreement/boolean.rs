//! The boolean layer the three languages share: tokens, a recursive-descent parser whose binary
//! operators and their precedence are data ([`Level`]), and the evaluation of its tree.
//! Each language tokenizes its own text and parses its own terms (the leaves).

use super::glob::{Piece, literal};

/// A token of a search or filter expression; a language uses the kinds it has.
#[derive(Clone, Debug, PartialEq)]
pub enum Token {
    Open,
    Close,
    ListOpen,
    ListClose,
    Comma,
    And,
    Or,
    Not,
    /// A reserved word other than the boolean operators: `IN`, CAR's `exists` and `match`.
    Reserved(&'static str),
    Op(&'static str),
    Word(String),
    Quoted(Vec<Piece>),
}

impl Token {
    /// The bare word `text[..end]` and its length: the language's reserved word of that spelling,
    /// or a [`Token::Word`]; an error when it is empty.
    pub fn word(
        text: &str,
        end: usize,
        reserved: &[(&str, Token)],
    ) -> Result<(Token, usize), String> {
        let word = &text[..end];
        if word.is_empty() {
            let c = text.chars().next();
            return Err(format!("unexpected character {c:?}"));
        }
        let token = reserved
            .iter()
            .find(|(w, _)| *w == word)
            .map_or_else(|| Token::Word(word.to_string()), |(_, t)| t.clone());
        Ok((token, end))
    }

    /// A field name: a word, or a quoted text read literally.
    pub fn field_name(&self) -> Result<String, String> {
        match self {
            Token::Word(w) => Ok(w.clone()),
            Token::Quoted(p) => Ok(literal(p)),
            t => Err(format!("unexpected {t:?}")),
        }
    }
}

/// Splits `text` into tokens: `step` reads the token at the start of its (trimmed, non-empty)
/// text, given the token before it, and says how many bytes it took.
pub fn tokenize(
    text: &str,
    step: impl Fn(&str, Option<&Token>) -> Result<(Token, usize), String>,
) -> Result<Vec<Token>, String> {
    let mut out = Vec::new();
    let mut rest = text.trim_start();
    while !rest.is_empty() {
        let (token, len) = step(rest, out.last())?;
        out.push(token);
        rest = rest[len..].trim_start();
    }
    Ok(out)
}

/// The operator at the start of `text`, the first of `ops` (longest first) that it starts with,
/// as a token and its length.
pub fn operator(text: &str, ops: &[&'static str]) -> Result<(Token, usize), String> {
    let op = ops
        .iter()
        .find(|op| text.starts_with(**op))
        .ok_or("bad operator")?;
    Ok((Token::Op(op), op.len()))
}

/// A field's comparison after its name, when one follows: `op value`, or `IN` and a list from
/// `open` to `close`, which is an OR of `=`. `cmp` makes the language's term of one.
pub fn comparison<L>(
    tokens: &mut Tokens,
    field: &str,
    [open, close]: [Token; 2],
    cmp: fn(String, &'static str, Token) -> L,
) -> Result<Option<Node<L>>, String> {
    Ok(match tokens.peek() {
        Some(Token::Op(op)) => {
            let op = *op;
            tokens.next()?;
            Some(Node::Leaf(cmp(field.to_string(), op, tokens.value()?)))
        }
        Some(Token::Reserved("IN")) => {
            tokens.next()?;
            let items = tokens.list(open, close)?.into_iter();
            let eq = |v| Node::Leaf(cmp(field.to_string(), "=", v));
            Some(Node::Or(items.map(eq).collect()))
        }
        _ => None,
    })
}

/// A parsed expression over a language's terms `L`.
#[derive(Debug)]
pub enum Node<L> {
    And(Vec<Node<L>>),
    Or(Vec<Node<L>>),
    Not(Box<Node<L>>),
    Leaf(L),
}

impl<L> Node<L> {
    /// The terms, in the order written.
    pub fn leaves(&self) -> Vec<&L> {
        match self {
            Node::And(xs) | Node::Or(xs) => xs.iter().flat_map(Node::leaves).collect(),
            Node::Not(x) => x.leaves(),
            Node::Leaf(l) => vec![l],
        }
    }

    /// The expression's value, given each term's. Every term is evaluated (no short circuit), so
    /// that a term the interpreter cannot evaluate is an error wherever it is.
    pub fn eval(&self, leaf: &impl Fn(&L) -> Result<bool, String>) -> Result<bool, String> {
        Ok(match self {
            Node::And(xs) => {
                let mut all = true;
                for x in xs {
                    all &= x.eval(leaf)?;
                }
                all
            }
            Node::Or(xs) => {
                let mut any = false;
                for x in xs {
                    any |= x.eval(leaf)?;
                }
                any
            }
            Node::Not(x) => !x.eval(leaf)?,
            Node::Leaf(l) => leaf(l)?,
        })
    }
}

/// The boolean operators a [`Level`] joins its operands with.
#[derive(Clone, Copy, Debug)]
pub enum Join {
    And,
    Or,
}

/// One precedence level of binary operators.
#[derive(Debug)]
pub struct Level {
    pub join: Join,
    /// The token between operands; `None` for juxtaposition (SPL's and LogPoint's implicit AND).
    pub by: Option<Token>,
}

/// A token list being parsed.
pub struct Tokens {
    tokens: Vec<Token>,
    at: usize,
}

impl Tokens {
    pub fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    pub fn next(&mut self) -> Result<Token, String> {
        let t = self.peek().cloned().ok_or("unexpected end")?;
        self.at += 1;
        Ok(t)
    }

    /// A comparison's value: a word or a quoted text.
    fn value(&mut self) -> Result<Token, String> {
        let value = self.next()?;
        if !matches!(value, Token::Word(_) | Token::Quoted(_)) {
            return Err(format!("bad value {value:?}"));
        }
        Ok(value)
    }

    /// An `IN` list's values, from `open` to `close`, separated by commas.
    fn list(&mut self, open: Token, close: Token) -> Result<Vec<Token>, String> {
        if self.next()? != open {
            return Err(format!("IN without {open:?}"));
        }
        let mut items = Vec::new();
        loop {
            items.push(self.next()?);
            match self.next()? {
                Token::Comma => {}
                t if t == close => return Ok(items),
                t => return Err(format!("unexpected {t:?} in IN list")),
            }
        }
    }
}

/// SPL's and LogPoint's searches: implicit AND (the loosest), then `OR`.
pub const AND_THEN_OR: &[Level] = &[
    Level {
        join: Join::And,
        by: None,
    },
    Level {
        join: Join::Or,
        by: Some(Token::Or),
    },
];

/// A boolean grammar: binary [`Level`]s, then a prefix [`Token::Not`] (the tightest), then
/// parenthesised expressions and the language's terms.
pub struct Grammar<L> {
    /// From the loosest to the tightest.
    pub levels: &'static [Level],
    /// Parses a term from its first token, which is not [`Token::Open`].
    pub term: fn(Token, &mut Tokens) -> Result<Node<L>, String>,
}

impl<L> Grammar<L> {
    /// Parses all of `tokens`.
    pub fn parse(&self, tokens: Vec<Token>) -> Result<Node<L>, String> {
        let mut tokens = Tokens { tokens, at: 0 };
        let node = self.level(0, &mut tokens)?;
        if tokens.at != tokens.tokens.len() {
            return Err(format!("trailing tokens after {}", tokens.at));
        }
        Ok(node)
    }

    fn level(&self, index: usize, tokens: &mut Tokens) -> Result<Node<L>, String> {
        let Some(level) = self.levels.get(index) else {
            return self.not(tokens);
        };
        let mut items = vec![self.level(index + 1, tokens)?];
        loop {
            match &level.by {
                None if matches!(tokens.peek(), None | Some(Token::Close)) => break,
                None => {}
                Some(by) if tokens.peek() == Some(by) => tokens.at += 1,
                Some(_) => break,
            }
            items.push(self.level(index + 1, tokens)?);
        }
        Ok(match (items.len(), level.join) {
            (1, _) => items.pop().expect("one"),
            (_, Join::And) => Node::And(items),
            (_, Join::Or) => Node::Or(items),
        })
    }

    fn not(&self, tokens: &mut Tokens) -> Result<Node<L>, String> {
        if tokens.peek() == Some(&Token::Not) {
            tokens.at += 1;
            return Ok(Node::Not(Box::new(self.not(tokens)?)));
        }
        match tokens.next()? {
            Token::Open => {
                let inner = self.level(0, tokens)?;
                match tokens.next()? {
                    Token::Close => Ok(inner),
                    t => Err(format!("expected ), got {t:?}")),
                }
            }
            first => (self.term)(first, tokens),
        }
    }
}
