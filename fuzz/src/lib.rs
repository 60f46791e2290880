//! The entry points the fuzz targets drive, shared with the stable property test
//! (`tests/hostile/entry_points.rs`) so both exercise exactly the same code paths. Each takes
//! arbitrary text and panics only when sigc breaks one of its own promises.

use sigc_backends::format::{self, Converted};
use sigc_backends::pipelines;
use sigc_compiler::pipeline::{self, Vars};
use sigc_compiler::{Diagnostic, Source, lint};
use std::sync::Arc;

/// Every diagnostic points inside its own file, on character boundaries, and renders.
pub fn assert_located(d: &Diagnostic) {
    if let (Some(source), Some(span)) = (&d.source, d.span) {
        let text = &source.text;
        assert!(
            span.start <= span.end && span.end <= text.len(),
            "{d}: {span:?} outside the file"
        );
        assert!(
            text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
            "{d}: {span:?} splits a character"
        );
        let lc = source.line_col(span.start);
        let _ = source.lines().line_range(lc.line);
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
    if let Err(errors) = sigc_compiler::pipeline::parse(&source) {
        errors.iter().for_each(assert_located);
    }
}

/// Every target, without and with its default pipelines, then every format of the target.
pub fn convert(text: &str) {
    let source = Source::new("fuzz.yml", text);
    let rules: Vec<_> = sigc_compiler::compile(&source)
        .into_iter()
        .filter_map(Result::ok)
        .collect();
    if rules.is_empty() {
        return;
    }
    for backend in sigc_backends::targets() {
        let mut loaded: Vec<_> = pipelines::defaults(backend.name())
            .iter()
            .map(|name| pipelines::resolve(name).expect("built-in pipeline"))
            .collect();
        pipeline::order(&mut loaded);
        let vars = pipeline::merged_vars(&loaded, &Vars::new());
        for used in [&[][..], &loaded[..]] {
            let mut converted = Vec::new();
            for rule in &rules {
                let mut rule = rule.clone();
                let state = match pipeline::apply(used, &vars, &mut rule) {
                    Ok(state) => state,
                    Err(errors) => {
                        errors.iter().for_each(assert_located);
                        continue;
                    }
                };
                match backend.queries(&rule) {
                    Ok(queries) => converted.push(Converted {
                        rule,
                        queries,
                        state,
                    }),
                    Err(e) => assert_located(&e),
                }
            }
            for f in format::formats(backend.name()) {
                let _ = format::render(f.template(), f.name, backend.name(), f.name, &converted);
            }
        }
    }
}

/// `sigc check` with every validator and the Splunk target's refusals; then `--fix`: a file that
/// was YAML is still YAML after its fixes.
pub fn check(text: &str) {
    let source: Arc<Source> = Source::new("fuzz.yml", text);
    let splunk = sigc_backends::target("splunk").expect("splunk target");
    let report = lint::check_file(&source, &lint::Config::default(), &|rule| {
        splunk.convert(rule).err().into_iter().collect()
    });
    report.findings.iter().for_each(|f| assert_located(&f.diag));
    let fixes: Vec<_> = report
        .findings
        .iter()
        .filter(|f| !f.fix.is_empty())
        .map(|f| f.fix.clone())
        .collect();
    if fixes.is_empty() {
        return;
    }
    let (fixed, _) = lint::apply_edits(text, &fixes);
    let was_yaml = sigc_compiler::yaml::load(&source).is_ok();
    let fixed_source = Source::new("fuzz.yml", fixed.as_str());
    assert!(
        !was_yaml || sigc_compiler::yaml::load(&fixed_source).is_ok(),
        "--fix turned YAML into invalid YAML:\n{fixed}"
    );
}
