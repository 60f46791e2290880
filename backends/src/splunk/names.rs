//! Field names as each part of an SPL query writes them, or why one cannot be written there:
//! search terms, command arguments (`regex`, `rex field=`, CIDR terms, `table`) and `where`
//! expressions. No name may hold a control character ([`literal::writable`]).

use super::tokens::SPLUNK;
use crate::text::literal::{self, NameError};
use std::borrow::Cow;

/// In a search term: `field`, or `"field name"` with `\` escaping `\` and `"`.
pub fn term(name: &str) -> Result<Cow<'_, str>, NameError> {
    literal::field(&SPLUNK, name)
}

/// As a command argument (or a CIDR term), where pySigma writes names unquoted: as is, unless it
/// holds a character that would end the name early or is an operator, in which case it is
/// quoted as in a [`term`].
pub fn argument(name: &str) -> Result<Cow<'_, str>, NameError> {
    let breaks = |c: char| c.is_whitespace() || "\"'=!<>|()[]\\`,".contains(c);
    let operator = SPLUNK
        .field_keywords
        .iter()
        .any(|k| name.eq_ignore_ascii_case(k));
    if name.is_empty() || name.contains(breaks) || operator {
        term(name)
    } else {
        literal::writable(name).map(|()| Cow::Borrowed(name))
    }
}

/// In the field list of `table`: as an [`argument`], but never with a `*`, which `table` reads
/// as a wildcard over field names.
pub fn table(name: &str) -> Result<Cow<'_, str>, NameError> {
    if name.contains('*') {
        return Err(NameError::Holds('*'));
    }
    argument(name)
}

/// In a `where` expression: `'field'`. Nothing can be escaped between those quotes, and SPL
/// documents no pipe splitting that respects them, so a name holding `'`, `\`, `"` or `|` is
/// refused.
pub fn where_field(name: &str) -> Result<Cow<'_, str>, NameError> {
    literal::writable(name)?;
    match name.chars().find(|c| "'\\\"|".contains(*c)) {
        Some(c) => Err(NameError::Holds(c)),
        None => Ok(Cow::Owned(format!("'{name}'"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_place_quotes_what_it_can_and_refuses_the_rest() {
        assert_eq!(term("a b").unwrap(), r#""a b""#);
        assert_eq!(argument("cs-uri").unwrap(), "cs-uri");
        assert_eq!(argument("x | delete").unwrap(), r#""x | delete""#);
        assert_eq!(argument("OR").unwrap(), r#""OR""#);
        assert_eq!(table("a,b").unwrap(), r#""a,b""#);
        assert_eq!(table("a*"), Err(NameError::Holds('*')));
        assert_eq!(where_field("e f").unwrap(), "'e f'");
        assert_eq!(where_field("a'b"), Err(NameError::Holds('\'')));
        assert_eq!(argument("a\nb"), Err(NameError::Control('\n')));
        assert_eq!(where_field("a\r"), Err(NameError::Control('\r')));
    }
}
