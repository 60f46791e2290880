//! `control_character`
//!
//! ## What it does
//! Reports a control character (U+0000–U+001F, U+007F) in a detection value.
//!
//! ## Why is this bad?
//! In a double-quoted YAML string, `"C:\temp"` holds a TAB, not `\t`: the rule silently looks
//! for a path that never occurs. Use single quotes for Windows paths.
//!
//! ## Example
//! ```yaml
//! Image: "C:\temp\x.exe"      # 'C:\temp\x.exe'
//! ```

use crate::lint::{Ctx, Out};

pub fn check(cx: &Ctx<'_>, out: &mut Out<'_>) {
    for item in &cx.items {
        for node in &item.values {
            let Some(text) = node.as_str() else { continue };
            if let Some(c) = text.chars().find(|c| c.is_ascii_control()) {
                out.report(
                    node.span(),
                    format!("value holds the control character U+{:04X}", c as u32),
                )
                .help("a backslash in a double-quoted string starts an escape; use single quotes");
            }
        }
    }
}
