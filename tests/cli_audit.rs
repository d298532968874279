//! `secctx audit`: the dangerous edges, as text, JSON lines and Graphviz
//! (issue 16, item 6).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::path::PathBuf;

/// Writes `text` to a file of its own (tests run in parallel threads).
fn write(name: &str, text: &str) -> PathBuf {
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let name = format!("{n}-{name}");
    let dir = std::env::temp_dir().join(format!("secctx-audit-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let f = dir.join(name);
    std::fs::write(&f, text).unwrap();
    f
}

// A domain head where `syncer` holds both replication rights and `svc` only
// DS-Replication-Get-Changes; a user whose password `helpdesk` may reset
// although Everyone is denied User-Change-Password; a group `svc` may add
// members to (WP on the Membership property set) and `helpdesk` may add
// itself to (the Self-Membership validated write); a share folder.
const DOMAIN: &str = r#"{
  "domain_sid": "S-1-5-21-1-2-3",
  "principals": {"helpdesk": "S-1-5-21-1-2-3-1500", "svc": "S-1-5-21-1-2-3-1501", "syncer": "S-1-5-21-1-2-3-1502"},
  "objects": {
    "DC=corp": {"type": "ds", "class": "19195a5b-6da0-11d0-afd3-00c04fd930c9",
      "sd": "O:DAG:DAD:(OA;;CR;1131f6aa-9c07-11d1-f79f-00c04fc2dcd2;;S-1-5-21-1-2-3-1502)(OA;;CR;1131f6ad-9c07-11d1-f79f-00c04fc2dcd2;;S-1-5-21-1-2-3-1502)(OA;;CR;1131f6aa-9c07-11d1-f79f-00c04fc2dcd2;;S-1-5-21-1-2-3-1501)(A;;RPLCLORC;;;AU)"},
    "DC=corp/CN=Bob": {"type": "ds", "class": "bf967aba-0de6-11d0-a285-00aa003049e2",
      "sd": "O:DAG:DUD:(OD;;CR;ab721a53-1e2f-11d0-9819-00aa0040529b;;WD)(OA;;CR;00299570-246d-11d0-a768-00aa006e0529;;S-1-5-21-1-2-3-1500)(A;;RPLCLORC;;;AU)"},
    "DC=corp/CN=Admins": {"type": "ds", "class": "bf967a9c-0de6-11d0-a285-00aa003049e2",
      "sd": "O:DAG:DUD:(OA;;WP;bc0ac240-79a9-11d0-9020-00c04fc2d4cf;;S-1-5-21-1-2-3-1501)(OA;;SW;bf9679c0-0de6-11d0-a285-00aa003049e2;;S-1-5-21-1-2-3-1500)"},
    "D:": {"type": "directory", "sd": "O:S-1-5-21-1-2-3-1501G:SYD:(A;;FA;;;S-1-5-21-1-2-3-1500)(A;;0x1301bf;;;S-1-5-21-1-2-3-1502)"}
  },
  "steps": []
}"#;

fn audit(args: &[&str]) -> String {
    let f = write("domain.json", DOMAIN);
    let mut all = vec!["audit", f.to_str().unwrap()];
    all.extend_from_slice(args);
    let (code, out, err) = support::run(&all, "");
    assert_eq!(code, 0, "{err}");
    out
}

/// DCSync needs both replication rights on the domain head (BloodHound
/// "DCSync" edge page; MS-DRSR 5.115.12 SecurityCheckForChanges asks for
/// DS-Replication-Get-Changes and, for secrets, -All): syncer has it, svc
/// only GetChanges.
#[test]
fn dcsync_needs_both_replication_rights() {
    let out = audit(&[]);
    assert!(
        out.contains("syncer (S-1-5-21-1-2-3-1502) -[DCSync]-> \\DC=corp"),
        "{out}"
    );
    assert!(
        out.contains("svc (S-1-5-21-1-2-3-1501) -[GetChanges]-> \\DC=corp"),
        "{out}"
    );
    assert!(
        !out.contains("svc (S-1-5-21-1-2-3-1501) -[DCSync]"),
        "{out}"
    );
    assert!(
        !out.contains("svc (S-1-5-21-1-2-3-1501) -[GetChangesAll]"),
        "{out}"
    );
}

/// JSON lines: one object per edge with principal, name, right, object and
/// via; the via names the granting ACE with its right's name. A deny of
/// User-Change-Password does not stop ForceChangePassword (an object ACE
/// counts only for its GUID's node, MS-DTYP 2.5.3.2). `--under` limits the
/// objects.
#[test]
fn json_lines_with_the_granting_ace() {
    let out = audit(&["--under", "DC=corp/CN=Bob", "--format", "json"]);
    let lines: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 1, "{out}");
    let e = &lines[0];
    assert_eq!(e["principal"], "S-1-5-21-1-2-3-1500");
    assert_eq!(e["name"], "helpdesk");
    assert_eq!(e["right"], "ForceChangePassword");
    assert_eq!(e["object"], "\\DC=corp\\CN=Bob");
    assert_eq!(
        e["via"][0],
        "D[1] (OA;;CR;00299570-246d-11d0-a768-00aa006e0529 [User-Force-Change-Password];;S-1-5-21-1-2-3-1500)"
    );
}

/// AddMember is WP on `member` (through its Membership property set) and
/// AddSelf the Self-Membership validated write (MS-ADTS 5.1.3.2.2;
/// BloodHound "AddMember", "AddSelf"); neither implies the other.
#[test]
fn add_member_and_add_self_are_different_rights() {
    let out = audit(&["--under", "DC=corp/CN=Admins"]);
    assert!(
        out.contains("svc (S-1-5-21-1-2-3-1501) -[AddMember]-> \\DC=corp\\CN=Admins"),
        "{out}"
    );
    assert!(
        out.contains("helpdesk (S-1-5-21-1-2-3-1500) -[AddSelf]-> \\DC=corp\\CN=Admins"),
        "{out}"
    );
    assert!(
        !out.contains("svc (S-1-5-21-1-2-3-1501) -[AddSelf]"),
        "{out}"
    );
    assert!(
        !out.contains("helpdesk (S-1-5-21-1-2-3-1500) -[AddMember]"),
        "{out}"
    );
    assert!(out.ends_with("2 edge(s)\n"), "{out}");
}

/// Files: FILE_ALL_ACCESS is FullControl (and with it every lesser edge);
/// 0x1301bf (Modify) is Write and Delete but not ChangePermissions; the
/// owner gets Owns, by owner rights not an ACE.
#[test]
fn file_edges() {
    let out = audit(&["--under", "D:"]);
    for edge in [
        "FullControl",
        "Write",
        "Delete",
        "ChangePermissions",
        "TakeOwnership",
    ] {
        assert!(
            out.contains(&format!("helpdesk (S-1-5-21-1-2-3-1500) -[{edge}]-> \\D:")),
            "{edge}: {out}"
        );
    }
    assert!(
        out.contains("syncer (S-1-5-21-1-2-3-1502) -[Write]-> \\D:"),
        "{out}"
    );
    assert!(
        out.contains("syncer (S-1-5-21-1-2-3-1502) -[Delete]-> \\D:"),
        "{out}"
    );
    assert!(
        !out.contains("syncer (S-1-5-21-1-2-3-1502) -[ChangePermissions]"),
        "{out}"
    );
    assert!(
        out.contains("svc (S-1-5-21-1-2-3-1501) -[Owns]-> \\D:  via owner S-1-5-21-1-2-3-1501"),
        "{out}"
    );
}

/// `--format dot` is a Graphviz digraph: principals to objects, each edge
/// labelled with its name.
#[test]
fn dot_is_a_digraph() {
    let out = audit(&["--under", "DC=corp/CN=Admins", "--format", "dot"]);
    assert!(out.starts_with("digraph audit {"), "{out}");
    assert!(out.trim_end().ends_with('}'), "{out}");
    assert!(
        out.contains(
            "\"svc (S-1-5-21-1-2-3-1501)\" -> \"\\\\DC=corp\\\\CN=Admins\" [label=\"AddMember\"];"
        ),
        "{out}"
    );
    let (code, _, err) = support::run(&["audit", "x.json", "--format", "xml"], "");
    assert_eq!(code, 2, "{err}");
}

// A computer: `ops` writes Public-Information (so servicePrincipalName,
// MS-ADA3 2.253) and Account Restrictions (so
// msDS-AllowedToActOnBehalfOfOtherIdentity, MS-ADA2 2.218); `enroll`
// writes msDS-KeyCredentialLink (MS-ADA2 2.358) by its schemaIDGUID; `laps`
// reads the forest's ms-Mcs-AdmPwd, named in `guids`, with RP and CR;
// `lapsro` has RP only; `boss` has full control.
const COMPUTER: &str = r#"{
  "domain_sid": "S-1-5-21-1-2-3",
  "principals": {"ops": "S-1-5-21-1-2-3-1600", "enroll": "S-1-5-21-1-2-3-1601", "laps": "S-1-5-21-1-2-3-1602", "lapsro": "S-1-5-21-1-2-3-1603", "boss": "S-1-5-21-1-2-3-1604"},
  "guids": {"ms-Mcs-AdmPwd": "1a2b3c4d-0000-4000-8000-00000000abcd"},
  "objects": {
    "CN=PC1": {"type": "ds", "class": "bf967a86-0de6-11d0-a285-00aa003049e2",
      "sd": "O:DAG:DAD:(OA;;WP;e48d0154-bcf8-11d1-8702-00c04fb96050;;S-1-5-21-1-2-3-1600)(OA;;WP;4c164200-20c0-11d0-a768-00aa006e0529;;S-1-5-21-1-2-3-1600)(OA;;WP;5b47d60f-6090-40b2-9f37-2a4de88f3063;;S-1-5-21-1-2-3-1601)(OA;;RPCR;1a2b3c4d-0000-4000-8000-00000000abcd;;S-1-5-21-1-2-3-1602)(OA;;RP;1a2b3c4d-0000-4000-8000-00000000abcd;;S-1-5-21-1-2-3-1603)(A;;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;S-1-5-21-1-2-3-1604)"}
  },
  "steps": []
}"#;

fn edges_of(out: &str, who: &str) -> Vec<String> {
    out.lines()
        .filter(|l| l.starts_with(&format!("{who} (")))
        .map(|l| {
            l.split("-[")
                .nth(1)
                .unwrap()
                .split(']')
                .next()
                .unwrap()
                .to_string()
        })
        .collect()
}

/// WriteSPN, AddAllowedToAct and AddKeyCredentialLink are WP on their
/// attribute, granted through its property set where it has one
/// (BloodHound edge pages; MS-ADTS 5.1.3.3). ReadLAPSPassword needs RP and
/// CR on the confidential attribute (searchFlags fCONFIDENTIAL), so RP alone is
/// not enough. Full control gives GenericAll and every edge it implies.
#[test]
fn computer_edges() {
    let f = write("pc.json", COMPUTER);
    let (code, out, err) = support::run(&["audit", f.to_str().unwrap()], "");
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        edges_of(&out, "ops"),
        ["WriteSPN", "AddAllowedToAct"],
        "{out}"
    );
    assert_eq!(edges_of(&out, "enroll"), ["AddKeyCredentialLink"], "{out}");
    assert_eq!(edges_of(&out, "laps"), ["ReadLAPSPassword"], "{out}");
    assert!(edges_of(&out, "lapsro").is_empty(), "{out}");
    let boss = edges_of(&out, "boss");
    for e in [
        "GenericAll",
        "GenericWrite",
        "WriteDacl",
        "WriteOwner",
        "AllExtendedRights",
        "ForceChangePassword",
        "WriteSPN",
        "AddKeyCredentialLink",
        "AddAllowedToAct",
        "ReadLAPSPassword",
    ] {
        assert!(boss.iter().any(|b| b == e), "{e}: {boss:?}");
    }
    // Groups-only and domain-only edges do not apply to a computer.
    assert!(
        !boss.iter().any(|b| b == "AddMember" || b == "DCSync"),
        "{boss:?}"
    );
}
