//! Property tests: whatever a rule's value holds, its literal reads back as exactly that value
//! and never ends early (so nothing after it can be interpreted as query syntax).

use super::literal;
use super::read_back::{Tok, intended, scan};
use super::test_ir::patterns;
use super::tokens::StringStyle;
use crate::splunk::tokens::{REGEX_ESCAPED, SPLUNK};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use sigc_compiler::ir::{Pattern, RegexFlags};

/// Text with the characters that matter to quoting overrepresented.
fn nasty_text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            Just('"'),
            Just('\''),
            Just('\\'),
            Just('*'),
            Just('?'),
            Just('|'),
            Just('\n'),
            Just('`'),
            Just('é'),
            Just('—'),
            any::<char>(),
        ],
        0..24,
    )
    .prop_map(|cs| cs.into_iter().collect())
}

fn pattern() -> impl Strategy<Value = Pattern> {
    patterns(nasty_text())
}

/// A target without an escape character.
const NO_ESCAPE: StringStyle = crate::logpoint::tokens::LOGPOINT.string;

proptest! {
    #[test]
    fn splunk_strings_read_back_exactly(p in pattern()) {
        let lit = literal::string(&SPLUNK.string, &p).unwrap();
        prop_assert_eq!(scan(&SPLUNK.string, &lit), Ok(intended(&p)));
    }

    #[test]
    fn unescaped_strings_never_end_early(p in pattern()) {
        if let Ok(lit) = literal::string(&NO_ESCAPE, &p) {
            prop_assert!(scan(&NO_ESCAPE, &lit).is_ok(), "{lit:?}");
        }
    }

    #[test]
    fn splunk_fields_read_back_exactly(name in nasty_text()) {
        match literal::field(&SPLUNK, &name) {
            Ok(f) if f != name => {
                let read: Vec<Tok> = scan(&SPLUNK.string, &f).unwrap();
                prop_assert_eq!(read, name.chars().map(|c| if c == '*' { Tok::Wildcard } else { Tok::Char(c) }).collect::<Vec<_>>());
            }
            Ok(_) => {}
            Err(e) => prop_assert_eq!(Err(e), literal::writable(&name)),
        }
    }

    #[test]
    fn splunk_regexes_read_back_exactly(re in nasty_text(), i: bool, s: bool) {
        let flags = RegexFlags { ignore_case: i, multi_line: false, dot_all: s };
        let Some(body) = literal::regex(&re, flags, SPLUNK.string.escape, REGEX_ESCAPED) else {
            return Err(TestCaseError::reject("extended mode with a control character"));
        };
        prop_assert!(!body.contains(literal::invisible), "{:?}", body);
        // Inside "…" only `\` escapes and `"` ends: read it back as an SPL string would be.
        let mut read = String::new();
        let mut chars = body.chars();
        while let Some(c) = chars.next() {
            prop_assert_ne!(c, '"', "unescaped quote in {:?}", body);
            read.push(if c == '\\' { chars.next().expect("escape is followed") } else { c });
        }
        let prefix = if flags.is_empty() { String::new() } else { format!("(?{})", flags.letters()) };
        prop_assert_eq!(read, format!("{prefix}{}", literal::visible_regex(&re).expect("written")));
    }
}
