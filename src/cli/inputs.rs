//! Turning PATH arguments into rule sources: files, directories (recursive), or `-` for stdin.

use sigc_compiler::Source;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The rule files named by `paths`, in a stable order (directories sorted, recursively).
pub fn collect(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    Ok(collect_relative(paths)?
        .into_iter()
        .map(|i| i.path)
        .collect())
}

/// A rule file and its path relative to the argument it was found under.
pub struct Input {
    pub path: PathBuf,
    /// The path below the directory argument; the file name for a file argument; `stdin` for `-`.
    pub relative: PathBuf,
}

/// Like [`collect`], keeping each file's path relative to its argument (for export layouts).
pub fn collect_relative(paths: &[PathBuf]) -> Result<Vec<Input>, String> {
    let mut out = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            out.push(Input {
                path: path.clone(),
                relative: PathBuf::from("stdin"),
            });
        } else if path.is_dir() {
            let mut found = Vec::new();
            walk(path, &mut found).map_err(|e| format!("{}: {e}", path.display()))?;
            out.extend(found.into_iter().map(|p| Input {
                relative: p.strip_prefix(path).unwrap_or(&p).to_path_buf(),
                path: p,
            }));
        } else if path.is_file() {
            out.push(Input {
                path: path.clone(),
                relative: path.file_name().map_or_else(|| path.clone(), PathBuf::from),
            });
        } else {
            return Err(format!("{}: no such file or directory", path.display()));
        }
    }
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    entries.sort();
    for path in entries {
        if path.is_dir() {
            walk(&path, out)?;
        } else if is_rule_file(&path) {
            out.push(path);
        }
    }
    Ok(())
}

/// `*.yml` or `*.yaml`.
pub fn is_rule_file(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yml" | "yaml")
    )
}

/// Reads one input (`-` is standard input) into a named source. Text that is not UTF-8 is an
/// error at its `file:line:col`.
pub fn read(path: &Path) -> Result<Arc<Source>, String> {
    let (name, bytes) = if path.as_os_str() == "-" {
        let mut bytes = Vec::new();
        std::io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|e| format!("<stdin>: {e}"))?;
        ("<stdin>".to_string(), bytes)
    } else {
        let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
        (path.display().to_string(), bytes)
    };
    Source::from_bytes(name, bytes).map_err(|d| d.to_string())
}
