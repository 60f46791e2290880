//! Rules run on events given as text (a JSON object, an array, JSON Lines, concatenated
//! objects) and on their own test cases, with sigc-eval, as `sigc test` runs them on files.

use super::{Located, source};
use crate::cli::events::engine::Engine;
use crate::cli::events::{Decoded, Piece, json};
use serde::Serialize;
use sigc_compiler::ir::{Document, Rule};
use sigc_compiler::ruleset::Slots;
use sigc_compiler::{Diagnostic, DocId, RuleSet, Severity};
use std::sync::Arc;

/// Which events each rule matched, and how its own test cases went.
#[derive(Debug, Serialize)]
pub struct Tested {
    /// Every event read, in order.
    pub events: Vec<EventResult>,
    /// The events that could not be read, with why.
    pub errors: Vec<String>,
    /// The rules' own test cases run.
    pub cases_run: usize,
    /// Compile errors, rules that cannot be evaluated, failed test cases, documents not run.
    pub diagnostics: Vec<Located>,
}

/// One event and the rules it matched.
#[derive(Debug, Serialize)]
pub struct EventResult {
    /// How the event is named: `#2`, or `line 3` for a line of a broken value.
    pub event: String,
    /// The line of the events text it starts on.
    pub line: Option<u64>,
    pub matches: Vec<Matched>,
}

/// A rule that matched an event.
#[derive(Debug, Serialize)]
pub struct Matched {
    pub title: String,
    pub id: Option<String>,
    pub level: Option<&'static str>,
}

/// The rules among the documents of `set` (`slots`, from [`RuleSet::from_files`]), with their
/// places in the set; the errors of those that did not compile or do not resolve. Applied
/// filters and correlations without errors are no rules (a correlator evaluates the latter).
pub fn rules(set: &RuleSet, slots: Slots) -> (Vec<(DocId, Arc<Rule>)>, Vec<Diagnostic>) {
    let (mut rules, mut errors) = (Vec::new(), Vec::new());
    let slots = slots.into_iter().flatten();
    for slot in slots.filter(|s| !s.as_ref().is_ok_and(|&id| set.is_applied_filter(id))) {
        let rule = slot.and_then(|id| match set.get(id) {
            Document::Correlation(_) if set.errors(id).is_empty() => Ok(None),
            Document::Rule(_) | Document::Correlation(_) | Document::Filter(_) => set
                .rule_for(id, "`sigc test`")
                .map(|r| Some((id, Arc::clone(r)))),
        });
        match rule {
            Ok(rule) => rules.extend(rule),
            Err(diags) => errors.extend(diags),
        }
    }
    (rules, errors)
}

/// Runs the rules of `rule` on `events` and on their own test cases. Correlations are not
/// evaluated here (`sigc test` does): each gets a note saying so.
pub fn test(rule: &str, events: &str) -> Tested {
    let (set, slots) = RuleSet::from_files(vec![sigc_compiler::compile(&source(rule))]);
    let (rules, mut diagnostics) = rules(&set, slots);
    let (engine, refused) = Engine::new(rules.into_iter().map(|(_, r)| r).collect());
    diagnostics.extend(refused);
    for (_, doc) in set.documents() {
        if let Document::Correlation(c) = doc {
            diagnostics.push(
                Diagnostic::error(
                    "correlation_not_evaluated",
                    "the playground runs rules only; this correlation is not evaluated",
                    &c.source,
                    c.span,
                )
                .with_severity(Severity::Info)
                .with_help("`sigc test --events FILE` evaluates correlations"),
            );
        }
    }
    let mut cases_run = 0;
    for (i, r) in engine.rules.iter().enumerate() {
        let report = sigc_eval::run_cases(r, engine.matcher(i));
        cases_run += report.run;
        diagnostics.extend(report.failures);
    }
    let (decoded, errors) = decode(events);
    let mut hits = Vec::new();
    let events = decoded
        .into_iter()
        .map(|event| {
            engine.matches(&event.value, &mut hits);
            let matches = hits
                .drain(..)
                .map(|i| {
                    let meta = &engine.rules[i].meta;
                    Matched {
                        title: meta.title.clone(),
                        id: meta.id.clone(),
                        level: meta.level.map(|l| l.as_str()),
                    }
                })
                .collect();
            EventResult {
                event: event.label(),
                line: event.line,
                matches,
            }
        })
        .collect();
    Tested {
        events,
        errors,
        cases_run,
        diagnostics: Located::all(&diagnostics),
    }
}

/// The events of `text`, cut and decoded as an event file's are, and the errors met.
fn decode(text: &str) -> (Vec<Decoded>, Vec<String>) {
    let (mut events, mut errors) = (Vec::new(), Vec::new());
    for (index, item) in (1..).zip(json::Splitter::new(text.as_bytes())) {
        let piece = match item {
            Ok(item) => Piece::Json {
                index,
                line: item.line,
                text: item.text,
            },
            Err(e) => {
                errors.push(e.to_string());
                break;
            }
        };
        for decoded in piece.decode() {
            match decoded {
                Ok(event) => events.push(event),
                Err(e) => errors.push(e),
            }
        }
    }
    (events, errors)
}
