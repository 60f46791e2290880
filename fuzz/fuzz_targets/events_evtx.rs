//! `sigc test --events` on an EVTX file: any bytes decode to events or located errors, and every
//! event runs through the rules.
#![no_main]

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| sigc_fuzz::events(bytes, "evtx"));
