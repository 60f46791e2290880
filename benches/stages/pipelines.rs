//! The processing pipelines: `sigc_pipeline::apply` with the Splunk target's default
//! pipelines, as `sigc convert -t splunk` applies them.

use crate::corpus;
use criterion::{BatchSize, Criterion, Throughput, criterion_group};
use sigc_backends::Target;
use sigc_backends::plan::default_pipelines;
use sigc_compiler::ir::Rule;
use sigc_pipeline::{Pipeline, Vars};
use std::hint::black_box;

/// `target`'s default pipelines, in the order they apply, and their merged variables.
pub fn defaults(target: &dyn Target) -> (Vec<Pipeline>, Vars) {
    let mut pipelines = default_pipelines(target).expect("the built-in pipelines load");
    sigc_pipeline::order(&mut pipelines);
    let vars = sigc_pipeline::merged_vars(&pipelines, &Vars::new());
    (pipelines, vars)
}

/// `rules` after `target`'s default pipelines; those the pipelines refuse are left out.
pub fn processed(target: &dyn Target, rules: &[Rule]) -> Vec<Rule> {
    let (pipelines, vars) = defaults(target);
    rules
        .iter()
        .cloned()
        .filter_map(|mut rule| {
            sigc_pipeline::apply(&pipelines, &vars, &mut rule).ok()?;
            Some(rule)
        })
        .collect()
}

/// The Splunk defaults applied to every rule of the sample (the rules are cloned outside the
/// measurement: `apply` rewrites them in place).
fn splunk_defaults(c: &mut Criterion) {
    let corpus = corpus::sample();
    let rules = corpus.rules();
    let (pipelines, vars) = defaults(&sigc_backends::splunk::Splunk);
    let mut g = crate::group(c, "pipelines");
    g.throughput(Throughput::Elements(rules.len() as u64));
    g.bench_function(format!("splunk/{}", corpus.name), |b| {
        b.iter_batched(
            || rules.clone(),
            |mut rules| {
                for rule in &mut rules {
                    let _ = black_box(sigc_pipeline::apply(&pipelines, &vars, rule));
                }
                rules
            },
            BatchSize::LargeInput,
        )
    });
    g.finish();
}

criterion_group!(benches, splunk_defaults);
