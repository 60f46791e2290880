//! The documents open in the editor: their text as last sent (full synchronisation: rule files
//! are small) and the source name their findings carry.

use super::uri;
use lsp_types::Uri;
use std::collections::HashMap;

/// One open document.
pub struct Open {
    pub uri: Uri,
    /// The file's path for a `file:` URI (as the workspace index names it), else the URI.
    pub name: String,
    pub text: String,
    pub version: i32,
}

/// The open documents, by URI.
#[derive(Default)]
pub struct Store {
    open: HashMap<String, Open>,
}

impl Store {
    pub fn open(&mut self, uri: Uri, text: String, version: i32) -> &Open {
        let name = name(&uri);
        let key = uri.as_str().to_string();
        self.open.insert(
            key.clone(),
            Open {
                uri,
                name,
                text,
                version,
            },
        );
        &self.open[&key]
    }

    /// Replaces the text of an open document; `None` when it is not open.
    pub fn change(&mut self, uri: &Uri, text: String, version: i32) -> Option<&Open> {
        let open = self.open.get_mut(uri.as_str())?;
        open.text = text;
        open.version = version;
        Some(open)
    }

    pub fn close(&mut self, uri: &Uri) -> Option<Open> {
        self.open.remove(uri.as_str())
    }

    pub fn get(&self, uri: &Uri) -> Option<&Open> {
        self.open.get(uri.as_str())
    }

    pub fn all(&self) -> impl Iterator<Item = &Open> {
        self.open.values()
    }
}

/// The source name of a document: its path, or its URI when it is not a local file.
pub fn name(uri: &Uri) -> String {
    uri::to_path(uri).map_or_else(|| uri.as_str().to_string(), |p| p.display().to_string())
}
