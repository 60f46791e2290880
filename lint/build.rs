//! Collects each validator's `//!` documentation (`src/validators/<id>.rs`) into
//! `$OUT_DIR/validator_docs.rs`, so that the registry, `docs/check.md` and SARIF's rule help all
//! read the one text beside the code.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let dir = Path::new("src/validators");
    println!("cargo::rerun-if-changed={}", dir.display());
    let mut docs = Vec::new();
    for entry in std::fs::read_dir(dir).expect("src/validators is readable") {
        let path = entry.expect("a directory entry").path();
        let Some(id) = path.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        if id == "mod" || path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("a validator's source is UTF-8");
        let doc: String = text
            .lines()
            .map_while(|l| l.strip_prefix("//!"))
            .map(|l| format!("{}\n", l.strip_prefix(' ').unwrap_or(l)))
            .collect();
        // The first line names the validator, which every reader shows already.
        let title = format!("`{id}`\n");
        let body = doc.strip_prefix(&title).unwrap_or(&doc).trim();
        docs.push((id.to_string(), body.to_string()));
    }
    docs.sort();
    let mut out =
        String::from("/// Each validator's id and its file's `//!` documentation, by id.\n");
    out.push_str("static VALIDATOR_DOCS: &[(&str, &str)] = &[\n");
    for (id, doc) in &docs {
        let _ = writeln!(out, "    ({id:?}, {doc:?}),");
    }
    out.push_str("];\n");
    let target =
        Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("validator_docs.rs");
    std::fs::write(target, out).expect("OUT_DIR is writable");
}
