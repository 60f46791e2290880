//! The JSON API: each endpoint's request, read strictly, answered by [`crate::service`] on a
//! thread of its own within [`TIME_LIMIT`], at most [`MAX_RUNNING`] at once.

use super::http::{Reply, Status};
use crate::service::{self, BadRequest};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{RecvTimeoutError, channel};
use std::time::Duration;

/// How long a request may compute before its answer is an error (its thread still ends within
/// the compiler's budgets, and counts against [`MAX_RUNNING`] until it does).
pub const TIME_LIMIT: Duration = Duration::from_secs(10);
/// Computations running at once; a request beyond them is answered 503.
pub const MAX_RUNNING: usize = 8;

static RUNNING: AtomicUsize = AtomicUsize::new(0);

/// The POST endpoints.
#[derive(Clone, Copy, Debug)]
pub enum Endpoint {
    Convert,
    Check,
    Test,
    Explain,
}

impl Endpoint {
    pub fn from_path(path: &str) -> Option<Endpoint> {
        Some(match path {
            "/api/convert" => Endpoint::Convert,
            "/api/check" => Endpoint::Check,
            "/api/test" => Endpoint::Test,
            "/api/explain" => Endpoint::Explain,
            _ => return None,
        })
    }
}

/// `POST /api/convert`: the targets default to every target, the pipelines to each target's.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConvertRequest {
    rule: String,
    #[serde(default = "all_targets")]
    targets: Vec<String>,
    #[serde(default)]
    pipelines: Vec<String>,
}

/// `POST /api/check`: with a target, its refusals too; with a file name, the validators of
/// file names too.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CheckRequest {
    rule: String,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    target: Option<String>,
}

/// `POST /api/test`: events as the text of an event file, or as JSON values.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TestRequest {
    rule: String,
    #[serde(default)]
    events: serde_json::Value,
}

/// `POST /api/explain`: one target, and the built-in pipelines to apply where they are meant to
/// go (its defaults when none is).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExplainRequest {
    rule: String,
    #[serde(default = "splunk")]
    target: String,
    #[serde(default)]
    pipelines: Vec<String>,
}

fn splunk() -> String {
    "splunk".to_string()
}

fn all_targets() -> Vec<String> {
    sigc_backends::targets()
        .iter()
        .map(|t| t.name().to_string())
        .collect()
}

/// `GET /api/meta`: the targets and built-in pipelines, for the page's pickers.
pub fn meta() -> serde_json::Value {
    serde_json::json!({
        "targets": all_targets(),
        "pipelines": service::pipelines::catalogue(),
    })
}

/// Answers `body` posted to `endpoint`.
pub fn call(endpoint: Endpoint, body: &str) -> Reply {
    match endpoint {
        Endpoint::Convert => run(body, |r: ConvertRequest| {
            service::convert::convert(&r.rule, &r.targets, &r.pipelines)
        }),
        Endpoint::Check => run(body, |r: CheckRequest| {
            service::check::check(&r.rule, r.name.as_deref(), r.target.as_deref())
        }),
        Endpoint::Test => run(body, |r: TestRequest| {
            let events = match r.events {
                serde_json::Value::String(text) => text,
                serde_json::Value::Null => String::new(),
                other => other.to_string(),
            };
            Ok::<_, BadRequest>(service::test::test(&r.rule, &events))
        }),
        Endpoint::Explain => run(body, |r: ExplainRequest| {
            service::explain::explain(&r.rule, &r.target, &r.pipelines)
        }),
    }
}

/// Reads the request, then answers it with `work` on a thread of its own, within the bounds.
fn run<R, T>(body: &str, work: fn(R) -> Result<T, BadRequest>) -> Reply
where
    R: DeserializeOwned + Send + 'static,
    T: serde::Serialize + Send + 'static,
{
    let request: R = match parse(body) {
        Ok(r) => r,
        Err(reply) => return reply,
    };
    let Some(slot) = Slot::take() else {
        return Reply::error(
            Status::ServiceUnavailable,
            "busy: too many requests at once, try again",
        );
    };
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        let _slot = slot;
        let _ = tx.send(work(request));
    });
    match rx.recv_timeout(TIME_LIMIT) {
        Ok(Ok(answer)) => Reply::json(Status::Ok, &answer),
        Ok(Err(BadRequest(message))) => Reply::error(Status::BadRequest, &message),
        Err(RecvTimeoutError::Timeout) => Reply::error(
            Status::ServiceUnavailable,
            &format!("the request took longer than {} s", TIME_LIMIT.as_secs()),
        ),
        Err(RecvTimeoutError::Disconnected) => {
            Reply::error(Status::InternalServerError, "the request failed")
        }
    }
}

/// The request in `body`, or the answer refusing it.
fn parse<R: DeserializeOwned>(body: &str) -> Result<R, Reply> {
    serde_json::from_str(body)
        .map_err(|e| Reply::error(Status::BadRequest, &format!("bad request: {e}")))
}

/// One of the [`MAX_RUNNING`] places, given back when dropped.
struct Slot;

impl Slot {
    fn take() -> Option<Slot> {
        RUNNING
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                (n < MAX_RUNNING).then_some(n + 1)
            })
            .ok()
            .map(|_| Slot)
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        RUNNING.fetch_sub(1, Ordering::AcqRel);
    }
}
