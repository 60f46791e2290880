//! Processing-pipeline files: any text parses to a pipeline or gives located errors.
#![no_main]

libfuzzer_sys::fuzz_target!(|text: &str| sigc_fuzz::pipeline(text));
