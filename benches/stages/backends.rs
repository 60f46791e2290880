//! The backends: `Target::queries` of each target on the sample's rules, each after the
//! target's own default pipelines (applied outside the measurement).

use crate::{corpus, pipelines};
use criterion::{Criterion, Throughput, criterion_group};
use std::hint::black_box;

fn queries(c: &mut Criterion) {
    let corpus = corpus::sample();
    let rules = corpus.rules();
    let mut g = crate::group(c, "queries");
    for target in sigc_backends::targets() {
        let processed = pipelines::processed(target, &rules);
        g.throughput(Throughput::Elements(processed.len() as u64));
        g.bench_function(format!("{}/{}", target.name(), corpus.name), |b| {
            b.iter(|| {
                for rule in &processed {
                    let _ = black_box(target.queries(rule));
                }
            })
        });
    }
    g.finish();
}

criterion_group!(benches, queries);
