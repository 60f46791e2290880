//! HTTP/1.1 on one connection: one request read within bounds (head, body, time), one answer
//! written, then the connection closed. httparse reads the head; nothing else is trusted.

use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::time::{Duration, Instant};

/// The largest request head (request line and headers).
pub const MAX_HEAD_BYTES: usize = 16 << 10;
/// The largest request body, in bytes (1 MiB: a rule and the events to try it on).
pub const MAX_BODY_BYTES: usize = 1 << 20;
/// The most headers a request may have.
const MAX_HEADERS: usize = 64;
/// How long a client may take to send its whole request, and to take each part of the answer.
pub const IO_TIMEOUT: Duration = Duration::from_secs(10);
/// After an answer sent before the whole request was read (413), what of the rest is read and
/// dropped so that closing does not reset the connection before the client has the answer.
const LINGER_BYTES: usize = 4 << 20;
const LINGER_TIME: Duration = Duration::from_secs(2);

/// A request, read whole.
pub struct Request {
    pub method: String,
    /// The request target, query included.
    pub target: String,
    /// Header names in lower case, values as sent (a value that is not UTF-8 is refused).
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Request {
    /// The first value of header `name` (lower case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// The statuses the playground answers with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Ok,
    BadRequest,
    Forbidden,
    NotFound,
    MethodNotAllowed,
    RequestTimeout,
    LengthRequired,
    ContentTooLarge,
    UnsupportedMediaType,
    HeaderFieldsTooLarge,
    InternalServerError,
    ServiceUnavailable,
}

impl Status {
    fn line(self) -> &'static str {
        match self {
            Status::Ok => "200 OK",
            Status::BadRequest => "400 Bad Request",
            Status::Forbidden => "403 Forbidden",
            Status::NotFound => "404 Not Found",
            Status::MethodNotAllowed => "405 Method Not Allowed",
            Status::RequestTimeout => "408 Request Timeout",
            Status::LengthRequired => "411 Length Required",
            Status::ContentTooLarge => "413 Content Too Large",
            Status::UnsupportedMediaType => "415 Unsupported Media Type",
            Status::HeaderFieldsTooLarge => "431 Request Header Fields Too Large",
            Status::InternalServerError => "500 Internal Server Error",
            Status::ServiceUnavailable => "503 Service Unavailable",
        }
    }
}

/// An answer: status, headers (names and values are the server's own, never request text)
/// and body.
pub struct Reply {
    pub status: Status,
    pub headers: Vec<(&'static str, &'static str)>,
    pub body: Vec<u8>,
}

impl Reply {
    /// `value` as JSON.
    pub fn json(status: Status, value: &impl serde::Serialize) -> Reply {
        match serde_json::to_vec(value) {
            Ok(body) => Reply {
                status,
                headers: vec![("Content-Type", "application/json")],
                body,
            },
            Err(e) => Reply::error(
                Status::InternalServerError,
                &format!("cannot write the answer: {e}"),
            ),
        }
    }

    /// `{"error": message}`.
    pub fn error(status: Status, message: &str) -> Reply {
        Reply::json(status, &serde_json::json!({ "error": message }))
    }
}

/// Reads one request from `stream`, answers it with `route` (or with the error of a request
/// that cannot be read), and closes the connection. A client that has gone away is not an
/// error of the server.
pub fn serve(mut stream: TcpStream, route: impl FnOnce(&Request) -> Reply) {
    if stream.set_write_timeout(Some(IO_TIMEOUT)).is_err() {
        return;
    }
    match read(&mut stream) {
        Ok(request) => {
            let head_only = request.method == "HEAD";
            let _ = write(&mut stream, route(&request), head_only);
        }
        // The request may not have been read to its end.
        Err(reply) => {
            let _ = write(&mut stream, reply, false);
            linger(&mut stream);
        }
    }
}

/// The request on `stream`, or the answer refusing it.
fn read(stream: &mut TcpStream) -> Result<Request, Reply> {
    let deadline = Instant::now() + IO_TIMEOUT;
    let mut buf = Vec::with_capacity(4096);
    let mut chunk = [0u8; 8192];
    let head_len = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        if buf.len() > MAX_HEAD_BYTES {
            return Err(Reply::error(
                Status::HeaderFieldsTooLarge,
                &format!(
                    "the request head is larger than {} KiB",
                    MAX_HEAD_BYTES >> 10
                ),
            ));
        }
        let n = receive(stream, &mut chunk, deadline)?;
        buf.extend_from_slice(&chunk[..n]);
    };
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut parsed = httparse::Request::new(&mut headers);
    let bad = |why: &str| Reply::error(Status::BadRequest, &format!("bad request: {why}"));
    match parsed.parse(&buf[..head_len]) {
        Ok(httparse::Status::Complete(_)) => {}
        Ok(httparse::Status::Partial) => return Err(bad("incomplete head")),
        Err(e) => return Err(bad(&e.to_string())),
    }
    let (Some(method), Some(target)) = (parsed.method, parsed.path) else {
        return Err(bad("no request line"));
    };
    let mut request = Request {
        method: method.to_string(),
        target: target.to_string(),
        headers: Vec::with_capacity(parsed.headers.len()),
        body: Vec::new(),
    };
    for h in parsed.headers.iter() {
        let value = std::str::from_utf8(h.value).map_err(|_| bad("a header is not UTF-8"))?;
        request
            .headers
            .push((h.name.to_ascii_lowercase(), value.to_string()));
    }
    if request.header("transfer-encoding").is_some() {
        return Err(Reply::error(
            Status::LengthRequired,
            "send the body with a Content-Length, not a transfer encoding",
        ));
    }
    let length = match request.header("content-length") {
        None => 0,
        Some(n) => n
            .trim()
            .parse::<usize>()
            .map_err(|_| bad("Content-Length is not a number"))?,
    };
    if length > MAX_BODY_BYTES {
        return Err(Reply::error(
            Status::ContentTooLarge,
            &format!("the body is larger than {} KiB", MAX_BODY_BYTES >> 10),
        ));
    }
    request.body = buf[head_len..].to_vec();
    while request.body.len() < length {
        let n = receive(stream, &mut chunk, deadline)?;
        request.body.extend_from_slice(&chunk[..n]);
    }
    request.body.truncate(length);
    Ok(request)
}

/// Bytes from `stream` into `chunk`: how many, at least one; or the answer to a client that
/// stopped, or did not send its request by `deadline`.
fn receive(stream: &mut TcpStream, chunk: &mut [u8], deadline: Instant) -> Result<usize, Reply> {
    let late = || {
        Reply::error(
            Status::RequestTimeout,
            &format!("the request was not sent within {} s", IO_TIMEOUT.as_secs()),
        )
    };
    let left = deadline.saturating_duration_since(Instant::now());
    if left.is_zero() || stream.set_read_timeout(Some(left)).is_err() {
        return Err(late());
    }
    match stream.read(chunk) {
        Ok(0) => Err(Reply::error(Status::BadRequest, "the request ended early")),
        Ok(n) => Ok(n),
        Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => Err(late()),
        Err(e) => Err(Reply::error(
            Status::BadRequest,
            &format!("cannot read the request: {e}"),
        )),
    }
}

fn write(stream: &mut TcpStream, reply: Reply, head_only: bool) -> std::io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {}\r\nContent-Length: {}\r\nConnection: close\r\n",
        reply.status.line(),
        reply.body.len()
    );
    for (name, value) in &reply.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    if !head_only {
        stream.write_all(&reply.body)?;
    }
    stream.flush()
}

/// Closes the sending side, then reads and drops what the client still sends, within
/// [`LINGER_BYTES`] and [`LINGER_TIME`]: closing with unread bytes would reset the connection
/// and could lose the answer on the client's side.
fn linger(stream: &mut TcpStream) {
    if stream.shutdown(Shutdown::Write).is_err() {
        return;
    }
    let start = Instant::now();
    let _ = stream.set_read_timeout(Some(LINGER_TIME));
    let mut chunk = [0u8; 8192];
    let mut read = 0;
    while read < LINGER_BYTES && start.elapsed() < LINGER_TIME {
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => break,
            Ok(n) => read += n,
        }
    }
}
