//! YAML → IR: any bytes compile to rules or to located errors inside the file.
#![no_main]

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| sigc_fuzz::compile(bytes));
