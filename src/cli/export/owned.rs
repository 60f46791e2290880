//! Which files below an export directory are sigc's, and keeping to them.
//!
//! sigc owns the files that the previous export's `manifest.json` lists under `files` (paths
//! relative to the export directory, below a target's directory) and the temporary files named
//! with [`TEMP_PREFIX`]. It writes only into directories it reaches from the export directory
//! without passing through a symbolic link, and removes only regular files reached the same way,
//! so a link planted below the export directory can neither redirect a write nor a removal.
//! Two exports into one directory at once are not supported: each would remove what the other
//! writes.

use crate::cli::inputs::{self, describe};
use crate::cli::walk;
use crate::cli::write::TEMP_PREFIX;
use serde::Deserialize;
use serde_json::error::Category;
use std::collections::HashSet;
use std::fs;
use std::io::ErrorKind;
use std::path::{Component, Path, PathBuf};

/// The most bytes read from a previous `manifest.json`: 64 MiB, twelve times the manifest (5.3 MB) of
/// all of SigmaHQ exported to every target.
pub const MAX_MANIFEST_BYTES: u64 = 64 << 20;

/// What is read of a previous manifest: its `files`, the rest (its entries) skipped unbuilt.
#[derive(Deserialize)]
struct Previous {
    #[serde(default)]
    files: serde_json::Value,
}

/// The files the export that wrote `manifest` owns (none when there is no manifest).
pub fn previous(manifest: &Path) -> Result<Vec<PathBuf>, String> {
    if let Err(e) = fs::symlink_metadata(manifest)
        && e.kind() == ErrorKind::NotFound
    {
        return Ok(Vec::new());
    }
    let bytes = inputs::read_file(manifest, false, MAX_MANIFEST_BYTES)?;
    let files = match serde_json::from_slice::<Previous>(&bytes) {
        Ok(previous) => previous.files,
        // JSON, but not a manifest's object: it owns nothing.
        Err(e) if e.classify() == Category::Data => serde_json::Value::Null,
        Err(e) => return Err(format!("{}: {e}", manifest.display())),
    };
    Ok(files
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f.as_str())
        .map(PathBuf::from)
        .collect())
}

/// Creates the directories that lead from `dir` to the file `relative` below it, refusing to pass
/// through anything but a directory.
pub fn prepare(dir: &Path, relative: &Path) -> Result<(), String> {
    let mut path = dir.to_path_buf();
    for part in relative.parent().into_iter().flat_map(Path::components) {
        path.push(part);
        match fs::symlink_metadata(&path) {
            Ok(meta) if meta.is_dir() => {}
            Ok(meta) => {
                return Err(format!(
                    "{}: a {}, not a directory; sigc writes only into directories below {}",
                    path.display(),
                    describe(meta.file_type()),
                    dir.display()
                ));
            }
            Err(e) if e.kind() == ErrorKind::NotFound => {
                fs::create_dir(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            }
            Err(e) => return Err(format!("{}: {e}", path.display())),
        }
    }
    Ok(())
}

/// Removes the files of `previous` that this export did not write, and the directories that
/// leaves empty. Returns the files it could not remove, and why.
pub fn remove_stale(
    dir: &Path,
    previous: &[PathBuf],
    written: &HashSet<PathBuf>,
) -> (Vec<PathBuf>, Vec<String>) {
    let (mut kept, mut errors) = (Vec::new(), Vec::new());
    for relative in previous {
        if written.contains(relative) || !is_ours(dir, relative) {
            continue;
        }
        let path = dir.join(relative);
        if let Err(e) = fs::remove_file(&path) {
            errors.push(format!("{}: {e}", path.display()));
            kept.push(relative.clone());
            continue;
        }
        for parent in relative.ancestors().skip(1) {
            if parent.as_os_str().is_empty() || fs::remove_dir(dir.join(parent)).is_err() {
                break;
            }
        }
    }
    (kept, errors)
}

/// Whether `relative` can name a file sigc wrote: below a target's directory, without `..`, and
/// a regular file reached from `dir` through directories only.
fn is_ours(dir: &Path, relative: &Path) -> bool {
    let parts: Vec<Component> = relative.components().collect();
    let below_target = parts.len() >= 2
        && parts.iter().all(|c| matches!(c, Component::Normal(_)))
        && sigc_backends::targets()
            .iter()
            .any(|b| parts[0].as_os_str() == b.name());
    below_target
        && relative
            .ancestors()
            .skip(1)
            .filter(|p| !p.as_os_str().is_empty())
            .all(|p| fs::symlink_metadata(dir.join(p)).is_ok_and(|m| m.is_dir()))
        && fs::symlink_metadata(dir.join(relative)).is_ok_and(|m| m.is_file())
}

/// Removes the temporary files that an interrupted run left below `dir`; returns what failed.
pub fn remove_temporaries(dir: &Path) -> Vec<String> {
    let is_temporary = |p: &Path| {
        p.file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with(TEMP_PREFIX))
    };
    let found = walk::walk(dir, false, is_temporary);
    let mut errors = found.errors;
    for path in found.files {
        if fs::symlink_metadata(&path).is_ok_and(|m| m.is_file())
            && let Err(e) = fs::remove_file(&path)
        {
            errors.push(format!("{}: {e}", path.display()));
        }
    }
    errors
}
