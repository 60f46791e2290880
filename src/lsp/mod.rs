//! `sigc lsp`: a Language Server Protocol server on standard input and output, for rule authors
//! (docs/editors.md). Built on rust-analyzer's `lsp-server` (a synchronous loop over crossbeam
//! channels) and `lsp-types`.
//!
//! The server keeps the open documents ([`store`]) and an index of every rule file of the
//! workspace folder ([`workspace`], built on a thread at start while the open documents are
//! served), each checked by sigc-lint as `sigc check` checks it. Typing
//! marks a document dirty; once no change has come for [`DEBOUNCE`], the dirty documents are
//! checked again and the diagnostics of every open document published, cross-file findings
//! included. A request about a dirty document checks it first, so that every answer is about
//! the text the editor shows.

mod actions;
mod completion;
mod context;
mod definition;
mod diagnostics;
mod hover;
mod position;
mod queries;
mod settings;
mod store;
mod uri;
mod workspace;

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{self as note, Notification as _};
use lsp_types::request::{self as req, Request as _};
use lsp_types::{
    CodeActionProviderCapability, CompletionOptions, GotoDefinitionResponse, Hover, HoverContents,
    HoverProviderCapability, InitializeParams, Location, MarkupContent, MarkupKind, MessageType,
    OneOf, ServerCapabilities, TextDocumentSyncCapability, TextDocumentSyncKind, Uri,
};
use serde_json::Value;
use settings::Settings;
use sigc_backends::Plan;
use sigc_compiler::Source;
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::{Duration, Instant};
use store::Store;
use workspace::Workspace;

/// How long after the last change the changed documents are checked again: a burst of
/// keystrokes is checked once.
pub const DEBOUNCE: Duration = Duration::from_millis(150);

/// Serves one client on standard input and output until it asks to exit.
pub fn run() -> Result<(), String> {
    let (connection, threads) = Connection::stdio();
    let (id, params) = connection.initialize_start().map_err(|e| e.to_string())?;
    let params: InitializeParams = serde_json::from_value(params).map_err(|e| e.to_string())?;
    let result = serde_json::json!({
        "capabilities": capabilities(),
        "serverInfo": {"name": "sigc", "version": env!("CARGO_PKG_VERSION")},
    });
    connection
        .initialize_finish(id, result)
        .map_err(|e| e.to_string())?;
    let mut server = Server::new(connection, &params);
    server.start();
    server.serve()?;
    drop(server);
    threads.join().map_err(|e| e.to_string())
}

fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Kind(TextDocumentSyncKind::FULL)),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec!["|".into(), ".".into()]),
            ..CompletionOptions::default()
        }),
        definition_provider: Some(OneOf::Left(true)),
        code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
        ..ServerCapabilities::default()
    }
}

struct Server {
    connection: Connection,
    documents: Store,
    workspace: Workspace,
    plans: Vec<Plan>,
    /// The workspace folder, indexed at start.
    root: Option<PathBuf>,
    /// Open documents changed since they were last checked, by URI.
    dirty: BTreeSet<String>,
    /// When the dirty documents are checked, unless another change comes first.
    deadline: Option<Instant>,
    /// Whether the client answers `workspace/configuration`.
    asks_configuration: bool,
    /// Whether the client can watch files for the server (`workspace/didChangeWatchedFiles`).
    watches_files: bool,
    next_request: i32,
    /// The workspace folder's index while it is being built.
    indexing: Option<crossbeam_channel::Receiver<Indexed>>,
    /// Counts the validator configurations taken, so that an index built under an older one is
    /// checked again.
    generation: u64,
}

/// A workspace folder, indexed.
struct Indexed {
    workspace: Workspace,
    /// The files that could not be read.
    errors: Vec<String>,
    /// How many files, how long.
    note: String,
    generation: u64,
}

impl Server {
    fn new(connection: Connection, params: &InitializeParams) -> Self {
        let root = params
            .workspace_folders
            .as_ref()
            .and_then(|f| f.first())
            .map(|f| &f.uri)
            .or({
                #[allow(deprecated)]
                params.root_uri.as_ref()
            })
            .and_then(uri::to_path);
        let asks_configuration = params
            .capabilities
            .workspace
            .as_ref()
            .and_then(|w| w.configuration)
            .unwrap_or(false);
        let watches_files = params
            .capabilities
            .workspace
            .as_ref()
            .and_then(|w| w.did_change_watched_files)
            .and_then(|w| w.dynamic_registration)
            .unwrap_or(false);
        let mut server = Server {
            connection,
            documents: Store::default(),
            workspace: Workspace::new(sigc_lint::Config::default()),
            plans: Vec::new(),
            root,
            dirty: BTreeSet::new(),
            deadline: None,
            asks_configuration,
            watches_files,
            next_request: 0,
            indexing: None,
            generation: 0,
        };
        let settings = params.initialization_options.clone().unwrap_or(Value::Null);
        if !server.configure(settings) {
            server.configure(Value::Null);
        }
        server
    }

    /// Starts indexing the workspace folder on a thread of its own (the open documents are
    /// served meanwhile) and asks the client for its settings.
    fn start(&mut self) {
        if let Some(root) = self.root.clone() {
            let (done, index) = crossbeam_channel::bounded(1);
            let mut workspace = Workspace::new(self.workspace.config().clone());
            let generation = self.generation;
            std::thread::spawn(move || {
                let started = Instant::now();
                let errors = workspace.scan(&root);
                let note = format!(
                    "indexed {} rule files of {} in {} ms",
                    workspace.len(),
                    root.display(),
                    started.elapsed().as_millis()
                );
                let _ = done.send(Indexed {
                    workspace,
                    errors,
                    note,
                    generation,
                });
            });
            self.indexing = Some(index);
        }
        self.watch_files();
        self.ask_configuration();
    }

    /// Asks a client that can watch files to report the rule files created, changed or deleted
    /// on disk (a `git checkout`, another editor), so the index follows them.
    fn watch_files(&mut self) {
        if !self.watches_files || self.root.is_none() {
            return;
        }
        self.next_request += 1;
        let watcher = lsp_types::FileSystemWatcher {
            glob_pattern: lsp_types::GlobPattern::String("**/*.{yml,yaml}".to_string()),
            kind: None,
        };
        let options = lsp_types::DidChangeWatchedFilesRegistrationOptions {
            watchers: vec![watcher],
        };
        let params = lsp_types::RegistrationParams {
            registrations: vec![lsp_types::Registration {
                id: "sigc-rule-files".to_string(),
                method: note::DidChangeWatchedFiles::METHOD.to_string(),
                register_options: serde_json::to_value(options).ok(),
            }],
        };
        let request = Request::new(
            RequestId::from(self.next_request),
            req::RegisterCapability::METHOD.to_string(),
            params,
        );
        self.send(Message::Request(request));
    }

    fn serve(&mut self) -> Result<(), String> {
        let inbox = self.connection.receiver.clone();
        loop {
            let timer = self
                .deadline
                .map_or_else(crossbeam_channel::never, crossbeam_channel::at);
            let index = self
                .indexing
                .clone()
                .unwrap_or_else(crossbeam_channel::never);
            let message = crossbeam_channel::select! {
                recv(inbox) -> message => match message {
                    Ok(m) => m,
                    Err(_) => break,
                },
                recv(index) -> indexed => {
                    self.indexing = None;
                    if let Ok(indexed) = indexed {
                        self.indexed(indexed);
                    }
                    continue;
                },
                recv(timer) -> _ => {
                    self.flush();
                    continue;
                },
            };
            match message {
                Message::Request(request) => {
                    if self
                        .connection
                        .handle_shutdown(&request)
                        .map_err(|e| e.to_string())?
                    {
                        return Ok(());
                    }
                    self.request(request);
                }
                Message::Notification(n) => self.notification(n),
                Message::Response(r) => self.response(r),
            }
        }
        Err("the client closed the connection without `shutdown`".to_string())
    }

    /// Takes the finished index, with the open documents' text in place of their files, checked
    /// again if the settings changed meanwhile.
    fn indexed(&mut self, indexed: Indexed) {
        for error in &indexed.errors {
            self.log(MessageType::WARNING, error);
        }
        self.log(MessageType::INFO, &indexed.note);
        let config = self.workspace.config().clone();
        self.workspace = indexed.workspace;
        if indexed.generation != self.generation {
            self.workspace.configure(config);
        }
        for open in self.documents.all() {
            let source = Source::new(open.name.clone(), open.text.clone());
            self.workspace.update(source);
        }
        self.dirty.clear();
        self.publish_all();
    }

    fn request(&mut self, request: Request) {
        self.flush();
        let id = request.id.clone();
        let result = match request.method.as_str() {
            req::HoverRequest::METHOD => self.params(request).map(|p| self.hover(p)),
            req::Completion::METHOD => self.params(request).map(|p| self.complete(p)),
            req::CodeActionRequest::METHOD => self.params(request).map(|p| self.actions(p)),
            req::GotoDefinition::METHOD => self.params(request).map(|p| self.definition(p)),
            _ => Err((
                ErrorCode::MethodNotFound,
                format!("unknown method `{}`", request.method),
            )),
        };
        let response = match result {
            Ok(value) => Response::new_ok(id, value),
            Err((code, message)) => Response::new_err(id, code as i32, message),
        };
        self.send(Message::Response(response));
    }

    fn params<P: serde::de::DeserializeOwned>(
        &self,
        request: Request,
    ) -> Result<P, (ErrorCode, String)> {
        serde_json::from_value(request.params)
            .map_err(|e| (ErrorCode::InvalidParams, e.to_string()))
    }

    fn notification(&mut self, n: Notification) {
        let result = match n.method.as_str() {
            note::DidOpenTextDocument::METHOD => {
                serde_json::from_value(n.params).map(|p: lsp_types::DidOpenTextDocumentParams| {
                    let d = p.text_document;
                    self.documents.open(d.uri.clone(), d.text, d.version);
                    self.dirty.insert(d.uri.as_str().to_string());
                    self.flush();
                })
            }
            note::DidChangeTextDocument::METHOD => {
                serde_json::from_value(n.params).map(|p: lsp_types::DidChangeTextDocumentParams| {
                    let d = p.text_document;
                    if let Some(change) = p.content_changes.into_iter().last()
                        && self
                            .documents
                            .change(&d.uri, change.text, d.version)
                            .is_some()
                    {
                        self.dirty.insert(d.uri.as_str().to_string());
                        self.deadline = Some(Instant::now() + DEBOUNCE);
                    }
                })
            }
            note::DidCloseTextDocument::METHOD => serde_json::from_value(n.params)
                .map(|p: lsp_types::DidCloseTextDocumentParams| self.close(&p.text_document.uri)),
            note::DidChangeWatchedFiles::METHOD => {
                serde_json::from_value(n.params).map(|p: lsp_types::DidChangeWatchedFilesParams| {
                    for change in p.changes {
                        if self.documents.get(&change.uri).is_none() {
                            self.reload(&change.uri, &store::name(&change.uri));
                        }
                    }
                    self.publish_all();
                })
            }
            note::DidChangeConfiguration::METHOD => serde_json::from_value(n.params).map(
                |p: lsp_types::DidChangeConfigurationParams| {
                    let settings = p.settings.get("sigc").cloned().unwrap_or(p.settings);
                    if settings.is_null() {
                        self.ask_configuration();
                    } else if self.configure(settings) {
                        self.publish_all();
                    }
                },
            ),
            _ => Ok(()),
        };
        if let Err(e) = result {
            self.log(MessageType::ERROR, &format!("{}: {e}", n.method));
        }
    }

    /// The client's answer to `workspace/configuration`: one value, the `sigc` section.
    fn response(&mut self, response: Response) {
        if let Ok(Value::Array(mut values)) = response.response_result
            && let Some(settings) = values.pop()
            && !settings.is_null()
            && self.configure(settings)
        {
            self.publish_all();
        }
    }

    fn ask_configuration(&mut self) {
        if !self.asks_configuration {
            return;
        }
        self.next_request += 1;
        let params = lsp_types::ConfigurationParams {
            items: vec![lsp_types::ConfigurationItem {
                scope_uri: None,
                section: Some("sigc".to_string()),
            }],
        };
        let request = Request::new(
            RequestId::from(self.next_request),
            req::WorkspaceConfiguration::METHOD.to_string(),
            params,
        );
        self.send(Message::Request(request));
    }

    /// Takes `value` as the settings; on an error, tells the user and keeps the old ones.
    fn configure(&mut self, value: Value) -> bool {
        match Settings::from_json(value).and_then(|s| s.apply()) {
            Ok(configured) => {
                self.plans = configured.plans;
                self.workspace.configure(configured.config);
                self.generation += 1;
                true
            }
            Err(e) => {
                self.send(Message::Notification(Notification::new(
                    note::ShowMessage::METHOD.to_string(),
                    lsp_types::ShowMessageParams {
                        typ: MessageType::ERROR,
                        message: e,
                    },
                )));
                false
            }
        }
    }

    /// A closed document is the file on disk again, or leaves the index.
    fn close(&mut self, uri: &Uri) {
        let Some(open) = self.documents.close(uri) else {
            return;
        };
        self.dirty.remove(uri.as_str());
        self.reload(uri, &open.name);
        self.publish(uri, Vec::new());
        self.publish_all();
    }

    /// The file `name` at `uri` as it is on disk now, in the index; out of it when it is gone,
    /// unreadable, or outside the workspace folder.
    fn reload(&mut self, uri: &Uri, name: &str) {
        let on_disk = uri::to_path(uri)
            .filter(|p| self.root.as_ref().is_some_and(|r| p.starts_with(r)))
            .filter(|p| crate::cli::inputs::is_rule_file(p))
            .and_then(|p| {
                crate::cli::inputs::read_file(&p, false, crate::cli::inputs::MAX_FILE_BYTES).ok()
            })
            .and_then(|bytes| Source::from_bytes(name.to_string(), bytes).ok());
        match on_disk {
            Some(source) => self.workspace.update(source),
            None => self.workspace.remove(name),
        }
    }

    /// Checks the dirty documents again, then publishes every open document's diagnostics.
    fn flush(&mut self) {
        self.deadline = None;
        if self.dirty.is_empty() {
            return;
        }
        for key in std::mem::take(&mut self.dirty) {
            if let Some(open) = self.documents.all().find(|d| d.uri.as_str() == key) {
                let source = Source::new(open.name.clone(), open.text.clone());
                self.workspace.update(source);
            }
        }
        self.publish_all();
    }

    fn publish_all(&mut self) {
        let all: Vec<(Uri, String)> = self
            .documents
            .all()
            .map(|d| (d.uri.clone(), d.name.clone()))
            .collect();
        for (uri, name) in all {
            let found = self
                .workspace
                .findings(&name)
                .iter()
                .map(diagnostics::diagnostic)
                .collect();
            self.publish(&uri, found);
        }
    }

    fn publish(&self, uri: &Uri, diagnostics: Vec<lsp_types::Diagnostic>) {
        let params = lsp_types::PublishDiagnosticsParams {
            uri: uri.clone(),
            version: self.documents.get(uri).map(|d| d.version),
            diagnostics,
        };
        self.send(Message::Notification(Notification::new(
            note::PublishDiagnostics::METHOD.to_string(),
            params,
        )));
    }

    /// The open document and byte offset of a position.
    fn place(&self, at: &lsp_types::TextDocumentPositionParams) -> Option<(&store::Open, usize)> {
        let open = self.documents.get(&at.text_document.uri)?;
        Some((open, position::offset(&open.text, at.position)))
    }

    fn hover(&self, p: lsp_types::HoverParams) -> Value {
        let Some((open, offset)) = self.place(&p.text_document_position_params) else {
            return Value::Null;
        };
        let Some(report) = self.workspace.report(&open.name) else {
            return Value::Null;
        };
        let Some((text, at)) =
            hover::hover(&self.workspace, &self.plans, &open.name, &open.text, offset)
        else {
            return Value::Null;
        };
        let hover = Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: text,
            }),
            range: Some(position::range(
                &report.source,
                sigc_compiler::span::Span::new(at.start, at.end),
            )),
        };
        serde_json::to_value(hover).unwrap_or_default()
    }

    fn complete(&self, p: lsp_types::CompletionParams) -> Value {
        let Some((open, offset)) = self.place(&p.text_document_position) else {
            return Value::Null;
        };
        serde_json::to_value(completion::complete(&open.text, offset)).unwrap_or_default()
    }

    fn actions(&self, p: lsp_types::CodeActionParams) -> Value {
        let uri = &p.text_document.uri;
        let (Some(open), Some(report)) = (
            self.documents.get(uri),
            self.documents
                .get(uri)
                .and_then(|d| self.workspace.report(&d.name)),
        ) else {
            return Value::Null;
        };
        let findings = self.workspace.findings(&open.name);
        serde_json::to_value(actions::actions(uri, &report.source, &findings, p.range))
            .unwrap_or_default()
    }

    fn definition(&self, p: lsp_types::GotoDefinitionParams) -> Value {
        let Some((open, offset)) = self.place(&p.text_document_position_params) else {
            return Value::Null;
        };
        let Some(report) = self.workspace.report(&open.name) else {
            return Value::Null;
        };
        let locations: Vec<Location> =
            definition::definition(&self.workspace, &report.source, &open.text, offset)
                .into_iter()
                .filter_map(|(source, span)| {
                    let target = if source.name == open.name {
                        open.uri.clone()
                    } else {
                        uri::from_path(std::path::Path::new(&source.name))?
                    };
                    Some(Location::new(target, position::range(&source, span)))
                })
                .collect();
        serde_json::to_value(GotoDefinitionResponse::Array(locations)).unwrap_or_default()
    }

    fn log(&self, typ: MessageType, message: &str) {
        self.send(Message::Notification(Notification::new(
            note::LogMessage::METHOD.to_string(),
            lsp_types::LogMessageParams {
                typ,
                message: message.to_string(),
            },
        )));
    }

    /// Sends a message; a closed connection ends the loop at the next receive.
    fn send(&self, message: Message) {
        let _ = self.connection.sender.send(message);
    }
}
