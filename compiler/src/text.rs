//! What a rule file may be: UTF-8 text, an optional byte order mark, and only characters on
//! which every YAML parser agrees.
//!
//! YAML allows neither NUL nor most control characters. NEL (U+0085), LINE SEPARATOR (U+2028)
//! and PARAGRAPH SEPARATOR (U+2029) are line breaks to YAML 1.1 parsers (libyaml, PyYAML) and
//! ordinary characters to YAML 1.2 ones (saphyr), so the same file would mean different things;
//! sigc refuses them. Inside a double-quoted string, `"\u2028"` writes one.

/// The UTF-8 byte order mark, allowed as the first character of a file.
pub const BOM: char = '\u{feff}';

/// The first character a rule file may not hold: `(byte offset, message)`.
pub fn forbidden_char(text: &str) -> Option<(usize, String)> {
    // Only the bytes that can start a forbidden character are decoded: each is ASCII or the
    // first byte of a UTF-8 sequence, so it is on a character boundary.
    let bytes = text.as_bytes();
    let mut from = 0;
    let (at, c) = loop {
        let i = from + may_start_forbidden(&bytes[from..])?;
        let c = text[i..].chars().next()?;
        if forbidden(c) && !(c == BOM && i == 0) {
            break (i, c);
        }
        from = i + 1;
    };
    let why = match c {
        '\0' => "a NUL character".to_string(),
        '\u{85}' | '\u{2028}' | '\u{2029}' => format!(
            "U+{:04X}, a line break to YAML 1.1 parsers and not to YAML 1.2 ones",
            c as u32
        ),
        BOM => "a byte order mark (U+FEFF) after the start of the file".to_string(),
        _ => format!("the control character U+{:04X}", c as u32),
    };
    Some((at, format!("{why} is not allowed in a rule file")))
}

/// The offset of the first byte of `bytes` that may start a [`forbidden`] character. Eight
/// bytes are tested at once: a word of printable ASCII is passed over without a look at each
/// byte (most words of a rule file are).
fn may_start_forbidden(bytes: &[u8]) -> Option<usize> {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGH: u64 = u64::from_ne_bytes([0x80; 8]);
    let mut words = bytes.chunks_exact(8);
    let mut at = 0;
    for word in &mut words {
        let w = u64::from_ne_bytes(word.try_into().expect("eight bytes"));
        // some byte below 0x20, equal to 0x7f, or non-ASCII (each test may report a word with
        // none, never miss one that has one)
        let below_space = w.wrapping_sub(ONES * 0x20) & !w & HIGH;
        let del = (w ^ (ONES * 0x7f)).wrapping_sub(ONES) & !(w ^ (ONES * 0x7f)) & HIGH;
        if below_space | del | (w & HIGH) != 0
            && let Some(i) = word.iter().position(|&b| MAY_START_FORBIDDEN[b as usize])
        {
            return Some(at + i);
        }
        at += 8;
    }
    let rest = words.remainder();
    rest.iter()
        .position(|&b| MAY_START_FORBIDDEN[b as usize])
        .map(|i| at + i)
}

/// The bytes that may start a [`forbidden`] character: an ASCII control but tab, line feed and
/// carriage return, DEL, or the first byte of U+0080–U+009F (0xC2), of U+2028 and U+2029 (0xE2)
/// or of U+FEFF, U+FFFE and U+FFFF (0xEF). A table: the scan looks up every byte of every file.
static MAY_START_FORBIDDEN: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = matches!(b, 0x00..=0x08 | 0x0b | 0x0c | 0x0e..=0x1f | 0x7f | 0xc2 | 0xe2 | 0xef);
        b += 1;
    }
    table
};

/// Outside YAML's printable characters, or a line break only some YAML versions know.
fn forbidden(c: char) -> bool {
    matches!(c,
        '\0'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        | '\u{2028}' | '\u{2029}' | BOM | '\u{fffe}' | '\u{ffff}')
}

/// The text of `bytes`; or the offset and value of the first byte that is not UTF-8, with the
/// text decoded lossily (identical up to that offset, so that it can still be shown).
pub fn decode(bytes: Vec<u8>) -> Result<String, (usize, u8, String)> {
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let byte = e.as_bytes()[at];
        (at, byte, String::from_utf8_lossy(e.as_bytes()).into_owned())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_yaml_printable_characters_on_which_parsers_agree() {
        assert_eq!(forbidden_char("\u{feff}a: b\r\n\tc\u{a0}é😀"), None);
        for (text, at) in [
            ("a\0", 1),
            ("é\u{7}", 2),
            ("a\u{85}", 1),
            ("a\u{2028}", 1),
            ("ab\u{feff}", 2),
            ("\u{7f}", 0),
        ] {
            assert_eq!(forbidden_char(text).map(|(i, _)| i), Some(at), "{text:?}");
        }
    }

    /// Where decoding every character of `text` finds the first forbidden one.
    fn by_char(text: &str) -> Option<usize> {
        text.char_indices()
            .find(|&(i, c)| forbidden(c) && !(c == BOM && i == 0))
            .map(|(i, _)| i)
    }

    proptest::proptest! {
        /// Decoding only the bytes that may start a forbidden character finds what decoding
        /// every character finds.
        #[test]
        fn the_byte_scan_finds_what_a_character_scan_finds(
            text in "(\\PC|[\u{0}-\u{1f}\u{7f}-\u{9f}\u{2028}\u{2029}\u{feff}\u{fffe}\u{ffff}])*",
        ) {
            proptest::prop_assert_eq!(forbidden_char(&text).map(|(i, _)| i), by_char(&text));
        }

        /// The same on text that is mostly printable ASCII, as rule files are, with a
        /// character of any kind anywhere in a run of words.
        #[test]
        fn a_word_scan_misses_no_character(
            before in "[ -~\\t\\n\\r]{0,40}",
            c in "(\\PC|[\u{0}-\u{1f}\u{7f}-\u{9f}\u{2028}\u{2029}\u{feff}\u{fffe}\u{ffff}])",
            after in "[ -~\\t\\n\\r]{0,40}",
        ) {
            let text = format!("{before}{c}{after}");
            proptest::prop_assert_eq!(forbidden_char(&text).map(|(i, _)| i), by_char(&text));
        }
    }

    #[test]
    fn invalid_utf8_is_found_where_it_starts() {
        assert_eq!(decode(b"ok".to_vec()), Ok("ok".to_string()));
        let (at, byte, lossy) = decode(b"ab\xffc".to_vec()).unwrap_err();
        assert_eq!((at, byte, lossy.as_str()), (2, 0xff, "ab\u{fffd}c"));
    }
}
