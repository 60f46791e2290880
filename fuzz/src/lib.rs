//! The entry points the fuzz targets drive, shared with the stable property test
//! (`tests/hostile/entry_points.rs`) so both exercise exactly the same code paths. Each takes
//! arbitrary text and panics only when sigc breaks one of its own promises.

use sigc_backends::format::Layout;
use sigc_backends::{Plan, plan};
use sigc_compiler::{Diagnostic, Source};
use sigc_pipeline::Vars;
use std::sync::Arc;

/// Every diagnostic points inside its own file, on character boundaries, and renders.
pub fn assert_located(d: &Diagnostic) {
    if let (Some(source), Some(span)) = (&d.source, d.span) {
        assert!(
            source.contains(span),
            "{d}: {span:?} is outside the file or splits a character"
        );
        let lc = source.line_col(span.start);
        let _ = source.line_range(lc.line);
    }
    let _ = d.to_string();
}

/// Bytes → text → YAML → IR.
pub fn compile(bytes: &[u8]) {
    let source = match Source::from_bytes("fuzz.yml", bytes.to_vec()) {
        Ok(source) => source,
        Err(e) => return assert_located(&e),
    };
    for compiled in sigc_compiler::compile(&source) {
        if let Err(errors) = compiled {
            errors.iter().for_each(assert_located);
        }
    }
}

/// The condition grammar on its own.
pub fn condition(text: &str) {
    if let Err(e) = sigc_compiler::condition::parse(text) {
        assert!(e.span.start <= e.span.end && e.span.end <= text.len());
    }
}

/// A processing-pipeline file.
pub fn pipeline(text: &str) {
    let source = Source::new("fuzz-pipeline.yml", text);
    if let Err(errors) = sigc_pipeline::parse(&source) {
        errors.iter().for_each(assert_located);
    }
}

/// Every target, without and with its default pipelines, in every format of the target.
pub fn convert(text: &str) {
    let source = Source::new("fuzz.yml", text);
    let documents: Vec<_> = sigc_compiler::compile(&source)
        .into_iter()
        .filter_map(Result::ok)
        .collect();
    if documents.is_empty() {
        return;
    }
    let rules = sigc_compiler::RuleSet::resolve(documents);
    for target in sigc_backends::targets() {
        for with_defaults in [false, true] {
            for f in target.formats() {
                let used = match with_defaults {
                    true => plan::default_pipelines(target).expect("the defaults load"),
                    false => Vec::new(),
                };
                let plan = Plan::new(target, used, &Vars::new(), Layout::Builtin(f));
                let mut converted = Vec::new();
                for outcome in sigc_backends::convert(&rules, &plan) {
                    match outcome {
                        Ok(c) => converted.push(c),
                        Err(errors) => errors.iter().for_each(assert_located),
                    }
                }
                let _ = plan.render(&converted);
            }
        }
    }
}

/// `sigc check` with every validator and the Splunk target's refusals; then `--fix`: a file that
/// was YAML is still YAML after its fixes.
pub fn check(text: &str) {
    let source: Arc<Source> = Source::new("fuzz.yml", text);
    let splunk = sigc_backends::target("splunk").expect("splunk target");
    let report = sigc_lint::check_file(&source, &sigc_lint::Config::default());
    report.findings.iter().for_each(|f| assert_located(&f.diag));
    let set = sigc_compiler::RuleSet::resolve(report.documents.clone());
    let refusals = sigc_lint::check_documents(&set, &|rule| {
        splunk.convert(rule).err().into_iter().collect()
    });
    refusals.iter().for_each(|f| assert_located(&f.diag));
    let fixes: Vec<_> = report
        .findings
        .iter()
        .filter(|f| !f.fix.is_empty())
        .map(|f| f.fix.clone())
        .collect();
    if fixes.is_empty() {
        return;
    }
    let (_, fixed, _) = sigc_lint::apply_edits(&source, &fixes);
    let was_yaml = sigc_compiler::yaml::load(&source).is_ok();
    let fixed_source = Source::new("fuzz.yml", fixed.as_str());
    assert!(
        !was_yaml || sigc_compiler::yaml::load(&fixed_source).is_ok(),
        "--fix turned YAML into invalid YAML:\n{fixed}"
    );
}

/// An event file (`extension` is `json` or `evtx`): decoded with at most the documented number
/// of errors shown, then every event run through the shipped rules and the conversion fixtures.
pub fn events(bytes: &[u8], extension: &str) {
    use sigc::cli::events::{self, MAX_ERRORS_SHOWN};
    let dir = std::env::temp_dir().join(format!("sigc-fuzz-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("scratch directory");
    let path = dir.join(format!("events.{extension}"));
    std::fs::write(&path, bytes).expect("scratch file");
    let (decoded, errors) = events::read_all(&path);
    assert!(
        errors.len() as u64 <= MAX_ERRORS_SHOWN + 1,
        "{} errors shown",
        errors.len()
    );
    let mut matched = Vec::new();
    for event in &decoded {
        matched.clear();
        engine().matches(&event.value, &mut matched);
    }
}

/// The rules events are run through, compiled once.
fn engine() -> &'static sigc::cli::events::engine::Engine {
    static ENGINE: std::sync::OnceLock<sigc::cli::events::engine::Engine> =
        std::sync::OnceLock::new();
    ENGINE.get_or_init(|| {
        // The workspace root: this file is compiled by the fuzz crate and by the integration tests.
        let manifest = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let root = if manifest.join("rules").is_dir() {
            manifest.to_path_buf()
        } else {
            manifest.join("..")
        };
        let mut rules = Vec::new();
        for dir in ["rules", "tests/fixtures/convert"] {
            let mut stack = vec![root.join(dir)];
            while let Some(d) = stack.pop() {
                for entry in std::fs::read_dir(&d).expect("readable rule directory") {
                    let path = entry.expect("directory entry").path();
                    if path.is_dir() {
                        stack.push(path);
                    } else if path.extension().is_some_and(|e| e == "yml") {
                        let text = std::fs::read_to_string(&path).expect("readable rule");
                        let source = Source::new(path.display().to_string(), text);
                        rules.extend(
                            sigc_compiler::compile_rules(&source, "the fuzzer")
                                .into_iter()
                                .flatten()
                                .map(std::sync::Arc::new),
                        );
                    }
                }
            }
        }
        sigc::cli::events::engine::Engine::new(rules).0
    })
}
