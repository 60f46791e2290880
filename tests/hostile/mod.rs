//! Hostile inputs: rule text, file names and event files from strangers, and hostile output streams.
mod streams;
