//! `secctx effective FIXTURE PATH --tree` (issue 16, item 5): every object
//! under a path where a principal holds the rights asked, as AccessChk
//! lists them, with the ACEs that grant them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::path::PathBuf;

/// Writes `text` to a file of its own (tests run in parallel threads).
fn write(name: &str, text: &str) -> PathBuf {
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let name = format!("{n}-{name}");
    let dir = std::env::temp_dir().join(format!("secctx-tree-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let f = dir.join(name);
    std::fs::write(&f, text).unwrap();
    f
}

// A share: the team may modify (0x1301bf) its folder and what is in it;
// Authenticated Users read everywhere; alice owns pub.txt.
const SHARE: &str = r#"{
  "domain_sid": "S-1-5-21-1-2-3",
  "principals": {"team": "S-1-5-21-1-2-3-1400", "alice": "S-1-5-21-1-2-3-1104"},
  "objects": {
    "D:": {"type": "directory", "sd": "O:BAG:SYD:PAI(A;OICI;FA;;;BA)(A;OICI;0x1200a9;;;AU)"},
    "D:/team": {"type": "directory", "sd": "O:BAG:SYD:AI(A;OICI;0x1301bf;;;S-1-5-21-1-2-3-1400)(A;OICIID;FA;;;BA)(A;OICIID;0x1200a9;;;AU)"},
    "D:/team/plan.txt": {"type": "file", "sd": "O:BAG:SYD:AI(A;ID;0x1301bf;;;S-1-5-21-1-2-3-1400)(A;ID;FA;;;BA)(A;ID;0x1200a9;;;AU)"},
    "D:/pub.txt": {"type": "file", "sd": "O:S-1-5-21-1-2-3-1104G:SYD:(A;;0x1200a9;;;AU)"}
  },
  "steps": []
}"#;

fn tree(args: &[&str]) -> (i32, String, String) {
    let f = write("share.json", SHARE);
    let mut all = vec!["effective", f.to_str().unwrap()];
    all.extend_from_slice(args);
    support::run(&all, "")
}

/// `write` is the kind's GENERIC_WRITE, mapped (MS-DTYP 2.5.3.2 maps the
/// desired mask first; FILE_GENERIC_WRITE for files): the team may write
/// its folder and file, not the root (read only) nor pub.txt; each line
/// names the granting ACE.
#[test]
fn write_lists_the_team_folder_and_its_file() {
    let (code, out, err) = tree(&["D:", "--tree", "--principal", "team"]);
    assert_eq!(code, 0, "{err}");
    let objects: Vec<&str> = out
        .lines()
        .filter(|l| l.starts_with("team "))
        .map(|l| l.split("  ").nth(2).unwrap())
        .collect();
    assert_eq!(objects, ["\\D:\\team", "\\D:\\team\\plan.txt"], "{out}");
    assert!(
        out.contains("via D[0] (A;ID;0x1301bf;;;S-1-5-21-1-2-3-1400)"),
        "{out}"
    );
    assert!(out.ends_with("2 object(s)\n"), "{out}");
}

/// change-permissions is WRITE_DAC: alice gets it on pub.txt from owner
/// rights alone (MS-DTYP 2.5.3.2: the owner is granted READ_CONTROL and
/// WRITE_DAC), and nowhere else. JSON lines carry the same.
#[test]
fn owner_rights_give_change_permissions() {
    let (code, out, err) = tree(&[
        "D:",
        "--tree",
        "--principal",
        "alice",
        "--rights",
        "change-permissions",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{err}");
    let lines: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 1, "{out}");
    assert_eq!(lines[0]["object"], "\\D:\\pub.txt");
    assert_eq!(lines[0]["via"][0], "owner rights");
}

/// Named rights and PATH below the root; unknown principals and rights
/// are usage errors (status 2); --principal without --tree too.
#[test]
fn named_rights_and_bad_arguments() {
    let (code, out, err) = tree(&[
        "D:/team/plan.txt",
        "--tree",
        "--principal",
        "team",
        "--rights",
        "FILE_APPEND_DATA",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("FILE_APPEND_DATA  \\D:\\team\\plan.txt"),
        "{out}"
    );
    let (code, out, _) = tree(&[
        "D:",
        "--tree",
        "--principal",
        "team",
        "--rights",
        "WRITE_DAC",
    ]);
    assert_eq!(code, 0);
    assert!(out.ends_with("0 object(s)\n"), "{out}");
    assert_eq!(tree(&["D:", "--tree", "--principal", "nobody"]).0, 2);
    assert_eq!(tree(&["D:", "--tree", "--rights", "FLY"]).0, 2);
    assert_eq!(tree(&["D:", "--principal", "team"]).0, 2);
}
