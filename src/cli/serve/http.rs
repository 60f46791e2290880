//! Routing, limits and headers: what every answer of the playground shares.

use super::api::{self, Endpoint};
use std::io::Read;
use tiny_http::{Header, Method, Request, Response};

/// The largest request body, in bytes (1 MiB: a rule and the events to try it on).
pub const MAX_BODY_BYTES: usize = 1 << 20;

/// The page and its script and style, compiled in; nothing is fetched from elsewhere.
const PAGE: &str = include_str!("../../../assets/playground/index.html");
const SCRIPT: &str = include_str!("../../../assets/playground/playground.js");
const STYLE: &str = include_str!("../../../assets/playground/playground.css");

/// Sent with every answer: the page runs its own script and style only, talks to this server
/// only, and is never framed; answers are not sniffed, cached or followed by a referrer.
const SECURITY_HEADERS: &[(&str, &str)] = &[
    (
        "Content-Security-Policy",
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; \
         img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    ),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "no-referrer"),
    ("Cache-Control", "no-store"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("Cross-Origin-Resource-Policy", "same-origin"),
];

/// An answer: status, content type, body, and the methods allowed when the method was wrong.
pub struct Reply {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Vec<u8>,
    pub allow: Option<&'static str>,
}

impl Reply {
    /// `value` as JSON.
    pub fn json(status: u16, value: &impl serde::Serialize) -> Reply {
        match serde_json::to_vec(value) {
            Ok(body) => Reply {
                status,
                content_type: "application/json",
                body,
                allow: None,
            },
            Err(e) => Reply::error(500, &format!("cannot write the answer: {e}")),
        }
    }

    /// `{"error": message}`.
    pub fn error(status: u16, message: &str) -> Reply {
        Reply::json(status, &serde_json::json!({ "error": message }))
    }

    fn asset(content_type: &'static str, text: &'static str) -> Reply {
        Reply {
            status: 200,
            content_type,
            body: text.as_bytes().to_vec(),
            allow: None,
        }
    }

    fn method_not_allowed(allow: &'static str) -> Reply {
        Reply {
            allow: Some(allow),
            ..Reply::error(405, &format!("method not allowed: use {allow}"))
        }
    }
}

/// Answers `request`; a client that has gone away is not an error of the server.
pub fn answer(mut request: Request, loopback: bool) {
    let reply = route(&mut request, loopback);
    let mut response = Response::from_data(reply.body).with_status_code(reply.status);
    let content_type = ("Content-Type", reply.content_type);
    let allow = reply.allow.map(|a| ("Allow", a));
    for (name, value) in SECURITY_HEADERS
        .iter()
        .copied()
        .chain([content_type])
        .chain(allow)
    {
        if let Ok(h) = Header::from_bytes(name, value) {
            response.add_header(h);
        }
    }
    let _ = request.respond(response);
}

fn route(request: &mut Request, loopback: bool) -> Reply {
    // A page elsewhere that rebinds its own name to 127.0.0.1 still sends its own name.
    if loopback && !host_is_loopback(request) {
        return Reply::error(403, "the Host header must name the loopback address");
    }
    let path = request.url().split(['?', '#']).next().unwrap_or_default();
    let get = |reply: fn() -> Reply| match request.method() {
        Method::Get | Method::Head => reply(),
        _ => Reply::method_not_allowed("GET"),
    };
    match path {
        "/" | "/index.html" => get(|| Reply::asset("text/html; charset=utf-8", PAGE)),
        "/playground.js" => get(|| Reply::asset("text/javascript; charset=utf-8", SCRIPT)),
        "/playground.css" => get(|| Reply::asset("text/css; charset=utf-8", STYLE)),
        "/api/meta" => get(|| Reply::json(200, &api::meta())),
        _ => match Endpoint::from_path(path) {
            Some(endpoint) => post(request, endpoint),
            None => Reply::error(404, &format!("no such page: {path}")),
        },
    }
}

/// A JSON body posted to `endpoint`.
fn post(request: &mut Request, endpoint: Endpoint) -> Reply {
    if *request.method() != Method::Post {
        return Reply::method_not_allowed("POST");
    }
    // A form of another site cannot send this type without the browser asking first, and
    // this server allows no other origin.
    let json = request.headers().iter().any(|h| {
        h.field.equiv("Content-Type")
            && h.value.as_str().split(';').next().map(str::trim) == Some("application/json")
    });
    if !json {
        return Reply::error(415, "the body must be sent as application/json");
    }
    match body(request) {
        Ok(text) => api::call(endpoint, &text),
        Err(reply) => reply,
    }
}

/// The body, at most [`MAX_BODY_BYTES`], as UTF-8.
fn body(request: &mut Request) -> Result<String, Reply> {
    let too_large = || {
        Reply::error(
            413,
            &format!("the body is larger than {} KiB", MAX_BODY_BYTES >> 10),
        )
    };
    if request.body_length().is_some_and(|n| n > MAX_BODY_BYTES) {
        return Err(too_large());
    }
    let mut bytes = Vec::new();
    request
        .as_reader()
        .take(MAX_BODY_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Reply::error(400, &format!("cannot read the body: {e}")))?;
    if bytes.len() > MAX_BODY_BYTES {
        return Err(too_large());
    }
    String::from_utf8(bytes).map_err(|_| Reply::error(400, "the body is not UTF-8"))
}

/// Whether the request's `Host` names a loopback address (`localhost`, `127.0.0.1`, `[::1]`).
fn host_is_loopback(request: &Request) -> bool {
    let Some(host) = request
        .headers()
        .iter()
        .find(|h| h.field.equiv("Host"))
        .map(|h| h.value.as_str())
    else {
        return false;
    };
    let name = match host.strip_prefix('[') {
        Some(rest) => rest.split(']').next().unwrap_or_default(),
        None => host.split(':').next().unwrap_or_default(),
    };
    name.eq_ignore_ascii_case("localhost")
        || name
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}
