//! `windash`: every command-line dash written as each of the five dashes Windows programs accept.

use crate::ir::{Part, Pattern};

/// The dashes, in the order alternatives are produced.
const DASHES: [char; 5] = ['-', '/', '\u{2013}', '\u{2014}', '\u{2015}'];

/// Most option dashes one value may hold: each multiplies the alternatives by five.
pub const MAX_DASHES: usize = 5;

/// All variants of `p` where each option dash (a `-` or `/` after a non-word character or the
/// start, and before a word character) is replaced by each of [`DASHES`].
pub fn expand(p: &Pattern) -> Result<Vec<Pattern>, String> {
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
            let next_word = chars.get(i + 1).is_some_and(|&n| is_word(n));
            if matches!(c, '-' | '/') && !prev_word && next_word {
                if variants.len() >= DASHES.len().pow(MAX_DASHES as u32) {
                    return Err(format!(
                        "windash on a value with more than {MAX_DASHES} dashes would produce over {} alternatives",
                        DASHES.len().pow(MAX_DASHES as u32)
                    ));
                }
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

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}
