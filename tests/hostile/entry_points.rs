//! The fuzz targets' entry points (`fuzz/src/lib.rs`) on stable: mutated real rules and
//! pipelines, and text made of the characters that matter to YAML and to Sigma conditions.
//! A case fails when sigc panics or breaks a promise the entry point asserts (every error
//! inside its file, `--fix` keeps YAML valid). The long runs are `cargo +nightly fuzz run`.

#[path = "../../fuzz/src/lib.rs"]
mod entry;

use crate::common::{root, yaml_files};
use proptest::prelude::*;
use std::sync::OnceLock;

/// The shipped rules, the conversion fixtures and the built-in pipelines, as seeds.
fn seeds() -> &'static [String] {
    static SEEDS: OnceLock<Vec<String>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        ["rules", "tests/fixtures/convert", "pipeline/pipelines"]
            .iter()
            .flat_map(|dir| yaml_files(&root().join(dir)))
            .map(|path| std::fs::read_to_string(path).expect("readable seed"))
            .collect()
    })
}

/// A fragment of YAML or condition syntax, or any character.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "\n",
            "\r",
            "\r\n",
            "\u{2028}",
            "\u{85}",
            "\u{feff}",
            "\0",
            "\t",
            ": ",
            "- ",
            "[",
            "]",
            "{",
            "}",
            "'",
            "\"",
            "|",
            ">",
            "&a",
            "*a",
            "!!str ",
            "---\n",
            "...\n",
            "#",
            "%",
            "\\",
            "*",
            "?",
            "|re",
            "|contains",
            "|all",
            "|base64offset",
            "|windash",
            "|cidr",
            "|expand",
            "|fieldref",
            " and ",
            " or ",
            "not ",
            "1 of ",
            "all of them",
            "(",
            ")",
            "İ",
            "é",
        ])
        .prop_map(str::to_string),
        any::<char>().prop_map(String::from),
    ]
}

/// A seed changed at a few places: text inserted, a range deleted, or the file truncated.
fn mutated() -> impl Strategy<Value = String> {
    let seed = (0..seeds().len()).prop_map(|i| seeds()[i].clone());
    (
        seed,
        prop::collection::vec((any::<prop::sample::Index>(), 0..3u8, fragment()), 1..6),
    )
        .prop_map(|(mut text, edits)| {
            for (at, kind, frag) in edits {
                let mut i = at.index(text.len() + 1);
                while !text.is_char_boundary(i) {
                    i -= 1;
                }
                match kind {
                    0 => text.insert_str(i, &frag),
                    1 => {
                        let mut end = (i + frag.len() * 3).min(text.len());
                        while !text.is_char_boundary(end) {
                            end -= 1;
                        }
                        text.replace_range(i..end, "");
                    }
                    _ => text.truncate(i),
                }
            }
            text
        })
}

/// Either a mutated seed or text built from fragments alone.
fn input() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => mutated(),
        1 => prop::collection::vec(fragment(), 0..40).prop_map(|v| v.concat()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn compile_never_panics(text in input()) {
        entry::compile(text.as_bytes());
    }

    #[test]
    fn conditions_never_panic(text in prop::collection::vec(fragment(), 0..40)) {
        entry::condition(&text.concat());
    }

    #[test]
    fn pipelines_never_panic(text in input()) {
        entry::pipeline(&text);
    }

    #[test]
    fn convert_never_panics(text in input()) {
        entry::convert(&text);
    }

    #[test]
    fn check_never_panics_and_fixes_keep_yaml(text in input()) {
        entry::check(&text);
    }

    #[test]
    fn json_events_never_panic(text in prop::collection::vec(json_fragment(), 0..60)) {
        entry::events(text.concat().as_bytes(), "json");
    }
}

/// A fragment of JSON, of an event, or any character.
fn json_fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "{",
            "}",
            "[",
            "]",
            "\"",
            ",",
            ":",
            "\n",
            "\r\n",
            " ",
            "\\",
            "\\u0000",
            "\\ud800",
            "1e999",
            "-0",
            "null",
            "true",
            "\"EventID\"",
            "\"Image\"",
            "\"CommandLine\"",
            "\"C:\\\\Windows\\\\System32\\\\net.exe\"",
            "\"delete\"",
            "\u{feff}",
            "\0",
        ])
        .prop_map(str::to_string),
        any::<char>().prop_map(String::from),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    /// A real EVTX file from SigmaHQ's regression data with bytes overwritten or cut short.
    #[test]
    fn evtx_events_never_panic(
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..16),
        cut in any::<prop::sample::Index>(),
    ) {
        let Some(mut bytes) = evtx_seed() else { return Ok(()) };
        for (at, byte) in edits {
            let i = at.index(bytes.len());
            bytes[i] = byte;
        }
        bytes.truncate(cut.index(bytes.len() + 1).max(bytes.len() / 2));
        entry::events(&bytes, "evtx");
    }
}

/// The smallest EVTX file of SigmaHQ's regression data, when `../shared` is beside the checkout.
fn evtx_seed() -> Option<Vec<u8>> {
    static SEED: OnceLock<Option<Vec<u8>>> = OnceLock::new();
    SEED.get_or_init(|| {
        let dir = crate::common::shared()?.join("corpus/sigmahq/regression_data");
        let mut files = crate::common::files_with_extension(&dir, &["evtx"]);
        files.sort_by_key(|p| std::fs::metadata(p).map_or(u64::MAX, |m| m.len()));
        std::fs::read(files.first()?).ok()
    })
    .clone()
}
