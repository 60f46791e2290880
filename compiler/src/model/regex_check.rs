//! Checking `|re` patterns when the rule is read, so a broken regex never reaches a query.
//!
//! Sigma's regex flavour is a PCRE subset. regex-syntax parses it; the PCRE constructs the Rust
//! engine lacks (look-around, backreferences) are valid Sigma and accepted here: a backend or the
//! evaluator that cannot run them says so itself.

use regex_syntax::ast::{ErrorKind, parse::Parser};

/// Why `pattern` is not a regular expression: the byte range inside the pattern and the reason.
pub fn check(pattern: &str) -> Result<(), (std::ops::Range<usize>, String)> {
    match Parser::new().parse(pattern) {
        Ok(_) => Ok(()),
        Err(e) => match e.kind() {
            ErrorKind::UnsupportedLookAround | ErrorKind::UnsupportedBackreference => Ok(()),
            kind => {
                let span = e.span();
                Err((span.start.offset..span.end.offset, kind.to_string()))
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::check;

    #[test]
    fn malformed_patterns_are_located() {
        assert!(check(r"\s-e(nc)?\s+[A-Za-z0-9+/=]{20,}").is_ok());
        assert!(check(r"(?<!foo)bar").is_ok());
        assert!(check(r"(a)\1").is_ok());
        let (at, why) = check("ab(c").unwrap_err();
        assert_eq!(at, 2..3, "{why}");
        let (at, _) = check("a{2,1}").unwrap_err();
        assert_eq!(at.start, 1);
        assert!(check("[z-a]").is_err());
    }
}
