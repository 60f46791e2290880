//! `sigmahq_field_duplicate_value`
//!
//! ## What it does
//! Reports a value listed twice for one detection item (compared case-insensitively unless the
//! item is `cased`, a regular expression or encoded).
//!
//! ## Why is this bad?
//! The duplicate adds nothing but query length; often it hides a value that was meant instead.
//!
//! ## Example
//! ```yaml
//! Image|endswith: ['\cmd.exe', '\CMD.exe']
//! ```

use crate::{Ctx, Out};
use foldhash::{HashSet, HashSetExt};
use sigc_compiler::modifier::Modifier;

pub fn check(cx: &Ctx<'_>, out: &mut Out<'_>) {
    for item in &cx.items {
        let exact = [
            Modifier::Cased,
            Modifier::Re,
            Modifier::Base64,
            Modifier::Base64Offset,
            Modifier::Utf16Le,
            Modifier::Utf16Be,
            Modifier::Utf16,
        ]
        .into_iter()
        .any(|m| item.has(m));
        let values: Vec<_> = item
            .scalars()
            .filter_map(|node| Some((node, node.as_str()?)))
            .collect();
        let same = |a: &str, b: &str| {
            if exact {
                a == b
            } else if a.is_ascii() && b.is_ascii() {
                a.eq_ignore_ascii_case(b)
            } else {
                a.to_lowercase() == b.to_lowercase()
            }
        };
        let mut seen = HashSet::with_capacity(values.len());
        for (i, (node, text)) in values.iter().enumerate() {
            // a few values are compared with each other; many are hashed, once each
            let repeated = if values.len() <= COMPARED {
                values[..i].iter().any(|(_, earlier)| same(earlier, text))
            } else {
                !seen.insert(if exact {
                    text.to_string()
                } else {
                    text.to_lowercase()
                })
            };
            if repeated {
                out.report(node.span(), "value is listed twice for this field");
            }
        }
    }
}

/// The most values of one item compared pairwise rather than hashed.
const COMPARED: usize = 16;

#[cfg(test)]
mod tests {
    use crate::{Config, check_file};
    use sigc_compiler::Source;

    /// The lines reported for a rule whose `Image|endswith` lists `values`, one per line.
    fn reported(values: &[String]) -> Vec<usize> {
        let list: String = values.iter().map(|v| format!("      - '{v}'\n")).collect();
        let text = format!(
            "title: t\nid: 0d3f6b0e-1c2a-4a4e-9a8e-3f2a1b0c9d8e\nlogsource:\n  category: process_creation\n  product: windows\ndetection:\n  sel:\n    Image|endswith:\n{list}  condition: sel\n"
        );
        let source = Source::new("rule.yml", &text);
        let report = check_file(&source, &Config::default());
        report
            .findings
            .iter()
            .filter(|f| f.diag.code == "sigmahq_field_duplicate_value")
            .map(|f| source.line_col(f.diag.span.unwrap().start).line)
            .collect()
    }

    /// Repeats are found case-insensitively, whether the values are compared pairwise (a
    /// few) or hashed (many).
    #[test]
    fn repeats_are_found_in_short_and_long_lists() {
        for count in [3, 40] {
            let mut values: Vec<String> = (0..count).map(|i| format!("\\v{i}.exe")).collect();
            values.push("\\V1.EXE".to_string());
            values.push("\\Straße.exe".to_string());
            values.push("\\STRASSE.exe".to_string());
            values.push("\\straße.EXE".to_string());
            let first = 9; // the line of the first value
            let expected = vec![first + count, first + count + 3];
            assert_eq!(reported(&values), expected, "{count} values");
        }
    }
}
