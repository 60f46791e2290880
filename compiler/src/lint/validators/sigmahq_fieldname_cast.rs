//! `sigmahq_fieldname_cast`
//!
//! ## What it does
//! Reports a field name written in a different case than the same field elsewhere in the rule
//! (`Image` and `image`).
//!
//! ## Why is this bad?
//! Field names are case-sensitive in most backends: one of the two spellings matches nothing.
//!
//! ## Example
//! ```yaml
//! selection: {Image|endswith: '\a.exe'}
//! filter: {image|endswith: '\b.exe'}
//! ```

use crate::lint::{Ctx, Out};

pub fn check(cx: &Ctx<'_>, out: &mut Out<'_>) {
    for (i, item) in cx.items.iter().enumerate() {
        let Some(field) = item.field.as_deref() else {
            continue;
        };
        let earlier = cx.items[..i]
            .iter()
            .filter_map(|x| x.field.as_deref())
            .find(|f| *f != field && f.eq_ignore_ascii_case(field));
        if let Some(other) = earlier {
            out.report(
                item.field_span(cx),
                format!("field `{field}` is written `{other}` elsewhere in this rule"),
            );
        }
    }
}
