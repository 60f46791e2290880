//! Writing outputs without destroying what a path names.
//!
//! [`output`] decides by what the path is now:
//! - a regular file or a new path is replaced atomically ([`atomic`]): readers see the old file
//!   or the whole new one, and a replaced file keeps its permissions;
//! - a FIFO or a character device (`/dev/null`, a terminal) is written in place, never replaced;
//! - a symbolic link is never replaced, and is written through only when it leads to a pipe, a
//!   terminal or the null device (so `-o /dev/stdout` works); a link to a file, or dangling, is
//!   refused, so a link planted where the output goes cannot redirect it;
//! - anything else (a block device, a socket, a directory) is refused.
//!
//! An export writes many files: it [`stage`]s each under a temporary name and [`commit`]s them
//! together after one sync, and leaves a file that already holds its contents as it is (as
//! [`replace_changed`] leaves its manifest).

use super::inputs::{self, describe};
use rayon::prelude::*;
use std::fs::{File, Metadata, OpenOptions, Permissions};
use std::io::{IsTerminal, Read, Write};
use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use tempfile::{NamedTempFile, TempPath};

/// How the temporary files sigc writes are named, so that a later run can remove its own leftovers.
pub const TEMP_PREFIX: &str = ".sigc-tmp-";

/// Writes `contents` to the output `path` as the module documentation says.
pub fn output(path: &Path, contents: &[u8]) -> Result<(), String> {
    let located = |e: std::io::Error| format!("{}: {e}", path.display());
    let file_type = match std::fs::symlink_metadata(path) {
        Ok(meta) => meta.file_type(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return atomic(path, contents),
        Err(e) => return Err(located(e)),
    };
    if file_type.is_file() {
        return atomic(path, contents);
    }
    if !(file_type.is_symlink() || file_type.is_fifo() || file_type.is_char_device()) {
        return Err(format!(
            "{}: a {}; sigc writes to a regular file, a pipe or a character device",
            path.display(),
            describe(file_type)
        ));
    }
    let mut file = OpenOptions::new().write(true).open(path).map_err(|e| {
        if file_type.is_symlink() {
            format!(
                "{}: a symbolic link to nothing writable: {e}",
                path.display()
            )
        } else {
            located(e)
        }
    })?;
    if file_type.is_symlink() {
        let target = file.metadata().map_err(located)?;
        if !(target.file_type().is_fifo() || file.is_terminal() || is_null_device(&file)) {
            return Err(format!(
                "{}: a symbolic link to a {}; sigc writes through a link only to a pipe, a \
                 terminal or /dev/null: name the file itself",
                path.display(),
                describe(target.file_type())
            ));
        }
    }
    file.write_all(contents).map_err(located)
}

fn is_null_device(file: &File) -> bool {
    match (file.metadata(), std::fs::metadata("/dev/null")) {
        (Ok(a), Ok(b)) => a.file_type().is_char_device() && a.rdev() == b.rdev(),
        _ => false,
    }
}

/// Writes `contents` to `path` so that readers see the old file or the whole new one, never a
/// part: a temporary file beside it, synced, renamed over it. A symbolic link at `path` is
/// replaced, not followed. The temporary file is removed when anything fails.
pub fn atomic(path: &Path, contents: &[u8]) -> Result<(), String> {
    let dir = parent(path);
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    durable(path, regular_file(path).as_ref(), &|w| {
        w.write_all(contents)
    })
}

/// Writes what `write` writes to `path`, in a directory that exists, as [`atomic`] does; unless
/// `path` is a regular file that holds it already, which is then left as it is. `write` is
/// called once to compare, and once more when the file differs; it buffers its own writes.
pub fn replace_changed(path: &Path, write: &Writer) -> Result<(), String> {
    let replaced = regular_file(path);
    if replaced.is_some() && holds(path, write) {
        return Ok(());
    }
    durable(path, replaced.as_ref(), write)
}

/// What writes a file's contents to the writer it is given.
pub type Writer<'a> = dyn Fn(&mut dyn Write) -> std::io::Result<()> + 'a;

/// What `write` writes, in a temporary file beside `path` synced and renamed over it.
fn durable(path: &Path, replaced: Option<&Metadata>, write: &Writer) -> Result<(), String> {
    let file = temporary(path, replaced, write)?;
    file.as_file()
        .sync_all()
        .map_err(|e| format!("{}: {e}", path.display()))?;
    Staged {
        file: file.into_temp_path(),
        path: path.to_path_buf(),
    }
    .persist()
}

/// A file written under a temporary name beside its path (and closed), not yet synced nor in
/// place; dropped, it is removed. [`commit`] puts a batch of them in place.
pub struct Staged {
    file: TempPath,
    path: PathBuf,
}

impl Staged {
    fn persist(self) -> Result<(), String> {
        self.file
            .persist(&self.path)
            .map_err(|e| format!("{}: {}", self.path.display(), e.error))
    }
}

/// Writes `contents` to a temporary file beside `path`, in a directory that exists, closed at
/// once (an export stages thousands), for [`commit`]; `None` when `path` is a regular file that
/// holds `contents` already, which is then left as it is (a re-export reads it instead of
/// writing and renaming a copy).
pub fn stage(path: &Path, contents: &[u8]) -> Result<Option<Staged>, String> {
    let write: &Writer = &|w| w.write_all(contents);
    let replaced = regular_file(path);
    if replaced
        .as_ref()
        .is_some_and(|m| m.len() == contents.len() as u64 && holds(path, write))
    {
        return Ok(None);
    }
    Ok(Some(Staged {
        file: temporary(path, replaced.as_ref(), write)?.into_temp_path(),
        path: path.to_path_buf(),
    }))
}

/// Whether the regular file at `path` (not a link) holds exactly what `write` writes; `false`
/// when it cannot be read.
fn holds(path: &Path, write: &Writer) -> bool {
    let Ok((file, _)) = inputs::open_regular(path, false) else {
        return false;
    };
    let mut compared = Compared {
        file,
        read: Vec::new(),
    };
    write(&mut compared).is_ok() && matches!(compared.file.read(&mut [0]), Ok(0))
}

/// A writer that reads as many bytes from `file` as it is given (into `read`) and fails unless
/// they are equal.
struct Compared {
    file: File,
    read: Vec<u8>,
}

impl Write for Compared {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.read.resize(bytes.len(), 0);
        self.file.read_exact(&mut self.read)?;
        if self.read != bytes {
            return Err(std::io::Error::other("the file differs"));
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The metadata of the regular file at `path` (not of a link's target), if there is one.
fn regular_file(path: &Path) -> Option<Metadata> {
    std::fs::symlink_metadata(path).ok().filter(|m| m.is_file())
}

/// Writes what `write` writes to a new temporary file beside `path`, with the permissions of the
/// regular file it will replace (`replaced`), or those of a new file.
fn temporary(
    path: &Path,
    replaced: Option<&Metadata>,
    write: &Writer,
) -> Result<NamedTempFile, String> {
    let dir = parent(path);
    let mut file = tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        // What a newly created file gets, less the umask.
        .permissions(Permissions::from_mode(0o666))
        .tempfile_in(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?;
    if let Some(meta) = replaced {
        file.as_file()
            .set_permissions(Permissions::from_mode(meta.mode() & 0o777))
            .map_err(|e| format!("{}: {e}", path.display()))?;
    }
    write(file.as_file_mut()).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(file)
}

/// The directory `path` is in.
fn parent(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Puts `staged` files (all below `dir`) in place, each renamed over its path once the data of
/// all of them is on the disk: one sync of `dir`'s file system pays for durability once, instead
/// of once per file, and no file is ever seen half-written. The renames run in parallel. Gives,
/// in order, each file's outcome.
pub fn commit(dir: &Path, staged: Vec<Staged>) -> Vec<Result<(), String>> {
    if staged.is_empty() {
        return Vec::new();
    }
    let synced = sync_file_system(dir).map_err(|e| format!("{}: {e}", dir.display()));
    staged
        .into_par_iter()
        .map(|s| {
            synced.clone()?;
            s.persist()
        })
        .collect()
}

/// Flushes to the disk what was written to the file system that holds `dir` (`syncfs`).
#[cfg(target_os = "linux")]
fn sync_file_system(dir: &Path) -> std::io::Result<()> {
    Ok(rustix::fs::syncfs(File::open(dir)?)?)
}

/// Flushes to the disk what was written to every file system (`sync`: POSIX has no `syncfs`).
#[cfg(not(target_os = "linux"))]
fn sync_file_system(_dir: &Path) -> std::io::Result<()> {
    rustix::fs::sync();
    Ok(())
}
