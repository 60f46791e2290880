//! `sigmahq_tags_techniques_without_tactics`
//!
//! ## What it does
//! Reports an ATT&CK technique tag when none of the technique's tactics is tagged too.
//!
//! ## Why is this bad?
//! Tactic tags make the ATT&CK matrix view of a rule set complete; SigmaHQ tags both.
//!
//! ## Example
//! ```yaml
//! tags: [attack.t1059.001]      # and no attack.execution
//! ```

use crate::lint::{Ctx, Out};

pub fn check(cx: &Ctx<'_>, out: &mut Out<'_>) {
    use crate::lint::data::attack;
    let tags = cx.tags();
    for (tag, node) in &tags {
        let Some(id) = tag.strip_prefix("attack.").filter(|t| t.starts_with('t')) else {
            continue;
        };
        let Some(entry) = attack().get(id) else {
            continue;
        };
        let tactics: Vec<&str> = entry.tactics.split(',').filter(|t| !t.is_empty()).collect();
        if !tactics.is_empty()
            && !tactics
                .iter()
                .any(|t| tags.iter().any(|(x, _)| tactic_covers(t, x)))
        {
            out.report(
                node.span(),
                format!("technique `{tag}` without a tag for its tactic"),
            )
            .help(format!(
                "add one of: {}",
                tactics
                    .iter()
                    .map(|t| format!("attack.{t}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
    }
}

/// Is `tactic` tagged by `tag`? ATT&CK v19 split Defense Evasion into Stealth and Defense
/// Impairment, so either of them stands for it.
fn tactic_covers(tactic: &str, tag: &str) -> bool {
    let Some(tagged) = tag.strip_prefix("attack.") else {
        return false;
    };
    tagged == tactic
        || (tactic == "defense-evasion" && matches!(tagged, "stealth" | "defense-impairment"))
}
