//! Names and kinds from file-share dumps (issue 16, item 1): Get-Acl's
//! owner and account names become names for SIDs; an icacls entry with
//! children is a directory, and a guessed kind is said.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use secctx::fixture::import::{self, AccountKind, ImportError, ImportFormat};
use secctx::{ObjectKind, Sid};

fn sid(text: &str) -> Sid {
    text.parse().unwrap()
}

fn names(i: &import::Import) -> Vec<(String, Sid)> {
    i.accounts.iter().map(|a| (a.name.clone(), a.sid)).collect()
}

const LIST: &str = "\r\n\r\nPath   : Microsoft.PowerShell.Core\\FileSystem::D:\\share\r\nOwner  : CORP\\fileadmin\r\nGroup  : CORP\\Domain Users\r\nAccess : NT AUTHORITY\\SYSTEM Allow  FullControl\r\n         CORP\\Sales Deny  Delete\r\n         CORP\\Sales Allow  Modify, Synchronize\r\nAudit  : \r\nSddl   : O:S-1-5-21-1-2-3-1500G:S-1-5-21-1-2-3-513D:P(A;OICI;FA;;;SY)(D;;SD;;;S-1-5-21-1-2-3-1600)(A;OICI;0x1301bf;;;S-1-5-21-1-2-3-1600)\r\n";

/// Format-List output: Owner and Group name the descriptor's owner and
/// group SIDs, and each `Access` line names the trustee of the ACE at its
/// place (.NET `GetAccessRules` lists one rule per DACL ACE, in order).
#[test]
fn get_acl_format_list_names_sids() {
    let i = import::read(ImportFormat::GetAcl, LIST.as_bytes(), None).unwrap();
    assert_eq!(
        names(&i),
        [
            ("CORP\\fileadmin".to_string(), sid("S-1-5-21-1-2-3-1500")),
            ("CORP\\Domain Users".to_string(), sid("S-1-5-21-1-2-3-513")),
            ("NT AUTHORITY\\SYSTEM".to_string(), sid("S-1-5-18")),
            ("CORP\\Sales".to_string(), sid("S-1-5-21-1-2-3-1600")),
        ]
    );
    assert!(i.accounts.iter().all(|a| a.kind == AccountKind::Named));
    assert!(i.warnings.is_empty(), "{:?}", i.warnings);
}

/// ConvertTo-Json output: `Owner`, and `Access[].IdentityReference.Value`
/// with `AccessControlType` (0 Allow, 1 Deny). Rules that do not line up
/// with the ACEs (here one rule for two ACEs) name nothing, with a
/// warning; the owner is still named.
#[test]
fn get_acl_json_names_sids_and_refuses_misaligned_rules() {
    let json = r#"[{"Path": "Microsoft.PowerShell.Core\\FileSystem::D:\\share", "Owner": "BUILTIN\\Administrators",
       "Access": [{"IdentityReference": {"Value": "CORP\\Sales"}, "AccessControlType": 1}, {"IdentityReference": "Everyone", "AccessControlType": 0}],
       "Sddl": "O:BAD:(D;;SD;;;S-1-5-21-1-2-3-1600)(A;;FR;;;WD)"},
      {"Path": "Microsoft.PowerShell.Core\\FileSystem::D:\\share\\a.txt", "Owner": "BUILTIN\\Administrators",
       "Access": [{"IdentityReference": {"Value": "Everyone"}, "AccessControlType": 0}],
       "Sddl": "O:BAD:(A;;FR;;;WD)(A;;FA;;;SY)"}]"#;
    let i = import::read(ImportFormat::GetAcl, json.as_bytes(), None).unwrap();
    assert_eq!(
        names(&i),
        [
            ("BUILTIN\\Administrators".to_string(), sid("S-1-5-32-544")),
            ("CORP\\Sales".to_string(), sid("S-1-5-21-1-2-3-1600")),
            ("Everyone".to_string(), sid("S-1-1-0")),
        ]
    );
    assert_eq!(i.warnings.len(), 1, "{:?}", i.warnings);
    assert!(i.warnings[0]
        .to_string()
        .contains("the 1 access rules do not line up with the 2 ACEs"));
}

/// Malformed Get-Acl JSON is an error naming its line.
#[test]
fn malformed_get_acl_json_names_the_line() {
    let e = import::read(
        ImportFormat::GetAcl,
        b"\n[{\"Sddl\": \"O:BA\"},\n {\"Sddl\" \"x\"}]",
        None,
    )
    .unwrap_err();
    assert!(matches!(e, ImportError::Line { line: 3, .. }), "{e}");
}

/// A fixture importing Get-Acl output can use the names, and `effective`
/// names its rows by them.
#[test]
fn get_acl_names_serve_fixtures_and_rows() {
    let dir = std::env::temp_dir().join(format!("secctx-names-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("acl.txt"), LIST).unwrap();
    let fixture = r#"{"imports": [{"format": "get-acl", "file": "acl.txt"}],
      "tokens": {"seller": {"user": "S-1-5-21-1-2-3-1601", "groups": ["CORP\\Sales"]}},
      "steps": [{"op": "check", "token": "seller", "object": "D:/share", "desired": "DELETE", "expect": {"status": "STATUS_ACCESS_DENIED"}}]}"#;
    let f = dir.join("f.json");
    std::fs::write(&f, fixture).unwrap();
    let p = f.to_str().unwrap();
    let (code, out, err) = support::run(&["run", p], "");
    assert_eq!(code, 0, "{out}{err}");
    let (code, out, err) = support::run(&["effective", p, "D:/share", "--trustees"], "");
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("\nNT AUTHORITY\\SYSTEM "), "{out}");
    assert!(out.contains("\nCORP\\Sales "), "{out}");
}

fn icacls_bytes(pairs: &[(&str, &str)]) -> Vec<u8> {
    let mut text = String::new();
    for (p, s) in pairs {
        text.push_str(&format!("{p}\r\n{s}\r\n"));
    }
    let mut out = vec![0xFF, 0xFE];
    for u in text.encode_utf16() {
        out.extend_from_slice(&u.to_le_bytes());
    }
    out
}

/// icacls does not write kinds: an entry with children in the dump is a
/// directory, for certain; one without is guessed (a directory when its
/// DACL has inheritable ACEs) and marked, and `secctx import` says which
/// were guessed.
#[test]
fn icacls_kinds_known_from_children_and_guesses_said() {
    let pairs = [
        ("share", "D:P(A;;FA;;;BA)"),
        ("share\\docs", "D:AI(A;OICIID;FA;;;BA)"),
        ("share\\docs\\a.txt", "D:AI(A;ID;FA;;;BA)"),
        ("share\\empty", "D:P(A;OICI;FA;;;BA)"),
    ];
    let i = import::read(ImportFormat::Icacls, &icacls_bytes(&pairs), None).unwrap();
    let kinds: Vec<(ObjectKind, bool)> =
        i.objects.iter().map(|o| (o.kind, o.kind_guessed)).collect();
    assert_eq!(
        kinds,
        [
            (ObjectKind::Directory, false),
            (ObjectKind::Directory, false),
            (ObjectKind::File, true),
            (ObjectKind::Directory, true),
        ],
        "`share` has no OI/CI ACE, yet its children make it a directory"
    );
    let dir = std::env::temp_dir().join(format!("secctx-kinds-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let f = dir.join("acl.txt");
    std::fs::write(&f, icacls_bytes(&pairs)).unwrap();
    let (code, out, err) = support::run(&["import", "icacls", f.to_str().unwrap()], "");
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let d = v["description"].as_str().unwrap();
    assert!(
        d.contains("Kind guessed (no children in the dump: a directory when its DACL has inheritable ACEs, else a file): share\\empty, share\\docs\\a.txt."),
        "{d}"
    );
}

/// `secctx import ldif` prints principals and the accounts' tokens, and
/// the printed fixture runs; warnings go to stderr.
#[test]
fn cli_import_ldif_prints_principals_and_tokens() {
    let (code, out, err) = support::run(&["import", "ldif", "tests/data/corp.ldif"], "");
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        v["principals"]["alice"],
        "S-1-5-21-1004336348-1177238915-682003330-1104"
    );
    let groups = v["tokens"]["carol"]["groups"].as_array().unwrap();
    assert!(groups
        .iter()
        .any(|g| g["sid"] == "S-1-5-32-544" && g["attributes"] == "0xf"));
    assert_eq!(v["tokens"]["carol"]["integrity"], "high");
    assert!(v["description"]
        .as_str()
        .unwrap()
        .contains("Disabled accounts"));
    assert!(
        err.contains("warning: tests/data/corp.ldif: line "),
        "{err}"
    );
    let dir = std::env::temp_dir().join(format!("secctx-printed-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let f = dir.join("printed.json");
    std::fs::write(&f, &out).unwrap();
    let (code, out, err) = support::run(&["run", f.to_str().unwrap()], "");
    assert_eq!(code, 0, "{out}{err}");
}
