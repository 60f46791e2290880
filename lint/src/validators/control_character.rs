//! `control_character`
//!
//! ## What it does
//! Reports a control character (U+0000–U+001F, U+007F–U+009F) or a line or paragraph separator
//! (U+2028, U+2029) in a detection value, a field name of the detection, or an entry of
//! `fields`.
//!
//! ## Why is this bad?
//! In a double-quoted YAML string, `"C:\temp"` holds a TAB, not `\t`: the rule silently looks
//! for a path that never occurs. Use single quotes for Windows paths. In a field name, a line
//! break is never part of a real field, and no query language can write it safely: every target
//! refuses the rule.
//!
//! ## Example
//! ```yaml
//! Image: "C:\temp\x.exe"      # 'C:\temp\x.exe'
//! fields:
//!     - "CommandLine\n| delete"
//! ```

use crate::{Ctx, Out};

pub fn check(cx: &Ctx<'_>, out: &mut Out<'_>) {
    for item in &cx.items {
        for node in item.scalars() {
            let Some(text) = node.as_str() else { continue };
            // an ASCII character is one byte, and no byte of a longer character is ASCII
            if let Some(&c) = text.as_bytes().iter().find(|b| b.is_ascii_control()) {
                out.report(
                    node.span(),
                    format!("value holds the control character U+{c:04X}"),
                )
                .help("a backslash in a double-quoted string starts an escape; use single quotes");
            }
        }
        if let Some(field) = &item.field
            && let Some(c) = unsafe_char(&field.name)
        {
            out.report(field.span, field_message(c));
        }
    }
    let fields = cx.root.get("fields").and_then(|n| n.items());
    for node in fields.into_iter().flatten() {
        if let Some(c) = node.as_str().and_then(unsafe_char) {
            out.report(node.span(), field_message(c));
        }
    }
}

/// The first character no field name may hold.
fn unsafe_char(text: &str) -> Option<char> {
    text.chars()
        .find(|&c| c.is_control() || matches!(c, '\u{2028}' | '\u{2029}'))
}

fn field_message(c: char) -> String {
    format!(
        "field name holds U+{:04X}, a control character or line separator no target can write",
        c as u32
    )
}
