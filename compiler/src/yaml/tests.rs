//! The one-pass reader against serde_yaml: for every real file at hand and for generated
//! documents, [`load`] gives the values `serde_yaml::Deserializer` gives, document by document,
//! or the error serde_yaml would give, worded and located as [`load`] has always reported it.

use super::{Document, load, yaml_error};
use crate::diagnostic::Source;
use proptest::prelude::*;
use serde_yaml::Value;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What reading a file gives: its non-null documents' values, or an error's message and offset.
type Outcome = Result<Vec<Value>, (String, usize)>;

fn ours(source: &Arc<Source>) -> Outcome {
    load(source)
        .map(|docs| {
            docs.into_iter()
                .map(|Document { value, .. }| value)
                .collect()
        })
        .map_err(|d| (d.message, d.span.map_or(0, |s| s.start)))
}

/// serde_yaml's reading of the same text, as the loader reported it when serde_yaml read every file.
fn serde(source: &Arc<Source>) -> Outcome {
    let text = source.text.as_str();
    let body = text.strip_prefix(crate::text::BOM).unwrap_or(text);
    let mut values = Vec::new();
    for doc in serde_yaml::Deserializer::from_str(body) {
        let value: Value = serde::Deserialize::deserialize(doc).map_err(|e| {
            let d = yaml_error(source, text.len() - body.len(), &e);
            (d.message, d.span.map_or(0, |s| s.start))
        })?;
        if !value.is_null() {
            values.push(value);
        }
    }
    Ok(values)
}

fn source(name: &str, text: &str) -> Arc<Source> {
    Source::new(name.to_string(), text)
}

/// Every `.yml` and `.yaml` file under `dir`.
pub(super) fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            yaml_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "yml" || e == "yaml") {
            out.push(path);
        }
    }
}

/// Compares both readings of every YAML file under `dirs`; returns how many were read.
fn agree_on_files(dirs: &[PathBuf]) -> usize {
    let mut files = Vec::new();
    for dir in dirs {
        yaml_files(dir, &mut files);
    }
    for path in &files {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        let src = source(&path.display().to_string(), &text);
        let serde = serde(&src);
        assert!(serde.is_ok() || ours(&src).is_err(), "{}", path.display());
        if serde.is_ok() {
            assert_eq!(ours(&src), serde, "{}", path.display());
        }
    }
    files.len()
}

pub(super) fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

#[test]
fn fixtures_and_pipelines_read_as_serde_yaml_reads_them() {
    let root = workspace();
    let read = agree_on_files(&[
        root.join("tests/fixtures"),
        root.join("pipeline/pipelines"),
        root.join("rules"),
    ]);
    assert!(read > 200, "only {read} files found");
}

#[test]
fn the_sigmahq_corpus_reads_as_serde_yaml_reads_it() {
    let corpus = workspace().join("../shared/corpus/sigmahq");
    if !corpus.is_dir() {
        eprintln!("note: ../shared is absent; skipping a test that reads it");
        return;
    }
    let mut dirs = vec![corpus.join("rules"), corpus.join("deprecated")];
    for entry in std::fs::read_dir(&corpus).unwrap().flatten() {
        if entry.file_name().to_string_lossy().starts_with("rules-") {
            dirs.push(entry.path());
        }
    }
    let read = agree_on_files(&dirs);
    assert!(read >= 3000, "only {read} files found");
}

#[test]
fn errors_of_meaning_are_worded_and_located_as_serde_yaml_did() {
    for text in [
        "a: 1\nb:\n  c: x\n  c: y\n",
        "- x\n- {k: 1, k: 2}\n",
        "? [a]\n: 1\n? [a]\n: 2\n",
        "1: a\n0x1: b\n",
        "~: a\nnull: b\n",
        "true: a\nTrue: b\n",
        "a: !!int x\n",
        "a: [!!bool yes]\n",
        "a: !!float '1e'\n",
        "a: !!null ''\n",
        "a: 99999999999999999999\n",
        "a: -99999999999999999999\n",
        "--- &a x\n--- *a\n",
        "a: &a [*a]\n",
        "a: {b: 1, b: 1}\n---\nk: [!!int z]\n",
    ] {
        let src = source("t.yml", text);
        assert!(serde(&src).is_err(), "{text}");
        assert_eq!(ours(&src), serde(&src), "{text}");
    }
}

/// Plain scalars of every shape serde_yaml resolves, and near misses.
const PLAIN: &[&str] = &[
    "~",
    "null",
    "Null",
    "NULL",
    "nULL",
    "true",
    "True",
    "TRUE",
    "false",
    "False",
    "FALSE",
    "yes",
    "No",
    "on",
    "0",
    "-0",
    "+0",
    "00",
    "01",
    "-01",
    "+01",
    "007",
    "1",
    "-1",
    "+1",
    "+-1",
    "--1",
    "0x1F",
    "0X1F",
    "0x",
    "0xg",
    "-0x1F",
    "+0x1F",
    "0x-1",
    "0o17",
    "-0o17",
    "0o8",
    "0b101",
    "-0b101",
    "+0b1",
    "0b2",
    "1_000",
    "1e3",
    "1E-3",
    "-1.5e+3",
    ".5",
    "5.",
    "-.5",
    "1.0",
    "0.0",
    "-0.0",
    ".inf",
    "-.inf",
    "+.inf",
    ".Inf",
    "-.INF",
    ".NaN",
    ".nan",
    ".NAN",
    "+.nan",
    "nan",
    "NaN",
    "inf",
    "-inf",
    "infinity",
    "1e400",
    "-1e400",
    "18446744073709551615",
    "18446744073709551616",
    "-9223372036854775808",
    "-9223372036854775809",
    "170141183460469231731687303715884105727",
    "340282366920938463463374607431768211456",
    "12:30",
    "2024-01-01",
    "a b",
    "foo",
    "x.y",
    "C:\\Windows",
    "*.exe",
    "%TEMP%",
    "é",
    "a'b",
    "1 2",
];

/// Tags placed before a scalar or collection.
const TAGS: &[&str] = &[
    "!!str",
    "!!int",
    "!!float",
    "!!bool",
    "!!null",
    "!!binary",
    "!custom",
    "!",
    "!<tag:yaml.org,2002:int>",
    "!<!x>",
    "!!map",
    "!!seq",
];

/// A generated document: scalars, maps and sequences, written in block or flow style.
#[derive(Clone, Debug)]
enum Doc {
    Scalar(String),
    Map(Vec<(String, Doc)>, bool),
    Seq(Vec<Doc>, bool),
    Tagged(&'static str, Box<Doc>),
}

fn scalar() -> impl Strategy<Value = String> {
    let plain = prop::sample::select(PLAIN).prop_map(str::to_string);
    let numberish = "[-+]?(0[xob])?[0-9a-fA-F._eE+-]{0,5}".prop_filter("plain", |s| {
        !s.is_empty() && !s.starts_with("- ") && s != "-" && !s.ends_with(':')
    });
    let text = prop_oneof![3 => plain, 2 => numberish];
    prop_oneof![
        4 => text.clone(),
        1 => text.clone().prop_map(|s| format!("'{}'", s.replace('\'', "''"))),
        1 => text.prop_map(|s| format!("{s:?}")),
        1 => (prop::sample::select(TAGS), prop::sample::select(PLAIN))
            .prop_map(|(t, s)| format!("{t} {s}")),
    ]
}

fn doc() -> impl Strategy<Value = Doc> {
    let leaf = scalar().prop_map(Doc::Scalar);
    leaf.prop_recursive(4, 24, 4, |inner| {
        let key = prop::sample::select(PLAIN).prop_map(str::to_string);
        prop_oneof![
            (
                prop::collection::vec((key, inner.clone()), 1..4),
                any::<bool>()
            )
                .prop_map(|(entries, flow)| Doc::Map(entries, flow)),
            (prop::collection::vec(inner.clone(), 1..4), any::<bool>())
                .prop_map(|(items, flow)| Doc::Seq(items, flow)),
            (prop::sample::select(&TAGS[6..8]), inner)
                .prop_map(|(t, d)| Doc::Tagged(t, Box::new(d))),
        ]
    })
}

/// The document as flow YAML (for use inside flow collections or on one line).
fn flow(doc: &Doc) -> String {
    match doc {
        Doc::Scalar(s) => s.clone(),
        Doc::Map(entries, _) => {
            let inner: Vec<String> = entries
                .iter()
                .map(|(k, v)| format!("{k}: {}", flow(v)))
                .collect();
            format!("{{{}}}", inner.join(", "))
        }
        Doc::Seq(items, _) => format!(
            "[{}]",
            items.iter().map(flow).collect::<Vec<_>>().join(", ")
        ),
        Doc::Tagged(tag, doc) => format!("{tag} {}", flow(doc)),
    }
}

/// The document as block YAML: the text after `key:` or `-` at `indent`.
fn block(doc: &Doc, indent: usize) -> String {
    let pad = " ".repeat(indent);
    match doc {
        Doc::Map(entries, false) => entries
            .iter()
            .map(|(k, v)| format!("\n{pad}{k}:{}", block(v, indent + 2)))
            .collect(),
        Doc::Seq(items, false) => items
            .iter()
            .map(|v| format!("\n{pad}-{}", block(v, indent + 2)))
            .collect(),
        Doc::Tagged(tag, doc) if matches!(**doc, Doc::Map(_, false) | Doc::Seq(_, false)) => {
            format!(" {tag}{}", block(doc, indent))
        }
        other => format!(" {}", flow(other)),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn generated_documents_read_as_serde_yaml_reads_them(docs in prop::collection::vec(doc(), 1..3)) {
        let text: String = docs.iter().map(|d| format!("---{}\n", block(d, 0))).collect();
        let src = source("gen.yml", &text);
        prop_assert_eq!(ours(&src), serde(&src), "{}", text);
    }
}

#[test]
fn a_redefined_anchor_stands_for_its_latest_definition() {
    // The one known difference: yaml_serde numbers anchors by how many names it has seen, so
    // after a redefinition the next new anchor takes the same number and `*x` reads `&y`.
    let src = source("t.yml", "a: &x 1\nb: &x 2\nc: &y 3\nd: *x\n");
    let d = |outcome: Outcome| outcome.unwrap()[0]["d"].clone();
    assert_eq!(d(ours(&src)), Value::Number(2.into()));
    assert_eq!(d(serde(&src)), Value::Number(3.into()));
}
