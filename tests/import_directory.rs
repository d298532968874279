//! LDIF imports of a directory (issue 16, item 1): binary attributes,
//! principals and groups, network-logon tokens, and the "Bad input" rules.
//! The sample `tests/data/corp.ldif` is shaped as `ldapsearch -E
//! sd_flags=… '*' nTSecurityDescriptor` prints a domain: comments, `version:
//! 1`, base64 objectGUID/objectSid/nTSecurityDescriptor/sIDHistory values
//! folded at 76 columns, a binary photo, a `:<` URL value, a nesting cycle
//! (Sales Staff ⇄ Sales Team), a DN listed twice, objects whose parents the
//! dump leaves out, and a change record.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use secctx::fixture::import::{self, Account, AccountKind, Import, ImportError, ImportFormat};
use secctx::{GroupAttributes, IntegrityLevel, ObjectKind, Sid, Token};

const CORP: &str = include_str!("data/corp.ldif");
const D: &str = "S-1-5-21-1004336348-1177238915-682003330";
const OLD: &str = "S-1-5-21-3623811015-3361044348-30300820";

fn corp() -> Import {
    import::read(ImportFormat::Ldif, CORP.as_bytes(), None).unwrap()
}

fn sid(text: &str) -> Sid {
    text.parse().unwrap()
}

fn account<'a>(i: &'a Import, name: &str) -> &'a Account {
    i.accounts
        .iter()
        .find(|a| a.name == name)
        .unwrap_or_else(|| panic!("no account {name}"))
}

fn token<'a>(i: &'a Import, name: &str) -> &'a Token {
    account(i, name).token.as_ref().unwrap()
}

fn attributes(t: &Token, s: &str) -> Option<GroupAttributes> {
    t.groups
        .iter()
        .find(|g| g.sid == sid(s))
        .map(|g| g.attributes)
}

fn warned(i: &Import, needle: &str) -> usize {
    i.warnings
        .iter()
        .filter(|w| w.to_string().contains(needle))
        .count()
}

/// Every binary attribute of a real dump is used (objectSid, sIDHistory,
/// nTSecurityDescriptor through the binary decoder, MS-DTYP 2.4.6) or
/// skipped (objectGUID, thumbnailPhoto): none is fatal, and folded base64
/// lines are rejoined (RFC 2849 note 2).
#[test]
fn binary_attributes_are_used_or_skipped() {
    let i = corp();
    // Every record has a descriptor: 17, the duplicate OU included.
    assert_eq!(i.objects.len(), 17);
    let alice = i
        .objects
        .iter()
        .find(|o| o.path.last().unwrap() == "CN=Alice Anders")
        .unwrap();
    assert_eq!(alice.kind, ObjectKind::DirectoryService);
    assert_eq!(
        alice.path,
        ["DC=example", "DC=corp", "OU=Sales", "CN=Alice Anders"]
    );
    let dacl = alice.sd.dacl.as_ref().unwrap();
    assert_eq!(dacl.aces.len(), 7, "the folded descriptor decodes whole");
    assert_eq!(
        alice.class.unwrap().to_string(),
        "bf967aba-0de6-11d0-a285-00aa003049e2",
        "user, the last known objectClass"
    );
    assert_eq!(account(&i, "alice").sid, sid(&format!("{D}-1104")));
}

/// Principals are named by sAMAccountName (else the RDN's value) and typed
/// by objectClass; groups list their members from `member` and from the
/// members' `memberOf` (Carol is in Domain Admins only by her memberOf).
#[test]
fn accounts_name_sids_and_groups_list_members() {
    let i = corp();
    assert_eq!(account(&i, "alice").kind, AccountKind::User);
    assert_eq!(account(&i, "WS01$").kind, AccountKind::Computer);
    assert_eq!(account(&i, "Sales Staff").kind, AccountKind::Group);
    assert_eq!(
        account(&i, "corp").kind,
        AccountKind::Other,
        "the RDN value"
    );
    let staff = account(&i, "Sales Staff");
    assert!(staff.members.contains(&sid(&format!("{D}-1104"))));
    assert!(staff.members.contains(&sid(&format!("{D}-1602"))));
    let admins = account(&i, "Domain Admins");
    assert_eq!(admins.members, [sid(&format!("{D}-1106"))]);
    assert!(
        account(&i, "Domain Users").token.is_none(),
        "groups get no token"
    );
}

/// A user's network logon (MS-PAC 2.5 KERB_VALIDATION_INFO, 2.2.1
/// attributes; "Well-known SIDs"): transitive security groups with
/// SE_GROUP_MANDATORY|ENABLED_BY_DEFAULT|ENABLED, a domain local group with
/// SE_GROUP_RESOURCE too, the primary group, Everyone, BUILTIN\Users,
/// NETWORK, Authenticated Users, This Organization and S-1-18-1; no
/// distribution group (MS-ADTS 2.2.12), no directory BUILTIN group, Medium
/// integrity, an impersonation token.
#[test]
fn a_users_token_is_a_network_logon() {
    let i = corp();
    let t = token(&i, "alice");
    let pac = GroupAttributes::DEFAULT;
    for s in [
        "S-1-1-0",
        "S-1-5-32-545",
        "S-1-5-2",
        "S-1-5-11",
        "S-1-5-15",
        "S-1-18-1",
    ] {
        assert_eq!(attributes(t, s), Some(pac), "{s}");
    }
    assert_eq!(attributes(t, &format!("{D}-513")), Some(pac), "primary");
    assert_eq!(t.primary_group, Some(sid(&format!("{D}-513"))));
    assert_eq!(attributes(t, &format!("{D}-1601")), Some(pac), "direct");
    assert_eq!(
        attributes(t, &format!("{D}-1602")),
        Some(pac),
        "nested, through the cycle"
    );
    assert_eq!(
        attributes(t, &format!("{D}-1603")),
        Some(pac.with(GroupAttributes::RESOURCE)),
        "domain local"
    );
    assert_eq!(attributes(t, &format!("{D}-1604")), None, "distribution");
    assert_eq!(attributes(t, "S-1-5-32-544"), None);
    assert_eq!(t.integrity, IntegrityLevel::MEDIUM);
    assert_eq!(t.token_type, secctx::TokenType::Impersonation);
    let names: Vec<&str> = t.privileges.iter().map(|p| p.privilege.name()).collect();
    assert_eq!(names, ["SeChangeNotifyPrivilege"]);
}

/// A Domain Admins member's network logon holds BUILTIN\Administrators
/// (the member's local Administrators holds Domain Admins) as an owner
/// group, at High integrity: remote UAC filtering applies to local
/// accounts only ("User Account Control and remote restrictions").
#[test]
fn a_domain_admins_logon_is_full_and_high() {
    let i = corp();
    let t = token(&i, "carol");
    assert_eq!(
        attributes(t, "S-1-5-32-544"),
        Some(GroupAttributes::DEFAULT.with(GroupAttributes::OWNER))
    );
    assert_eq!(t.integrity, IntegrityLevel::HIGH);
    assert_eq!(
        attributes(t, &format!("{D}-512")),
        Some(GroupAttributes::DEFAULT)
    );
}

/// SID history, the user's and its groups', rides in ExtraSids (MS-PAC
/// 2.5) and so in the token.
#[test]
fn sid_history_enters_the_token() {
    let i = corp();
    assert!(attributes(token(&i, "svc-backup"), &format!("{OLD}-1311")).is_some());
    assert!(
        attributes(token(&i, "alice"), &format!("{OLD}-2001")).is_some(),
        "Sales Team's history"
    );
    assert!(attributes(token(&i, "carol"), &format!("{OLD}-2001")).is_none());
}

/// A computer account logs on like a user, its primary group Domain
/// Computers (primaryGroupID 515).
#[test]
fn a_computer_accounts_primary_group() {
    let i = corp();
    let t = token(&i, "WS01$");
    assert_eq!(t.primary_group, Some(sid(&format!("{D}-515"))));
    assert!(attributes(t, &format!("{D}-515")).is_some());
}

/// UF_ACCOUNTDISABLE (userAccountControl 0x2) marks the account; its token
/// is still built so what it would get stays visible.
#[test]
fn disabled_accounts_are_marked_and_keep_their_token() {
    let i = corp();
    assert!(account(&i, "bob").disabled);
    assert!(account(&i, "bob").token.is_some());
    assert!(!account(&i, "alice").disabled);
    assert!(!account(&i, "svc-backup").disabled, "0x10200 has no 0x2");
}

/// A nesting cycle is reported once, by name, and the walk ends (issue 16,
/// "Bad input").
#[test]
fn a_membership_cycle_is_reported_once() {
    let i = corp();
    assert_eq!(warned(&i, "group membership cycle"), 1, "{:?}", i.warnings);
    assert_eq!(
        warned(&i, "Sales Staff → Sales Team → Sales Staff"),
        1,
        "{:?}",
        i.warnings
    );
}

/// A DN listed twice and parents the dump leaves out are imported with a
/// warning naming them (issue 16, "Bad input").
#[test]
fn duplicate_dns_and_missing_parents_are_named() {
    let mut i = corp();
    let list = import::complete(std::mem::take(&mut i.objects), &[], &mut i.warnings);
    let sales: Vec<_> = list
        .iter()
        .filter(|o| o.path.last().unwrap() == "OU=Sales")
        .collect();
    assert_eq!(sales.len(), 1);
    assert!(sales[0].line < 100, "the first entry is kept");
    assert_eq!(
        warned(&i, "`OU=Sales,DC=corp,DC=example` is listed twice"),
        1
    );
    assert_eq!(
        warned(
            &i,
            "the parent `OU=Workstations,DC=corp,DC=example` is not in the dump"
        ),
        1
    );
    assert_eq!(warned(&i, "the parent `CN=Builtin,DC=corp,DC=example`"), 1);
    assert_eq!(warned(&i, "the parent `DC=example` is not in the dump"), 1);
}

/// `attr:< URL` values are skipped, never fetched; change records are
/// skipped whole (RFC 2849 "changerecord"); member DNs outside the dump
/// are counted in one warning.
#[test]
fn urls_change_records_and_outside_members_warn() {
    let i = corp();
    assert_eq!(warned(&i, "does not fetch values from URLs"), 1);
    assert_eq!(warned(&i, "change record (`changetype: modify`)"), 1);
    assert_eq!(warned(&i, "ForeignSecurityPrincipals"), 1);
}

/// Attributes the importer does not know, text or binary, are skipped,
/// never fatal (issue 16, "Bad input").
#[test]
fn unknown_attributes_are_skipped() {
    let text = "dn: CN=x,DC=corp\nx-Made-Up-Attribute: 1\nmsExchMailboxGuid:: AAECAwQFBgcICQoLDA0ODw==\nobjectSid: S-1-5-21-1-2-3-1111\nobjectClass: user\nsAMAccountName: x\n";
    let i = import::read(ImportFormat::Ldif, text.as_bytes(), None).unwrap();
    assert_eq!(i.accounts.len(), 1);
    assert!(i.warnings.is_empty(), "{:?}", i.warnings);
}

fn ldif_error(text: &str) -> (usize, String) {
    match import::read(ImportFormat::Ldif, text.as_bytes(), None) {
        Err(ImportError::Line { line, message }) => (line, message),
        other => panic!("expected a line error, got {other:?}"),
    }
}

/// Malformed LDIF is an error naming its line (issue 16, "Bad input";
/// RFC 2849's grammar: records start with `dn:`, lines are `attr: value`,
/// `attr:: base64` or `attr:< URL`, a continuation needs a line before it).
#[test]
fn malformed_ldif_names_the_line() {
    let (line, m) = ldif_error("dn: CN=a,DC=b\nobjectClass: user\nthis line has no colon\n");
    assert_eq!(line, 3, "{m}");
    assert!(m.starts_with("expected `attribute: value`"), "{m}");
    let (line, m) = ldif_error("version: 1\n\nobjectClass: user\ndn: CN=a,DC=b\n");
    assert_eq!(
        (line, m.as_str()),
        (3, "a record starts with `dn:`, not `objectclass:`")
    );
    let (line, m) = ldif_error(" folded onto nothing\n");
    assert_eq!(line, 1, "{m}");
    let (line, m) = ldif_error("dn: CN=a,DC=b\nobjectSid:: not*base64\n");
    assert_eq!(line, 2);
    assert!(m.starts_with("invalid base64 in `objectSid`"), "{m}");
    let (line, m) = ldif_error("\n\ndn: not a dn\nobjectClass: top\n");
    assert_eq!(line, 3);
    assert!(m.contains("is not a distinguished name"), "{m}");
}

/// A DN folded over lines, given in base64 (`dn::`, RFC 2849 for values
/// that are not safe strings), and with RFC 4514 escapes reads as one.
#[test]
fn folded_base64_and_escaped_dns() {
    // "CN=Müller\, Jan,OU=Sales,DC=corp" in base64, folded.
    let dn = "CN=Müller\\, Jan,OU=Sales,DC=corp";
    let b64 = support::base64(dn.as_bytes());
    let (a, b) = b64.split_at(10);
    let text = format!(
        "dn:: {a}\n {b}\nobjectSid: S-1-5-21-1-2-3-1200\nobjectClass: user\nsAMAccountName: jmueller\n\ndn: CN=Sales Readers,OU=Sales,DC=corp\nobjectSid: S-1-5-21-1-2-3-1201\nobjectClass: group\nmember: CN=M\\C3\\BCller\\2C Jan,OU=Sa\n les,DC=corp\n"
    );
    let i = import::read(ImportFormat::Ldif, text.as_bytes(), None).unwrap();
    assert_eq!(i.accounts[0].dn.as_deref(), Some(dn));
    assert_eq!(
        account(&i, "Sales Readers").members,
        [sid("S-1-5-21-1-2-3-1200")],
        "hex escapes and case resolve to the same DN"
    );
}

/// A ranged value list (`member;range=0-1499`, MS-ADTS 3.1.1.3.1.3.3) is
/// read, with a warning that other ranges are not in the dump; the last
/// range (`…-*`) is complete.
#[test]
fn ranged_values_warn_when_incomplete() {
    let text = "dn: CN=g,DC=corp\nobjectSid: S-1-5-21-1-2-3-1300\nobjectClass: group\nmember;range=0-1: CN=u,DC=corp\n\ndn: CN=u,DC=corp\nobjectSid: S-1-5-21-1-2-3-1301\nobjectClass: user\nmemberOf;range=0-*: CN=g,DC=corp\n";
    let i = import::read(ImportFormat::Ldif, text.as_bytes(), None).unwrap();
    assert_eq!(
        warned(&i, "one range of a longer value list"),
        1,
        "{:?}",
        i.warnings
    );
    assert_eq!(account(&i, "g").members, [sid("S-1-5-21-1-2-3-1301")]);
}

/// The same dump saved as UTF-16LE or UTF-16BE with a BOM, or UTF-8 with a
/// BOM, reads the same (issue 16: every import).
#[test]
fn utf16_and_bom_dumps_read_the_same() {
    let plain = corp();
    let le = support::utf16_with_bom(CORP, true);
    let be = support::utf16_with_bom(CORP, false);
    let bom8 = [&[0xEF, 0xBB, 0xBF][..], CORP.as_bytes()].concat();
    for bytes in [le, be, bom8] {
        let i = import::read(ImportFormat::Ldif, &bytes, None).unwrap();
        assert_eq!(i, plain);
    }
}

/// A fixture importing the dump gets the accounts as principals and their
/// logon tokens as tokens: steps name them, and `effective` makes its rows
/// of them, marking the disabled account.
#[test]
fn a_fixture_imports_accounts_and_effective_uses_them() {
    let dir = std::env::temp_dir().join(format!("secctx-dir-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("corp.ldif"), CORP).unwrap();
    let fixture = format!(
        r#"{{"domain_sid": "{D}",
          "imports": [{{"format": "ldif", "file": "corp.ldif"}}],
          "steps": [
            {{"op": "check", "token": "carol", "object": "DC=example/DC=corp/OU=Sales/CN=Alice Anders", "desired": "WRITE_DAC", "expect": {{"status": "STATUS_SUCCESS"}}}},
            {{"op": "check", "token": "alice", "object": "DC=example/DC=corp/OU=Sales/CN=Alice Anders", "desired": "WRITE_DAC", "expect": {{"status": "STATUS_ACCESS_DENIED"}}}}
          ]}}"#
    );
    let file = dir.join("corp.json");
    std::fs::write(&file, fixture).unwrap();
    let f = file.to_str().unwrap();
    let (code, out, err) = support::run(&["run", f], "");
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("2 passed, 0 failed"), "{out}");
    let (code, out, err) = support::run(
        &[
            "effective",
            f,
            "DC=example/DC=corp/OU=Sales/CN=Alice Anders",
        ],
        "",
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("rows: the 5 imported user account(s), each as a network logon"),
        "{out}"
    );
    assert!(out.contains("\nbob (disabled) "), "{out}");
    assert!(
        err.contains("group membership cycle"),
        "warnings go to stderr: {err}"
    );
}

/// `version:` other than 1 is read as version 1 with a warning (RFC 2849
/// defines only 1); `changetype: add` is a content record; a record with a
/// `control:` line is a change record, skipped.
#[test]
fn version_add_records_and_controls() {
    let text = "version: 2\ndn: CN=a,DC=corp\nchangetype: add\nobjectSid: S-1-5-21-1-2-3-1400\nobjectClass: group\n\ndn: CN=b,DC=corp\ncontrol: 1.2.840.113556.1.4.805 true\nchangetype: delete\n";
    let i = import::read(ImportFormat::Ldif, text.as_bytes(), None).unwrap();
    assert_eq!(i.accounts.len(), 1, "the add record");
    assert_eq!(warned(&i, "LDIF version `2`"), 1, "{:?}", i.warnings);
    assert_eq!(
        warned(&i, "change record (with `control:`) for `CN=b,DC=corp`"),
        1
    );
}
