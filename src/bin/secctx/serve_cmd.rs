//! `secctx serve`: the playground, a small web server on 127.0.0.1.
//!
//! The page and its script are compiled into the binary; the page runs a
//! fixture by POSTing its text to `/api/run`, and the engine answers with
//! the rendered steps and pictures. The server binds the loopback address
//! only, and refuses (403) any request whose `Host` or `Origin` is not the
//! loopback address at its own port, so no web page can drive it, even
//! through a DNS name rebound to 127.0.0.1.
//!
//! The HTTP is the minimum a browser needs (RFC 9112): one request per
//! connection, a bounded head and body, read and write timeouts, and an
//! answer for every malformed request instead of a panic.

use crate::cli::{self, Outcome, Stop};
use crate::course::COURSE;
use crate::run_cmd::bundled;
use lexopt::{Arg, Parser};
use secctx::fixture::{self, Runner};
use secctx::view::{self, html, html::CatalogEntry};
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// What `secctx serve --help` shows.
pub const HELP: &str = "\
secctx serve [PATH...] [--port N]

Starts the playground on http://127.0.0.1:N/ (N is 8017 unless --port
says otherwise; 0 picks a free port). The page offers the bundled
fixtures as a course, in order, each with its learning goal, and the
fixtures at PATH (files or folders). Pick one or paste your own, edit it,
and run it: every step is shown with its verdict and explanation, and a
click on a step shows the world at that moment and its access check.

The server listens on the loopback address only and answers only
requests addressed to it. The first line printed is its address.";

/// The largest request head read, in bytes.
const MAX_HEAD: usize = 16 << 10;
/// The largest fixture the page may send, in bytes.
const MAX_BODY: usize = 8 << 20;
/// Connections handled at once; more are answered 503.
const MAX_CONNECTIONS: usize = 16;
/// How long a connection may stay silent.
const TIMEOUT: Duration = Duration::from_secs(10);

/// One fixture the page offers, and the folder its imports come from.
struct Offer {
    entry: CatalogEntry,
    base: PathBuf,
}

/// Runs `secctx serve` with the arguments left in `p`.
pub fn run(p: &mut Parser) -> Outcome {
    let mut port: u16 = 8017;
    let mut paths = Vec::new();
    while let Some(arg) = cli::next(p)? {
        match arg {
            Arg::Long("port") => {
                const EXPECTED: &str = "a port number (0 to 65535)";
                let v = cli::value(p, EXPECTED)?;
                port = v
                    .parse()
                    .map_err(|_| cli::bad_value("--port", EXPECTED, &v))?;
            }
            Arg::Value(v) => paths.push(PathBuf::from(v)),
            a => return Err(cli::unexpected(a)),
        }
    }
    let offers = catalog(&paths)?;
    let entries: Vec<CatalogEntry> = offers.iter().map(|o| o.entry.clone()).collect();
    let page = Arc::new(html::playground(&entries));
    let offers = Arc::new(offers);
    let listener = TcpListener::bind(("127.0.0.1", port))
        .map_err(|e| Stop::Input(format!("cannot listen on 127.0.0.1:{port}: {e}")))?;
    let port = listener.local_addr()?.port();
    cli::print_line(&format!("secctx serve: http://127.0.0.1:{port}/"))?;
    let busy = Arc::new(AtomicUsize::new(0));
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        if busy.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
            busy.fetch_sub(1, Ordering::SeqCst);
            let _ = answer(&stream, 503, "text/plain", b"busy, try again");
            continue;
        }
        let (page, offers, counter) = (page.clone(), offers.clone(), busy.clone());
        let spawned = std::thread::Builder::new().spawn(move || {
            let _ = serve_one(&stream, port, &page, &offers);
            counter.fetch_sub(1, Ordering::SeqCst);
        });
        if spawned.is_err() {
            busy.fetch_sub(1, Ordering::SeqCst);
        }
    }
    Ok(std::process::ExitCode::SUCCESS)
}

/// The course's lessons, then the fixtures under `paths`.
fn catalog(paths: &[PathBuf]) -> Result<Vec<Offer>, Stop> {
    let bundled = bundled();
    let mut out: Vec<Offer> = COURSE
        .iter()
        .enumerate()
        .map(|(i, l)| Offer {
            entry: CatalogEntry {
                id: format!("lesson-{i}"),
                title: format!("Lesson {}: {}", i + 1, title_of(l.text, l.file)),
                goal: Some(l.goal.to_string()),
                text: l.text.to_string(),
            },
            base: bundled.clone(),
        })
        .collect();
    if paths.is_empty() {
        return Ok(out);
    }
    let files = fixture::collect_files(paths).map_err(|e| Stop::Input(e.to_string()))?;
    for (i, f) in files.iter().enumerate() {
        let len = std::fs::metadata(f).map(|m| m.len()).unwrap_or(0);
        if len > MAX_BODY as u64 {
            return Err(Stop::Input(format!(
                "`{}` is larger than the playground takes ({MAX_BODY} bytes)",
                f.display()
            )));
        }
        let text = std::fs::read_to_string(f)
            .map_err(|e| Stop::Input(format!("cannot read `{}`: {e}", f.display())))?;
        out.push(Offer {
            entry: CatalogEntry {
                id: format!("file-{i}"),
                title: f.display().to_string(),
                goal: None,
                text,
            },
            base: f
                .parent()
                .map(PathBuf::from)
                .unwrap_or_else(|| PathBuf::from(".")),
        });
    }
    Ok(out)
}

/// A fixture's `name`, else its file name.
fn title_of(text: &str, file: &str) -> String {
    view::heading(text).0.unwrap_or_else(|| file.to_string())
}

/// A parsed request: method, target, the headers we look at, and the body.
struct Request {
    method: String,
    target: String,
    host: Option<String>,
    origin: Option<String>,
    body: Vec<u8>,
}

/// Why a request could not be read: the status to answer and why.
type Refusal = (u16, &'static str);

/// Reads one request from `stream`, within the size limits.
fn read_request(stream: &TcpStream) -> Result<Request, Refusal> {
    let mut reader = BufReader::new(stream.take((MAX_HEAD + MAX_BODY) as u64));
    let mut head_len = 0;
    let mut line = String::new();
    let mut next_line = |reader: &mut BufReader<_>, line: &mut String| -> Result<(), Refusal> {
        line.clear();
        let n = reader
            .by_ref()
            .take((MAX_HEAD - head_len.min(MAX_HEAD)) as u64)
            .read_line(line)
            .map_err(|_| (400, "the request could not be read"))?;
        head_len += n;
        if n == 0 || !line.ends_with('\n') {
            return Err((431, "the request head is too large or cut short"));
        }
        Ok(())
    };
    next_line(&mut reader, &mut line)?;
    let mut parts = line.split_whitespace();
    let (Some(method), Some(target), Some(version)) = (parts.next(), parts.next(), parts.next())
    else {
        return Err((400, "a malformed request line"));
    };
    if !version.starts_with("HTTP/1.") {
        return Err((505, "only HTTP/1.x is spoken here"));
    }
    let (method, target) = (method.to_string(), target.to_string());
    let (mut host, mut origin, mut length) = (None, None, 0usize);
    loop {
        next_line(&mut reader, &mut line)?;
        let l = line.trim_end();
        if l.is_empty() {
            break;
        }
        let Some((name, value)) = l.split_once(':') else {
            return Err((400, "a malformed header"));
        };
        let value = value.trim().to_string();
        match name.trim().to_ascii_lowercase().as_str() {
            "host" if host.is_some() => return Err((400, "two Host headers")),
            "host" => host = Some(value),
            "origin" => origin = Some(value),
            "content-length" => {
                length = value
                    .parse()
                    .map_err(|_| (400, "a malformed Content-Length"))?
            }
            "transfer-encoding" => return Err((501, "chunked bodies are not taken")),
            _ => {}
        }
    }
    if length > MAX_BODY {
        return Err((
            413,
            "the fixture is larger than the playground takes (8 MiB)",
        ));
    }
    let mut body = vec![0; length];
    reader
        .read_exact(&mut body)
        .map_err(|_| (400, "the body is shorter than its Content-Length"))?;
    Ok(Request {
        method,
        target,
        host,
        origin,
        body,
    })
}

/// Whether `authority` (`host[:port]`) names the loopback address at
/// `port`.
fn loopback(authority: &str, port: u16) -> bool {
    let (host, p) = match authority.rsplit_once(':') {
        Some((h, p)) if !h.is_empty() && !p.contains(']') => (h, Some(p)),
        _ => (authority, None),
    };
    let host_ok = matches!(
        host.to_ascii_lowercase().as_str(),
        "127.0.0.1" | "localhost" | "[::1]"
    );
    let port_ok = match p {
        Some(p) => p.parse::<u16>().is_ok_and(|p| p == port),
        None => port == 80,
    };
    host_ok && port_ok
}

/// Whether the request is addressed to this server on loopback: its Host
/// names the loopback address at our port, and its Origin, if any, is
/// `http://` that too. A page elsewhere (or a DNS name rebound to
/// 127.0.0.1) sends another Host or Origin and is refused.
fn addressed_to_us(r: &Request, port: u16) -> bool {
    let host_ok = r.host.as_deref().is_some_and(|h| loopback(h, port));
    let origin_ok = match r.origin.as_deref() {
        None => true,
        Some(o) => o.strip_prefix("http://").is_some_and(|a| loopback(a, port)),
    };
    host_ok && origin_ok
}

/// Answers one connection.
fn serve_one(stream: &TcpStream, port: u16, page: &str, offers: &[Offer]) -> io::Result<()> {
    stream.set_read_timeout(Some(TIMEOUT))?;
    stream.set_write_timeout(Some(TIMEOUT))?;
    let req = match read_request(stream) {
        Ok(r) => r,
        Err((status, why)) => return answer(stream, status, "text/plain", why.as_bytes()),
    };
    if !addressed_to_us(&req, port) {
        return answer(
            stream,
            403,
            "text/plain",
            b"this server answers only requests addressed to the loopback address",
        );
    }
    let (path, query) = req
        .target
        .split_once('?')
        .unwrap_or((req.target.as_str(), ""));
    match (req.method.as_str(), path) {
        ("GET", "/") => answer(stream, 200, "text/html; charset=utf-8", page.as_bytes()),
        ("POST", "/api/run") => {
            let Ok(text) = std::str::from_utf8(&req.body) else {
                return answer(stream, 400, "text/plain", b"the fixture is not UTF-8");
            };
            let from = query
                .split('&')
                .find_map(|kv| kv.strip_prefix("from="))
                .unwrap_or("");
            let offer = offers.iter().find(|o| o.entry.id == from);
            let label = offer.map_or("the page", |o| o.entry.title.as_str());
            let mut runner = Runner::new();
            if let Some(o) = offer {
                runner = runner.base(&o.base);
            }
            let rec = view::record(&runner, text, label);
            answer(
                stream,
                200,
                "text/html; charset=utf-8",
                html::section(&rec).as_bytes(),
            )
        }
        (_, "/" | "/api/run") => answer(stream, 405, "text/plain", b"method not allowed"),
        _ => answer(stream, 404, "text/plain", b"not found"),
    }
}

/// Writes a whole response and closes the exchange.
fn answer(mut stream: &TcpStream, status: u16, kind: &str, body: &[u8]) -> io::Result<()> {
    let reason = match status {
        200 => "OK",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        413 => "Content Too Large",
        431 => "Request Header Fields Too Large",
        501 => "Not Implemented",
        503 => "Service Unavailable",
        505 => "HTTP Version Not Supported",
        _ => "Error",
    };
    // Nothing the page needs comes from elsewhere; the policy says so to
    // the browser too.
    let head = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\n\
         Connection: close\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n\
         Content-Security-Policy: default-src 'none'; script-src 'unsafe-inline'; \
         style-src 'unsafe-inline'; connect-src 'self'; img-src data:\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes())?;
    stream.write_all(body)?;
    stream.flush()?;
    let _ = stream.shutdown(std::net::Shutdown::Both);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::loopback;

    /// Only the loopback names at our own port are accepted as Host.
    #[test]
    fn loopback_authorities() {
        assert!(loopback("127.0.0.1:8017", 8017));
        assert!(loopback("localhost:8017", 8017));
        assert!(loopback("[::1]:8017", 8017));
        assert!(!loopback("127.0.0.1:8018", 8017));
        assert!(!loopback("evil.example:8017", 8017));
        assert!(!loopback("127.0.0.1.evil.example:8017", 8017));
        assert!(!loopback("", 8017));
    }
}
