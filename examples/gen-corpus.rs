//! A synthetic corpus for scale measurements (docs/performance.md): `--scale N` copies of a rule
//! directory (SigmaHQ's beside the checkout by default), each below `OUT/copy-<k>/`, every UUID
//! in a copy (a rule's `id`, its `related` ids) replaced by a fresh one. The fresh ids are derived
//! from the old id and the copy number, so a reference between two files of one copy still holds,
//! and two runs write the same corpus.
//!
//! ```sh
//! cargo run --release --example gen-corpus -- --scale 10 /tmp/corpus-10x
//! ```

use clap::Parser;
use regex::{Captures, Regex};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};

#[derive(Parser)]
struct Args {
    /// How many copies of the rules to write.
    #[arg(long, default_value_t = 10)]
    scale: u32,
    /// The rules to copy.
    #[arg(long, default_value = "../shared/corpus/sigmahq/rules")]
    from: PathBuf,
    /// Where the copies go (created).
    out: PathBuf,
}

fn main() -> Result<(), String> {
    let args = Args::parse();
    let uuid =
        Regex::new(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
            .expect("a valid pattern");
    let mut files = Vec::new();
    rule_files(&args.from, &mut files)?;
    files.sort();
    for copy in 0..args.scale {
        let root = args.out.join(format!("copy-{copy:03}"));
        for file in &files {
            let text = std::fs::read_to_string(file).map_err(|e| located(file, e))?;
            let fresh = uuid.replace_all(&text, |c: &Captures| fresh_id(&c[0], copy));
            let relative = file.strip_prefix(&args.from).expect("found below --from");
            let path = root.join(relative);
            let parent = path.parent().expect("a file has a parent");
            std::fs::create_dir_all(parent).map_err(|e| located(parent, e))?;
            std::fs::write(&path, fresh.as_bytes()).map_err(|e| located(&path, e))?;
        }
    }
    println!(
        "{} rule files: {} copies of {} from {}",
        files.len() * args.scale as usize,
        args.scale,
        files.len(),
        args.from.display()
    );
    Ok(())
}

/// Every `*.yml` and `*.yaml` file below `dir`.
fn rule_files(dir: &Path, found: &mut Vec<PathBuf>) -> Result<(), String> {
    for entry in std::fs::read_dir(dir).map_err(|e| located(dir, e))? {
        let path = entry.map_err(|e| located(dir, e))?.path();
        if path.is_dir() {
            rule_files(&path, found)?;
        } else if path.extension().is_some_and(|e| e == "yml" || e == "yaml") {
            found.push(path);
        }
    }
    Ok(())
}

/// A version 4 UUID derived from `old` and `copy`: the same pair always gives the same id.
fn fresh_id(old: &str, copy: u32) -> String {
    let half = |salt: u8| {
        let mut h = DefaultHasher::new();
        (old.to_ascii_lowercase(), copy, salt).hash(&mut h);
        h.finish()
    };
    let (hi, lo) = (half(0), half(1));
    let hi = (hi & !0xf000) | 0x4000; // version 4
    let lo = (lo & !(0xc << 60)) | (0x8 << 60); // RFC 4122 variant
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        hi >> 32,
        (hi >> 16) & 0xffff,
        hi & 0xffff,
        lo >> 48,
        lo & 0xffff_ffff_ffff
    )
}

fn located(path: &Path, e: std::io::Error) -> String {
    format!("{}: {e}", path.display())
}
