//! `sigmahq_field_user`
//!
//! ## What it does
//! Reports a user field matched against a localised name of the built-in Windows authority
//! (`NT AUTHORITY`, `AUTORITE NT`, `NT-AUTORITÄT`, …).
//!
//! ## Why is this bad?
//! Windows localises these account names: a rule that spells one language misses every other
//! one. Match the common part instead: `User|contains: ['AUTHORI', 'AUTORI']`.
//!
//! ## Example
//! ```yaml
//! User: 'NT AUTHORITY\SYSTEM'
//! ```

use crate::{Ctx, Out};

const LOCALISED: &[&str] = &[
    "NT AUTHORITY",
    "AUTORITE NT",
    "NT-AUTORITÄT",
    "NT AUTHORITÄT",
    "AUTORIDAD NT",
    "AUTORITÀ NT",
];

pub fn check(cx: &Ctx<'_>, out: &mut Out<'_>) {
    for item in cx
        .items
        .iter()
        .filter(|i| i.field_name().is_some_and(|f| f.contains("User")))
    {
        for node in item.scalars() {
            let Some(text) = node.as_str() else { continue };
            let upper = text.to_uppercase();
            if let Some(name) = LOCALISED.iter().find(|n| upper.contains(**n)) {
                out.report(node.span(), format!("`{name}` is localised by Windows"))
                    .help("match `|contains: ['AUTHORI', 'AUTORI']` to cover every language");
            }
        }
    }
}
