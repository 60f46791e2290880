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

use crate::{Ctx, Out};
use foldhash::HashSet;

pub fn check(cx: &Ctx<'_>, out: &mut Out<'_>) {
    use sigc_compiler::model::attack::attack;
    let tags = cx.tags();
    let tagged: HashSet<&str> = tags.iter().map(|(t, _)| *t).collect();
    for &(tag, node) in tags {
        let Some(id) = tag.strip_prefix("attack.").filter(|t| t.starts_with('t')) else {
            continue;
        };
        let Some(entry) = attack().get(id) else {
            continue;
        };
        let tactics: Vec<&str> = entry.tactics.split(',').filter(|t| !t.is_empty()).collect();
        if !tactics.is_empty() && !tactics.iter().any(|t| tactic_tagged(t, &tagged)) {
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

/// Is `tactic` among the tags? ATT&CK v19 split Defense Evasion into Stealth and Defense
/// Impairment, so either of them stands for it.
fn tactic_tagged(tactic: &str, tags: &HashSet<&str>) -> bool {
    let tagged = |t: &str| tags.contains(format!("attack.{t}").as_str());
    tagged(tactic)
        || (tactic == "defense-evasion" && (tagged("stealth") || tagged("defense-impairment")))
}
