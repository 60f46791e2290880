//! `sigc check`: every validator on any text, and `--fix` keeps YAML valid.
#![no_main]

libfuzzer_sys::fuzz_target!(|text: &str| sigc_fuzz::check(text));
