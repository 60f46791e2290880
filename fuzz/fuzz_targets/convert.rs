//! Conversion: any rule, every target with and without its default pipelines, every format.
#![no_main]

libfuzzer_sys::fuzz_target!(|text: &str| sigc_fuzz::convert(text));
