//! `secctx effective` without hand-written tokens (issue 16, item 2), and
//! fixtures saved as Windows editors save them (UTF-16 or UTF-8 with a
//! BOM).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::path::PathBuf;

fn write(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("secctx-rows-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let f = dir.join(name);
    std::fs::write(&f, bytes).unwrap();
    f
}

const SHARE: &str = r#"{
  "domain_sid": "S-1-5-21-1-2-3",
  "principals": {"team": "S-1-5-21-1-2-3-1400"},
  "objects": {
    "D:": {"type": "directory", "sd": "O:BAG:SYD:PAI(A;OICI;FA;;;BA)(A;OICIIO;FA;;;CO)(A;OICI;0x1301bf;;;S-1-5-21-1-2-3-1400)(D;;WD;;;S-1-5-21-1-2-3-1400)(A;OICI;0x1200a9;;;AU)"},
    "D:/empty": {"type": "directory", "sd": "O:BAG:SYD:P"},
    "D:/open": {"type": "directory", "sd": "O:BAG:SY"}
  },
  "steps": []
}"#;

fn effective(file: &std::path::Path, args: &[&str]) -> (i32, String, String) {
    let mut all = vec!["effective", file.to_str().unwrap()];
    all.extend_from_slice(args);
    support::run(&all, "")
}

/// With no tokens, one row per trustee SID of the DACL, each a token of
/// that SID with Everyone and Authenticated Users, named when the fixture
/// names it; CREATOR OWNER stands for someone else and makes no row; the
/// header says so.
#[test]
fn without_tokens_rows_are_the_dacls_trustees() {
    let f = write("share.json", SHARE.as_bytes());
    let (code, out, err) = effective(&f, &["D:"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("rows: the fixture has no tokens and no imported accounts: one row per trustee SID of the DACL, each a token of that SID alone plus Everyone and Authenticated Users (CREATOR OWNER, OWNER RIGHTS and the like are left out)"),
        "{out}"
    );
    let rows: Vec<&str> = out
        .lines()
        .skip_while(|l| !l.starts_with("principal"))
        .skip(1)
        .take_while(|l| !l.is_empty())
        .map(|l| l.split_whitespace().next().unwrap())
        .collect();
    assert_eq!(rows, ["S-1-5-32-544", "team", "S-1-5-11"]);
    // The team's deny ACE (D3, WRITE_DAC) decides a column of its row.
    let team = out.lines().find(|l| l.starts_with("team")).unwrap();
    assert!(
        team.contains("-D3"),
        "the deny ACE decides a column: {team}"
    );
}

/// `--token JSON` adds a row, in the fixture's token form, names resolved.
#[test]
fn a_token_on_the_command_line_adds_a_row() {
    let f = write("share2.json", SHARE.as_bytes());
    let (code, out, err) = effective(
        &f,
        &[
            "D:",
            "--token",
            r#"{"user": "S-1-5-21-1-2-3-1104", "groups": ["team", "WD"]}"#,
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("; plus 1 token(s) from --token"), "{out}");
    assert!(out.contains("\n--token S-1-5-21-1-2-3-1104 "), "{out}");
    let (code, _, err) = effective(&f, &["D:", "--token", r#"{"user": "nobody-known"}"#]);
    assert_eq!(code, 2);
    assert!(err.contains("--token[0].user"), "{err}");
}

/// An empty matrix is never silent: an empty DACL and a NULL DACL each say
/// why there are no rows.
#[test]
fn an_empty_matrix_says_why() {
    let f = write("share3.json", SHARE.as_bytes());
    let (code, out, _) = effective(&f, &["D:/empty"]);
    assert_eq!(code, 0);
    assert!(out.contains("no rows: the object's DACL is empty"), "{out}");
    let (_, out, _) = effective(&f, &["D:/open"]);
    assert!(out.contains("no rows: the object has a NULL DACL"), "{out}");
    let (_, out, _) = effective(&f, &["D:/open", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(v["empty"].as_str().unwrap().contains("NULL DACL"));
}

/// The fixture's own tokens make the rows when it has some; --trustees
/// asks for the DACL's trustees instead; --principals and --trustees
/// together are a usage error.
#[test]
fn declared_tokens_come_first_and_trustees_on_request() {
    let text = SHARE.replace(
        r#""steps": []"#,
        r#""tokens": {"member": {"user": "S-1-5-21-1-2-3-1104", "groups": ["team"]}}, "steps": []"#,
    );
    let f = write("share4.json", text.as_bytes());
    let (_, out, _) = effective(&f, &["D:"]);
    assert!(out.contains("rows: the fixture's 1 token(s)"), "{out}");
    let (_, out, _) = effective(&f, &["D:", "--trustees"]);
    assert!(out.contains("rows: one row per trustee SID"), "{out}");
    let (code, _, err) = effective(&f, &["D:", "--trustees", "--principals"]);
    assert_eq!(code, 2, "{err}");
}

const STORY: &str = r#"{"name": "Übersicht",
  "tokens": {"u": {"user": "S-1-5-21-1-2-3-1104", "groups": ["WD"]}},
  "objects": {"C:": {"type": "directory", "sd": "O:BAG:SYD:(A;;FA;;;WD)"}},
  "steps": [{"op": "check", "token": "u", "object": "C:", "desired": "FILE_READ_DATA", "expect": {"status": "STATUS_SUCCESS"}}]}"#;

/// A fixture saved as PowerShell 5.1's `>` saves it (UTF-16LE with a BOM),
/// as UTF-16BE, or with a UTF-8 BOM runs under `run`, `effective` and
/// `explain` (issue 16, item 1, "Input files").
#[test]
fn fixtures_with_a_bom_or_in_utf16_run() {
    let bom8 = [&[0xEF, 0xBB, 0xBF][..], STORY.as_bytes()].concat();
    for (name, bytes) in [
        ("le.json", support::utf16_with_bom(STORY, true)),
        ("be.json", support::utf16_with_bom(STORY, false)),
        ("bom8.json", bom8),
    ] {
        let f = write(name, &bytes);
        let p = f.to_str().unwrap();
        let (code, out, err) = support::run(&["run", p], "");
        assert_eq!(code, 0, "{name}: {out}{err}");
        assert!(out.contains("1 passed, 0 failed"), "{name}: {out}");
        let (code, out, err) = support::run(&["effective", p, "C:"], "");
        assert_eq!(code, 0, "{name}: {err}");
        assert!(out.contains("\nu "), "{name}: {out}");
        let (code, _, err) = support::run(&["explain", p, "--step", "0"], "");
        assert_eq!(code, 0, "{name}: {err}");
    }
    // UTF-16 without a BOM is refused, saying why.
    let mut bare = support::utf16_with_bom(STORY, true);
    bare.drain(..2);
    let f = write("bare16.json", &bare);
    let (code, out, err) = support::run(&["effective", f.to_str().unwrap(), "C:"], "");
    assert_eq!(code, 2, "{out}");
    assert!(err.contains("needs a byte-order mark"), "{err}");
}
