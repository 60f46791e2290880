//! The whole SigmaHQ corpus: every rule compiles or fails with a located error, and never panics.

use crate::common;

#[test]
fn every_corpus_rule_compiles_or_fails_located() {
    let Some(shared) = common::shared() else {
        return;
    };
    let files = common::yaml_files(&shared.join("corpus/sigmahq/rules"));
    assert!(files.len() >= 3000, "corpus is present and complete");
    let (mut compiled, mut failed) = (0, 0);
    for path in &files {
        let source = common::source(path);
        for result in sigc_compiler::compile_rules(&source, "this test") {
            match result {
                Ok(rule) => {
                    compiled += 1;
                    for backend in sigc_backends::targets() {
                        if let Err(e) = backend.convert(&rule) {
                            assert!(
                                e.span.is_some(),
                                "{}: unlocated backend error {e}",
                                path.display()
                            );
                        }
                    }
                }
                Err(errors) => {
                    failed += 1;
                    for e in errors {
                        assert!(e.span.is_some(), "{}: unlocated error {e}", path.display());
                    }
                }
            }
        }
    }
    eprintln!("corpus: {compiled} compiled, {failed} failed");
    assert_eq!(failed, 0, "every SigmaHQ rule is valid Sigma");
}
