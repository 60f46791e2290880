//! The condition grammar: any text parses or gives an error inside the text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Err(e) = sigc_compiler::condition::parse(text) {
        assert!(e.span.start <= e.span.end && e.span.end <= text.len());
    }
});
