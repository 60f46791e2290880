//! YAML → IR: any bytes compile to rules or to located errors, and every error's span maps to a
//! line and column of the file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sigc_compiler::Source;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let source = Source::new("fuzz.yml", text);
    for compiled in sigc_compiler::compile(&source) {
        if let Err(errors) = compiled {
            for e in errors {
                let _ = e.to_string();
            }
        }
    }
});
