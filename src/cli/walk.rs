//! Walking a directory tree that strangers may have laid out.
//!
//! Symbolic links are skipped unless the walk follows them (`-L`). A directory is entered once
//! however many links lead to it (so a lattice of links cannot make the walk exponential), and a
//! link back to a directory being walked is reported as a loop and not followed; directories are
//! told apart by device and inode. An entry that cannot be read is reported and the walk goes on.

use std::collections::HashSet;
use std::ffi::OsString;
use std::fs::{self, FileType, Metadata};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

/// What a walk found.
#[derive(Default)]
pub struct Found {
    /// The entries that are not directories and that the filter kept, depth first, sorted by
    /// name within each directory.
    pub files: Vec<PathBuf>,
    /// One message per entry that could not be read, naming it.
    pub errors: Vec<String>,
}

/// Every entry below the directory `root` that is not a directory and that `keep` accepts.
pub fn walk(root: &Path, follow: bool, keep: impl Fn(&Path) -> bool) -> Found {
    let mut files = Vec::new();
    let errors = walk_each(root, follow, keep, |path| files.push(path));
    Found { files, errors }
}

/// [`walk`], giving each file to `each` as it is found (in the same order); the messages about
/// the entries that could not be read come back.
pub fn walk_each(
    root: &Path,
    follow: bool,
    keep: impl Fn(&Path) -> bool,
    mut each: impl FnMut(PathBuf),
) -> Vec<String> {
    let mut walker = Walker {
        follow,
        keep: &keep,
        each: &mut each,
        visited: HashSet::new(),
        open: Vec::new(),
        errors: Vec::new(),
    };
    match fs::metadata(root) {
        Ok(meta) => walker.directory(root, id(&meta)),
        Err(e) => walker.error(root, &e),
    }
    walker.errors
}

/// A directory's identity: device and inode.
type Id = (u64, u64);

fn id(meta: &Metadata) -> Id {
    (meta.dev(), meta.ino())
}

struct Walker<'a> {
    follow: bool,
    keep: &'a dyn Fn(&Path) -> bool,
    /// Given each file kept.
    each: &'a mut dyn FnMut(PathBuf),
    /// Every directory entered so far.
    visited: HashSet<Id>,
    /// The directories being walked: the current one and its ancestors.
    open: Vec<Id>,
    /// One message per entry that could not be read.
    errors: Vec<String>,
}

impl Walker<'_> {
    fn directory(&mut self, dir: &Path, id: Id) {
        self.visited.insert(id);
        self.open.push(id);
        match fs::read_dir(dir) {
            Ok(entries) => {
                let mut list: Vec<(OsString, PathBuf, std::io::Result<FileType>)> = Vec::new();
                for entry in entries {
                    match entry {
                        Ok(e) => list.push((e.file_name(), e.path(), e.file_type())),
                        Err(e) => self.error(dir, &e),
                    }
                }
                // Entries of one directory differ in their name only: comparing names gives the
                // order of whole paths without parsing any path.
                list.sort_unstable_by(|a, b| a.0.cmp(&b.0));
                for (_, path, file_type) in list {
                    match file_type {
                        Ok(t) => self.entry(path, t),
                        Err(e) => self.error(&path, &e),
                    }
                }
            }
            Err(e) => self.error(dir, &e),
        }
        self.open.pop();
    }

    fn entry(&mut self, path: PathBuf, file_type: FileType) {
        let meta = if file_type.is_symlink() {
            if !self.follow {
                return;
            }
            fs::metadata(&path)
        } else if file_type.is_dir() {
            fs::symlink_metadata(&path)
        } else {
            self.file(path);
            return;
        };
        match meta {
            Ok(m) if m.is_dir() => self.enter(&path, id(&m)),
            Ok(_) => self.file(path),
            // A dangling link, or a chain of links that never ends: worth a word only when it
            // would have been kept.
            Err(_) if file_type.is_symlink() && !(self.keep)(&path) => {}
            Err(e) => self.error(&path, &e),
        }
    }

    fn enter(&mut self, path: &Path, id: Id) {
        if self.open.contains(&id) {
            let message = "a symbolic link loop (it leads back to a directory that contains it)";
            self.errors
                .push(format!("{}: {message}; not followed", path.display()));
        } else if !self.visited.contains(&id) {
            self.directory(path, id);
        }
    }

    fn file(&mut self, path: PathBuf) {
        if (self.keep)(&path) {
            (self.each)(path);
        }
    }

    fn error(&mut self, path: &Path, e: &std::io::Error) {
        self.errors.push(format!("{}: {e}", path.display()));
    }
}
