//! The evaluator: a `sigc_eval::RuleSet` on SigmaHQ's process-creation regression events, as
//! `sigc test --events` runs it, with the rules those events were recorded for and with every
//! SigmaHQ rule: on events already parsed (`serde_json::Value`), and from their JSON text read in
//! place (`RuleSet::matches_text`: only what the rules read is decoded), as `sigc test` reads
//! event files. Needs `../shared`; without it, nothing is measured.

use crate::corpus;
use criterion::{Criterion, Throughput, criterion_group};
use serde_json::Value;
use sigc_compiler::ir::Rule;
use sigc_eval::{JsonEvent, Matcher, RuleSet, Scope, Tape};
use std::hint::black_box;

/// The matchers of the rules that can be evaluated, in one set.
fn rule_set(rules: &[Rule]) -> RuleSet {
    RuleSet::new(
        rules
            .iter()
            .filter_map(|r| Some((Matcher::new(r).ok()?, Scope::of(&r.logsource)))),
    )
}

fn matches(c: &mut Criterion) {
    let (Some((events, ids)), Some(all)) = (corpus::regression_events(), corpus::sigmahq_all())
    else {
        eprintln!("eval: ../shared/corpus/sigmahq is absent; the evaluator is not measured");
        return;
    };
    let all = all.rules();
    let recorded: Vec<Rule> = all
        .iter()
        .filter(|r| r.meta.id.as_ref().is_some_and(|id| ids.contains(id)))
        .cloned()
        .collect();
    // The events the tape reads (the others take serde_json's path in `sigc test`).
    let texts: Vec<Vec<u8>> = events
        .iter()
        .map(|e| e.to_string().into_bytes())
        .filter(|text| Tape::parse(text).is_some())
        .collect();
    let mut g = crate::group(c, "eval");
    for (name, rules) in [("recorded-rules", &recorded), ("sigmahq-all", &all)] {
        let set = rule_set(rules);
        g.throughput(Throughput::Elements(events.len() as u64));
        g.bench_function(format!("{name}/{}", set.len()), |b| run(b, &set, &events));
        g.throughput(Throughput::Elements(texts.len() as u64));
        g.bench_function(format!("{name}/{}/from-text", set.len()), |b| {
            run_text(b, &set, &texts)
        });
    }
    g.finish();
}

fn run(b: &mut criterion::Bencher<'_>, set: &RuleSet, events: &[Value]) {
    let mut out = Vec::new();
    b.iter(|| {
        for event in events {
            set.matches(&JsonEvent::new(event), &mut out);
            black_box(&out);
        }
    })
}

/// Each event read in place from its text, then evaluated.
fn run_text(b: &mut criterion::Bencher<'_>, set: &RuleSet, texts: &[Vec<u8>]) {
    let mut out = Vec::new();
    b.iter(|| {
        for text in texts {
            black_box(set.matches_text(text, &mut out));
            black_box(&out);
        }
    })
}

criterion_group!(benches, matches);
