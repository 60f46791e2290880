//! Snapshot tests: every shipped rule and every conversion fixture, for every target, and the
//! located errors of every bad-input fixture.

use crate::common;

#[test]
fn shipped_rules_for_every_target() {
    insta::glob!("../rules", "**/*.yml", |path| {
        let source = common::source(path);
        insta::assert_snapshot!(common::convert_all_targets(&source));
    });
}

#[test]
fn conversion_fixtures_for_every_target() {
    insta::glob!("fixtures/convert/*.yml", |path| {
        let source = common::source(path);
        insta::assert_snapshot!(common::convert_all_targets(&source));
    });
}

#[test]
fn bad_input_gives_located_errors() {
    insta::glob!("fixtures/errors/*.yml", |path| {
        let source = common::source(path);
        let mut out = String::new();
        for compiled in sigc_compiler::compile(&source) {
            let errors = compiled.expect_err("every error fixture must fail");
            assert!(
                errors
                    .iter()
                    .all(|e| e.span.is_some() && e.source.is_some()),
                "every error is located"
            );
            out.push_str(&common::render(&errors));
        }
        insta::assert_snapshot!(out);
    });
}
