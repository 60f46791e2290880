//! The front end: a rule file's YAML to its documents, a rule file to compiled documents, a
//! condition string to its tree, and a parsed condition lowered over its rule's search
//! identifiers.

use crate::corpus::{self, Corpus};
use criterion::{BatchSize, Criterion, Throughput, criterion_group};
use sigc_compiler::condition::{self, Cond};
use sigc_compiler::limits::Budget;
use sigc_compiler::lower::{Identifiers, lower};
use sigc_compiler::model::detection::Detections;
use sigc_compiler::yaml;
use std::hint::black_box;

/// `yaml::load`: a rule file's text to its documents' values and spans, per file.
fn yaml_load(c: &mut Criterion) {
    let mut g = crate::group(c, "yaml");
    for corpus in corpus::front_end() {
        g.throughput(Throughput::Elements(corpus.sources.len() as u64));
        g.bench_function(corpus.name, |b| {
            b.iter(|| {
                for source in &corpus.sources {
                    let _ = black_box(yaml::load(source));
                }
            })
        });
    }
    g.finish();
}

/// `sigc_compiler::compile`: YAML to the model, the conditions lowered, per file.
fn compile(c: &mut Criterion) {
    let mut g = crate::group(c, "compile");
    for corpus in corpus::front_end() {
        g.throughput(Throughput::Elements(corpus.sources.len() as u64));
        g.bench_function(corpus.name, |b| {
            b.iter(|| {
                for source in &corpus.sources {
                    black_box(sigc_compiler::compile(source));
                }
            })
        });
    }
    g.finish();
}

/// `condition::parse` on every condition string of the sample.
fn condition_parse(c: &mut Criterion) {
    let corpus = corpus::sample();
    let texts: Vec<String> = corpus
        .detections()
        .into_iter()
        .flat_map(|d| d.conditions.into_iter().map(|t| t.text))
        .collect();
    let mut g = crate::group(c, "condition");
    g.throughput(Throughput::Elements(texts.len() as u64));
    g.bench_function(format!("parse/{}", corpus.name), |b| {
        b.iter(|| {
            for text in &texts {
                let _ = black_box(condition::parse(black_box(text)));
            }
        })
    });
    g.finish();
}

/// `lower`: each parsed condition resolved over its rule's identifiers, a fresh budget per rule.
fn lowering(c: &mut Criterion) {
    let corpus: Corpus = corpus::sample();
    let parsed: Vec<(Detections, Vec<Cond>)> = corpus
        .detections()
        .into_iter()
        .map(|d| {
            let conds = d
                .conditions
                .iter()
                .filter_map(|t| condition::parse(&t.text).ok())
                .collect();
            (d, conds)
        })
        .collect();
    let count: usize = parsed.iter().map(|(_, conds)| conds.len()).sum();
    let mut g = crate::group(c, "lower");
    g.throughput(Throughput::Elements(count as u64));
    g.bench_function(corpus.name, |b| {
        // lowering moves each identifier's expression out at its last use: every iteration
        // starts from a fresh copy of the identifiers, made outside the measurement
        let fresh = || {
            parsed
                .iter()
                .map(|(detections, conds)| (detections.identifiers.clone(), conds))
                .collect::<Vec<_>>()
        };
        b.iter_batched(
            fresh,
            |rules| {
                for (list, conds) in rules {
                    let refs: Vec<&Cond> = conds.iter().collect();
                    let mut identifiers = Identifiers::new(list, &refs);
                    let mut budget = Budget::new();
                    for cond in conds {
                        let _ = black_box(lower(cond, &mut identifiers, &mut budget));
                    }
                }
            },
            BatchSize::LargeInput,
        )
    });
    g.finish();
}

criterion_group!(benches, yaml_load, compile, condition_parse, lowering);
