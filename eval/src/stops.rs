//! Where a run of JSON string text stops: the next quote, backslash or control byte, found eight
//! bytes at a time (most strings of an event are a few dozen bytes, too short for the set-up of
//! a vectorized search to pay off).

/// One in every byte.
const ONES: u64 = 0x0101_0101_0101_0101;
/// The high bit of every byte.
const HIGH: u64 = 0x8080_8080_8080_8080;

/// The position of the first `"`, `\` or control byte (below 0x20) in `bytes`.
pub(crate) fn string_stop(bytes: &[u8]) -> Option<usize> {
    let (words, tail) = bytes.as_chunks::<8>();
    for (i, word) in words.iter().enumerate() {
        let hits = stops(u64::from_le_bytes(*word));
        if hits != 0 {
            return Some(i * 8 + (hits.trailing_zeros() / 8) as usize);
        }
    }
    let done = words.len() * 8;
    tail.iter().position(|&c| is_stop(c)).map(|p| done + p)
}

/// Whether `c` stops a run of string text.
fn is_stop(c: u8) -> bool {
    c == b'"' || c == b'\\' || c < 0x20
}

/// The high bit of each byte of `word` that stops string text. Only the lowest is exact (a
/// borrow may flag a byte above it), which is all [`string_stop`] reads.
fn stops(word: u64) -> u64 {
    let equal = |c: u8| {
        let x = word ^ (ONES * u64::from(c));
        x.wrapping_sub(ONES) & !x
    };
    let control = word.wrapping_sub(ONES * 0x20) & !word;
    (equal(b'"') | equal(b'\\') | control) & HIGH
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_first_stop_at_every_offset() {
        let fillers: &[u8] = &[
            b'a', b' ', 0x7f, 0x80, 0xff, b'!', b'#', b'[', b']', 0x21, 0x5d,
        ];
        for len in 0..40 {
            for &filler in fillers {
                let plain = vec![filler; len];
                assert_eq!(string_stop(&plain), None, "{filler:#x} × {len}");
                for at in 0..len {
                    for stop in [b'"', b'\\', 0, 0x1f, b'\n'] {
                        let mut bytes = plain.clone();
                        bytes[at] = stop;
                        // A stop after the first one, and bytes that borrow, change nothing.
                        if at + 2 < len {
                            bytes[at + 2] = b'"';
                        }
                        if at > 0 {
                            bytes[at - 1] = 0x20;
                        }
                        let naive = bytes.iter().position(|&c| is_stop(c));
                        assert_eq!(string_stop(&bytes), naive, "{bytes:?}");
                    }
                }
            }
        }
    }
}
