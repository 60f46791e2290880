//! `windash`: every command-line dash written as each of the five dashes Windows programs accept.

use crate::ir::{Part, Pattern};
use crate::limits::{MAX_ALTERNATIVES, MAX_VALUE_BYTES, pattern_bytes};

/// The dashes, in the order alternatives are produced.
const DASHES: [char; 5] = ['-', '/', '\u{2013}', '\u{2014}', '\u{2015}'];

/// All variants of `p` where each option dash (a `-` or `/` after a non-word character or the
/// start, and before a word character) is replaced by each of [`DASHES`]. Each dash multiplies
/// the variants by five: the count and size are checked against the limits before building.
pub fn expand(p: &Pattern) -> Result<Vec<Pattern>, String> {
    let dashes = option_dashes(p);
    let alternatives = u32::try_from(dashes)
        .ok()
        .and_then(|d| DASHES.len().checked_pow(d))
        .filter(|&n| n <= MAX_ALTERNATIVES);
    let Some(alternatives) = alternatives else {
        return Err(format!(
            "windash on a value with {dashes} option dashes would produce 5^{dashes} alternatives; the limit is {MAX_ALTERNATIVES}"
        ));
    };
    // each dash becomes at most three bytes (`—`)
    let bytes = alternatives.saturating_mul(pattern_bytes(p) + 2 * dashes);
    if bytes > MAX_VALUE_BYTES {
        return Err(format!(
            "windash would produce about {bytes} bytes of alternatives; the limit is {} MiB",
            MAX_VALUE_BYTES >> 20
        ));
    }
    let mut variants = vec![Pattern {
        parts: Vec::new(),
        cased: p.cased,
    }];
    let mut prev_word = false;
    for part in &p.parts {
        let Part::Lit(text) = part else {
            prev_word = false;
            variants.iter_mut().for_each(|v| v.push(part.clone()));
            continue;
        };
        let chars: Vec<char> = text.chars().collect();
        let mut start = 0;
        for (i, &c) in chars.iter().enumerate() {
            if is_option_dash(&chars, i, prev_word) {
                let before: String = chars[start..i].iter().collect();
                let before = before.as_str();
                variants = variants
                    .into_iter()
                    .flat_map(|v| {
                        DASHES.iter().map(move |d| {
                            let mut v = v.clone();
                            v.push(Part::Lit(format!("{before}{d}")));
                            v
                        })
                    })
                    .collect();
                start = i + 1;
            }
            prev_word = is_word(c);
        }
        let rest: String = chars[start..].iter().collect();
        variants
            .iter_mut()
            .for_each(|v| v.push(Part::Lit(rest.clone())));
    }
    Ok(variants)
}

/// How many option dashes `p` holds, walked as [`expand`] walks it.
fn option_dashes(p: &Pattern) -> usize {
    let mut prev_word = false;
    let mut count = 0;
    for part in &p.parts {
        let Part::Lit(text) = part else {
            prev_word = false;
            continue;
        };
        let chars: Vec<char> = text.chars().collect();
        for (i, &c) in chars.iter().enumerate() {
            count += usize::from(is_option_dash(&chars, i, prev_word));
            prev_word = is_word(c);
        }
    }
    count
}

/// Whether `chars[i]` is an option dash, given whether the character before it is a word one.
fn is_option_dash(chars: &[char], i: usize, prev_word: bool) -> bool {
    matches!(chars[i], '-' | '/') && !prev_word && chars.get(i + 1).is_some_and(|&n| is_word(n))
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}
