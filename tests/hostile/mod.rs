//! Hostile input: rule text from strangers changes no output structure, panics nothing, hangs nothing.

mod formats;
