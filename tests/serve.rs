//! `secctx serve` over real HTTP: the binary is started on a free loopback
//! port, the page is fetched, a fixture is POSTed, and requests addressed
//! elsewhere (another Host, another Origin) are refused.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// The server, killed when the test ends (even on failure).
struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start() -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_secctx"))
        .args(["serve", "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let port = line
        .trim()
        .strip_prefix("secctx serve: http://127.0.0.1:")
        .and_then(|r| r.strip_suffix('/'))
        .unwrap_or_else(|| panic!("{line}"))
        .parse()
        .unwrap();
    Server { child, port }
}

/// Sends `head` (and `body`) and returns the status code and the body.
fn request(port: u16, head: &str, body: &[u8]) -> (u16, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    s.write_all(head.as_bytes()).unwrap();
    s.write_all(body).unwrap();
    let mut out = Vec::new();
    s.read_to_end(&mut out).unwrap();
    let text = String::from_utf8_lossy(&out).into_owned();
    let status = text.split(' ').nth(1).unwrap_or("0").parse().unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map(|x| x.1)
        .unwrap_or("")
        .to_string();
    (status, body)
}

fn post(port: u16, host: &str, origin: Option<&str>, body: &str) -> (u16, String) {
    let origin = origin
        .map(|o| format!("Origin: {o}\r\n"))
        .unwrap_or_default();
    let head = format!(
        "POST /api/run?from=lesson-3 HTTP/1.1\r\nHost: {host}\r\n{origin}Content-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    request(port, &head, body.as_bytes())
}

#[test]
fn serves_the_page_runs_fixtures_and_refuses_strangers() {
    let srv = start();
    let port = srv.port;
    let host = format!("127.0.0.1:{port}");

    // The page: compiled in, opens on the first lesson, fetches nothing.
    let (status, page) = request(
        port,
        &format!("GET / HTTP/1.1\r\nHost: {host}\r\n\r\n"),
        b"",
    );
    assert_eq!(status, 200);
    assert!(page.contains(r#"id="catalog""#) && page.contains("Lesson 1: "));
    assert!(!page.contains(" src=") && !page.contains(" href="));

    // A bundled fixture, POSTed from the page's own origin.
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/01-file-server-impersonation.json"
    ))
    .unwrap();
    let (status, html) = post(port, &host, Some(&format!("http://{host}")), &text);
    assert_eq!(status, 200);
    let steps = html.matches(r#"<li class="step""#).count();
    assert!(steps > 5, "{html}");
    assert_eq!(html.matches(r#"data-verdict="pass""#).count(), steps);
    assert!(html.contains(r#"class="timeline""#));

    // An invalid fixture: the positioned error the command line prints.
    let (status, html) = post(
        port,
        &host,
        None,
        r#"{"steps": [{"op": "check", "token": 3}]}"#,
    );
    assert_eq!(status, 200);
    assert!(html.contains(r#"role="alert">steps[0]"#), "{html}");

    // Addressed elsewhere: refused.
    let (status, _) = post(port, &format!("evil.example:{port}"), None, &text);
    assert_eq!(status, 403);
    let (status, _) = post(port, &host, Some("http://evil.example"), &text);
    assert_eq!(status, 403);
    let (status, _) = post(
        port,
        &host,
        Some(&format!("http://127.0.0.1:{}", port ^ 1)),
        &text,
    );
    assert_eq!(status, 403);
    let (status, _) = request(port, "GET / HTTP/1.1\r\n\r\n", b"");
    assert_eq!(status, 403, "no Host at all");

    // Bad requests get answers, and the server stays up.
    let (status, _) = request(port, "garbage\r\n\r\n", b"");
    assert_eq!(status, 400);
    let big = format!(
        "GET / HTTP/1.1\r\nHost: {host}\r\nX: {}\r\n\r\n",
        "a".repeat(20_000)
    );
    let (status, _) = request(port, &big, b"");
    assert_eq!(status, 431);
    let (status, _) = request(
        port,
        &format!("POST /api/run HTTP/1.1\r\nHost: {host}\r\nContent-Length: 999999999\r\n\r\n"),
        b"",
    );
    assert_eq!(status, 413);
    let (status, _) = request(
        port,
        &format!("GET /nope HTTP/1.1\r\nHost: {host}\r\n\r\n"),
        b"",
    );
    assert_eq!(status, 404);
    let (status, page) = request(
        port,
        &format!("GET / HTTP/1.1\r\nHost: localhost:{port}\r\n\r\n"),
        b"",
    );
    assert_eq!(status, 200);
    assert!(page.contains("secctx playground"));
}

/// A fixture of more than 50,000 steps is refused with a clear message.
#[test]
fn refuses_a_fixture_too_long_to_draw() {
    let srv = start();
    let host = format!("127.0.0.1:{}", srv.port);
    let step = r#"{"op":"whoami","thread":"p"}"#;
    let text = format!(
        r#"{{"tokens":{{"t":{{"user":"S-1-5-21-1-2-3-1001"}}}},"processes":{{"p":{{"token":"t"}}}},"steps":[{}]}}"#,
        vec![step; 50_001].join(",")
    );
    let (status, html) = post(srv.port, &host, None, &text);
    assert_eq!(status, 200);
    assert!(html.contains("more than 50000 steps"), "{html}");
    assert_eq!(html.matches(r#"<li class="step""#).count(), 0);
}
