//! `secctx effective` on a directory object: one column per extended
//! right, validated write and watched attribute, each decided by an
//! object-type-list check (issue 16, item 3).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::path::PathBuf;

/// Writes `text` to a file of its own (tests run in parallel threads).
fn write(name: &str, text: &str) -> PathBuf {
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let name = format!("{n}-{name}");
    let dir = std::env::temp_dir().join(format!("secctx-ds-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let f = dir.join(name);
    std::fs::write(&f, text).unwrap();
    f
}

// A user object as Active Directory Users and Computers leaves it with
// "User cannot change password": Everyone and SELF denied
// User-Change-Password (ab721a53-…), while Domain Admins hold every
// right. A helpdesk group may reset the password and write the Account
// Restrictions property set (4c164200-…); a service group may write
// `member` through the Membership set (bc0ac240-…).
const USER: &str = r#"{
  "domain_sid": "S-1-5-21-1-2-3",
  "principals": {"helpdesk": "S-1-5-21-1-2-3-1500", "svc": "S-1-5-21-1-2-3-1501"},
  "guids": {"Reset": "00299570-246d-11d0-a768-00aa006e0529"},
  "objects": {
    "CN=Bob": {"type": "ds", "class": "bf967aba-0de6-11d0-a285-00aa003049e2",
      "sd": "O:DAG:DUD:(OD;;CR;ab721a53-1e2f-11d0-9819-00aa0040529b;;WD)(OD;;CR;ab721a53-1e2f-11d0-9819-00aa0040529b;;PS)(A;;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;DA)(OA;;CR;00299570-246d-11d0-a768-00aa006e0529;;S-1-5-21-1-2-3-1500)(OA;;WP;4c164200-20c0-11d0-a768-00aa006e0529;;S-1-5-21-1-2-3-1500)(OA;;WP;bc0ac240-79a9-11d0-9020-00c04fc2d4cf;;S-1-5-21-1-2-3-1501)"}
  },
  "steps": []
}"#;

fn matrix(args: &[&str]) -> serde_json::Value {
    let f = write("user.json", USER);
    let mut all = vec!["effective", f.to_str().unwrap(), "CN=Bob"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json"]);
    let (code, out, err) = support::run(&all, "");
    assert_eq!(code, 0, "{err}");
    serde_json::from_str(&out).unwrap()
}

fn cell<'a>(m: &'a serde_json::Value, row_sid: &str, right: &str) -> &'a serde_json::Value {
    let row = m["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["sid"] == row_sid)
        .unwrap_or_else(|| panic!("no row {row_sid}: {m}"));
    row["cells"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["right"] == right)
        .unwrap_or_else(|| panic!("no column {right}: {row}"))
}

/// The issue's complaint: Domain Admins are denied CONTROL_ACCESS as a
/// whole by the "cannot change password" deny ACE (a plain check asks for
/// every control access right at once), yet Reset Password is granted: an
/// object-type-list check for User-Force-Change-Password skips the deny
/// ACE, whose object type is another right (MS-DTYP 2.5.3.2: an object
/// ACE applies only to the node of its GUID and that node's subtree).
#[test]
fn reset_password_is_granted_although_change_password_is_denied() {
    let m = matrix(&["--trustees"]);
    let da = "S-1-5-21-1-2-3-512";
    let reset = cell(&m, da, "CR Reset");
    assert_eq!(reset["state"], "granted", "{reset}");
    assert!(
        reset["by"].as_str().unwrap().starts_with("D[2] "),
        "{reset}"
    );
    let change = cell(&m, da, "CR User-Change-Password");
    assert_eq!(change["state"], "denied", "{change}");
    // The deny ACE is printed with the right's name beside its GUID.
    assert!(
        change["by"]
            .as_str()
            .unwrap()
            .contains("ab721a53-1e2f-11d0-9819-00aa0040529b [User-Change-Password]"),
        "{change}"
    );
    // Names from the fixture's `guids` win over the table's.
    assert!(m["rights"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r == "CR Reset"));
}

/// MS-ADTS 5.1.3.2.2 / MS-DTYP 2.5.3.2: a WP ACE for a property set grants
/// each attribute of the set (userAccountControl and
/// msDS-AllowedToActOnBehalfOfOtherIdentity are in Account Restrictions,
/// MS-ADA2 2.218, MS-ADA3 2.342) and no attribute outside it.
#[test]
fn a_property_set_grants_its_attributes_only() {
    let m = matrix(&["--trustees"]);
    let hd = "S-1-5-21-1-2-3-1500";
    assert_eq!(cell(&m, hd, "WP userAccountControl")["state"], "granted");
    assert_eq!(
        cell(&m, hd, "WP msDS-AllowedToActOnBehalfOfOtherIdentity")["state"],
        "granted"
    );
    assert_eq!(cell(&m, hd, "WP member")["state"], "not_granted");
    assert_eq!(
        cell(&m, hd, "WP servicePrincipalName")["state"],
        "not_granted"
    );
    let svc = "S-1-5-21-1-2-3-1501";
    assert_eq!(cell(&m, svc, "WP member")["state"], "granted");
    assert_eq!(
        cell(&m, svc, "WP userAccountControl")["state"],
        "not_granted"
    );
    // Write access to `member` is not the validated write Self-Membership
    // (MS-ADTS 5.1.3.2.2: SW, not WP).
    assert_eq!(cell(&m, svc, "SW Self-Membership")["state"], "not_granted");
    assert_eq!(cell(&m, hd, "CR Reset")["state"], "granted");
    assert_eq!(
        cell(&m, hd, "CR DS-Replication-Get-Changes")["state"],
        "not_granted"
    );
}

/// Files get no directory-service columns.
#[test]
fn other_kinds_have_no_schema_columns() {
    let f = write(
        "file.json",
        r#"{"objects": {"C:": {"type": "directory", "sd": "O:BAG:BAD:(A;OICI;FA;;;WD)"}, "C:/f": {"type": "file", "sd": "O:BAG:BAD:(A;;FA;;;WD)"}}, "steps": []}"#,
    );
    let (code, out, err) = support::run(
        &["effective", f.to_str().unwrap(), "C:/f", "--format", "json"],
        "",
    );
    assert_eq!(code, 0, "{err}");
    let m: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(!m["rights"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r.as_str().unwrap().starts_with("CR ")));
}

/// An explanation's trace prints each GUID with the fixture's name for it
/// (its `guids` section), as the matrix does.
#[test]
fn explain_traces_name_guids() {
    let (code, out, err) = support::run(
        &[
            "explain",
            "fixtures/13-active-directory-object-aces.json",
            "--step",
            "1",
        ],
        "",
    );
    assert!(code <= 1, "{err}");
    assert!(
        out.contains("(OA;;CR;00299570-246d-11d0-a768-00aa006e0529 [reset-password];;"),
        "{out}"
    );
}
