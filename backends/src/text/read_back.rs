//! Reading a literal back as a target's lexer would, for property tests that a value written
//! into a query means exactly the rule's characters and wildcards.

use super::tokens::StringStyle;
use sigc_compiler::ir::{Part, Pattern};

/// What a literal means once read: characters, and wildcards (`*` and `?` alike).
#[derive(Debug, PartialEq, Eq)]
pub enum Tok {
    Char(char),
    Wildcard,
}

/// Reads one quoted literal that must span all of `text`, the way a target's lexer would.
pub fn scan(style: &StringStyle, text: &str) -> Result<Vec<Tok>, String> {
    let mut chars = text.chars();
    let quote = chars.next().ok_or("empty literal")?;
    if quote != style.quote && Some(quote) != style.alt_quote {
        return Err(format!("starts with {quote:?}"));
    }
    let mut out = Vec::new();
    loop {
        let c = chars.next().ok_or("unterminated literal")?;
        if Some(c) == style.escape {
            out.push(Tok::Char(chars.next().ok_or("dangling escape")?));
        } else if c == quote {
            let rest: String = chars.collect();
            return if rest.is_empty() {
                Ok(out)
            } else {
                Err(format!("literal ended early, leaving {rest:?}"))
            };
        } else if style.wildcard_multi.starts_with(c) || style.wildcard_single.starts_with(c) {
            out.push(Tok::Wildcard);
        } else {
            out.push(Tok::Char(c));
        }
    }
}

/// What the pattern should mean in a target whose wildcards both read as [`Tok::Wildcard`].
pub fn intended(pattern: &Pattern) -> Vec<Tok> {
    pattern
        .parts
        .iter()
        .flat_map(|p| match p {
            Part::Lit(s) => s.chars().map(Tok::Char).collect::<Vec<_>>(),
            Part::AnyRun | Part::AnyChar => vec![Tok::Wildcard],
            Part::Placeholder(_) => Vec::new(),
        })
        .collect()
}
