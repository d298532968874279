//! NTFS opens in the machine: what an open of a file or directory gets
//! beyond the object's own DACL. Each test names its source:
//!
//! - MS-FSA 2.1.5.1.2.1 "Algorithm to Check Access to an Existing File"
//!   (DELETE through the parent's FILE_DELETE_CHILD, FILE_READ_ATTRIBUTES
//!   through the parent's FILE_LIST_DIRECTORY, both when asked for or under
//!   MAXIMUM_ALLOWED); Microsoft KB Q238018 (FILE_DELETE_CHILD wins over a
//!   DELETE the file's DACL denies);
//! - MS-FSA 2.1.5.1 and Microsoft, "Checking for Traverse Privilege on
//!   IRP_MJ_CREATE" (FILE_TRAVERSE on each directory of the path unless
//!   SeChangeNotifyPrivilege is enabled; "File Access Rights Constants",
//!   FILE_TRAVERSE);
//! - ReactOS ntoskrnl/io/iomgr/file.c, IopCheckBackupRestorePrivilege, and
//!   the CreateFile page (FILE_FLAG_BACKUP_SEMANTICS): SeBackupPrivilege and
//!   SeRestorePrivilege count only with backup intent and only enabled.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
mod support;

use common::cases;
use proptest::prelude::*;
use secctx::reference::naive_access_check;
use secctx::rights::{file, key};
use secctx::{
    AccessMask, AccessRequest, FileOpenDecision, FileOpenRule, NtStatus, ObjectId, ObjectKind,
    Privilege, SecurityDescriptor, Sid, ThreadId, Token, TokenPrivilege, TraverseCheck, World,
};

const CAROL: &str = "S-1-5-21-1-2-3-1111";
const DAVE: &str = "S-1-5-21-1-2-3-1110";

fn sid(s: &str) -> Sid {
    s.parse().unwrap()
}

fn carol(privileges: &[TokenPrivilege]) -> Token {
    let mut t = Token::new(sid(CAROL))
        .with_group(secctx::well_known::WORLD)
        .with_group(secctx::well_known::AUTHENTICATED_USERS);
    t.privileges = privileges.to_vec();
    t
}

fn change_notify() -> TokenPrivilege {
    TokenPrivilege::enabled(Privilege::ChangeNotify)
}

fn disabled(p: Privilege) -> TokenPrivilege {
    let mut tp = TokenPrivilege::enabled(p);
    tp.enabled = false;
    tp
}

/// A world with `token` running in one thread.
fn world_with(token: Token) -> (World, ThreadId) {
    let mut w = World::new();
    let id = w.add_token(token);
    let (_, t) = w.spawn("app.exe", id).unwrap();
    (w, t)
}

fn put(
    w: &mut World,
    parent: Option<ObjectId>,
    name: &str,
    kind: ObjectKind,
    sd: &str,
) -> ObjectId {
    let sd = SecurityDescriptor::from_sddl(sd, None).unwrap();
    let d = w.add_descriptor(sd);
    w.insert_object(parent, name, kind, None, d).unwrap()
}

/// `\projects` grants Carol `folder` (and Dave everything); the file in it
/// has `file_sd`.
fn project(token: Token, folder: u32, file_sd: &str) -> (World, ThreadId, ObjectId, ObjectId) {
    let (mut w, t) = world_with(token);
    let dir = put(
        &mut w,
        None,
        "projects",
        ObjectKind::Directory,
        &format!("O:{DAVE}G:SYD:P(A;;FA;;;{DAVE})(A;;{folder:#x};;;{CAROL})"),
    );
    let f = put(&mut w, Some(dir), "plan.docx", ObjectKind::File, file_sd);
    (w, t, dir, f)
}

/// The file's DACL denies Carol DELETE and grants her nothing.
fn denying_file() -> String {
    format!("O:{DAVE}G:SYD:P(D;;SD;;;{CAROL})(A;;FA;;;{DAVE})")
}

fn open(w: &mut World, t: ThreadId, o: ObjectId, desired: u32) -> Result<AccessMask, NtStatus> {
    w.open_object(t, o, AccessMask(desired), false)
        .map(|(_, d)| d.granted)
        .map_err(|e| e.status())
}

/// What an open by `t` of `o` for `desired` would get, explained.
fn why(w: &World, t: ThreadId, o: ObjectId, desired: u32) -> FileOpenDecision {
    let req = w.open_request(o, AccessMask(desired), false).unwrap();
    w.file_open_access(t, o, &req).unwrap()
}

/// MS-FSA 2.1.5.1.2.1; KB Q238018: the parent's FILE_DELETE_CHILD grants
/// DELETE, even though the file's own DACL denies DELETE.
#[test]
fn delete_comes_from_the_parents_delete_child() {
    let (mut w, t, dir, f) = project(
        carol(&[change_notify()]),
        file::DELETE_CHILD,
        &denying_file(),
    );
    assert_eq!(
        open(&mut w, t, f, AccessMask::DELETE.0),
        Ok(AccessMask::DELETE)
    );
    let why = why(&w, t, f, AccessMask::DELETE.0);
    assert_eq!(
        why.own,
        AccessMask(0),
        "the file's own DACL granted nothing"
    );
    assert_eq!(why.through_parent.len(), 1);
    assert_eq!(why.through_parent[0].rule, FileOpenRule::DeleteChild);
    assert_eq!(why.through_parent[0].parent, dir);
    let text = why.explanation(&w).join("\n");
    assert!(
        text.contains(
            "DELETE granted by the parent's FILE_DELETE_CHILD on \\projects (MS-FSA 2.1.5.1.2.1)"
        ),
        "{text}"
    );
}

/// MS-FSA 2.1.5.1.2.1, the negative: a parent that grants everything but
/// FILE_DELETE_CHILD gives no DELETE.
#[test]
fn no_delete_without_the_parents_delete_child() {
    let folder = file::ALL_ACCESS & !file::DELETE_CHILD;
    let (mut w, t, _, f) = project(carol(&[change_notify()]), folder, &denying_file());
    assert_eq!(
        open(&mut w, t, f, AccessMask::DELETE.0),
        Err(NtStatus::AccessDenied)
    );
}

/// MS-FSA 2.1.5.1.2.1: the parent's FILE_LIST_DIRECTORY grants
/// FILE_READ_ATTRIBUTES (R. Chen, "Access to a file's attributes is
/// controlled by two things").
#[test]
fn read_attributes_come_from_the_parents_list_directory() {
    let (mut w, t, _, f) = project(carol(&[change_notify()]), file::READ_DATA, &denying_file());
    let ra = file::READ_ATTRIBUTES;
    assert_eq!(open(&mut w, t, f, ra), Ok(AccessMask(ra)));
    let why = why(&w, t, f, ra);
    assert_eq!(why.through_parent[0].rule, FileOpenRule::ListDirectory);
    // Not DELETE: FILE_LIST_DIRECTORY only lends FILE_READ_ATTRIBUTES.
    assert_eq!(
        open(&mut w, t, f, AccessMask::DELETE.0),
        Err(NtStatus::AccessDenied)
    );
}

/// MS-FSA 2.1.5.1.2.1: the parent lends only its one right; every other
/// right asked for must come from the object's own DACL.
#[test]
fn the_parent_lends_only_its_right() {
    let (mut w, t, _, f) = project(
        carol(&[change_notify()]),
        file::DELETE_CHILD,
        &denying_file(),
    );
    let asked = AccessMask::DELETE.0 | file::READ_DATA;
    assert_eq!(open(&mut w, t, f, asked), Err(NtStatus::AccessDenied));
    // With the file granting FILE_READ_DATA, the same request succeeds: the
    // file gives the read, the parent the DELETE.
    let reads = format!("O:{DAVE}G:SYD:P(D;;SD;;;{CAROL})(A;;FR;;;{CAROL})");
    let (mut w, t, _, f) = project(carol(&[change_notify()]), file::DELETE_CHILD, &reads);
    assert_eq!(open(&mut w, t, f, asked), Ok(AccessMask(asked)));
    let why = why(&w, t, f, asked);
    assert_eq!(why.own, AccessMask(file::READ_DATA), "the file's part");
    assert_eq!(
        why.through_parent[0].granted,
        AccessMask::DELETE,
        "the parent's"
    );
}

/// MS-FSA 2.1.5.1.2.1: under MAXIMUM_ALLOWED both parent rules add to what
/// the object's own DACL grants.
#[test]
fn maximum_allowed_includes_the_parents_grants() {
    let folder = file::DELETE_CHILD | file::READ_DATA;
    let reads = format!("O:{DAVE}G:SYD:P(A;;FR;;;{CAROL})");
    let (mut w, t, _, f) = project(carol(&[change_notify()]), folder, &reads);
    let got = open(&mut w, t, f, AccessMask::MAXIMUM_ALLOWED.0).unwrap();
    assert_eq!(got, AccessMask(file::GENERIC_READ | AccessMask::DELETE.0));
    // The file alone, through the evaluator, grants only the read.
    let sd = SecurityDescriptor::from_sddl(&reads, None).unwrap();
    let own = secctx::access_check(
        &carol(&[]),
        &sd,
        &AccessRequest::new(AccessMask::MAXIMUM_ALLOWED).for_kind(ObjectKind::File),
    )
    .unwrap();
    assert_eq!(own.granted, AccessMask(file::GENERIC_READ));
}

/// MS-FSA 2.1.5.1.2.1: MAXIMUM_ALLOWED succeeds with what the parent grants
/// when the object's own DACL grants nothing at all.
#[test]
fn maximum_allowed_from_the_parent_alone() {
    let folder = file::DELETE_CHILD | file::READ_DATA;
    let (mut w, t, _, f) = project(carol(&[change_notify()]), folder, &denying_file());
    assert_eq!(
        open(&mut w, t, f, AccessMask::MAXIMUM_ALLOWED.0),
        Ok(AccessMask(AccessMask::DELETE.0 | file::READ_ATTRIBUTES))
    );
    let d = w.effective_access(t, f).unwrap();
    assert_eq!(
        d.granted,
        AccessMask(AccessMask::DELETE.0 | file::READ_ATTRIBUTES)
    );
}

/// MS-FSA 2.1.5.1.2.1 asks the parent only for DELETE and
/// FILE_READ_ATTRIBUTES that are wanted: a request the file grants by itself
/// records no parent grant.
#[test]
fn a_request_the_object_grants_asks_nothing_of_the_parent() {
    let own = format!("O:{DAVE}G:SYD:P(A;;FA;;;{CAROL})");
    let (w, t, _, f) = project(carol(&[change_notify()]), file::ALL_ACCESS, &own);
    let why = why(&w, t, f, AccessMask::DELETE.0);
    assert!(why.decision.is_granted());
    assert!(why.through_parent.is_empty());
}

/// MS-FSA 2.1.5.1.2.1 applies to directories too: a subdirectory is
/// deletable through its parent's FILE_DELETE_CHILD.
#[test]
fn a_directory_is_deletable_through_its_parent() {
    let (mut w, t, dir, _) = project(
        carol(&[change_notify()]),
        file::DELETE_CHILD,
        &denying_file(),
    );
    let sub = put(
        &mut w,
        Some(dir),
        "old",
        ObjectKind::Directory,
        &denying_file(),
    );
    assert_eq!(
        open(&mut w, t, sub, AccessMask::DELETE.0),
        Ok(AccessMask::DELETE)
    );
}

/// An object at the top of the namespace has no parent to lend rights
/// (MS-FSA 2.1.5.1.2.1 reads Open.Link.ParentFile; the root has none) and
/// no path to traverse.
#[test]
fn a_top_level_object_has_no_parent_rules() {
    let (mut w, t) = world_with(carol(&[]));
    let f = put(&mut w, None, "loose.txt", ObjectKind::File, &denying_file());
    assert_eq!(
        open(&mut w, t, f, AccessMask::DELETE.0),
        Err(NtStatus::AccessDenied)
    );
    let why = why(&w, t, f, AccessMask::DELETE.0);
    assert_eq!(why.traverse, TraverseCheck::NotApplicable);
}

/// `\vault\inbox\report.txt`: vault grants Carol `vault`, inbox grants her
/// FILE_TRAVERSE, the file grants her FILE_GENERIC_READ.
fn vault(token: Token, vault: u32) -> (World, ThreadId, ObjectId, ObjectId, ObjectId) {
    let (mut w, t) = world_with(token);
    let v = put(
        &mut w,
        None,
        "vault",
        ObjectKind::Directory,
        &format!("O:BAG:BAD:P(A;;FA;;;BA)(A;;{vault:#x};;;{CAROL})"),
    );
    let inbox = put(
        &mut w,
        Some(v),
        "inbox",
        ObjectKind::Directory,
        &format!("O:BAG:BAD:P(A;;FA;;;BA)(A;;{:#x};;;{CAROL})", file::EXECUTE),
    );
    let f = put(
        &mut w,
        Some(inbox),
        "report.txt",
        ObjectKind::File,
        &format!("O:BAG:BAD:P(A;;FR;;;{CAROL})"),
    );
    (w, t, v, inbox, f)
}

/// MS-FSA 2.1.5.1; "Checking for Traverse Privilege on IRP_MJ_CREATE":
/// without SeChangeNotifyPrivilege, a directory on the path that refuses
/// FILE_TRAVERSE fails the open, whatever the file's own DACL grants.
#[test]
fn traverse_is_checked_without_change_notify() {
    let (mut w, t, v, _, f) = vault(carol(&[]), file::READ_DATA);
    assert_eq!(
        open(&mut w, t, f, file::GENERIC_READ),
        Err(NtStatus::AccessDenied)
    );
    let why = why(&w, t, f, file::GENERIC_READ);
    assert_eq!(why.traverse, TraverseCheck::Failed { directory: v });
    assert!(why.explanation(&w)[0].contains("\\vault does not grant FILE_TRAVERSE"));
}

/// MS-FSA 2.1.5.1: with FILE_TRAVERSE on every directory, root first, the
/// traverse check passes and the file's own DACL decides.
#[test]
fn traverse_passes_when_every_directory_grants_it() {
    let (mut w, t, v, inbox, f) = vault(carol(&[]), file::EXECUTE);
    assert_eq!(
        open(&mut w, t, f, file::GENERIC_READ),
        Ok(AccessMask(file::GENERIC_READ))
    );
    let why = why(&w, t, f, file::GENERIC_READ);
    assert_eq!(
        why.traverse,
        TraverseCheck::Passed {
            directories: vec![v, inbox]
        }
    );
}

/// "Bypass traverse checking" (SeChangeNotifyPrivilege), enabled: no
/// directory on the path is asked ("File Access Rights Constants",
/// FILE_TRAVERSE; "Checking for Traverse Privilege on IRP_MJ_CREATE").
#[test]
fn change_notify_enabled_bypasses_traverse_checking() {
    let (mut w, t, _, _, f) = vault(carol(&[change_notify()]), 0x0010_0000);
    assert_eq!(
        open(&mut w, t, f, file::GENERIC_READ),
        Ok(AccessMask(file::GENERIC_READ))
    );
    let why = why(&w, t, f, file::GENERIC_READ);
    assert_eq!(why.traverse, TraverseCheck::Bypassed);
}

/// SeChangeNotifyPrivilege held but disabled does not bypass: the I/O
/// manager looks at the enabled privilege (ReactOS ntoskrnl/se/token.c,
/// SepUpdateSinglePrivilegeFlagToken: TOKEN_HAS_TRAVERSE_PRIVILEGE follows
/// SE_PRIVILEGE_ENABLED).
#[test]
fn change_notify_disabled_does_not_bypass() {
    let (mut w, t, _, _, f) = vault(carol(&[disabled(Privilege::ChangeNotify)]), 0x0010_0000);
    assert_eq!(
        open(&mut w, t, f, file::GENERIC_READ),
        Err(NtStatus::AccessDenied)
    );
}

/// MS-FSA 2.1.5.1: creating a file walks the same path, so without
/// SeChangeNotifyPrivilege enabled a directory above that refuses
/// FILE_TRAVERSE fails the create, even where the new file's parent grants
/// FILE_ADD_FILE; with the privilege enabled the parent's right decides.
#[test]
fn a_create_is_traverse_checked_too() {
    let add_file = file::EXECUTE | file::WRITE_DATA;
    let setup = |privileges: &[TokenPrivilege]| {
        let (mut w, t) = world_with(carol(privileges));
        let v = put(
            &mut w,
            None,
            "vault",
            ObjectKind::Directory,
            "O:BAG:BAD:P(A;;FA;;;BA)",
        );
        let inbox_sd = format!("O:BAG:BAD:P(A;;FA;;;BA)(A;;{add_file:#x};;;{CAROL})");
        let inbox = put(&mut w, Some(v), "inbox", ObjectKind::Directory, &inbox_sd);
        (w, t, inbox)
    };
    let (mut w, t, inbox) = setup(&[]);
    let e = w
        .create_object(
            t,
            Some(inbox),
            "new.txt",
            ObjectKind::File,
            &Default::default(),
        )
        .unwrap_err();
    assert_eq!(e.status(), NtStatus::AccessDenied);
    let (mut w, t, inbox) = setup(&[change_notify()]);
    assert!(w
        .create_object(
            t,
            Some(inbox),
            "new.txt",
            ObjectKind::File,
            &Default::default()
        )
        .is_ok());
}

/// The rules are NTFS's: a registry key is opened with its own DACL alone,
/// its parent lends nothing and no path is traversed.
#[test]
fn a_key_is_unaffected() {
    let (mut w, t) = world_with(carol(&[]));
    let all = format!("O:BAG:BAD:P(A;;KA;;;{CAROL})");
    let software = put(&mut w, None, "software", ObjectKind::Key, &all);
    let app = put(
        &mut w,
        Some(software),
        "app",
        ObjectKind::Key,
        "O:BAG:BAD:P(A;;KA;;;BA)",
    );
    assert_eq!(
        open(&mut w, t, app, AccessMask::DELETE.0),
        Err(NtStatus::AccessDenied)
    );
    let why = why(&w, t, app, AccessMask::MAXIMUM_ALLOWED.0);
    assert_eq!(why.traverse, TraverseCheck::NotApplicable);
    assert!(why.through_parent.is_empty());
    // A parent key that refuses everything does not stop a token without
    // SeChangeNotifyPrivilege either.
    let locked = put(
        &mut w,
        None,
        "locked",
        ObjectKind::Key,
        "O:BAG:BAD:P(A;;KA;;;BA)",
    );
    let open_key = put(&mut w, Some(locked), "open", ObjectKind::Key, &all);
    assert_eq!(
        open(&mut w, t, open_key, key::QUERY_VALUE),
        Ok(AccessMask(key::QUERY_VALUE))
    );
}

/// ReactOS IopCheckBackupRestorePrivilege; CreateFile,
/// FILE_FLAG_BACKUP_SEMANTICS: an enabled SeBackupPrivilege grants read
/// rights only when the open asks for backup intent.
#[test]
fn backup_reads_only_with_backup_intent_and_enabled() {
    let backup = TokenPrivilege::enabled(Privilege::Backup);
    let (mut w, t, _, _, f) = vault(carol(&[change_notify(), backup]), 0);
    let nothing = put(
        &mut w,
        None,
        "sealed.txt",
        ObjectKind::File,
        "O:BAG:BAD:P(A;;FA;;;BA)",
    );
    let read = AccessMask(file::GENERIC_READ);
    assert!(
        w.open_object(t, nothing, read, false).is_err(),
        "no flag, no privilege"
    );
    let (_, d) = w.open_object(t, nothing, read, true).unwrap();
    assert_eq!(d.granted, read);
    // Backup grants no write.
    let write = AccessMask(file::WRITE_DATA);
    assert!(w.open_object(t, nothing, write, true).is_err());
    let _ = f;
    // Held but disabled: nothing.
    let (mut w2, t2, _, _, _) = vault(carol(&[change_notify(), disabled(Privilege::Backup)]), 0);
    let sealed = put(
        &mut w2,
        None,
        "sealed.txt",
        ObjectKind::File,
        "O:BAG:BAD:P(A;;FA;;;BA)",
    );
    assert!(w2.open_object(t2, sealed, read, true).is_err());
}

/// ReactOS IopCheckBackupRestorePrivilege: an enabled SeRestorePrivilege
/// with backup intent grants WRITE_DAC, WRITE_OWNER, DELETE and the write
/// rights, but no read of the data.
#[test]
fn restore_writes_descriptors_and_deletes_with_backup_intent() {
    let restore = TokenPrivilege::enabled(Privilege::Restore);
    let (mut w, t) = world_with(carol(&[change_notify(), restore]));
    let f = put(
        &mut w,
        None,
        "sealed.txt",
        ObjectKind::File,
        "O:BAG:BAD:P(A;;FA;;;BA)",
    );
    let want = AccessMask(
        AccessMask::WRITE_DAC.0
            | AccessMask::WRITE_OWNER.0
            | AccessMask::DELETE.0
            | file::GENERIC_WRITE,
    );
    assert!(w.open_object(t, f, want, false).is_err(), "no flag");
    assert_eq!(w.open_object(t, f, want, true).unwrap().1.granted, want);
    assert!(w
        .open_object(t, f, AccessMask(file::READ_DATA), true)
        .is_err());
}

/// MAXIMUM_ALLOWED with backup intent gets both the privilege's grant
/// (ReactOS IopCheckBackupRestorePrivilege: under MAXIMUM_ALLOWED the read
/// set READ_CONTROL | FILE_GENERIC_READ | FILE_TRAVERSE) and the parent's
/// DELETE (MS-FSA 2.1.5.1.2.1); without the flag, only the parent's.
#[test]
fn maximum_allowed_with_backup_intent_adds_the_privilege_and_the_parent() {
    let backup = TokenPrivilege::enabled(Privilege::Backup);
    let (mut w, t, _, f) = project(
        carol(&[change_notify(), backup]),
        file::DELETE_CHILD,
        &denying_file(),
    );
    let ma = AccessMask::MAXIMUM_ALLOWED;
    let (_, d) = w.open_object(t, f, ma, true).unwrap();
    let read_set = AccessMask::READ_CONTROL.0 | file::GENERIC_READ | file::EXECUTE;
    assert!(d.granted.contains(AccessMask(read_set)), "{}", d.granted);
    assert!(d.granted.contains(AccessMask::DELETE), "{}", d.granted);
    assert!(
        !d.granted.contains(AccessMask(file::WRITE_DATA)),
        "{}",
        d.granted
    );
    let (_, d) = w.open_object(t, f, ma, false).unwrap();
    assert_eq!(d.granted, AccessMask::DELETE);
}

/// MS-FSA 2.1.5.1.2.1 in the world's questions: `who_can` and `audit` count
/// a delete that only the parent's FILE_DELETE_CHILD allows.
#[test]
fn who_can_and_audit_count_the_parents_grants() {
    let (w, _, _, f) = project(
        carol(&[change_notify()]),
        file::DELETE_CHILD,
        &denying_file(),
    );
    let who = w.who_can(f, AccessMask::DELETE).unwrap();
    // Carol's tokens (the one added and her process's copy), no other.
    assert!(!who.is_empty());
    assert!(who
        .iter()
        .all(|(id, _)| w.token(*id).unwrap().user.sid == sid(CAROL)));
    let token = who[0].0;
    let summary = w.audit(token, AccessMask::DELETE).unwrap();
    // The directory (no grandparent to lend DELETE) and the file.
    assert_eq!(summary.objects, 2);
    assert_eq!(summary.granted, 1);
    // Without FILE_DELETE_CHILD on the folder nobody may delete the file.
    let folder = file::ALL_ACCESS & !file::DELETE_CHILD;
    let (w, _, _, f) = project(carol(&[change_notify()]), folder, &denying_file());
    assert!(w.who_can(f, AccessMask::DELETE).unwrap().is_empty());
}

fn fixture_24() -> String {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/24-ntfs-opens-beyond-the-dacl.json")
        .to_string_lossy()
        .into_owned()
}

/// Fixture level, MS-FSA 2.1.5.1.2.1 and 2.1.5.1: `secctx run --explain`
/// says which rule granted or refused what, with its source.
#[test]
fn the_fixture_explains_each_rule_with_its_source() {
    let (code, out, err) = support::run(&["run", &fixture_24(), "--explain"], "");
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("14 passed, 0 failed"), "{out}");
    for line in [
        "DELETE granted by the parent's FILE_DELETE_CHILD on \\projects (MS-FSA 2.1.5.1.2.1)",
        "FILE_READ_ATTRIBUTES granted by the parent's FILE_LIST_DIRECTORY on \\projects (MS-FSA 2.1.5.1.2.1)",
        "traverse denied: SeChangeNotifyPrivilege is not enabled and \\vault does not grant FILE_TRAVERSE",
        "traverse checked (SeChangeNotifyPrivilege not enabled): FILE_TRAVERSE granted on \\public",
    ] {
        assert!(out.contains(line), "missing `{line}` in {out}");
    }
}

/// Fixture level, MS-FSA 2.1.5.1.2.1: `secctx effective` shows that the user
/// with FILE_DELETE_CHILD on the folder can delete the file in it, and says
/// why; the user without SeChangeNotifyPrivilege enabled is refused by
/// traverse checking.
#[test]
fn effective_shows_the_parents_grants() {
    let (code, out, err) = support::run(
        &[
            "effective",
            &fixture_24(),
            "projects/plan.docx",
            "--format",
            "json",
        ],
        "",
    );
    assert_eq!(code, 0, "{out}{err}");
    let m: serde_json::Value = serde_json::from_str(&out).unwrap();
    let row = |name: &str| {
        m["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["principal"] == name)
            .unwrap()
            .clone()
    };
    let cell = |r: &serde_json::Value, right: &str| {
        r["cells"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["right"] == right)
            .unwrap()
            .clone()
    };
    let carol = row("carol");
    let delete = cell(&carol, "DELETE");
    assert_eq!(delete["state"], "granted");
    assert_eq!(delete["short"], "FD");
    assert_eq!(
        delete["by"],
        "the parent's FILE_DELETE_CHILD on \\projects (MS-FSA 2.1.5.1.2.1)"
    );
    assert_eq!(cell(&carol, "FILE_READ_ATTRIBUTES")["short"], "FL");
    assert_eq!(cell(&carol, "FILE_READ_DATA")["state"], "not_granted");
    assert_eq!(carol["granted"], "0x00010080");
    let erin = row("erin");
    assert_eq!(cell(&erin, "FILE_READ_DATA")["state"], "denied");
    assert_eq!(cell(&erin, "FILE_READ_DATA")["short"], "TR");
}

/// The rights a parent may lend (MS-FSA 2.1.5.1.2.1).
const LENT: u32 = file::READ_ATTRIBUTES | 0x0001_0000;

fn mask_strategy() -> impl Strategy<Value = u32> {
    prop_oneof![
        Just(AccessMask::DELETE.0),
        Just(file::READ_ATTRIBUTES),
        Just(file::READ_DATA),
        Just(AccessMask::DELETE.0 | file::READ_DATA),
        Just(LENT),
        Just(file::GENERIC_READ),
        Just(AccessMask::MAXIMUM_ALLOWED.0),
        Just(AccessMask::MAXIMUM_ALLOWED.0 | AccessMask::DELETE.0),
        Just(AccessMask::MAXIMUM_ALLOWED.0 | file::READ_DATA),
    ]
}

fn ace_strategy() -> impl Strategy<Value = String> {
    let masks = prop_oneof![
        Just(file::DELETE_CHILD),
        Just(file::READ_DATA),
        Just(file::READ_ATTRIBUTES),
        Just(AccessMask::DELETE.0),
        Just(file::GENERIC_READ),
        Just(file::ALL_ACCESS),
    ];
    (any::<bool>(), masks)
        .prop_map(|(deny, m)| format!("({};;{m:#x};;;{CAROL})", if deny { "D" } else { "A" }))
}

/// MS-FSA 2.1.5.1.2.1 read literally, bit by bit with the reference
/// evaluator: each wanted flag (all of FILE_ALL_ACCESS under
/// MAXIMUM_ALLOWED) is granted if the object grants it, DELETE also if the
/// parent grants FILE_DELETE_CHILD, FILE_READ_ATTRIBUTES also if it grants
/// FILE_LIST_DIRECTORY; a plain request fails unless every flag is granted,
/// MAXIMUM_ALLOWED unless something is.
fn by_the_letter(
    token: &Token,
    parent: &SecurityDescriptor,
    sd: &SecurityDescriptor,
    desired: u32,
) -> Option<u32> {
    let grants = |sd: &SecurityDescriptor, bit: u32, kind: ObjectKind| {
        naive_access_check(
            token,
            sd,
            &AccessRequest::new(AccessMask(bit)).for_kind(kind),
        )
        .unwrap()
        .is_granted()
    };
    let ma = desired & AccessMask::MAXIMUM_ALLOWED.0 != 0;
    let explicit = desired & !AccessMask::MAXIMUM_ALLOWED.0;
    let flags = if ma {
        file::ALL_ACCESS | explicit
    } else {
        explicit
    };
    let mut granted = 0;
    for bit in (0..32).map(|b| 1u32 << b).filter(|b| flags & b != 0) {
        if grants(sd, bit, ObjectKind::File) {
            granted |= bit;
        }
    }
    if grants(parent, file::DELETE_CHILD, ObjectKind::Directory) {
        granted |= AccessMask::DELETE.0 & flags;
    }
    if grants(parent, file::READ_DATA, ObjectKind::Directory) {
        granted |= file::READ_ATTRIBUTES & flags;
    }
    if explicit & !granted != 0 || (ma && granted == 0) {
        None
    } else {
        Some(granted)
    }
}

proptest! {
    #![proptest_config(cases(256))]

    /// Invariant: the machine's open of a file in a directory grants
    /// exactly what MS-FSA 2.1.5.1.2.1 grants read bit by bit with the
    /// independent reference evaluator (`by_the_letter`), for any parent
    /// and child DACL over these ACEs and any of these requests.
    #[test]
    fn the_open_grants_what_ms_fsa_grants_bit_by_bit(
        parent_aces in proptest::collection::vec(ace_strategy(), 0..3),
        child_aces in proptest::collection::vec(ace_strategy(), 0..3),
        desired in mask_strategy(),
    ) {
        let parent = format!("O:{DAVE}G:SYD:P{}", parent_aces.concat());
        let child = format!("O:{DAVE}G:SYD:P{}", child_aces.concat());
        let token = carol(&[change_notify()]);
        let (mut w, t) = world_with(token.clone());
        let dir = put(&mut w, None, "d", ObjectKind::Directory, &parent);
        let f = put(&mut w, Some(dir), "f", ObjectKind::File, &child);
        let want = by_the_letter(
            &token,
            &SecurityDescriptor::from_sddl(&parent, None).unwrap(),
            &SecurityDescriptor::from_sddl(&child, None).unwrap(),
            desired,
        );
        let got = open(&mut w, t, f, desired).ok().map(|m| m.0);
        prop_assert_eq!(got, want, "parent {} child {} desired {:#x}", parent, child, desired);
    }
}
