//! Imports from real Windows output: icacls /save, LDIF and Get-Acl.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use secctx::fixture::import::{self, ImportError, ImportFormat};
use secctx::fixture::{Collect, Runner, Verdict};
use secctx::{binary, ObjectKind, SecurityDescriptor};

/// What `icacls C:\data /save acl.txt /t` writes: UTF-16LE with a BOM,
/// CRLF line ends, a path line then an SDDL line.
fn icacls_bytes(pairs: &[(&str, &str)]) -> Vec<u8> {
    let mut text = String::new();
    for (p, s) in pairs {
        text.push_str(p);
        text.push_str("\r\n");
        text.push_str(s);
        text.push_str("\r\n");
    }
    let mut out = vec![0xFF, 0xFE];
    for u in text.encode_utf16() {
        out.extend_from_slice(&u.to_le_bytes());
    }
    out
}

fn tempdir(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("secctx-imp-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

const PAIRS: &[(&str, &str)] = &[
    ("data", "D:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;0x1200a9;;;BU)"),
    ("data\\Übersicht.txt", "D:AI(A;ID;FA;;;SY)(A;ID;FA;;;BA)(A;ID;0x1200a9;;;BU)"),
    ("data\\sub", "D:AI(A;OICI;0x1301bf;;;S-1-5-21-1-2-3-1400)(A;OICIID;FA;;;SY)(A;OICIID;FA;;;BA)(A;OICIID;0x1200a9;;;BU)"),
    ("data\\sub\\q3.xlsx", "D:AI(A;ID;0x1301bf;;;S-1-5-21-1-2-3-1400)(A;ID;FA;;;SY)(A;ID;FA;;;BA)(A;ID;0x1200a9;;;BU)"),
];

/// icacls output is decoded (BOM, UTF-16LE, CRLF, non-ASCII names),
/// folders are told from files, and the owner icacls leaves out becomes
/// the NULL SID.
#[test]
fn icacls_save_output_becomes_objects() {
    let list = import::read(ImportFormat::Icacls, &icacls_bytes(PAIRS), None)
        .unwrap()
        .objects;
    assert_eq!(list.len(), 4);
    assert_eq!(list[1].path, vec!["data", "Übersicht.txt"]);
    let kinds: Vec<ObjectKind> = list.iter().map(|o| o.kind).collect();
    assert_eq!(
        kinds,
        [
            ObjectKind::Directory,
            ObjectKind::File,
            ObjectKind::Directory,
            ObjectKind::File
        ]
    );
    assert_eq!(
        list[3].sd.to_sddl(None).unwrap(),
        "O:S-1-0-0G:S-1-0-0D:AI(A;ID;0x1301bf;;;S-1-5-21-1-2-3-1400)(A;ID;FA;;;SY)(A;ID;FA;;;BA)(A;ID;0x1200a9;;;BU)"
    );
    assert_eq!(list[2].line, 5, "the path line of the third entry");
}

/// A fixture imports the file the test writes and answers checks on it;
/// `secctx import` prints the same objects as a fixture.
#[test]
fn a_fixture_imports_an_icacls_file() {
    let dir = tempdir("icacls");
    std::fs::write(dir.join("acl.txt"), icacls_bytes(PAIRS)).unwrap();
    let text = r#"{
      "principals": {"team": "S-1-5-21-1-2-3-1400"},
      "tokens": {
        "member": {"user": "S-1-5-21-1-2-3-1104", "groups": ["BU", "team"]},
        "user": {"user": "S-1-5-21-1-2-3-1105", "groups": ["BU"]}
      },
      "imports": [{"format": "icacls", "file": "acl.txt", "under": "C:"}],
      "steps": [
        {"op": "check", "token": "member", "object": "C:/data/sub/q3.xlsx", "desired": "FILE_GENERIC_WRITE", "expect": {"status": "STATUS_SUCCESS"}},
        {"op": "check", "token": "user", "object": "C:/data/sub/q3.xlsx", "desired": "FILE_GENERIC_WRITE", "expect": {"status": "STATUS_ACCESS_DENIED"}},
        {"op": "check", "token": "user", "object": "c:\\DATA\\übersicht.txt", "desired": "FILE_GENERIC_READ", "expect": {"status": "STATUS_SUCCESS"}}
      ]}"#;
    let mut sink = Collect::default();
    let counts = Runner::new()
        .base(&dir)
        .run_str(text, "t", &mut sink)
        .unwrap();
    assert_eq!(counts.passed, 3, "{:?}", sink.steps);
    assert!(sink.steps.iter().all(|s| s.verdict == Verdict::Pass));

    let (code, out, err) = support::run(
        &[
            "import",
            "icacls",
            dir.join("acl.txt").to_str().unwrap(),
            "--under",
            "C:",
        ],
        "",
    );
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let objects = v["objects"].as_object().unwrap();
    let keys: Vec<&str> = objects.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "C:",
            "C:\\data",
            "C:\\data\\Übersicht.txt",
            "C:\\data\\sub",
            "C:\\data\\sub\\q3.xlsx"
        ]
    );
    assert_eq!(objects["C:"]["type"], "directory", "a placeholder parent");
    assert_eq!(objects["C:\\data\\sub"]["type"], "directory");
    // The printed fixture runs as it is.
    let printed = dir.join("printed.json");
    std::fs::write(&printed, &out).unwrap();
    let (code, out, _) = support::run(&["run", printed.to_str().unwrap()], "");
    assert_eq!(code, 0, "{out}");
}

/// Broken icacls files say which line is wrong.
#[test]
fn icacls_errors_name_the_line() {
    let e = import::read(
        ImportFormat::Icacls,
        &icacls_bytes(&[("a", "D:(A;;FA;;;SY)"), ("b", "D:(A;;FA;;;QQ)")]),
        None,
    )
    .unwrap_err();
    assert!(matches!(e, ImportError::Line { line: 4, .. }), "{e}");
    assert!(e.to_string().starts_with("line 4: invalid SDDL"), "{e}");
    let mut odd = icacls_bytes(&[("a", "D:")]);
    odd.push(0);
    let e = import::read(ImportFormat::Icacls, &odd, None).unwrap_err();
    assert!(e.to_string().contains("odd number of bytes"), "{e}");
    let e = import::read(ImportFormat::Icacls, b"lonely\r\n", None).unwrap_err();
    assert_eq!(e.to_string(), "line 1: `lonely` has no SDDL line after it");
    // A path listed twice is kept once, with a warning naming it (issue
    // 16, "Bad input").
    let read = import::read(
        ImportFormat::Icacls,
        &icacls_bytes(&[("a", "D:"), ("A", "D:")]),
        None,
    )
    .unwrap();
    let mut warnings = Vec::new();
    let done = import::complete(read.objects, &[], &mut warnings);
    assert_eq!(done.len(), 1);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0]
            .to_string()
            .starts_with("line 3: `A` is listed twice (first at line 1)"),
        "{}",
        warnings[0]
    );
}

/// An LDIF dump with folded base64 nTSecurityDescriptor values and hex
/// ones; DNs become paths root first, and the object class is known.
#[test]
fn ldif_dumps_become_directory_objects() {
    let sd = SecurityDescriptor::from_sddl(
        "O:DAG:DUD:(A;;RPLCLORC;;;AU)(OA;;CR;00299570-246d-11d0-a768-00aa006e0529;;S-1-5-21-1-2-3-1300)",
        Some(&"S-1-5-21-1-2-3".parse().unwrap()),
    )
    .unwrap();
    let bytes = binary::encode(&sd).unwrap();
    let b64 = support::base64(&bytes);
    // Fold the base64 value at 76 columns as ldapsearch does.
    let mut folded = String::new();
    let line = format!("nTSecurityDescriptor:: {b64}");
    for (i, chunk) in line.as_bytes().chunks(76).enumerate() {
        if i > 0 {
            folded.push_str("\n ");
        }
        folded.push_str(std::str::from_utf8(chunk).unwrap());
    }
    let ldif = format!(
        "# extended LDIF\nversion: 1\n\ndn: CN=Bob Smith,OU=Sales,DC=corp,DC=example\nobjectClass: top\nobjectClass: person\nobjectClass: user\n{folded}\n\ndn: OU=Sales,DC=corp,DC=example\nobjectClass: organizationalUnit\nnTSecurityDescriptor: 0x{}\n",
        binary::to_hex(&bytes)
    );
    let list = import::read(ImportFormat::Ldif, ldif.as_bytes(), None)
        .unwrap()
        .objects;
    assert_eq!(list.len(), 2);
    assert_eq!(
        list[0].path,
        vec!["DC=example", "DC=corp", "OU=Sales", "CN=Bob Smith"]
    );
    assert_eq!(list[0].kind, ObjectKind::DirectoryService);
    assert_eq!(list[0].sd, sd);
    assert_eq!(
        list[0].class.unwrap().to_string(),
        "bf967aba-0de6-11d0-a285-00aa003049e2"
    );
    assert_eq!(list[1].sd, sd);
    let mut warnings = Vec::new();
    let done = import::complete(list, &[], &mut warnings);
    assert_eq!(
        warnings.len(),
        2,
        "the two missing parents are named: {warnings:?}"
    );
    assert!(
        warnings[0].to_string().contains("`DC=example`"),
        "{warnings:?}"
    );
    assert!(
        warnings[1].to_string().contains("`DC=corp,DC=example`"),
        "{warnings:?}"
    );
    let paths: Vec<String> = done.iter().map(|o| o.path.join("/")).collect();
    assert_eq!(
        paths,
        [
            "DC=example",
            "DC=example/DC=corp",
            "DC=example/DC=corp/OU=Sales",
            "DC=example/DC=corp/OU=Sales/CN=Bob Smith"
        ],
        "parents first, missing ones added"
    );
    let bad = "dn: CN=x,DC=y\nnTSecurityDescriptor:: !!!!\n";
    let e = import::read(ImportFormat::Ldif, bad.as_bytes(), None).unwrap_err();
    assert!(e.to_string().starts_with("line 2: invalid base64"), "{e}");
}

/// Get-Acl output: Format-List text with wrapped Sddl lines (as
/// PowerShell writes it, UTF-16LE), ConvertTo-Json output, and bare SDDL.
#[test]
fn get_acl_output_in_its_three_shapes() {
    let sddl = "O:BAG:SYD:AI(A;OICIID;FA;;;SY)(A;OICIID;FA;;;BA)(A;OICIIOID;GA;;;CO)(A;OICIID;0x1200a9;;;BU)";
    let (a, b) = sddl.split_at(40);
    let list_text = format!(
        "\r\n\r\nPath   : Microsoft.PowerShell.Core\\FileSystem::C:\\Projects\r\nOwner  : BUILTIN\\Administrators\r\nGroup  : NT AUTHORITY\\SYSTEM\r\nAccess : NT AUTHORITY\\SYSTEM Allow  FullControl\r\n         BUILTIN\\Administrators Allow  FullControl\r\nAudit  :\r\nSddl   : {a}\r\n         {b}\r\n\r\nPath   : Microsoft.PowerShell.Core\\Registry::HKEY_LOCAL_MACHINE\\SOFTWARE\\Contoso\r\nSddl   : O:BAG:SYD:(A;CI;KA;;;BA)\r\n"
    );
    let mut utf16 = vec![0xFF, 0xFE];
    for u in list_text.encode_utf16() {
        utf16.extend_from_slice(&u.to_le_bytes());
    }
    let list = import::read(ImportFormat::GetAcl, &utf16, None)
        .unwrap()
        .objects;
    assert_eq!(list.len(), 2);
    assert_eq!(list[0].path, vec!["C:", "Projects"]);
    assert_eq!(
        list[0].sd.to_sddl(None).unwrap(),
        sddl,
        "wrapped lines rejoined"
    );
    assert_eq!(list[0].kind, ObjectKind::Directory, "it carries OI/CI ACEs");
    assert_eq!(list[1].kind, ObjectKind::Key);
    assert_eq!(
        list[1].path,
        vec!["HKEY_LOCAL_MACHINE", "SOFTWARE", "Contoso"]
    );

    let json = format!(
        r#"[{{"Path": "Microsoft.PowerShell.Core\\FileSystem::C:\\Projects\\a.txt", "Sddl": "{sddl}"}}, {{"Path": "Microsoft.PowerShell.Core\\FileSystem::C:\\Projects", "Sddl": "{sddl}"}}]"#
    );
    let list = import::read(ImportFormat::GetAcl, json.as_bytes(), None)
        .unwrap()
        .objects;
    assert_eq!(list[0].path, vec!["C:", "Projects", "a.txt"]);
    assert_eq!(
        list[0].kind,
        ObjectKind::Directory,
        "OI/CI ACEs mark a folder"
    );

    let bare = "O:BAG:SYD:(A;;FA;;;BA)\nO:BAG:SYD:(A;;FR;;;WD)\n";
    let list = import::read(ImportFormat::GetAcl, bare.as_bytes(), None)
        .unwrap()
        .objects;
    assert_eq!(list.len(), 2);
    assert_eq!(list[1].path, vec!["acl2"]);
    assert_eq!(list[1].kind, ObjectKind::File);
    let e = import::read(ImportFormat::GetAcl, b"Sddl : D:(A;;FA;;;ZZ)\n", None).unwrap_err();
    assert!(e.to_string().starts_with("line 1: invalid SDDL"), "{e}");
}

/// Text that is neither UTF-8 nor UTF-16 is refused with the offset.
#[test]
fn undecodable_text_is_refused() {
    let e = import::decode_text(&[b'a', b'b', 0xFF, b'c']).unwrap_err();
    assert_eq!(
        e.to_string(),
        "not UTF-8 text, nor UTF-16 with a byte-order mark (byte offset 2)"
    );
    assert_eq!(
        import::decode_text(&[0xEF, 0xBB, 0xBF, b'h', b'i']).unwrap(),
        "hi"
    );
    assert_eq!(
        import::decode_text(&[0xFE, 0xFF, 0, b'h', 0, b'i']).unwrap(),
        "hi"
    );
    // UTF-16 without a BOM cannot be told from UTF-8 holding NULs: refused,
    // saying so.
    let e = import::decode_text(&[b'h', 0, b'i', 0]).unwrap_err();
    assert!(e.to_string().contains("needs a byte-order mark"), "{e}");
    assert!(ImportFormat::from_name("csv").is_err());
}
