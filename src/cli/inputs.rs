//! Turning PATH arguments into rule inputs, and reading them, on a file system that may be hostile.
//!
//! - A directory is searched recursively for `*.yml` and `*.yaml`, or for the files a
//!   [`FilePattern`] (`-P GLOB`) matches, by [`walk`](super::walk), without following symbolic
//!   links unless asked (`-L`).
//! - A PATH argument that is a symbolic link is followed only with `-L` as well: a shell glob
//!   (`rules/*.yml`) or a list of changed files names a committed link as surely as a walk finds
//!   it, and the link may lead to a secret outside the repository.
//! - Only regular files are read, checked on the opened handle (a FIFO does not block the open),
//!   and only as many bytes as the file's size says, at most [`MAX_FILE_BYTES`]; a pseudo-file
//!   that claims to be empty (`/proc/self/environ`) reads as empty.
//! - `-` is standard input, at most [`MAX_FILE_BYTES`] of it, and may be named once.
//! - An argument or entry that cannot be read is reported by its path; the others are still read.

use super::walk;
use clap::Args;
use sigc_compiler::{Diagnostic, Source, limits};
use std::fs::{File, FileType, Metadata, OpenOptions};
use std::io::Read;
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

/// The most bytes read from one rule file, template, configuration or standard input: the front
/// end's [`limits::MAX_FILE_BYTES`].
pub const MAX_FILE_BYTES: u64 = limits::MAX_FILE_BYTES as u64;

/// A rule file and its path relative to the argument it was found under.
pub struct Input {
    pub path: PathBuf,
    /// The path below the directory argument; the file name for a file argument; `stdin` for `-`.
    pub relative: PathBuf,
    /// Whether a symbolic link at `path` itself may be followed when the file is opened.
    follow: bool,
}

/// The inputs that PATH arguments name, and one message per argument or entry that cannot be used.
#[derive(Default)]
pub struct Collected {
    pub inputs: Vec<Input>,
    pub errors: Vec<String>,
}

/// `-P/--file-pattern`, for the commands that read rule directories.
#[derive(Args, Debug, Default)]
pub struct FilePatternArg {
    /// The rule files of a directory PATH: a glob on their path below it, e.g. `*.yml`
    /// (sigma-cli's default) or `windows/**/*.yml`. By default *.yml and *.yaml.
    #[arg(short = 'P', long, value_name = "GLOB")]
    pub file_pattern: Option<String>,
}

impl FilePatternArg {
    /// The pattern given, or the default without one; or why the glob is not one.
    pub fn pattern(&self) -> Result<FilePattern, String> {
        self.file_pattern
            .as_deref()
            .map_or_else(|| Ok(FilePattern::default()), FilePattern::new)
    }
}

/// Which files of a directory argument are rule files: `*.yml` and `*.yaml` by default, or
/// those whose path below the directory a glob matches (`-P`, as sigma-cli's `--file-pattern`:
/// `*` stays within a name, `**/` spans directories, and the glob may match in any
/// subdirectory).
#[derive(Default)]
pub struct FilePattern(Option<(String, globset::GlobMatcher)>);

impl FilePattern {
    /// The pattern `glob`, or why it is not one.
    pub fn new(glob: &str) -> Result<FilePattern, String> {
        let matcher = globset::GlobBuilder::new(&format!("**/{glob}"))
            .literal_separator(true)
            .backslash_escape(true)
            .build()
            .map_err(|e| format!("-P/--file-pattern `{}`: {}", glob.escape_debug(), e.kind()))?;
        Ok(FilePattern(Some((
            glob.to_string(),
            matcher.compile_matcher(),
        ))))
    }

    /// Whether it keeps `path`, a file below the directory argument `root`.
    fn keeps(&self, root: &Path, path: &Path) -> bool {
        match &self.0 {
            Some((_, glob)) => glob.is_match(path.strip_prefix(root).unwrap_or(path)),
            // the extension alone decides: no need to find the path below `root`
            None => is_rule_file(path),
        }
    }

    /// The files it keeps, for messages.
    fn describe(&self) -> &str {
        match &self.0 {
            Some((glob, _)) => glob,
            None => "*.yml, *.yaml",
        }
    }
}

/// The rule files named by `paths`, in a stable order (directories walked in name order);
/// `follow` follows symbolic links inside directories.
pub fn collect(paths: &[PathBuf], follow: bool) -> Collected {
    collect_matching(paths, follow, &FilePattern::default())
}

/// [`collect`], keeping the files of a directory that `pattern` matches.
pub fn collect_matching(paths: &[PathBuf], follow: bool, pattern: &FilePattern) -> Collected {
    let mut inputs = Vec::new();
    let errors = each_matching(paths, follow, pattern, |input| inputs.push(input));
    Collected { inputs, errors }
}

/// Files given to `f` at a time, on the thread pool, by [`map_matching`]: enough for a batch to
/// outweigh handing it over, few enough for both cores to share the files evenly.
const BATCH: usize = 32;

/// [`collect_matching`], each input given to `f` on the thread pool as soon as the walk has
/// found [`BATCH`] of them, so that reading (and compiling) goes on while the walk does; the
/// inputs, with what `f` made of each, come back in the walk's order, then the errors.
pub fn map_matching<T: Send>(
    paths: &[PathBuf],
    follow: bool,
    pattern: &FilePattern,
    f: impl Fn(&Input) -> T + Sync,
) -> (Vec<(Input, T)>, Vec<String>) {
    // each batch, by its place in the walk, as a worker finishes it
    let done: Mutex<Vec<Batch<T>>> = Mutex::new(Vec::new());
    let errors = rayon::scope(|scope| {
        let (f, done) = (&f, &done);
        let mut batches = 0;
        let mut hand_over = |batch: Vec<Input>| {
            let index = batches;
            batches += 1;
            scope.spawn(move |_| {
                let mapped: Vec<(Input, T)> = batch
                    .into_iter()
                    .map(|input| {
                        let made = f(&input);
                        (input, made)
                    })
                    .collect();
                let mut done = done.lock().unwrap_or_else(PoisonError::into_inner);
                done.push((index, mapped));
            });
        };
        let mut batch = Vec::with_capacity(BATCH);
        let errors = each_matching(paths, follow, pattern, |input| {
            batch.push(input);
            if batch.len() == BATCH {
                hand_over(std::mem::replace(&mut batch, Vec::with_capacity(BATCH)));
            }
        });
        if !batch.is_empty() {
            hand_over(batch);
        }
        errors
    });
    let mut done = done.into_inner().unwrap_or_else(PoisonError::into_inner);
    done.sort_unstable_by_key(|(index, _)| *index);
    let mapped = done.into_iter().flat_map(|(_, mapped)| mapped).collect();
    (mapped, errors)
}

/// A batch of inputs mapped by [`map_matching`], and its place among the batches.
type Batch<T> = (usize, Vec<(Input, T)>);

/// Gives `each` every rule file `paths` name, as [`collect_matching`] lists them; the errors
/// come back.
fn each_matching(
    paths: &[PathBuf],
    follow: bool,
    pattern: &FilePattern,
    mut each: impl FnMut(Input),
) -> Vec<String> {
    let mut errors = Vec::new();
    let mut stdin = false;
    for path in paths {
        if path.as_os_str() == "-" {
            if stdin {
                errors.push("`-` is named more than once: standard input is read once".into());
            } else {
                stdin = true;
                each(Input {
                    path: path.clone(),
                    relative: PathBuf::from("stdin"),
                    follow: true,
                });
            }
            continue;
        }
        if !follow && std::fs::symlink_metadata(path).is_ok_and(|m| m.is_symlink()) {
            errors.push(format!(
                "{}: a symbolic link; not followed without -L/--follow",
                path.display()
            ));
            continue;
        }
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => {
                let mut found = false;
                let walk_errors = walk::walk_each(
                    path,
                    follow,
                    |p| pattern.keeps(path, p),
                    |p| {
                        found = true;
                        each(Input {
                            relative: p.strip_prefix(path).unwrap_or(&p).to_path_buf(),
                            path: p,
                            follow,
                        });
                    },
                );
                if !found && walk_errors.is_empty() {
                    errors.push(format!(
                        "{}: no rule files ({}) in this directory",
                        path.display(),
                        pattern.describe()
                    ));
                }
                errors.extend(walk_errors);
            }
            Ok(_) => each(Input {
                path: path.clone(),
                relative: path.file_name().map_or_else(|| path.clone(), PathBuf::from),
                follow,
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                errors.push(format!("{}: no such file or directory", path.display()))
            }
            Err(e) => errors.push(format!("{}: {e}", path.display())),
        }
    }
    errors
}

/// `*.yml` or `*.yaml`.
pub fn is_rule_file(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yml" | "yaml")
    )
}

/// Why an input gave no source.
pub enum ReadError {
    /// It could not be read: an I/O error, already named by its path.
    Io(String),
    /// It was read, but is not text (invalid UTF-8), located at `file:line:col`.
    Text(Diagnostic),
}

/// Reads one input (`-` is standard input) into a named source. Text that is not UTF-8 is an
/// error at its `file:line:col`.
pub fn read(input: &Input) -> Result<Arc<Source>, ReadError> {
    let (name, bytes) = if input.path.as_os_str() == "-" {
        let name = "<stdin>".to_string();
        let bytes = read_capped(std::io::stdin().lock(), MAX_FILE_BYTES)
            .map_err(|e| ReadError::Io(format!("{name}: {e}")))?;
        (name, bytes)
    } else {
        let bytes = read_file(&input.path, input.follow, MAX_FILE_BYTES).map_err(ReadError::Io)?;
        (shown(&input.path), bytes)
    };
    Source::from_bytes(name, bytes).map_err(ReadError::Text)
}

/// `path` as [`Path::display`] writes it, without the formatting machinery (a path per file of a
/// run is named this way).
pub fn shown(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

/// Reads a text file named on the command line (a template, a configuration) as [`read`] does.
pub fn read_text(path: &Path) -> Result<String, String> {
    let bytes = read_file(path, true, MAX_FILE_BYTES)?;
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "{}: not UTF-8 text (byte {})",
            path.display(),
            e.utf8_error().valid_up_to()
        )
    })
}

/// The bytes of the regular file at `path`: as many as its size says when opened, at most
/// `limit`. A symbolic link at `path` itself is followed only when `follow`.
pub fn read_file(path: &Path, follow: bool, limit: u64) -> Result<Vec<u8>, String> {
    let located = |e: std::io::Error| format!("{}: {e}", path.display());
    let (file, meta) = open_regular(path, follow)?;
    if meta.len() > limit {
        return Err(format!("{}: {}", path.display(), too_large(limit)));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(meta.len())
        .read_to_end(&mut bytes)
        .map_err(located)?;
    Ok(bytes)
}

/// The regular file at `path`, opened for reading, and its metadata (taken from the handle, so
/// what is read is what was checked). A FIFO, a device or a directory is an error naming it, at
/// once: opening never waits for a writer. A symbolic link at `path` itself is followed only
/// when `follow`.
pub fn open_regular(path: &Path, follow: bool) -> Result<(File, Metadata), String> {
    let located = |e: std::io::Error| format!("{}: {e}", path.display());
    // Opening a FIFO without O_NONBLOCK waits for a writer; a terminal must not become ours.
    let mut flags = libc::O_NONBLOCK | libc::O_NOCTTY;
    if !follow {
        flags |= libc::O_NOFOLLOW;
    }
    let file = OpenOptions::new()
        .read(true)
        .custom_flags(flags)
        .open(path)
        .map_err(located)?;
    let meta = file.metadata().map_err(located)?;
    if !meta.is_file() {
        return Err(format!(
            "{}: a {}, not a regular file; only regular files are read",
            path.display(),
            describe(meta.file_type())
        ));
    }
    Ok((file, meta))
}

/// All of `reader`, or an error when it holds more than `limit` bytes.
fn read_capped(reader: impl Read, limit: u64) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    reader.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(std::io::Error::other(too_large(limit)));
    }
    Ok(bytes)
}

fn too_large(limit: u64) -> String {
    format!(
        "larger than {} MiB, the most sigc reads from one file",
        limit >> 20
    )
}

/// The kind of a file system entry, for messages: `FIFO`, `character device`, ….
pub fn describe(file_type: FileType) -> &'static str {
    if file_type.is_file() {
        "regular file"
    } else if file_type.is_dir() {
        "directory"
    } else if file_type.is_symlink() {
        "symbolic link"
    } else if file_type.is_fifo() {
        "FIFO"
    } else if file_type.is_char_device() {
        "character device"
    } else if file_type.is_block_device() {
        "block device"
    } else if file_type.is_socket() {
        "socket"
    } else {
        "special file"
    }
}
