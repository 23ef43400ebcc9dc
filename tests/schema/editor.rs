//! What an author sees in an editor, checked with the real yaml-language-server (the
//! server behind the VS Code YAML extension and Neovim's yamlls) driven over LSP: the
//! diagnostics of a broken copy of an example, the hover text of a field, and the
//! snippets offered in an empty file.
//!
//! The client is deliberately small: Content-Length framing, requests with ids, and
//! answers to the server's own requests. `workspace/configuration` must be answered
//! with the `yaml` settings, or the server never validates.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::workspace::{committed_schema_path, repo};

/// How long the server may take to publish diagnostics before the test gives up.
const PATIENCE: Duration = Duration::from_secs(60);

#[test]
fn editor_flags_a_misspelled_property_and_a_wrong_enum_value_on_their_lines() {
    let example = std::fs::read_to_string(repo().join("campaigns/welcome-back.yaml"))
        .expect("the one-off example");
    let broken = break_example(&example);
    let misspelled_line = line_of(&broken, "shedule:");
    let network_line = line_of(&broken, "network: 5g");

    let dir = tempfile::tempdir().expect("a temp dir");
    let path = dir.path().join("broken.yaml");
    std::fs::write(&path, &broken).expect("write the broken copy");
    let uri = file_uri(&path);

    let mut server = LanguageServer::start();
    server.open(&uri, &broken);
    let diagnostics = server.diagnostics_for(&uri);
    server.shut_down();

    let summary = summarize(&diagnostics);
    let on_line = |line: u64, needle: &str| {
        diagnostics.iter().any(|d| {
            d["range"]["start"]["line"] == line
                && d["message"].as_str().is_some_and(|m| m.contains(needle))
        })
    };
    assert!(
        on_line(misspelled_line, "shedule"),
        "no diagnostic naming `shedule` on line {}:\n{summary}",
        misspelled_line + 1
    );
    assert!(
        on_line(network_line, "cellular"),
        "no diagnostic listing the valid networks on line {}:\n{summary}",
        network_line + 1
    );
}

#[test]
fn editor_finds_nothing_wrong_in_the_examples() {
    // An empty diagnostics list may only mean "not validated yet", so each example gets a
    // broken sentinel document appended: once the sentinel is flagged, the server has
    // judged the whole file, and anything flagged above the sentinel is a real complaint.
    let mut server = LanguageServer::start();
    let mut complaints = Vec::new();
    for path in crate::workspace::example_files() {
        let text = std::fs::read_to_string(&path).expect("readable example");
        let modeline = text.lines().next().unwrap_or_default();
        let sentinel_line = text.lines().count() as u64 + 2;
        let checked = format!(
            "{text}---\n{modeline}\nkind: Audience\nname: sentinel\nall_users: true\nsentinel_field: 1\n"
        );
        let uri = file_uri(&path);
        server.open(&uri, &checked);
        let diagnostics = server.diagnostics_for(&uri);
        assert!(
            diagnostics
                .iter()
                .any(|d| d["range"]["start"]["line"].as_u64() >= Some(sentinel_line)),
            "the sentinel in {} was not flagged:\n{}",
            path.display(),
            summarize(&diagnostics)
        );
        for diagnostic in &diagnostics {
            if diagnostic["range"]["start"]["line"].as_u64() < Some(sentinel_line) {
                complaints.push(format!(
                    "{}: {}",
                    path.display(),
                    summarize(std::slice::from_ref(diagnostic))
                ));
            }
        }
    }
    server.shut_down();
    assert!(
        complaints.is_empty(),
        "the editor flags the examples:\n{}",
        complaints.join("\n")
    );
}

#[test]
fn editor_hover_shows_the_fields_own_description() {
    let schema = crate::workspace::committed_schema();
    let expected = schema["definitions"]["Delivery"]["properties"]["network"]["description"]
        .as_str()
        .expect("`delivery.network` has a description")
        .to_owned();
    let path = repo().join("campaigns/double-twelve.yaml");
    let text = std::fs::read_to_string(&path).expect("the link example");
    let line = line_of(&text, "network:");
    let uri = file_uri(&path);

    let mut server = LanguageServer::start();
    server.open(&uri, &text);
    let hover = server.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri }, "position": { "line": line, "character": 4 } }),
    );
    server.shut_down();

    let shown = hover["result"]["contents"]["value"]
        .as_str()
        .unwrap_or_default();
    assert!(
        shown.contains(&expected) && shown.contains("`cellular`: Mobile data only."),
        "hovering `network:` on line {} showed:\n{shown}\nexpected the field's own text:\n{expected}",
        line + 1
    );
}

#[test]
fn editor_offers_a_snippet_for_each_kind_in_an_empty_file() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = dir.path().join("new.yaml");
    let schema = committed_schema_path();
    let text = format!("# yaml-language-server: $schema={}\n\n", file_uri(&schema));
    std::fs::write(&path, &text).expect("write the empty document");
    let uri = file_uri(&path);

    let mut server = LanguageServer::start();
    server.open(&uri, &text);
    let completion = server.request(
        "textDocument/completion",
        json!({ "textDocument": { "uri": uri }, "position": { "line": 1, "character": 0 } }),
    );
    server.shut_down();

    let items = completion["result"]["items"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let snippets: Vec<&str> = items
        .iter()
        .filter(|item| {
            item["insertText"]
                .as_str()
                .is_some_and(|t| t.contains("kind: "))
        })
        .filter_map(|item| item["label"].as_str())
        .collect();
    for kind in [
        "Workspace",
        "Template",
        "Audience",
        "Campaign",
        "PhoneBindings",
    ] {
        assert!(
            snippets.contains(&kind),
            "no `{kind}` snippet among the completions: {snippets:?}"
        );
    }
}

#[test]
fn editor_checks_every_document_when_settings_map_the_schema_to_the_workspace() {
    // The recommended setup of docs/guides/editor-setup.md: no modelines, one `yaml.schemas` entry. The error
    // sits in the second document, which a modeline on the first would not cover.
    // Not tempdir()'s default `.tmp…` name: the server's globs skip hidden folders.
    let dir = tempfile::Builder::new()
        .prefix("gtcamp-editor-")
        .tempdir()
        .expect("a temp dir");
    let folder = dir.path().join("campaigns/sub");
    std::fs::create_dir_all(&folder).expect("create the workspace");
    let path = folder.join("two-documents.yaml");
    let text = "kind: Audience\nname: everyone\nall_users: true\n---\n\
                kind: Campaign\nname: hello\ntemplate: hi\naudience: everyone\n\
                schedule:\n  at: 2026-12-01T10:00:00+08:00\nenabeld: false\n";
    std::fs::write(&path, text).expect("write the file");
    let uri = file_uri(&path);
    let schema = committed_schema_path();
    let schemas = json!({ schema.display().to_string(): ["campaigns/**/*.yaml"] });

    let mut server = LanguageServer::start_with(dir.path(), schemas);
    server.open(&uri, text);
    let diagnostics = server.diagnostics_for(&uri);
    server.shut_down();

    let line = line_of(text, "enabeld:");
    assert!(
        diagnostics
            .iter()
            .any(|d| d["range"]["start"]["line"] == line
                && d["message"].as_str().is_some_and(|m| m.contains("enabeld"))),
        "no diagnostic naming `enabeld` on line {}:\n{}",
        line + 1,
        summarize(&diagnostics)
    );
}

/// The example with `schedule` misspelled, a network that does not exist, and a modeline
/// with an absolute URL (the copy lives outside the repository).
fn break_example(example: &str) -> String {
    let schema = committed_schema_path();
    let schema = schema.canonicalize().unwrap_or(schema);
    let mut lines: Vec<String> = example.lines().map(str::to_owned).collect();
    for line in &mut lines {
        if line.starts_with("# yaml-language-server:") {
            *line = format!("# yaml-language-server: $schema={}", file_uri(&schema));
        } else if line == "schedule:" {
            *line = "shedule:".into();
        } else if line.starts_with("  offline_keep:") {
            *line = "  network: 5g".into();
        }
    }
    let broken = lines.join("\n") + "\n";
    assert!(
        broken.contains("shedule:") && broken.contains("network: 5g"),
        "campaigns/welcome-back.yaml changed shape; update break_example:\n{broken}"
    );
    broken
}

/// A `file://` URI, percent-encoding what a URI cannot hold as is (spaces, `#`, non-ASCII).
fn file_uri(path: &std::path::Path) -> String {
    let mut uri = String::from("file://");
    for byte in path.to_string_lossy().bytes() {
        match byte {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' => {
                uri.push(char::from(byte));
            }
            other => uri.push_str(&format!("%{other:02X}")),
        }
    }
    uri
}

/// 0-based, as LSP counts lines.
fn line_of(text: &str, needle: &str) -> u64 {
    let at = text
        .lines()
        .position(|l| l.trim_start().starts_with(needle));
    at.map(|n| n as u64).expect("the needle is in the text")
}

fn summarize(diagnostics: &[Value]) -> String {
    diagnostics
        .iter()
        .map(|d| {
            format!(
                "  line {}: {}",
                d["range"]["start"]["line"].as_u64().map_or(0, |l| l + 1),
                d["message"]
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A yaml-language-server child process and the messages it sends.
struct LanguageServer {
    child: Child,
    stdin: ChildStdin,
    incoming: Receiver<Value>,
    received: Vec<Value>,
    next_id: u64,
    /// What the client answers to `workspace/configuration`.
    settings: Value,
}

impl LanguageServer {
    /// A server for the repository, with schemas chosen by modelines only.
    fn start() -> LanguageServer {
        LanguageServer::start_with(repo(), json!({}))
    }

    /// A server for the workspace at `root`, with `schemas` as the `yaml.schemas` setting.
    fn start_with(root: &std::path::Path, schemas: Value) -> LanguageServer {
        let binary = repo().join("tools/node_modules/.bin/yaml-language-server");
        assert!(
            binary.exists(),
            "{} is missing: run scripts/setup-test-tools",
            binary.display()
        );
        let mut child = Command::new(&binary)
            .arg("--stdio")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "cannot start {}: {e}; run scripts/setup-test-tools",
                    binary.display()
                )
            });
        let stdin = child.stdin.take().expect("piped stdin");
        let stdout = child.stdout.take().expect("piped stdout");
        let (sender, incoming) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(message) = read_message(&mut reader) {
                if sender.send(message).is_err() {
                    break;
                }
            }
        });
        let mut server = LanguageServer {
            child,
            stdin,
            incoming,
            received: Vec::new(),
            next_id: 1,
            settings: yaml_settings(schemas),
        };
        server.initialize(root);
        server
    }

    fn initialize(&mut self, root: &std::path::Path) {
        let root = file_uri(root);
        let capabilities = json!({
            "workspace": { "configuration": true, "didChangeConfiguration": { "dynamicRegistration": true } },
            "textDocument": {
                "publishDiagnostics": { "relatedInformation": false },
                "synchronization": { "didSave": true }
            }
        });
        self.request(
            "initialize",
            json!({
                "processId": std::process::id(),
                "rootUri": root,
                "capabilities": capabilities,
                "initializationOptions": {}
            }),
        );
        self.notify("initialized", json!({}));
        self.notify(
            "workspace/didChangeConfiguration",
            json!({ "settings": self.settings }),
        );
    }

    fn open(&mut self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({
                "textDocument": { "uri": uri, "languageId": "yaml", "version": 1, "text": text }
            }),
        );
    }

    /// Waits for the first non-empty diagnostics the server publishes for `uri`.
    fn diagnostics_for(&mut self, uri: &str) -> Vec<Value> {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let message = self.next_message(deadline, "non-empty diagnostics");
            if message["method"] == "textDocument/publishDiagnostics"
                && message["params"]["uri"] == uri
                && let Some(diagnostics) = message["params"]["diagnostics"].as_array()
                && !diagnostics.is_empty()
            {
                return diagnostics.clone();
            }
        }
    }

    /// Sends a request and waits for its response, answering the server's own requests
    /// meanwhile.
    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        let deadline = Instant::now() + PATIENCE;
        loop {
            let message = self.next_message(deadline, &format!("the response to `{method}`"));
            if message["id"] == id && message.get("method").is_none() {
                return message;
            }
        }
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    /// The next message, after answering it if it is a request from the server.
    fn next_message(&mut self, deadline: Instant, waiting_for: &str) -> Value {
        let left = deadline.saturating_duration_since(Instant::now());
        let message = match self.incoming.recv_timeout(left) {
            Ok(message) => message,
            Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => {
                let _ = self.child.kill();
                panic!(
                    "yaml-language-server sent no {waiting_for} within {PATIENCE:?}; it sent:\n{:#?}",
                    self.received
                );
            }
        };
        self.received.push(message.clone());
        if let (Some(id), Some(method)) = (message.get("id"), message["method"].as_str()) {
            let result = match method {
                "workspace/configuration" => {
                    configuration_answer(&message["params"], &self.settings)
                }
                _ => Value::Null,
            };
            self.send(&json!({ "jsonrpc": "2.0", "id": id, "result": result }));
        }
        message
    }

    fn send(&mut self, message: &Value) {
        let body = message.to_string();
        let framed = format!("Content-Length: {}\r\n\r\n{body}", body.len());
        self.stdin
            .write_all(framed.as_bytes())
            .and_then(|()| self.stdin.flush())
            .expect("yaml-language-server reads its stdin");
    }

    fn shut_down(mut self) {
        self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        panic!("yaml-language-server did not exit after `shutdown` and `exit`");
    }
}

impl Drop for LanguageServer {
    fn drop(&mut self) {
        // A failed assertion must not leave a node process behind.
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// The `yaml` section of the settings, as VS Code would hold them.
fn yaml_settings(schemas: Value) -> Value {
    json!({
        "yaml": {
            "validate": true,
            "hover": true,
            "completion": true,
            "schemas": schemas,
            "schemaStore": { "enable": false }
        }
    })
}

/// One answer per item asked: the server publishes nothing until it has its settings.
fn configuration_answer(params: &Value, settings: &Value) -> Value {
    let items = params["items"].as_array().cloned().unwrap_or_default();
    let answers = items.iter().map(|item| match item["section"].as_str() {
        Some(section) => section
            .split('.')
            .try_fold(settings, |value, key| value.get(key))
            .cloned()
            .unwrap_or(Value::Null),
        None => settings.clone(),
    });
    Value::Array(answers.collect())
}

/// Reads one Content-Length framed message; `None` when the stream ends.
fn read_message(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).ok()? == 0 {
            return None;
        }
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some(value) = header.strip_prefix("Content-Length:") {
            length = value.trim().parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}
