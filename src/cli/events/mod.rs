//! Event files for `sigc test`: JSON (one value, an array, JSON Lines, concatenated values) and
//! EVTX, read as a stream of pieces that any thread can decode.
//!
//! A reader thread cuts files into [`Piece`]s (one JSON text, or one 64 KiB EVTX chunk) and
//! sends them in bounded batches, so memory stays constant whatever the file size; decoding
//! and evaluation happen on the rayon pool.
//!
//! Hostile files are bounded: a JSON event is at most [`json::MAX_EVENT_BYTES`] long and nested
//! at most 128 deep (serde_json's recursion limit), a broken JSON line does not stop the rest of
//! the file, and at most [`MAX_ERRORS_SHOWN`] errors are printed per file. An EVTX file that is
//! truncated, holds no chunk, or is not EVTX at all despite its name is an error.

pub mod engine;
pub mod json;

use super::inputs;
use evtx::{EvtxChunkData, EvtxParser, ParserSettings};
use serde_json::Value;
use std::fmt::Write;
use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

/// The first bytes of an EVTX file.
const EVTX_MAGIC: &[u8] = b"ElfFile\0";
/// A batch is sent once it holds this many bytes of input…
const BATCH_BYTES: u64 = 1 << 20;
/// …or this many pieces.
const BATCH_PIECES: usize = 2048;
/// The size of an EVTX chunk.
const EVTX_CHUNK_BYTES: u64 = 65536;
/// Batches read ahead of the evaluation.
const BATCHES_AHEAD: usize = 4;
/// The size of the EVTX file header, before the first chunk.
const EVTX_HEADER_BYTES: u64 = 4096;
/// Errors printed per event file; the others are counted in one closing line.
pub const MAX_ERRORS_SHOWN: u64 = 20;

/// Raw input for one or more events.
pub enum Piece {
    /// One cut of a JSON file, its 1-based position among the cuts and the line it starts on.
    Json {
        index: u64,
        line: u64,
        text: json::Text,
    },
    /// One EVTX chunk; its events are known by their record ids.
    Evtx(Box<EvtxChunkData>),
}

/// One decoded event.
pub struct Decoded {
    /// 1-based position in a JSON file; `None` for EVTX and for a line of a broken value.
    pub index: Option<u64>,
    /// The line of a JSON file the event starts on.
    pub line: Option<u64>,
    /// The EVTX record id.
    pub record_id: Option<u64>,
    pub value: Value,
}

impl Decoded {
    /// How the event is named in reports: `#3`, `line 12` (a line of a broken value) or
    /// `record 16094`.
    pub fn label(&self) -> String {
        let mut label = String::new();
        self.write_label(&mut label);
        label
    }

    /// Appends the [`label`](Self::label) to `out`.
    pub fn write_label(&self, out: &mut String) {
        // Writing to a String cannot fail.
        let _ = match (self.index, self.line, self.record_id) {
            (_, _, Some(id)) => write!(out, "record {id}"),
            (Some(i), _, None) => write!(out, "#{i}"),
            (None, Some(line), None) => write!(out, "line {line}"),
            (None, None, None) => write!(out, "?"),
        };
    }
}

/// A piece and the file it comes from.
pub struct Work {
    pub file: usize,
    pub piece: Piece,
}

/// What the reader thread sends.
pub enum Message {
    Batch(Vec<Work>),
    /// A file (number `file`) could not be read in part or whole.
    Error {
        file: usize,
        message: String,
    },
    /// Bytes of input read so far, for progress.
    Progress(u64),
}

fn evtx_settings() -> Arc<ParserSettings> {
    Arc::new(ParserSettings::default().separate_json_attributes(false))
}

impl Piece {
    /// Decodes the piece's events; a bad event or chunk gives an error message instead.
    pub fn decode(self) -> Vec<Result<Decoded, String>> {
        match self {
            Piece::Json { index, line, text } => match text {
                json::Text::Value(bytes) => decode_value(index, line, &bytes),
                json::Text::Lines(bytes) => decode_lines(line, &bytes),
                json::Text::TooLarge(n) => vec![Err(format!(
                    "event #{index} (line {line}): {n} bytes, larger than the {} MiB an event may be",
                    json::MAX_EVENT_BYTES >> 20
                ))],
            },
            Piece::Evtx(mut data) => {
                let chunk_number = data.number.unwrap_or_default();
                let mut chunk = match data.parse(evtx_settings()) {
                    Ok(chunk) => chunk,
                    Err(e) => return vec![Err(format!("EVTX chunk {chunk_number}: {e}"))],
                };
                chunk
                    .iter()
                    .map(|record| {
                        let record = record
                            .and_then(|r| r.into_json_value())
                            .map_err(|e| format!("EVTX chunk {chunk_number}: record: {e}"))?;
                        let mut value = record.data;
                        add_spaceless_names(&mut value);
                        Ok(Decoded {
                            index: None,
                            line: None,
                            record_id: Some(record.event_record_id),
                            value,
                        })
                    })
                    .collect()
            }
        }
    }
}

/// Gives each field whose name holds spaces and whose value is not an object or a list a second
/// name without them (`Source Name` is also `SourceName`), unless the object already has that
/// name: SigmaHQ's regression checker matches Windows event fields with their spaces removed.
/// Only values without children are copied, so the event grows by at most its own leaves.
pub fn add_spaceless_names(value: &mut Value) {
    let mut stack = vec![value];
    while let Some(value) = stack.pop() {
        match value {
            Value::Object(map) => {
                let spaced: Vec<(String, Value)> = map
                    .iter()
                    .filter(|(k, v)| k.contains(' ') && !v.is_object() && !v.is_array())
                    .map(|(k, v)| (k.replace(' ', ""), v.clone()))
                    .filter(|(k, _)| !map.contains_key(k))
                    .collect();
                map.extend(spaced);
                stack.extend(map.values_mut());
            }
            Value::Array(items) => stack.extend(items.iter_mut()),
            _ => {}
        }
    }
}

/// One JSON value; a value that is not JSON but spans lines is tried line by line (a JSON Lines
/// file with a broken line), if that finds an event.
fn decode_value(index: u64, line: u64, bytes: &[u8]) -> Vec<Result<Decoded, String>> {
    let error = match serde_json::from_slice::<Value>(bytes) {
        Ok(value) if value.is_object() => {
            return vec![Ok(Decoded {
                index: Some(index),
                line: Some(line),
                record_id: None,
                value,
            })];
        }
        Ok(_) => format!("event #{index}: not a JSON object"),
        Err(e) => format!("event #{index}: invalid JSON: {e}"),
    };
    if bytes.contains(&b'\n') {
        let lines = decode_lines(line, bytes);
        if lines.iter().any(Result::is_ok) {
            return lines;
        }
    }
    vec![Err(error)]
}

/// Each non-blank line of `bytes` (the first is line `first` of the file) as one event.
fn decode_lines(first: u64, bytes: &[u8]) -> Vec<Result<Decoded, String>> {
    bytes
        .split(|&c| c == b'\n')
        .zip(first..)
        .filter(|(text, _)| !text.trim_ascii().is_empty())
        .map(|(text, line)| match serde_json::from_slice::<Value>(text) {
            Ok(value) if value.is_object() => Ok(Decoded {
                index: None,
                line: Some(line),
                record_id: None,
                value,
            }),
            Ok(_) => Err(format!("line {line}: not a JSON object")),
            Err(e) => Err(format!("line {line}: invalid JSON: {e}")),
        })
        .collect()
}

/// Whether the file starts like an EVTX file (read from the start; the file is left there).
fn is_evtx(file: &mut File) -> std::io::Result<bool> {
    let mut head = [0u8; 8];
    let mut n = 0;
    while n < head.len() {
        match file.read(&mut head[n..])? {
            0 => break,
            k => n += k,
        }
    }
    file.seek(SeekFrom::Start(0))?;
    Ok(&head[..n] == EVTX_MAGIC)
}

/// Calls `emit` with every piece of `path` and the bytes of the file read so far, until it
/// returns `false`; returns what was wrong with the file itself (each message names it).
fn pieces(path: &Path, emit: &mut dyn FnMut(Piece, u64) -> bool) -> Vec<String> {
    let fail = |e: &dyn std::fmt::Display| vec![format!("{}: {e}", path.display())];
    // Event files are named on the command line: a link is followed, to a regular file only.
    let (mut file, meta) = match inputs::open_regular(path, true) {
        Ok(opened) => opened,
        Err(e) => return vec![e],
    };
    match is_evtx(&mut file) {
        Err(e) => fail(&e),
        Ok(true) => evtx_pieces(path, file, meta.len(), emit),
        Ok(false) if has_evtx_extension(path) => {
            fail(&"not an EVTX file: it does not start with the `ElfFile` signature")
        }
        Ok(false) => {
            let mut splitter = json::Splitter::new(BufReader::with_capacity(1 << 16, file));
            let mut index = 0;
            while let Some(item) = splitter.next() {
                let item = match item {
                    Ok(item) => item,
                    Err(e) => return fail(&e),
                };
                index += 1;
                let piece = Piece::Json {
                    index,
                    line: item.line,
                    text: item.text,
                };
                if !emit(piece, splitter.consumed) {
                    break;
                }
            }
            Vec::new()
        }
    }
}

fn has_evtx_extension(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("evtx"))
}

/// The chunks of an EVTX file. A bad chunk is reported and the others are still read; a file
/// with no chunk, or with less than its header or its last chunk says, is truncated.
fn evtx_pieces(
    path: &Path,
    file: File,
    size: u64,
    emit: &mut dyn FnMut(Piece, u64) -> bool,
) -> Vec<String> {
    let name = path.display();
    // Checksums are checked: a chunk of garbage behind a valid chunk signature is an error,
    // not a chunk without events.
    let parser = match EvtxParser::from_read_seek(BufReader::new(file)) {
        Ok(parser) => parser.with_configuration(ParserSettings::default().validate_checksums(true)),
        Err(e) => return vec![format!("{name}: {e}")],
    };
    let whole = size.saturating_sub(EVTX_HEADER_BYTES) / EVTX_CHUNK_BYTES;
    let partial = size.saturating_sub(EVTX_HEADER_BYTES) % EVTX_CHUNK_BYTES;
    let declared = u64::from(parser.header().chunk_count);
    let mut errors = Vec::new();
    let (mut read, mut chunks) = (0, 0);
    for chunk in parser.into_chunks() {
        match chunk {
            Ok(chunk) => {
                chunks += 1;
                read += EVTX_CHUNK_BYTES;
                if !emit(Piece::Evtx(Box::new(chunk)), read) {
                    return errors;
                }
            }
            Err(e) => errors.push(format!("{name}: {e}")),
        }
    }
    if partial > 0 {
        errors.push(format!(
            "{name}: truncated: chunk {whole} has {partial} of its {EVTX_CHUNK_BYTES} bytes"
        ));
    } else if declared > whole {
        errors.push(format!(
            "{name}: truncated: the header counts {declared} chunks, the file holds {whole}"
        ));
    }
    if chunks == 0 && errors.is_empty() {
        errors.push(format!(
            "{name}: no chunk of events: the file is a header alone"
        ));
    }
    errors
}

/// Starts a thread that reads `paths` in order and sends their pieces in batches.
pub fn spawn_reader(paths: Vec<PathBuf>) -> Receiver<Message> {
    let (tx, rx) = sync_channel(BATCHES_AHEAD);
    std::thread::spawn(move || read_into(&paths, &tx));
    rx
}

fn read_into(paths: &[PathBuf], tx: &SyncSender<Message>) {
    let mut batch = Vec::new();
    let (mut batch_bytes, mut done_bytes) = (0u64, 0u64);
    for (file, path) in paths.iter().enumerate() {
        let mut alive = true;
        let errors = pieces(path, &mut |piece, file_bytes| {
            batch_bytes += match &piece {
                Piece::Json {
                    text: json::Text::Value(text) | json::Text::Lines(text),
                    ..
                } => text.len() as u64,
                Piece::Json { .. } => 1,
                Piece::Evtx(_) => EVTX_CHUNK_BYTES,
            };
            batch.push(Work { file, piece });
            if batch_bytes >= BATCH_BYTES || batch.len() >= BATCH_PIECES {
                batch_bytes = 0;
                alive = tx.send(Message::Batch(std::mem::take(&mut batch))).is_ok()
                    && tx.send(Message::Progress(done_bytes + file_bytes)).is_ok();
            }
            alive
        });
        if !alive {
            return;
        }
        if !batch.is_empty() && tx.send(Message::Batch(std::mem::take(&mut batch))).is_err() {
            return;
        }
        batch_bytes = 0;
        done_bytes += std::fs::metadata(path).map_or(0, |m| m.len());
        let _ = tx.send(Message::Progress(done_bytes));
        for message in errors {
            if tx.send(Message::Error { file, message }).is_err() {
                return;
            }
        }
    }
}

/// Every event of one file, decoded in order, with the errors met (the first
/// [`MAX_ERRORS_SHOWN`], then how many more).
pub fn read_all(path: &Path) -> (Vec<Decoded>, Vec<String>) {
    let mut events = Vec::new();
    let mut errors = Vec::new();
    let mut count = 0;
    let mut error = |message: String| {
        count += 1;
        if count <= MAX_ERRORS_SHOWN {
            errors.push(message);
        }
    };
    let file_errors = pieces(path, &mut |piece, _| {
        for decoded in piece.decode() {
            match decoded {
                Ok(e) => events.push(e),
                Err(e) => error(format!("{}: {e}", path.display())),
            }
        }
        true
    });
    file_errors.into_iter().for_each(&mut error);
    if let Some(line) = more_errors(count, path) {
        errors.push(line);
    }
    (events, errors)
}

/// The closing line for a file with more than [`MAX_ERRORS_SHOWN`] errors.
pub fn more_errors(count: u64, path: &Path) -> Option<String> {
    (count > MAX_ERRORS_SHOWN).then(|| {
        format!(
            "… and {} more errors in {}",
            count - MAX_ERRORS_SHOWN,
            path.display()
        )
    })
}
