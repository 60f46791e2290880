//! Processing-pipeline files: any text parses to a pipeline or gives located errors.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sigc_compiler::Source;

fuzz_target!(|text: &str| {
    let source = Source::new("fuzz-pipeline.yml", text);
    if let Err(errors) = sigc_compiler::pipeline::parse(&source) {
        for e in errors {
            let _ = e.to_string();
        }
    }
});
