//! What each path answers, and what every answer shares: the security headers, the checks of
//! the `Host` and of the body's type.

use super::api::{self, Endpoint};
use super::http::{Reply, Request, Status};

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

/// The answer to `request`, with the security headers.
pub fn route(request: &Request, loopback: bool) -> Reply {
    let mut reply = answer(request, loopback);
    reply.headers.extend_from_slice(SECURITY_HEADERS);
    reply
}

fn answer(request: &Request, loopback: bool) -> Reply {
    // A page elsewhere that rebinds its own name to 127.0.0.1 still sends its own name.
    if loopback && !request.header("host").is_some_and(names_loopback) {
        return Reply::error(
            Status::Forbidden,
            "the Host header must name the loopback address",
        );
    }
    let path = request.target.split(['?', '#']).next().unwrap_or_default();
    let get = |reply: fn() -> Reply| match request.method.as_str() {
        "GET" | "HEAD" => reply(),
        _ => method_not_allowed("GET"),
    };
    match path {
        "/" | "/index.html" => get(|| asset("text/html; charset=utf-8", PAGE)),
        "/playground.js" => get(|| asset("text/javascript; charset=utf-8", SCRIPT)),
        "/playground.css" => get(|| asset("text/css; charset=utf-8", STYLE)),
        "/api/meta" => get(|| Reply::json(Status::Ok, &api::meta())),
        _ => match Endpoint::from_path(path) {
            Some(endpoint) => post(request, endpoint),
            None => Reply::error(Status::NotFound, &format!("no such page: {path}")),
        },
    }
}

fn asset(content_type: &'static str, text: &'static str) -> Reply {
    Reply {
        status: Status::Ok,
        headers: vec![("Content-Type", content_type)],
        body: text.as_bytes().to_vec(),
    }
}

fn method_not_allowed(allow: &'static str) -> Reply {
    let mut reply = Reply::error(
        Status::MethodNotAllowed,
        &format!("method not allowed: use {allow}"),
    );
    reply.headers.push(("Allow", allow));
    reply
}

/// A JSON body posted to `endpoint`.
fn post(request: &Request, endpoint: Endpoint) -> Reply {
    if request.method != "POST" {
        return method_not_allowed("POST");
    }
    // A form of another site cannot send this type without the browser asking first, and
    // this server allows no other origin.
    let content_type = request.header("content-type").unwrap_or_default();
    if content_type.split(';').next().map(str::trim) != Some("application/json") {
        return Reply::error(
            Status::UnsupportedMediaType,
            "the body must be sent as application/json",
        );
    }
    match std::str::from_utf8(&request.body) {
        Ok(text) => api::call(endpoint, text),
        Err(_) => Reply::error(Status::BadRequest, "the body is not UTF-8"),
    }
}

/// Whether a `Host` value names a loopback address (`localhost`, `127.0.0.1`, `[::1]`).
fn names_loopback(host: &str) -> bool {
    let name = match host.strip_prefix('[') {
        Some(rest) => rest.split(']').next().unwrap_or_default(),
        None => host.split(':').next().unwrap_or_default(),
    };
    name.eq_ignore_ascii_case("localhost")
        || name
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}
