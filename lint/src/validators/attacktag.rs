//! `attacktag`
//!
//! ## What it does
//! Reports an `attack.` tag that names no tactic, technique, sub-technique, group, software,
//! mitigation or data source of MITRE ATT&CK Enterprise (the shipped list, v19), and one that
//! names a revoked or deprecated object.
//!
//! ## Why is this bad?
//! Coverage reports and ATT&CK navigator layers are built from these tags; an unknown or revoked
//! id is a hole in the map or a mapping to something that no longer exists.
//!
//! ## Example
//! ```yaml
//! tags:
//!   - attack.t1059.999        # no such sub-technique
//!   - attack.exection         # typo
//! ```

use crate::{Ctx, Out};
use sigc_compiler::model::attack::{ATTACK_VERSION, attack};

pub fn check(cx: &Ctx<'_>, out: &mut Out<'_>) {
    for &(tag, node) in cx.tags() {
        let Some(name) = tag.strip_prefix("attack.") else {
            continue;
        };
        let key = name.to_lowercase();
        match attack().get(&key) {
            None if is_asset(&key) => {}
            None => {
                out.report(node.span(), format!("`{tag}` is not an ATT&CK Enterprise {ATTACK_VERSION} tactic, technique, group, software or mitigation"));
            }
            Some(e) if e.status == "revoked" || e.status == "deprecated" => {
                out.report(
                    node.span(),
                    format!(
                        "`{tag}` ({}) is {} in ATT&CK {ATTACK_VERSION}",
                        e.name, e.status
                    ),
                );
            }
            Some(_) => {}
        }
    }
}

/// ATT&CK for ICS assets (`a0001`), which the Enterprise list does not hold.
fn is_asset(key: &str) -> bool {
    key.len() == 5 && key.starts_with('a') && key[1..].bytes().all(|b| b.is_ascii_digit())
}
