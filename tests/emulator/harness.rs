//! Starts an emulator seeded with the fixture users on a manual clock, and talks to it the way
//! a raw client would: JSON over HTTP with reqwest, no SDK.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use base64::Engine;
use chrono::{DateTime, Utc};
use gtcamp::emulator::{self, Clock, EmulatorConfig, RunningEmulator, UserSeed};
use gtcamp::getui::proto::{SmsInfo, Transparent};
use gtcamp::getui::{Secret, connect_sign};
use prost::Message;
use serde_json::{Value, json};

pub const APP_ID: &str = "demo";
pub const APP_KEY: &str = "demo-key";
pub const SECRET: &str = "demo-secret";

pub fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture_path() -> PathBuf {
    manifest_dir().join("tests/fixtures/emulator-users.yaml")
}

pub fn fixture_users() -> Vec<UserSeed> {
    emulator::load_users(&fixture_path()).expect("the fixture users file loads")
}

/// 2026-03-02 10:00 in Beijing.
pub fn start_time() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-03-02T02:00:00Z")
        .expect("valid instant")
        .with_timezone(&Utc)
}

/// `at` as a `pushTime`: `yyyyMMddHHmm` in Beijing time.
pub fn push_time(at: DateTime<Utc>) -> String {
    at.with_timezone(&chrono_tz::Asia::Shanghai)
        .format("%Y%m%d%H%M")
        .to_string()
}

pub fn config() -> EmulatorConfig {
    EmulatorConfig {
        users: fixture_users(),
        clock: Clock::manual(start_time()),
        ..EmulatorConfig::default()
    }
}

pub struct Harness {
    pub emulator: RunningEmulator,
    pub http: reqwest::Client,
    pub url: String,
}

impl Harness {
    pub async fn start() -> Harness {
        Harness::with(config()).await
    }

    pub async fn with(config: EmulatorConfig) -> Harness {
        let emulator = emulator::start(config, "127.0.0.1:0".parse().expect("address"))
            .await
            .expect("the emulator starts");
        let url = emulator.base_url();
        Harness {
            emulator,
            http: reqwest::Client::new(),
            url,
        }
    }

    /// POSTs `body` as-is and decodes the JSON answer.
    pub async fn post(&self, body: Value) -> Value {
        let response = self
            .http
            .post(&self.url)
            .body(body.to_string())
            .send()
            .await
            .expect("the emulator answers");
        assert_eq!(response.status(), 200, "business answers are HTTP 200");
        response.json().await.expect("the answer is JSON")
    }

    /// Signs in and returns the auth token.
    pub async fn connect(&self) -> String {
        let now = self.emulator.clock().now().timestamp_millis();
        let sign = connect_sign(APP_KEY, now, &Secret::new(SECRET));
        let answer = self
            .post(json!({"action": "connect", "appkey": APP_KEY, "timeStamp": now, "sign": sign}))
            .await;
        assert_eq!(answer["result"], "success", "{answer}");
        answer["authtoken"].as_str().expect("a token").to_owned()
    }

    /// POSTs `body` with the app key and `token` added.
    pub async fn call(&self, token: &str, mut body: Value) -> Value {
        body["appkey"] = json!(APP_KEY);
        body["authToken"] = json!(token);
        body["version"] = json!("4.1.1.2");
        self.post(body).await
    }

    /// Saves an app message (contentType 2) and returns the answer.
    pub async fn save_app_content(&self, token: &str, extra: Value) -> Value {
        let mut body = json!({
            "action": "getContentIdAction",
            "clientData": client_data("", None),
            "transmissionContent": "spring sale",
            "isOffline": true,
            "offlineExpireTime": 43_200_000,
            "pushNetWorkType": 0,
            "pushType": "TransmissionMsg",
            "type": 2,
            "contentType": 2,
            "appIdList": [APP_ID],
            "speed": 0,
        });
        merge(&mut body, extra);
        self.call(token, body).await
    }

    /// Creates a scheduled app push firing at `at` in group `group`; returns its task id.
    pub async fn schedule(&self, token: &str, at: DateTime<Utc>, group: &str) -> String {
        let saved = self
            .save_app_content(
                token,
                json!({"pushTime": push_time(at), "taskGroupName": group,
                       "conditions": [{"key": "tag", "values": ["vip"], "optType": 0}]}),
            )
            .await;
        assert_eq!(saved["result"], "ok", "{saved}");
        let id = saved["contentId"]
            .as_str()
            .expect("a content id")
            .to_owned();
        let pushed = self
            .call(
                token,
                json!({"action": "pushMessageToAppAction", "contentId": id, "type": 2}),
            )
            .await;
        assert_eq!(pushed["result"], "ok", "{pushed}");
        id
    }

    pub fn admin_url(&self, path: &str) -> String {
        format!("http://{}/_emulator/{path}", self.emulator.local_addr())
    }
}

pub fn merge(body: &mut Value, extra: Value) {
    if let (Value::Object(body), Value::Object(extra)) = (body, extra) {
        body.extend(extra);
    }
}

/// A base64 `Transparent` with one `condition` entry (`""` or `duration=…`) and optional SMS info.
pub fn client_data(condition: &str, sms: Option<SmsInfo>) -> String {
    let transparent = Transparent {
        action: "pushmessage".into(),
        app_key: APP_KEY.into(),
        app_id: APP_ID.into(),
        condition: vec![condition.to_owned()],
        template_id: Some(4),
        sms_info: sms,
        ..Transparent::default()
    };
    base64::engine::general_purpose::STANDARD.encode(transparent.encode_to_vec())
}

/// `text` gzip-compressed, as a client sends a body with `Content-Encoding: gzip`.
pub fn gzip(text: &str) -> Vec<u8> {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(text.as_bytes()).expect("gzip");
    encoder.finish().expect("gzip")
}

/// The JSON of an answer that must come gzip-compressed.
pub async fn gunzip_json(response: reqwest::Response) -> Value {
    use std::io::Read;
    assert_eq!(
        response
            .headers()
            .get("content-encoding")
            .map(|v| v.as_bytes()),
        Some(&b"gzip"[..])
    );
    let bytes = response.bytes().await.expect("body");
    let mut text = String::new();
    flate2::read::GzDecoder::new(&bytes[..])
        .read_to_string(&mut text)
        .expect("the answer inflates");
    serde_json::from_str(&text).expect("JSON")
}

/// A `gtcamp emulator` process with the fixture users on a free port and the system clock;
/// killed if the test fails before stopping it.
pub struct EmulatorProcess {
    child: Option<Child>,
    /// The base URL it printed, `http://127.0.0.1:PORT/apiex.htm`.
    pub url: String,
}

impl EmulatorProcess {
    /// Starts it with `flags` added to the command line.
    pub fn start(flags: &[&str]) -> EmulatorProcess {
        let mut child = Command::new(env!("CARGO_BIN_EXE_gtcamp"))
            .args(["emulator", "--listen", "127.0.0.1:0", "--users"])
            .arg(fixture_path())
            .args(flags)
            .env("GETUI_MASTER_SECRET", SECRET)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("gtcamp emulator starts");
        let stdout = child.stdout.take().expect("stdout is piped");
        let mut first_line = String::new();
        BufReader::new(stdout)
            .read_line(&mut first_line)
            .expect("the emulator prints its URL");
        let url = first_line.trim().to_owned();
        assert!(
            url.starts_with("http://127.0.0.1:") && url.ends_with("/apiex.htm"),
            "first stdout line is the base URL, got {url:?}"
        );
        EmulatorProcess {
            child: Some(child),
            url,
        }
    }

    fn origin(&self) -> &str {
        self.url.trim_end_matches("/apiex.htm")
    }

    pub fn admin(&self, path: &str) -> String {
        format!("{}/_emulator/{path}", self.origin())
    }

    /// The REST V2 URL of `path` (`/push/tag`) for the fixture app.
    pub fn v2(&self, path: &str) -> String {
        format!("{}/v2/{APP_ID}{path}", self.origin())
    }

    /// Sends SIGTERM and returns the exit status and stderr.
    pub fn terminate(mut self) -> (std::process::ExitStatus, String) {
        let child = self.child.take().expect("still running");
        let pid = child.id().to_string();
        let killed = Command::new("kill").args(["-TERM", &pid]).status();
        assert!(killed.is_ok_and(|s| s.success()), "kill -TERM {pid}");
        let output = child.wait_with_output().expect("the emulator exits");
        (
            output.status,
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    }
}

impl Drop for EmulatorProcess {
    fn drop(&mut self) {
        if let Some(child) = &mut self.child {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}
