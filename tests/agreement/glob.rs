//! Quoted glob values, which all three languages match whole and without case.

/// A piece of a quoted glob value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Piece {
    Char(char),
    /// Any run of characters.
    Star,
    /// Exactly one character.
    One,
}

/// A whole-value, case-insensitive wildcard match.
pub fn glob(pieces: &[Piece]) -> regex::Regex {
    let mut re = String::from("(?si)^");
    for p in pieces {
        match p {
            Piece::Char(c) => re.push_str(&regex::escape(&c.to_string())),
            Piece::Star => re.push_str(".*"),
            Piece::One => re.push('.'),
        }
    }
    re.push('$');
    regex::Regex::new(&re).expect("glob regex")
}

/// The glob anywhere in a value, as a keyword matches.
pub fn glob_within(pieces: &[Piece]) -> regex::Regex {
    let mut wrapped = vec![Piece::Star];
    wrapped.extend(pieces.iter().copied());
    wrapped.push(Piece::Star);
    glob(&wrapped)
}

/// The text of quoted pieces read literally (a field name, a regex): `*` and `?` as written.
pub fn literal(pieces: &[Piece]) -> String {
    pieces
        .iter()
        .map(|p| match p {
            Piece::Char(c) => *c,
            Piece::Star => '*',
            Piece::One => '?',
        })
        .collect()
}
