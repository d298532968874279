//! Issue 18: no wrong answer in any stream, no swallowed errors. Each test
//! here failed on the code before the fix it names.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use secctx::json::{from_json, Names, TokenSpec};
use secctx::{access_check, sddl, AccessMask, AccessRequest, Sid, TokenType};
use serde_json::{json, Value};
use support::run_json_lines as run;

/// More requests than `secctx check`'s cache holds (4,096 tokens and
/// descriptors together). Each request has its own descriptor; a few early
/// ones share tokens, so that the count of cached entries is odd from then
/// on and the old code's resets fell between a request's descriptor and its
/// token (twice in 5,000 requests). `SECCTX_STREAM_REQUESTS=100000` runs the
/// issue's longer stream.
fn stream_len() -> usize {
    std::env::var("SECCTX_STREAM_REQUESTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5_000)
}

/// How many streamed answers are also compared with the same line sent
/// alone to a fresh `secctx` (each costs a process), spread evenly.
const ALONE_SAMPLES: usize = 220;

fn lines(reqs: &[Value]) -> String {
    reqs.iter().map(|r| format!("{r}\n")).collect()
}

fn domain_sid(n: usize) -> String {
    format!("S-1-5-21-7-8-9-{n}")
}

/// The `i`th check request: a distinct descriptor with a PRINCIPAL_SELF
/// ACE; a distinct token except that some of the first 30 share five; a
/// self SID that is sometimes the user, sometimes a SID nothing else names,
/// sometimes absent.
fn check_request(i: usize) -> Value {
    let user = if i % 3 == 0 && i < 30 {
        domain_sid(100_000 + i % 5)
    } else {
        domain_sid(i)
    };
    let other = domain_sid(200_000 + i);
    let sd = format!(
        "O:BAG:SYD:(D;;0x{:x};;;{other})(A;;0x{:x};;;{user})(A;;0x{:x};;;PS)(A;;0x1;;;BU)",
        1 << (i % 7),
        (i * 7919) & 0x1f_01ff,
        0x10 << (i % 5),
    );
    let mut token = json!({"user": user, "groups": ["WD"]});
    if i % 4 == 1 {
        token["groups"] = json!(["BU", "PS", {"sid": other, "attributes": "deny_only"}]);
    }
    let mut req = json!({"id": i, "sd": sd, "token": token, "desired": format!("0x{:x}", [0x1, 0x11, 0x3f, 0x120089, 0x0200_0000][i % 5])});
    match i % 3 {
        0 => req["self_sid"] = json!(user),
        1 => req["self_sid"] = json!(domain_sid(500_000 + i)),
        _ => {}
    }
    req
}

/// What the library answers for `req`, compiling its token and descriptor
/// afresh: `(status, granted)` as `secctx check` prints them.
fn library_answer(req: &Value) -> (Value, Value) {
    let names = Names::default();
    let token_text = req["token"].to_string();
    let spec: TokenSpec = from_json(&token_text, "token").unwrap();
    let mut token = spec.resolve(&names, "token").unwrap();
    token.token_type = TokenType::Impersonation;
    let sd = sddl::parse(req["sd"].as_str().unwrap(), None).unwrap();
    let desired = u32::from_str_radix(
        req["desired"].as_str().unwrap().trim_start_matches("0x"),
        16,
    );
    let mut request = AccessRequest::new(AccessMask(desired.unwrap()));
    request.self_sid = req["self_sid"]
        .as_str()
        .map(|s| names.sid(s, "self_sid").unwrap());
    let d = access_check(&token, &sd, &request).unwrap();
    (
        serde_json::to_value(d.status).unwrap(),
        serde_json::to_value(d.granted).unwrap(),
    )
}

/// Asks each sampled line of `reqs` alone and compares with `streamed`.
fn compare_alone(cmd: &str, reqs: &[Value], streamed: &[Value]) {
    let every = (reqs.len() / ALONE_SAMPLES).max(1);
    for (i, req) in reqs.iter().enumerate().step_by(every) {
        let (_, alone) = run(&[cmd], &lines(std::slice::from_ref(req)));
        assert_eq!(alone.len(), 1, "{cmd} line {i}");
        assert_eq!(streamed[i], alone[0], "{cmd} line {i}: streamed vs alone");
    }
}

/// Issue 18 item 1: the cache was reset between compiling a request's
/// descriptor and its token, and the request was then answered
/// STATUS_INVALID_PARAMETER ("compiled by different SID tables").
#[test]
fn a_long_check_stream_answers_as_each_request_alone() {
    let stream = stream_len();
    let reqs: Vec<Value> = (0..stream).map(check_request).collect();
    let (code, out) = run(&["check"], &lines(&reqs));
    assert_eq!(code, 0);
    assert_eq!(out.len(), stream);
    let mut granted = 0;
    for (i, (req, got)) in reqs.iter().zip(&out).enumerate() {
        assert_eq!(got["id"], json!(i));
        assert_eq!(got.get("error"), None, "line {i}: {got}");
        let (status, mask) = library_answer(req);
        assert_eq!(
            (&got["status"], &got["granted"]),
            (&status, &mask),
            "line {i}: {req}"
        );
        granted += usize::from(status == "STATUS_SUCCESS");
    }
    // Both outcomes occur, so the comparison means something.
    assert!(
        granted > stream / 10 && granted < stream * 9 / 10,
        "{granted}"
    );
    compare_alone("check", &reqs, &out);
}

/// Issue 18 item 1, for `secctx inherit`.
#[test]
fn a_long_inherit_stream_answers_as_each_request_alone() {
    let stream = stream_len();
    let reqs: Vec<Value> = (0..stream / 2)
        .map(|i| {
            let token = json!({"user": domain_sid(i), "primary_group": domain_sid(300_000 + i % 3), "default_dacl": "D:(A;;GA;;;SY)"});
            let parent = format!("O:BAG:SYD:AI(A;OICI;0x{:x};;;{})(A;OICIIO;GA;;;CO)", 1 + i % 0x1ff, domain_sid(400_000 + i));
            let kind = ["file", "directory"][i % 2];
            json!({"id": i, "api": "NtCreateFile", "parent_sd": parent, "object_type": kind, "token": token})
        })
        .collect();
    let (code, out) = run(&["inherit"], &lines(&reqs));
    assert_eq!(code, 0);
    assert_eq!(out.len(), reqs.len());
    for (i, got) in out.iter().enumerate() {
        assert_eq!(got["status"], "STATUS_SUCCESS", "line {i}: {got}");
        // The creator's own SID is the owner of each new object.
        let owner = format!("O:{}G:", domain_sid(i));
        assert!(
            got["sddl"].as_str().unwrap().starts_with(&owner),
            "line {i}: {got}"
        );
    }
    compare_alone("inherit", &reqs, &out);
}

/// Issue 18 item 1, for `secctx sddl`: every answer is the library's
/// canonical form of that line's descriptor.
#[test]
fn a_long_sddl_stream_answers_as_each_request_alone() {
    let stream = stream_len();
    let reqs: Vec<Value> = (0..stream / 2)
        .map(|i| json!({"id": i, "sddl": format!("O:BAG:SYD:(A;;0x{:x};;;{})S:(AU;SA;FR;;;WD)", 1 + i, domain_sid(i))}))
        .collect();
    let (code, out) = run(&["sddl"], &lines(&reqs));
    assert_eq!(code, 0);
    assert_eq!(out.len(), reqs.len());
    for (i, (req, got)) in reqs.iter().zip(&out).enumerate() {
        let sd = sddl::parse(req["sddl"].as_str().unwrap(), None).unwrap();
        assert_eq!(
            got["sddl"],
            json!(sddl::print(&sd, None).unwrap()),
            "line {i}"
        );
    }
    compare_alone("sddl", &reqs, &out);
}

/// Issue 18, F9: with a self SID that neither the token nor the descriptor
/// names, a PRINCIPAL_SELF ACE was matched against S-1-5-10 itself, so a
/// token holding PS was granted. MS-DTYP 2.5.3.2 matches the ACE with the
/// self SID in its place: WD, which this token does not hold.
#[test]
fn principal_self_stands_for_an_unknown_self_sid() {
    let sd = sddl::parse("O:SYG:SYD:(A;;FA;;;PS)", None).unwrap();
    let mut token = secctx::Token::new(Sid::parse_sddl("PS", None).unwrap());
    token.token_type = TokenType::Impersonation;
    let mut request = AccessRequest::new(AccessMask(0x1f01ff));
    request.self_sid = Some(Sid::parse_sddl("WD", None).unwrap());
    let d = access_check(&token, &sd, &request).unwrap();
    assert_eq!(d.status, secctx::NtStatus::AccessDenied);
    assert_eq!(d.granted, AccessMask::NONE);
    // Without a self SID the ACE stands for PS, which the token holds.
    request.self_sid = None;
    let d = access_check(&token, &sd, &request).unwrap();
    assert_eq!(d.granted, AccessMask(0x1f01ff));
}

/// Issue 18, F9 through `secctx check`: the same line answers the same
/// whether or not an earlier line put WD in the SID table.
#[test]
fn principal_self_answer_does_not_depend_on_earlier_lines() {
    let line = json!({"id": "f9", "sd": "O:SYG:SYD:(A;;FA;;;PS)", "token": {"user": "PS"}, "desired": "FA", "mapping": "file", "self_sid": "WD"});
    let earlier = json!({"id": "wd", "sd": "O:SYG:SYD:(A;;FA;;;WD)", "token": {"user": "WD"}, "desired": "FA", "mapping": "file"});
    let (_, alone) = run(&["check"], &lines(std::slice::from_ref(&line)));
    let (_, after) = run(&["check"], &lines(&[earlier, line]));
    assert_eq!(alone[0]["status"], "STATUS_ACCESS_DENIED");
    assert_eq!(after[1]["status"], "STATUS_ACCESS_DENIED");
    assert_eq!(alone[0]["granted"], after[1]["granted"]);
}

/// A descriptor whose DACL is over 64 KiB: 3,000 ACEs of 36 bytes each,
/// the last one granting `last`.
fn oversized(last: u32) -> secctx::SecurityDescriptor {
    let mut aces: Vec<secctx::Ace> = (0..3_000u32)
        .map(|i| {
            let sid = Sid::parse_sddl(&format!("S-1-5-21-1-2-3-{i}"), None).unwrap();
            secctx::Ace::new(
                secctx::AceType::AccessAllowed,
                secctx::AceFlags::default(),
                AccessMask(1),
                sid,
            )
        })
        .collect();
    aces[2_999].mask = AccessMask(last);
    let mut sd = secctx::SecurityDescriptor::new();
    sd.set_dacl(secctx::Acl::new(aces));
    sd
}

/// Issue 18 item 4: descriptors were interned by their encoding with
/// `unwrap_or_default`, so every descriptor too large to encode became the
/// empty key and a second one got the first one's id.
#[test]
fn descriptors_too_large_to_encode_are_interned_apart() {
    let (a, b) = (oversized(1), oversized(2));
    assert!(secctx::binary::encode(&a).is_err());
    let mut world = secctx::World::new();
    let (ia, ib) = (
        world.add_descriptor(a.clone()),
        world.add_descriptor(b.clone()),
    );
    assert_ne!(ia, ib);
    assert_eq!(world.descriptor(ib), Some(&b));
    assert_eq!(world.add_descriptor(a), ia);
    assert_eq!(world.descriptor_count(), 2);
}

/// Issue 18 item 4: an ACL past 65,535 bytes (MS-DTYP 2.4.5, AclSize is 16
/// bits) was accepted from SDDL and checked. Now the request is refused,
/// naming the field and the offset of the ACE that passes the limit.
#[test]
fn a_request_with_an_acl_over_64k_is_refused_with_its_position() {
    // 1,821 ACEs of 36 bytes after the 8-byte header: 65,564 bytes.
    let aces = "(A;;FA;;;S-1-5-21-1-2-3-4000)".repeat(1_821);
    let ok = "(A;;FA;;;S-1-5-21-1-2-3-4000)".repeat(1_820);
    let input = lines(&[
        json!({"id": "big", "sd": format!("O:BAG:BAD:{aces}"), "token": {"user": "WD"}, "desired": "FA"}),
        json!({"id": "fits", "sd": format!("O:BAG:BAD:{ok}(A;;FA;;;WD)"), "token": {"user": "WD"}, "desired": "0x1"}),
    ]);
    let (code, out) = run(&["check"], &input);
    assert_eq!(code, 1);
    let e = out[0]["error"].as_str().unwrap();
    assert!(e.starts_with("sd: invalid SDDL:"), "{e}");
    assert!(
        e.ends_with(&format!(
            "65564 bytes long; an ACL holds at most 65535 (MS-DTYP 2.4.5) at offset {}",
            10 + 1_820 * 29
        )),
        "{e}"
    );
    // 1,820 ACEs and one of 20 bytes: 65,528 + 20 > 65,535, refused too.
    assert!(
        out[1]["error"]
            .as_str()
            .unwrap()
            .contains("65548 bytes long"),
        "{}",
        out[1]
    );
}

/// The same limit holds at exactly 65,535: 1,820 ACEs of 36 bytes fit.
#[test]
fn an_acl_of_up_to_64k_is_accepted() {
    let ok = "(A;;FA;;;S-1-5-21-1-2-3-4000)".repeat(1_820);
    let sd = sddl::parse(&format!("D:{ok}"), None).unwrap();
    assert_eq!(sd.dacl.as_ref().unwrap().binary_len(), 65_528);
    assert!(secctx::binary::encode(&sd).is_ok());
}

fn tempdir(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("secctx-rel-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Runs a fixture importing `file` from `base`; the error it stops with.
fn import_error(base: &std::path::Path, file: &str) -> String {
    let text = json!({"imports": [{"format": "icacls", "file": file}], "steps": []}).to_string();
    let mut sink = secctx::fixture::Collect::default();
    secctx::fixture::Runner::new()
        .base(base)
        .run_str(&text, "t", &mut sink)
        .unwrap_err()
        .to_string()
}

/// Asserts that `e` starts with `start` and ends with `end`.
fn assert_framed(e: &str, start: &str, end: &str) {
    assert!(e.starts_with(start) && e.ends_with(end), "{e}");
}

/// Issue 18 item 4: an import over 64 MiB was read whole. It is refused
/// from its size, before reading, naming the JSON path.
#[test]
fn an_import_over_64_mib_is_refused() {
    let dir = tempdir("big");
    let f = std::fs::File::create(dir.join("big.txt")).unwrap();
    f.set_len((64 << 20) + 1).unwrap(); // sparse: no 64 MiB written
    let e = import_error(&dir, "big.txt");
    assert_framed(
        &e,
        "imports[0].file: cannot read `",
        "67108865 bytes; an import holds at most 67108864",
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Issue 18 item 4: an import named by an absolute path was read from
/// anywhere; it is named relative to the fixture's folder.
#[test]
fn an_absolute_import_path_is_refused() {
    let dir = tempdir("abs");
    std::fs::write(dir.join("acl.txt"), "").unwrap();
    let abs = dir.join("acl.txt");
    let e = import_error(&dir, abs.to_str().unwrap());
    let tail = "is absolute; an import is named relative to the fixture's folder";
    assert_framed(&e, "imports[0].file: `/", tail);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Issue 18 item 4: an import read any path whole, `/dev/zero` included
/// (the old code never returned). Only regular files are read.
#[test]
fn an_import_that_is_not_a_regular_file_is_refused() {
    let dir = tempdir("dev");
    std::fs::create_dir_all(dir.join("folder")).unwrap();
    let e = import_error(&dir, "folder");
    assert!(e.ends_with("folder`: not a regular file"), "{e}");
    if std::path::Path::new("/dev/zero").exists() {
        let up = "../".repeat(dir.components().count());
        let e = import_error(&dir, &format!("{up}dev/zero"));
        assert!(e.ends_with("dev/zero`: not a regular file"), "{e}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Issue 18 item 4: inheritance could build an ACL past 65,535 bytes from a
/// parent within the limit. Each of 1,000 generic ACEs (36,008 bytes in
/// all) becomes two on a new folder, an effective and an inherit-only copy:
/// 72,008 bytes. The call fails with STATUS_BAD_INHERITANCE_ACL (ntstatus.h:
/// an inherited ACL that could not be built).
#[test]
fn inheritance_past_64k_is_a_bad_inheritance_acl() {
    let aces: String = (0..1_000)
        .map(|i| format!("(A;OICI;GA;;;S-1-5-21-1-2-3-{})", 10_000 + i))
        .collect();
    let token = json!({"user": "S-1-5-21-1-2-3-1001", "primary_group": "S-1-5-21-1-2-3-513"});
    let req = |kind: &str| json!({"api": "NtCreateFile", "parent_sd": format!("O:BAG:SYD:{aces}"), "object_type": kind, "token": token});
    let (_, out) = run(&["inherit"], &lines(&[req("directory"), req("file")]));
    assert_eq!(out[0]["status"], "STATUS_BAD_INHERITANCE_ACL", "{}", out[0]);
    assert_eq!(
        out[0]["error"],
        "the new DACL would need 72008 bytes; an ACL holds at most 65535"
    );
    // A file takes only the effective copies: 36,008 bytes, which fit.
    assert_eq!(out[1]["status"], "STATUS_SUCCESS");
}

/// Issue 18 item 4: a fixture ran a descriptor whose DACL passed 64 KiB.
/// Now the fixture stops with the JSON path of the descriptor and the
/// offset of the ACE past the limit.
#[test]
fn a_fixture_object_with_an_acl_over_64k_is_refused() {
    let aces = "(A;;FA;;;S-1-5-21-1-2-3-4000)".repeat(1_821);
    let text =
        json!({"objects": {"C:": {"type": "directory", "sd": format!("D:{aces}")}}, "steps": []})
            .to_string();
    let mut sink = secctx::fixture::Collect::default();
    let e = secctx::fixture::Runner::new()
        .run_str(&text, "t", &mut sink)
        .unwrap_err()
        .to_string();
    assert!(e.starts_with("objects.C:.sd: invalid SDDL: "), "{e}");
    assert!(
        e.contains(&format!(
            "65564 bytes long; an ACL holds at most 65535 (MS-DTYP 2.4.5) at offset {}",
            2 + 1_820 * 29
        )),
        "{e}"
    );
}

/// Issue 18 item 4, for `secctx import`: the file it is given is read
/// under the same rule (the old code read `/dev/zero` until memory ran
/// out).
#[test]
fn secctx_import_reads_regular_files_only() {
    let dir = tempdir("cli");
    let (code, _, err) = support::run(&["import", "icacls", dir.to_str().unwrap()], "");
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("`: not a regular file"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}
