//! Named events: CreateEvent / CreateEventEx and OpenEvent, the Event
//! type's rights and generic mapping. Each test names its source
//! (docs/research/token-api-handles.md sections 10 and 12).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod token_api_support;

use secctx::rights::{event, token as tok};
use secctx::well_known as wk;
use secctx::{
    AccessMask, NtStatus, ObjectKind, ProcessId, SecurityDescriptor, SecurityInformation, Target,
    ThreadId, TokenType, Win32Error, World,
};
use token_api_support::{logon, run_passing, ALICE};

fn machine() -> (World, ProcessId, ThreadId) {
    let mut w = World::new();
    let alice = logon(&mut w, ALICE, &[]);
    let (p, t) = w.spawn("app.exe", alice).unwrap();
    (w, p, t)
}

/// The Event type's kernel generic mapping and right names. Source: Wine's
/// test_event_security (run on Windows: GR 0x20001, GW 0x20002, GX
/// 0x120000, GA 0x1F0003).
#[test]
fn the_event_mapping_and_rights() {
    let m = ObjectKind::Event.mapping();
    assert_eq!(m.map(AccessMask::GENERIC_READ), AccessMask(0x0002_0001));
    assert_eq!(m.map(AccessMask::GENERIC_WRITE), AccessMask(0x0002_0002));
    assert_eq!(m.map(AccessMask::GENERIC_EXECUTE), AccessMask(0x0012_0000));
    assert_eq!(
        m.map(AccessMask::GENERIC_ALL),
        AccessMask(event::ALL_ACCESS)
    );
    let parsed: AccessMask = "EVENT_MODIFY_STATE|SYNCHRONIZE".parse().unwrap();
    assert_eq!(parsed, AccessMask(event::MODIFY_STATE | 0x0010_0000));
    assert_eq!(ObjectKind::from_name("event"), Some(ObjectKind::Event));
}

/// CreateEvent: the creator's handle gets what it asked even when the new
/// descriptor grants nothing; a second CreateEvent of the name opens the
/// same event and succeeds with ERROR_ALREADY_EXISTS, running an access
/// check. Sources: the CreateEvent page; Wine's test_maximum_allowed.
#[test]
fn create_event_creates_then_opens_with_already_exists() {
    let (mut w, p, t) = machine();
    let empty = SecurityDescriptor::from_sddl("D:", None).unwrap();
    let all = AccessMask(event::ALL_ACCESS);
    let (h, s) = w.create_event(t, "ready", all, Some(empty)).unwrap();
    assert_eq!(s, NtStatus::Success);
    assert_eq!(w.handle(p, h).unwrap().granted, all);
    let e = w.create_event(t, "ready", all, None).unwrap_err();
    assert_eq!(
        e.status(),
        NtStatus::AccessDenied,
        "the empty DACL now applies"
    );
    let (_, s) = w.create_event(t, "shared", all, None).unwrap();
    assert_eq!(s, NtStatus::Success);
    let (h2, s) = w.create_event(t, "shared", all, None).unwrap();
    assert_eq!(s, NtStatus::ObjectNameExists);
    assert!(s.is_success());
    assert_eq!(s.win32_error(), Win32Error::ALREADY_EXISTS);
    assert_eq!(w.query_object(t, h2).unwrap().type_name, "Event");
}

/// A name of another type: STATUS_OBJECT_TYPE_MISMATCH, which a Win32
/// caller sees as ERROR_INVALID_HANDLE. Source: the CreateEvent page.
#[test]
fn a_name_of_another_type_is_a_type_mismatch() {
    let (mut w, _, t) = machine();
    let sd =
        w.add_descriptor(SecurityDescriptor::from_sddl("O:SYG:SYD:(A;;FA;;;WD)", None).unwrap());
    w.insert_object(None, "notes.txt", ObjectKind::File, None, sd)
        .unwrap();
    let e = w
        .create_event(t, "notes.txt", AccessMask(event::ALL_ACCESS), None)
        .unwrap_err();
    assert_eq!(e.status(), NtStatus::ObjectTypeMismatch);
    assert_eq!(e.status().win32_error(), Win32Error::INVALID_HANDLE);
    let e = w
        .open_event(t, "notes.txt", AccessMask(0x0010_0000))
        .unwrap_err();
    assert_eq!(e.status(), NtStatus::ObjectTypeMismatch);
}

/// OpenEvent: a missing name is ERROR_FILE_NOT_FOUND; desired access 0 is
/// ERROR_ACCESS_DENIED; the check uses the caller's effective token, so a
/// restricted impersonation token is denied what the process may do.
/// Sources: Wine's test_event_security and test_duplicate_handle_access
/// (run on Windows).
#[test]
fn open_event_rules() {
    let (mut w, p, t) = machine();
    let e = w
        .open_event(t, "nothing", AccessMask(event::MODIFY_STATE))
        .unwrap_err();
    assert_eq!(e.status().win32_error(), Win32Error::FILE_NOT_FOUND);
    w.create_event(t, "ev", AccessMask(event::ALL_ACCESS), None)
        .unwrap();
    let e = w.open_event(t, "ev", AccessMask(0)).unwrap_err();
    assert_eq!(e.status(), NtStatus::AccessDenied);
    let (h, d) = w
        .open_event(t, "ev", AccessMask(event::MODIFY_STATE))
        .unwrap();
    assert_eq!(d.granted, AccessMask(event::MODIFY_STATE));
    assert!(w.handle(p, h).is_ok());
    // The default descriptor came from Alice's token: owner Alice.
    let sd = w.get_security(t, h, SecurityInformation::STANDARD);
    assert!(sd.is_err(), "the handle lacks READ_CONTROL");
    let primary = w.primary_token(p).unwrap();
    let mut r = w
        .token(primary)
        .unwrap()
        .clone()
        .with_restricted_sids(&[wk::WORLD]);
    r.token_type = TokenType::Impersonation;
    let rid = w.add_token(r);
    let rh = w
        .give_handle(p, Target::Token(rid), AccessMask(tok::IMPERSONATE))
        .unwrap();
    w.set_thread_token_by_handle(t, None, Some(rh)).unwrap();
    let e = w
        .open_event(t, "ev", AccessMask(event::MODIFY_STATE))
        .unwrap_err();
    assert_eq!(e.status(), NtStatus::AccessDenied);
}

/// The fixture ops: create, create again (ERROR_ALREADY_EXISTS), open.
#[test]
fn the_event_fixture_ops() {
    let text = r#"{
  "principals": {"alice": "S-1-5-21-1-2-3-1001"},
  "tokens": {"alice": {"user": "alice", "default_dacl": "D:(A;;GA;;;S-1-5-21-1-2-3-1001)"}},
  "processes": {"app": {"token": "alice"}},
  "objects": {"notes.txt": {"type": "file", "sd": "O:SYG:SYD:(A;;FA;;;WD)"}},
  "steps": [
    {"op": "create_event", "thread": "app", "name": "ready", "save_as": "ev",
     "expect": {"status": "STATUS_SUCCESS", "granted": "EVENT_ALL_ACCESS"}},
    {"op": "create_event", "thread": "app", "name": "ready",
     "expect": {"returned": true, "last_error": "ERROR_ALREADY_EXISTS", "granted": "EVENT_ALL_ACCESS"}},
    {"op": "create_event", "thread": "app", "name": "notes.txt",
     "expect": {"returned": false, "last_error": "ERROR_INVALID_HANDLE"}},
    {"op": "open_event", "thread": "app", "name": "ready", "desired": "GENERIC_READ",
     "expect": {"status": "STATUS_SUCCESS", "granted": "READ_CONTROL|EVENT_QUERY_STATE"}},
    {"op": "open_event", "thread": "app", "name": "missing", "desired": "SYNCHRONIZE",
     "expect": {"last_error": "ERROR_FILE_NOT_FOUND"}},
    {"op": "query_object", "thread": "app", "handle": "ev", "info_class": "ObjectTypeInformation",
     "expect": {"value": {"type_name": "Event", "valid_access_mask": 2031619,
                          "generic_mapping": {"generic_read": 131073, "generic_write": 131074,
                                              "generic_execute": 1179648, "generic_all": 2031619}}}}
  ]
}"#;
    assert_eq!(run_passing(text), 6);
}
