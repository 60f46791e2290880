//! Hover: on a modifier, its meaning; on a field, the name each target's pipelines give it; on
//! the detection or the condition, the query of each target; on an ATT&CK tag, what it names.

use super::context;
use super::queries::{self, Conversion};
use super::workspace::Workspace;
use crate::explain::tree::Node;
use sigc_backends::Plan;
use sigc_backends::format::md;
use sigc_compiler::ir::Origin;
use sigc_compiler::model::attack::{ATTACK_VERSION, attack};
use sigc_compiler::modifier::MODIFIERS;
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::ops::Range;

/// The Markdown hover text at `offset` of the open document `name`, and the range it is about.
pub fn hover(
    workspace: &Workspace,
    plans: &[Plan],
    name: &str,
    text: &str,
    offset: usize,
) -> Option<(String, Range<usize>)> {
    let cx = context::at(text, offset);
    let word = cx.word;
    match cx.path.first().copied() {
        Some("tags") => Some((tag(word.text)?, word.range())),
        Some("detection") if cx.path.len() >= 2 && cx.on_key => {
            let key = cx.key?;
            let field_end = key.text.find('|').map_or(key.text.len(), |i| i);
            if word.start > key.start + field_end {
                return Some((modifier(word.text)?, word.range()));
            }
            let field = &key.text[..field_end];
            let (_, conversions) = queries::at(workspace, plans, name, offset);
            let block = context::block(text, key.start);
            let range = key.start..key.start + field_end;
            Some((fields(field, &conversions, block), range))
        }
        Some("detection") => {
            let (ir, conversions) = queries::at(workspace, plans, name, offset);
            let range = cx.key.map_or(word.range(), |k| k.range());
            Some((queries(&conversions) + &tree(&ir, name), range))
        }
        _ => None,
    }
}

/// `attack.t1059.001`: the ATT&CK object's name, status and tactics.
fn tag(tag: &str) -> Option<String> {
    let id = tag.strip_prefix("attack.")?.to_lowercase();
    let entry = attack().get(&id)?;
    let mut out = format!("**{}** `{}`", md::inline(entry.name), id.to_uppercase());
    if entry.status != "active" && entry.status != "tactic" {
        let _ = write!(out, " ({})", entry.status);
    }
    if !entry.tactics.is_empty() {
        let _ = write!(out, "\n\ntactics: {}", entry.tactics.replace(',', ", "));
    }
    let _ = write!(out, "\n\n*MITRE ATT&CK® Enterprise v{ATTACK_VERSION}*");
    Some(out)
}

/// A modifier's meaning, as `sigc list modifiers` gives it.
fn modifier(name: &str) -> Option<String> {
    let info = MODIFIERS.iter().find(|m| m.names.contains(&name))?;
    let names: Vec<String> = info.names.iter().map(|n| format!("`|{n}`")).collect();
    Some(format!("{}: {}", names.join(", "), info.description))
}

/// The names a field gets from each target's pipelines: those of the converted rule's matches
/// that came from the field's entry (`block`).
fn fields(field: &str, conversions: &[Conversion], block: Range<usize>) -> String {
    let mut out = format!("field {}\n", code(field));
    for (target, outcome) in conversions {
        let rule = outcome.as_ref().ok().and_then(|c| c.as_rule());
        let mut names = BTreeSet::new();
        for condition in rule.map(|r| r.conditions.as_slice()).unwrap_or_default() {
            condition.visit(&mut |m| {
                if let Origin::Source(span) = m.origin
                    && block.contains(&span.start)
                {
                    names.insert(m.field.as_deref().unwrap_or("(keyword)"));
                }
            });
        }
        let mapped = match (rule, names.is_empty()) {
            (None, _) => "not converted (see the detection's hover)".to_string(),
            (Some(_), true) => "not used by the condition".to_string(),
            (Some(_), false) => names.iter().map(|n| code(n)).collect::<Vec<_>>().join(", "),
        };
        let _ = write!(out, "\n- **{target}**: {mapped}");
    }
    out
}

/// Each target's queries, or why it refused the document.
fn queries(conversions: &[Conversion]) -> String {
    if conversions.is_empty() {
        return "The document does not compile: see its diagnostics.".to_string();
    }
    let mut out = String::new();
    for (target, outcome) in conversions {
        let _ = writeln!(out, "**{target}**\n");
        match outcome {
            Ok(converted) => {
                for query in converted.queries.iter() {
                    out.push_str(&fence(target, &query.to_string()));
                }
            }
            Err(errors) => {
                for e in errors {
                    let _ = writeln!(out, "- refused: `{}` {}", e.code, md::inline(&e.message));
                }
                out.push('\n');
            }
        }
    }
    out
}

/// The IR of each condition, as `sigc explain` prints it, each leaf with where it was written
/// (`line:col` in the file `name` itself).
fn tree(ir: &[Node], name: &str) -> String {
    let mut out = String::new();
    for (i, condition) in ir.iter().enumerate() {
        let mut lines = String::new();
        condition.write_lines(&mut lines, 0, &|field, value, at| {
            let here = at
                .strip_prefix(name)
                .and_then(|rest| rest.strip_prefix(':'));
            format!("{field} {value}  {}", here.unwrap_or(at))
        });
        let _ = writeln!(out, "**IR**, condition {}\n", i + 1);
        out.push_str(&fence("text", lines.trim_end()));
    }
    out
}

/// More backticks than the longest run of them in `text` (at least `least`): a code span or
/// block delimited by them cannot be closed by the text.
fn ticks(text: &str, least: usize) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    "`".repeat(longest.max(least - 1) + 1)
}

/// `text` in a fenced code block (not `md::code_block`, whose Liquid guard is for Jekyll pages
/// and would show in an editor).
fn fence(lang: &str, text: &str) -> String {
    let ticks = ticks(text, 3);
    format!("{ticks}{lang}\n{text}\n{ticks}\n\n")
}

/// `text` in a code span, on one line.
fn code(text: &str) -> String {
    let text = text.replace(['\r', '\n'], " ");
    let ticks = ticks(&text, 1);
    format!("{ticks} {text} {ticks}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fences_outlast_the_text_and_markdown_is_escaped() {
        assert_eq!(fence("splunk", "a=```b"), "````splunk\na=```b\n````\n\n");
        assert_eq!(code("a`b"), "`` a`b ``");
        assert!(modifier("contains").unwrap().starts_with("`|contains`"));
        assert!(tag("attack.t1059.001").unwrap().contains("PowerShell"));
    }
}
