//! `sigc check`'s engine: every validator, and a target's own refusals, on any text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sigc_compiler::Source;
use sigc_compiler::lint::{self, Config};

fuzz_target!(|text: &str| {
    let source = Source::new("fuzz.yml", text);
    let splunk = sigc_backends::target("splunk").expect("splunk target");
    let report = lint::check_file(&source, &Config::default(), &|rule| {
        splunk.convert(rule).err().into_iter().collect()
    });
    for f in &report.findings {
        let _ = format!("{f:?}");
    }
});
