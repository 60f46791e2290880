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

use crate::{Ctx, Out};
use foldhash::{HashMap, HashMapExt};
use sigc_compiler::model::item::Field;

pub fn check(cx: &Ctx<'_>, out: &mut Out<'_>) {
    // The first two spellings of each field name, in order: the earliest other spelling of a
    // field is the first, or the second when the field is written as the first.
    let mut spellings: HashMap<String, (&str, Option<&str>)> = HashMap::new();
    for item in &cx.items {
        let Some(Field { name: field, span }) = &item.field else {
            continue;
        };
        let field = field.as_str();
        let (first, second) = *spellings
            .entry(field.to_ascii_lowercase())
            .and_modify(|(first, second)| {
                if *first != field && second.is_none() {
                    *second = Some(field);
                }
            })
            .or_insert((field, None));
        let earlier = if first != field { Some(first) } else { second };
        if let Some(other) = earlier {
            out.report(
                *span,
                format!("field `{field}` is written `{other}` elsewhere in this rule"),
            );
        }
    }
}
