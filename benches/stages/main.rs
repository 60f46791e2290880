//! Criterion benchmarks of sigc's hot stages, one module per stage, on real rules and events
//! read once before anything is measured (see `corpus`). Run with `cargo bench --bench stages`;
//! `docs/performance.md` has the commands and the figures.

mod backends;
mod corpus;
mod eval;
mod front;
mod pipelines;

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion, criterion_main};
use std::time::Duration;

/// A group sized for a shared two-core machine: 20 samples, 3 s each stage.
fn group<'c>(c: &'c mut Criterion, name: &str) -> BenchmarkGroup<'c, WallTime> {
    let mut g = c.benchmark_group(name);
    g.sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    g
}

criterion_main!(
    front::benches,
    pipelines::benches,
    backends::benches,
    eval::benches
);
