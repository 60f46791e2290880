//! YAML → IR: any text compiles to rules or to located errors inside the file.
#![no_main]

libfuzzer_sys::fuzz_target!(|text: &str| sigc_fuzz::compile(text));
