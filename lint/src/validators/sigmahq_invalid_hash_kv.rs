//! `sigmahq_invalid_hash_kv`
//!
//! ## What it does
//! Reports a `Hashes` or `Hash` value that is not `ALGORITHM=hexdigest` with a known algorithm
//! (MD5, SHA1, SHA256, IMPHASH, in capitals as Sysmon writes them) and a digest of the right
//! length.
//!
//! ## Why is this bad?
//! Sysmon writes `Hashes` as comma-separated `ALGO=value` pairs; any other shape never matches.
//!
//! ## Example
//! ```yaml
//! Hashes|contains: 'MD5:0123456789abcdef0123456789abcdef'   # MD5=0123…
//! ```

use crate::{Ctx, Out};
use sigc_compiler::modifier::Modifier;

const ALGORITHMS: &[(&str, usize)] = &[("MD5", 32), ("SHA1", 40), ("SHA256", 64), ("IMPHASH", 32)];

pub fn check(cx: &Ctx<'_>, out: &mut Out<'_>) {
    for item in cx
        .items
        .iter()
        .filter(|i| matches!(i.field_name(), Some("Hashes" | "Hash")) && !i.has(Modifier::Re))
    {
        for node in item.scalars() {
            let Some(text) = node.as_str() else { continue };
            let pair = text.trim_matches('*');
            let ok = pair.split_once('=').is_some_and(|(algo, hex)| {
                ALGORITHMS
                    .iter()
                    .any(|(a, n)| *a == algo && hex.len() == *n)
                    && hex.bytes().all(|b| b.is_ascii_hexdigit())
            });
            if !ok {
                out.report(
                    node.span(),
                    format!("`{text}` is not `ALGORITHM=hexdigest` (MD5, SHA1, SHA256, IMPHASH)"),
                );
            }
        }
    }
}
