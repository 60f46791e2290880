//! The evaluator: a `sigc_eval::RuleSet` on SigmaHQ's process-creation regression events, as
//! `sigc test --events` runs it, with the rules those events were recorded for and with every
//! SigmaHQ rule. Needs `../shared`; without it, nothing is measured.

use crate::corpus;
use criterion::{Criterion, Throughput, criterion_group};
use serde_json::Value;
use sigc_compiler::ir::Rule;
use sigc_eval::{JsonEvent, Matcher, RuleSet, Scope};
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
    let mut g = crate::group(c, "eval");
    g.throughput(Throughput::Elements(events.len() as u64));
    for (name, rules) in [("recorded-rules", &recorded), ("sigmahq-all", &all)] {
        let set = rule_set(rules);
        g.bench_function(format!("{name}/{}", set.len()), |b| run(b, &set, &events));
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

criterion_group!(benches, matches);
