//! The fast reader against saphyr: on every real file at hand and on generated text, whenever
//! the fast reader takes a text, its events and spans are saphyr's; whenever saphyr refuses a
//! text, the fast reader does not take it.

use super::{NotMine, events};
use crate::limits::MAX_YAML_DEPTH;
use crate::span::Span;
use crate::yaml::parse::saphyr_events;
use crate::yaml::tests::{workspace, yaml_files};
use proptest::prelude::*;

use saphyr_parser::Event;
use std::path::PathBuf;

/// saphyr's events, or `None` when saphyr refuses the text.
fn saphyr(text: &str) -> Option<Vec<(Event<'_>, Span)>> {
    saphyr_events(text, 0).collect::<Result<_, _>>().ok()
}

/// Whether the fast reader took `text`; panics when it took it and disagrees with saphyr.
fn agrees(text: &str) -> bool {
    match events(text, 0) {
        Ok(fast) => {
            assert_eq!(Some(fast), saphyr(text), "{text}");
            true
        }
        Err(NotMine) => false,
    }
}

/// How many of the YAML files under `dirs` the fast reader took, and how many there are.
fn read_fast(dirs: &[PathBuf]) -> (usize, usize) {
    let mut files = Vec::new();
    for dir in dirs {
        yaml_files(dir, &mut files);
    }
    let mut taken = 0;
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        let body = text.strip_prefix(crate::text::BOM).unwrap_or(&text);
        taken += usize::from(agrees(body));
    }
    (taken, files.len())
}

#[test]
fn the_sigmahq_corpus_reads_as_saphyr_reads_it_and_almost_all_fast() {
    let corpus = workspace().join("../shared/corpus/sigmahq");
    if !corpus.is_dir() {
        eprintln!("note: ../shared is absent; skipping a test that reads it");
        return;
    }
    let mut dirs = vec![corpus.join("deprecated")];
    for entry in std::fs::read_dir(&corpus).unwrap().flatten() {
        if entry.file_name().to_string_lossy().starts_with("rules") {
            dirs.push(entry.path());
        }
    }
    let (taken, files) = read_fast(&dirs);
    assert!(files >= 3000, "only {files} files found");
    assert!(
        taken * 100 >= files * 99,
        "the fast reader took {taken} of {files} files"
    );
}

#[test]
fn the_built_in_pipelines_and_fixtures_read_as_saphyr_reads_them() {
    let root = workspace();
    let dirs = [
        root.join("pipeline/pipelines"),
        root.join("tests/fixtures"),
        root.join("rules"),
    ];
    let (taken, files) = read_fast(&dirs);
    assert!(files > 200, "only {files} files found");
    assert!(
        taken * 2 > files,
        "the fast reader took {taken} of {files} files"
    );
}

/// `levels` mappings nested in each other.
fn nested(levels: usize) -> String {
    let mut text: String = (0..levels - 1)
        .map(|i| format!("{}k:\n", " ".repeat(i)))
        .collect();
    text.push_str(&format!("{}k: v\n", " ".repeat(levels - 1)));
    text
}

#[test]
fn nesting_past_the_depth_limit_is_left_to_saphyr() {
    assert!(agrees(&nested(MAX_YAML_DEPTH)));
    assert_eq!(events(&nested(MAX_YAML_DEPTH + 1), 0), Err(NotMine));
}

/// Text for a scalar, with the characters that end, quote, escape or comment YAML.
fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            6 => "[a-z0-9]{1,4}",
            1 => prop::sample::select(&[
                " ", "  ", ":", ": ", " :", "#", " #", "'", "''", "\"", "\\", "\\n", "\\x41",
                "\\u00e9", "\\U0001F600", "\\q", "\\x4", "-", "- ", "?", "|", ">", "!", "&", "*",
                "%", "@", "`", ",", "[", "]", "{", "}", "~", "é", "日本", "\u{85}", "\u{2028}",
                "\u{1}", "\u{7f}", "\t", "\r\n",
                " \n", "\n", "\n\n", "\n  ", "\\\n", "---", "...",
            ][..])
            .prop_map(str::to_string),
        ],
        0..6,
    )
    .prop_map(|parts| parts.concat())
}

/// A scalar as written: plain, quoted (balanced or not), or a block scalar's header and lines.
fn scalar() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => text(),
        2 => text().prop_map(|s| format!("'{}'", s.replace('\'', "''"))),
        2 => text().prop_map(|s| format!("\"{}\"", s.replace('"', "\\\""))),
        1 => text().prop_map(|s| format!("'{s}")),
        1 => text().prop_map(|s| format!("\"{s}\"")),
        2 => (
            "[|>]([-+]?[0-9]?|[0-9][-+])( #c)?",
            prop::collection::vec(("[ ]{0,6}", text()), 0..4),
            "\n?"
        )
            .prop_map(|(header, lines, end)| {
                let lines: String = lines.iter().map(|(pad, t)| format!("\n{pad}{t}")).collect();
                format!("{header}{lines}{end}")
            }),
    ]
}

/// One line of YAML-like text: indentation, then an entry, a key, a scalar, a comment or a
/// document marker, with trailing spaces.
fn line() -> impl Strategy<Value = String> {
    let body = prop_oneof![
        3 => (scalar(), scalar()).prop_map(|(k, v)| format!("{k}: {v}")),
        2 => scalar().prop_map(|k| format!("{k}:")),
        2 => scalar().prop_map(|v| format!("- {v}")),
        2 => (scalar(), scalar()).prop_map(|(k, v)| format!("- {k}: {v}")),
        1 => Just("-".to_string()),
        1 => Just("- - x".to_string()),
        1 => scalar(),
        1 => Just("# comment".to_string()),
        1 => Just(String::new()),
        1 => prop::sample::select(&["---", "--- # c", "...", "--- x", "? k", "&a x", "[a, b]"][..])
            .prop_map(str::to_string),
    ];
    ("[ ]{0,5}", body, "[ ]{0,2}").prop_map(|(pad, body, tail)| format!("{pad}{body}{tail}"))
}

/// A generated document tree.
#[derive(Clone, Debug)]
enum Tree {
    Scalar(String),
    Map(Vec<(String, Tree)>),
    Seq(Vec<Tree>),
}

/// How a tree is laid out: indentation steps, and bits choosing between equivalent layouts.
#[derive(Clone, Copy, Debug)]
struct Layout {
    step: usize,
    bits: u32,
}

fn tree() -> impl Strategy<Value = Tree> {
    scalar()
        .prop_map(Tree::Scalar)
        .prop_recursive(4, 24, 4, |inner| {
            prop_oneof![
                prop::collection::vec((text(), inner.clone()), 1..4).prop_map(Tree::Map),
                prop::collection::vec(inner, 1..4).prop_map(Tree::Seq),
            ]
        })
}

/// The tree as block YAML: the text after `key:` or `-` at column `indent`.
fn block(tree: &Tree, indent: usize, layout: Layout, depth: u32) -> String {
    let bit = |n: u32| layout.bits >> ((depth * 3 + n) % 32) & 1 == 1;
    let inner = indent + layout.step;
    let pad = " ".repeat(inner);
    match tree {
        Tree::Scalar(s) if bit(0) => format!("\n{pad}{}", s.replace('\n', &format!("\n{pad}"))),
        Tree::Scalar(s) => format!(" {s}"),
        Tree::Map(entries) => entries_at(entries, inner, layout, depth),
        Tree::Seq(items) => {
            // a sequence under a key may sit at the key's column
            let col = if bit(1) { indent } else { inner };
            let pad = " ".repeat(col);
            items
                .iter()
                .map(|v| match v {
                    Tree::Map(entries) if bit(2) => {
                        let body = entries_at(entries, col + 2, layout, depth + 1);
                        format!("\n{pad}- {}", body.trim_start())
                    }
                    v => format!("\n{pad}-{}", block(v, col, layout, depth + 1)),
                })
                .collect()
        }
    }
}

/// A mapping's entries as block YAML, their keys at column `col`.
fn entries_at(entries: &[(String, Tree)], col: usize, layout: Layout, depth: u32) -> String {
    let bit = |n: u32| layout.bits >> ((depth * 3 + n) % 32) & 1 == 1;
    let pad = " ".repeat(col);
    let mut out = String::new();
    for (i, (k, v)) in entries.iter().enumerate() {
        let gap = if bit(1) && i > 0 { "\n" } else { "" };
        let comment = if bit(2) && i == 0 { " # c" } else { "" };
        let value = block(v, col, layout, depth + 1);
        out.push_str(&format!("{gap}\n{pad}{k}:{comment}{value}"));
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    #[test]
    fn generated_lines_read_as_saphyr_reads_them(lines in prop::collection::vec(line(), 1..8), end in "\n?") {
        let text = format!("{}{end}", lines.join("\n"));
        agrees(&text);
    }

    #[test]
    fn generated_documents_read_as_saphyr_reads_them(
        docs in prop::collection::vec(tree(), 1..3),
        step in 1usize..4,
        bits in any::<u32>(),
        marker in any::<bool>(),
    ) {
        let layout = Layout { step, bits };
        let text: String = docs
            .iter()
            .enumerate()
            .map(|(i, d)| {
                let marker = if marker || i > 0 { "---" } else { "" };
                format!("{marker}{}\n", block(d, 0, layout, 0))
            })
            .collect();
        let text = text.strip_prefix('\n').unwrap_or(&text);
        agrees(text);
    }
}
