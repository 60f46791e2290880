//! `sigc check --junitxml`: findings as a JUnit XML report, the shape sigma-cli writes (one test
//! suite per finding code, one test case per finding) plus one passing case per clean file, so a
//! CI dashboard counts the files that passed.

use sigc_lint::Finding;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// The report for `findings` over the files named `files` (in the order they were checked).
pub fn report(findings: &[Finding], files: &[&str]) -> String {
    let mut suites: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
    for f in findings {
        suites.entry(f.diag.code).or_default().push(f);
    }
    let failing: std::collections::HashSet<&str> = findings
        .iter()
        .filter_map(|f| f.diag.source.as_ref().map(|s| s.name.as_str()))
        .collect();
    let clean: Vec<&str> = files
        .iter()
        .copied()
        .filter(|f| !failing.contains(f))
        .collect();

    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"sigc check\" tests=\"{}\" failures=\"{}\">",
        findings.len() + clean.len(),
        findings.len()
    );
    for (code, found) in &suites {
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{n}\" failures=\"{n}\">",
            escape(code),
            n = found.len()
        );
        for f in found {
            case(&mut out, f);
        }
        out.push_str("  </testsuite>\n");
    }
    if !clean.is_empty() {
        let _ = writeln!(
            out,
            "  <testsuite name=\"passed\" tests=\"{}\" failures=\"0\">",
            clean.len()
        );
        for file in clean {
            let file = escape(file);
            let _ = writeln!(
                out,
                "    <testcase name=\"{file}\" classname=\"passed\" file=\"{file}\"/>"
            );
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

/// One failing test case: named by its location, the message and help as the failure's text.
fn case(out: &mut String, f: &Finding) {
    let d = &f.diag;
    let file = d.source.as_ref().map_or("", |s| s.name.as_str());
    let (line, col) = match (&d.source, d.span) {
        (Some(source), Some(span)) => {
            let at = source.line_col(span.start);
            (at.line, at.col)
        }
        _ => (0, 0),
    };
    let mut text = d.message.clone();
    if let Some(help) = &d.help {
        let _ = write!(text, "\nhelp: {help}");
    }
    let _ = writeln!(
        out,
        "    <testcase name=\"{}:{line}:{col}\" classname=\"{}\" file=\"{}\" line=\"{line}\">\n      \
         <failure message=\"{}: {}\" type=\"{}\">{}</failure>\n    </testcase>",
        escape(file),
        escape(d.code),
        escape(file),
        escape(d.code),
        d.severity.as_str(),
        d.severity.as_str(),
        escape(&text),
    );
}

/// Text safe in an XML attribute value or element: the five markup characters as entities, and
/// every character XML 1.0 cannot carry at all (C0 controls but tab, newline and carriage
/// return; U+FFFE and U+FFFF) as U+FFFD. Carriage return and tab become character references so
/// that an attribute keeps them through attribute-value normalisation.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape;
    use proptest::prelude::*;
    use quick_xml::events::Event;

    /// What XML 1.0 can carry of `text`: [`escape`]'s replacements for the characters it cannot.
    fn carried(text: &str) -> String {
        text.chars()
            .map(|c| match c {
                '\t' | '\n' | '\r' => c,
                '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => '\u{fffd}',
                c => c,
            })
            .collect()
    }

    proptest! {
        /// Any text, in an attribute and as element text, parses back as one element holding
        /// exactly that text: nothing a rule writes can add markup to the report.
        #[test]
        fn escaped_text_keeps_the_document_structure(text in any::<String>()) {
            let doc = format!("<a x=\"{0}\">{0}</a>", escape(&text));
            let mut reader = quick_xml::Reader::from_str(&doc);
            let (mut opened, mut closed, mut body) = (0, 0, String::new());
            loop {
                match reader.read_event().expect("well-formed") {
                    Event::Eof => break,
                    Event::Start(e) => {
                        let name = e.name();
                        prop_assert_eq!(name.as_ref(), b"a");
                        let attrs: Vec<_> = e.attributes().map(|a| a.expect("attribute")).collect();
                        prop_assert_eq!(attrs.len(), 1);
                        let value = attrs[0].unescape_value().expect("entities");
                        prop_assert_eq!(value.as_ref(), carried(&text));
                        opened += 1;
                    }
                    Event::Text(t) => body.push_str(&t.decode().expect("utf-8")),
                    Event::GeneralRef(r) => body.push(resolve(&String::from_utf8_lossy(&r))),
                    Event::End(_) => closed += 1,
                    other => prop_assert!(false, "unexpected {other:?}"),
                }
            }
            prop_assert_eq!((opened, closed), (1, 1));
            prop_assert_eq!(body, carried(&text));
        }
    }

    /// The character an entity or character reference stands for.
    fn resolve(name: &str) -> char {
        match name {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            n => n
                .strip_prefix('#')
                .and_then(|d| d.parse().ok())
                .and_then(char::from_u32)
                .expect("a known reference"),
        }
    }
}
