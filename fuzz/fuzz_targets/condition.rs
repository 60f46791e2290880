//! The condition grammar: any text parses or gives an error inside the text.
#![no_main]

libfuzzer_sys::fuzz_target!(|text: &str| sigc_fuzz::condition(text));
