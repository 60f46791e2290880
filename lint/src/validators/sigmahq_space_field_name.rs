//! `sigmahq_space_field_name`
//!
//! ## What it does
//! Reports a field name that contains a space.
//!
//! ## Why is this bad?
//! Field names with spaces need quoting in most query languages and usually come from copying a
//! display label instead of the field's real name.
//!
//! ## Example
//! ```yaml
//! Command Line|contains: 'x'
//! ```

use crate::{Ctx, Out};

pub fn check(cx: &Ctx<'_>, out: &mut Out<'_>) {
    for item in &cx.items {
        if let Some(field) = item.field.as_ref().filter(|f| f.name.contains(' ')) {
            out.report(
                field.span,
                format!("field name `{}` contains a space", field.name),
            );
        }
    }
}
