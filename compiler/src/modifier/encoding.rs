//! Encoding modifiers: `base64`, `base64offset`, `wide`/`utf16le`, `utf16be`, `utf16`.

use super::Modifier;
use crate::ir::Pattern;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;

pub fn base64(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}

/// The three encodings of `bytes` at offsets 0, 1 and 2 of a base64 stream, trimmed to the
/// characters that do not depend on the surrounding bytes (`cmd` → `Y21k`, `NtZ`, `jbW`).
pub fn base64_offsets(bytes: &[u8]) -> Vec<Pattern> {
    (0..3)
        .map(|shift| {
            let mut padded = vec![b' '; shift];
            padded.extend_from_slice(bytes);
            let encoded = STANDARD.encode(&padded);
            let start = [0, 2, 3][shift];
            let trim_end = [0, 3, 2][(bytes.len() + shift) % 3];
            let end = encoded.len().saturating_sub(trim_end).max(start);
            Pattern::literal(&encoded[start..end])
        })
        .collect()
}

/// UTF-16 bytes of `text`: little-endian, big-endian, or (`utf16`) a `FF FE` mark then little-endian.
pub fn utf16(text: &str, kind: Modifier) -> Vec<u8> {
    let units = text.encode_utf16();
    match kind {
        Modifier::Utf16Be => units.flat_map(u16::to_be_bytes).collect(),
        Modifier::Utf16 => [0xFF, 0xFE]
            .into_iter()
            .chain(units.flat_map(u16::to_le_bytes))
            .collect(),
        _ => units.flat_map(u16::to_le_bytes).collect(),
    }
}
