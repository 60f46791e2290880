//! `DIR/manifest.json`: what became of every rule for every target, and the files the export
//! owns. Its entries are kept compact while the export runs (a few strings each, not a JSON
//! tree) and serialized at the end, straight to the file (or to the comparison with the
//! manifest already there).

use serde::Serialize;
use std::io::{BufWriter, Write};
use std::sync::Arc;

/// The manifest, in the order its keys are written.
#[derive(Serialize)]
pub struct Manifest<'a> {
    pub sigc: &'static str,
    pub targets: Vec<&'static str>,
    pub entries: &'a [Entry],
    pub files: Vec<&'a str>,
}

/// What became of one rule for one target (the texts shared by a file's or a rule's entries).
#[derive(Serialize)]
pub struct Entry {
    pub source: Arc<str>,
    pub rule_id: Option<Arc<str>>,
    pub title: Option<Arc<str>>,
    pub target: &'static str,
    pub format: &'static str,
    pub status: Status,
    /// The file written, when the rule is in one of its own.
    pub output: Option<String>,
    pub errors: Vec<String>,
}

/// An entry's `status`.
#[derive(Clone, Copy, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Written to its file.
    Converted,
    /// Converted only as part of the correlations that use it (`generate: false`).
    Referenced,
    /// Not exported: `errors` say why.
    Failed,
}

/// Marks the `entries` whose output is `path` as failed with `error`: the file could not be put
/// in place.
pub fn unwritten(entries: &mut [Entry], path: &str, error: &str) {
    for entry in entries
        .iter_mut()
        .filter(|e| e.output.as_deref() == Some(path))
    {
        entry.status = Status::Failed;
        entry.output = None;
        entry.errors = vec![error.to_string()];
    }
}

impl Manifest<'_> {
    /// Writes the manifest to `w`: pretty JSON and a final newline.
    pub fn write(&self, w: &mut dyn Write) -> std::io::Result<()> {
        // In blocks of 64 KiB: the manifest of SigmaHQ's export is 5 MB.
        let mut w = BufWriter::with_capacity(1 << 16, w);
        serde_json::to_writer_pretty(&mut w, self)?;
        w.write_all(b"\n")?;
        w.flush()
    }
}
