//! Event files for `sigc test`: JSON (one value, an array, JSON Lines, concatenated values) and
//! EVTX, read as a stream of pieces that any thread can decode.
//!
//! A reader thread cuts files into [`Piece`]s (one JSON text, or one 64 KiB EVTX chunk) and
//! sends them in bounded batches, so memory stays constant whatever the file size; decoding
//! and evaluation happen on the rayon pool.

pub mod engine;
mod json;

use evtx::{EvtxChunkData, EvtxParser, ParserSettings};
use serde_json::Value;
use std::fs::File;
use std::io::{BufReader, Read};
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

/// Raw input for one or more events.
pub enum Piece {
    /// One JSON text and its 1-based position in the file.
    Json { index: u64, text: Vec<u8> },
    /// One EVTX chunk; its events are known by their record ids.
    Evtx(Box<EvtxChunkData>),
}

/// One decoded event.
pub struct Decoded {
    /// 1-based position in a JSON file; `None` for EVTX.
    pub index: Option<u64>,
    /// The EVTX record id.
    pub record_id: Option<u64>,
    pub value: Value,
}

impl Decoded {
    /// How the event is named in reports: `#3` or `record 16094`.
    pub fn label(&self) -> String {
        match (self.index, self.record_id) {
            (_, Some(id)) => format!("record {id}"),
            (Some(i), None) => format!("#{i}"),
            (None, None) => "?".into(),
        }
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
    /// A file could not be read (after its readable part was sent).
    Error(String),
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
            Piece::Json { index, text } => vec![
                serde_json::from_slice::<Value>(&text)
                    .map_err(|e| format!("event #{index}: invalid JSON: {e}"))
                    .and_then(|value| {
                        if value.is_object() {
                            Ok(Decoded {
                                index: Some(index),
                                record_id: None,
                                value,
                            })
                        } else {
                            Err(format!("event #{index}: not a JSON object"))
                        }
                    }),
            ],
            Piece::Evtx(mut data) => {
                let mut chunk = match data.parse(evtx_settings()) {
                    Ok(chunk) => chunk,
                    Err(e) => return vec![Err(format!("EVTX chunk: {e}"))],
                };
                chunk
                    .iter()
                    .map(|record| {
                        let record = record
                            .and_then(|r| r.into_json_value())
                            .map_err(|e| format!("EVTX record: {e}"))?;
                        Ok(Decoded {
                            index: None,
                            record_id: Some(record.event_record_id),
                            value: record.data,
                        })
                    })
                    .collect()
            }
        }
    }
}

/// Whether the file starts like an EVTX file.
fn is_evtx(path: &Path) -> std::io::Result<bool> {
    let mut head = [0u8; 8];
    let mut file = File::open(path)?;
    let mut n = 0;
    while n < head.len() {
        match file.read(&mut head[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(&head[..n] == EVTX_MAGIC)
}

/// Calls `emit` with every piece of `path` and the bytes of the file read so far, until it
/// returns `false`.
fn pieces(path: &Path, emit: &mut dyn FnMut(Piece, u64) -> bool) -> Result<(), String> {
    let fail = |e: &dyn std::fmt::Display| format!("{}: {e}", path.display());
    if is_evtx(path).map_err(|e| fail(&e))? {
        let parser = EvtxParser::from_path(path).map_err(|e| fail(&e))?;
        let mut read = 0;
        for chunk in parser.into_chunks() {
            let chunk = chunk.map_err(|e| fail(&e))?;
            read += EVTX_CHUNK_BYTES;
            if !emit(Piece::Evtx(Box::new(chunk)), read) {
                break;
            }
        }
        return Ok(());
    }
    let file = File::open(path).map_err(|e| fail(&e))?;
    let mut splitter = json::Splitter::new(BufReader::with_capacity(1 << 16, file));
    let mut index = 0;
    while let Some(text) = splitter.next() {
        let text = text.map_err(|e| fail(&e))?;
        index += 1;
        if !emit(Piece::Json { index, text }, splitter.consumed) {
            break;
        }
    }
    Ok(())
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
        let result = pieces(path, &mut |piece, file_bytes| {
            batch_bytes += match &piece {
                Piece::Json { text, .. } => text.len() as u64,
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
        if let Err(message) = result
            && tx.send(Message::Error(message)).is_err()
        {
            return;
        }
    }
}

/// Every event of one file, decoded in order, with the errors met.
pub fn read_all(path: &Path) -> (Vec<Decoded>, Vec<String>) {
    let mut raw = Vec::new();
    let result = pieces(path, &mut |piece, _| {
        raw.push(piece);
        true
    });
    let mut events = Vec::new();
    let mut errors = Vec::new();
    for decoded in raw.into_iter().flat_map(Piece::decode) {
        match decoded {
            Ok(e) => events.push(e),
            Err(e) => errors.push(format!("{}: {e}", path.display())),
        }
    }
    if let Err(e) = result {
        errors.push(e);
    }
    (events, errors)
}
