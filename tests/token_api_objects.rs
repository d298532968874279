//! NtQueryObject's type classes (ObjectTypeInformation,
//! ObjectTypesInformation): each kernel object type's generic mapping and
//! valid access mask, and the Token type's kernel mapping. Each test names
//! its source (docs/research/token-api-handles.md section 10,
//! docs/research/token-api-queries.md section 8).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod token_api_support;

use secctx::rights::{event, file, token as tok};
use secctx::{
    AccessMask, GenericMapping, Handle, ImpersonationLevel, NtStatus, ObjectKind,
    ObjectTypeInformation, ProcessId, PseudoHandle, SecurityDescriptor, Target, ThreadId,
    TokenType, World,
};
use token_api_support::{logon, run_passing, ALICE};

fn machine() -> (World, ProcessId, ThreadId) {
    let mut w = World::new();
    let alice = logon(&mut w, ALICE, &[]);
    let (p, t) = w.spawn("app.exe", alice).unwrap();
    (w, p, t)
}

fn object(w: &mut World, p: ProcessId, name: &str, kind: ObjectKind) -> Handle {
    let sd = SecurityDescriptor::from_sddl("O:SYG:SYD:(A;;GA;;;WD)", None).unwrap();
    let id = w.add_descriptor(sd);
    let o = w.insert_object(None, name, kind, None, id).unwrap();
    w.give_handle(p, Target::Object(o), AccessMask(0)).unwrap()
}

fn mapping(r: u32, wr: u32, x: u32, a: u32) -> GenericMapping {
    GenericMapping::new(r, wr, x, a)
}

fn of(w: &World, t: ThreadId, h: Handle) -> &'static ObjectTypeInformation {
    w.object_type_information(t, h).unwrap()
}

/// File: FILE_GENERIC_READ/WRITE/EXECUTE and FILE_ALL_ACCESS, valid mask
/// FILE_ALL_ACCESS (0x1F01FF). Sources: "File Security and Access Rights";
/// Wine's `file_type` (server/file.c).
#[test]
fn the_file_type() {
    let (mut w, p, t) = machine();
    let h = object(&mut w, p, "a.txt", ObjectKind::File);
    let info = of(&w, t, h);
    assert_eq!(info.type_name, "File");
    assert_eq!(
        info.generic_mapping,
        mapping(0x0012_0089, 0x0012_0116, 0x0012_00A0, file::ALL_ACCESS)
    );
    assert_eq!(info.valid_access_mask, AccessMask(0x001F_01FF));
}

/// An NTFS directory is a File object to the kernel: same type, same
/// mapping. Source: the NtCreateFile page (a directory is opened as a file
/// object with FILE_DIRECTORY_FILE).
#[test]
fn a_directory_is_a_file_object() {
    let (mut w, p, t) = machine();
    let h = object(&mut w, p, "dir", ObjectKind::Directory);
    assert_eq!(
        of(&w, t, h),
        World::object_type_of(ObjectKind::File).unwrap()
    );
}

/// Key: KEY_READ, KEY_WRITE, KEY_EXECUTE, KEY_ALL_ACCESS; valid mask
/// KEY_ALL_ACCESS | SYNCHRONIZE (0x1F003F). Sources: "Registry Key Security
/// and Access Rights" (the KEY_* values); Wine's `key_type`
/// (server/registry.c) for the valid mask.
#[test]
fn the_key_type() {
    let (mut w, p, t) = machine();
    let h = object(&mut w, p, "Software", ObjectKind::Key);
    let info = of(&w, t, h);
    assert_eq!(info.type_name, "Key");
    assert_eq!(
        info.generic_mapping,
        mapping(0x0002_0019, 0x0002_0006, 0x0002_0019, 0x000F_003F)
    );
    assert_eq!(info.valid_access_mask, AccessMask(0x001F_003F));
}

/// Process and Thread: valid mask PROCESS_ALL_ACCESS / THREAD_ALL_ACCESS as
/// defined since Vista (0x1FFFFF; 0x1F0FFF and 0x1F03FF before). Sources:
/// "Process Security and Access Rights", "Thread Security and Access
/// Rights"; Wine's `process_type` and `thread_type`. The mappings are the
/// machine's (ObjectKind::mapping).
#[test]
fn the_process_and_thread_types() {
    let (w, _, t) = machine();
    let pr = of(&w, t, Handle::pseudo(PseudoHandle::CurrentProcess));
    assert_eq!(pr.type_name, "Process");
    assert_eq!(pr.valid_access_mask, AccessMask(0x001F_FFFF));
    assert_eq!(pr.generic_mapping, ObjectKind::Process.mapping());
    let th = of(&w, t, Handle::pseudo(PseudoHandle::CurrentThread));
    assert_eq!(th.type_name, "Thread");
    assert_eq!(th.valid_access_mask, AccessMask(0x001F_FFFF));
    assert_eq!(th.generic_mapping, ObjectKind::Thread.mapping());
}

/// Token: the kernel mapping read on Windows (Server 2003, ReactOS's ObTypes
/// apitest) is the SDK's TOKEN_READ 0x20008, TOKEN_WRITE 0x200E0,
/// TOKEN_EXECUTE 0x20000, TOKEN_ALL_ACCESS 0xF01FF, with ValidAccessMask
/// 0x1F01FF (SYNCHRONIZE valid). No Windows-run test pins a different
/// mapping for later versions (Wine's wider server table is not checked
/// against Windows by its tests).
#[test]
fn the_token_type() {
    let (w, _, t) = machine();
    let info = of(&w, t, Handle::pseudo(PseudoHandle::CurrentProcessToken));
    assert_eq!(info.type_name, "Token");
    assert_eq!(
        info.generic_mapping,
        mapping(0x0002_0008, 0x0002_00E0, 0x0002_0000, tok::ALL_ACCESS)
    );
    assert_eq!(info.valid_access_mask, AccessMask(0x001F_01FF));
    assert_eq!(ObjectKind::Token.mapping(), info.generic_mapping);
}

/// GENERIC_READ on a new token handle is TOKEN_READ (READ_CONTROL |
/// TOKEN_QUERY), and MAXIMUM_ALLOWED never grants SYNCHRONIZE though it is
/// valid. Sources: the token type's mapping above; Wine's
/// test_duplicate_token (run on Windows: MAXIMUM_ALLOWED gives exactly
/// TOKEN_ALL_ACCESS).
#[test]
fn generic_read_on_a_token_is_token_read() {
    let (mut w, p, t) = machine();
    let me = w.primary_token(p).unwrap();
    let h = w
        .give_handle(p, Target::Token(me), AccessMask(tok::DUPLICATE))
        .unwrap();
    let r = w
        .duplicate_token_ex(
            t,
            h,
            AccessMask::GENERIC_READ,
            None,
            ImpersonationLevel::Impersonation,
            TokenType::Impersonation,
        )
        .unwrap();
    assert_eq!(
        w.query_object(t, r).unwrap().granted,
        AccessMask(0x0002_0000 | tok::QUERY)
    );
    let all = w
        .duplicate_token_ex(
            t,
            h,
            AccessMask::MAXIMUM_ALLOWED,
            None,
            ImpersonationLevel::Impersonation,
            TokenType::Impersonation,
        )
        .unwrap();
    assert_eq!(
        w.query_object(t, all).unwrap().granted,
        AccessMask(tok::ALL_ACCESS)
    );
}

/// Event: EVENT_* mapping, valid mask EVENT_ALL_ACCESS (0x1F0003). Sources:
/// "Synchronization Object Security and Access Rights"; Wine's
/// test_event_security (run on Windows) and `event_type`.
#[test]
fn the_event_type() {
    let (mut w, _, t) = machine();
    let (h, _) = w
        .create_event(t, "ready", AccessMask(event::ALL_ACCESS), None)
        .unwrap();
    let info = of(&w, t, h);
    assert_eq!(info.type_name, "Event");
    assert_eq!(
        info.generic_mapping,
        mapping(0x0002_0001, 0x0002_0002, 0x0012_0000, event::ALL_ACCESS)
    );
    assert_eq!(info.valid_access_mask, AccessMask(event::ALL_ACCESS));
}

/// ObjectTypesInformation lists each kernel type once, each type's
/// mapping is the one access checks use, and every mapping stays inside
/// the valid mask. A directory-service object has no kernel type. Sources:
/// the NtQueryObject page; Wine's om.c test_query_object_types (run on
/// Windows: the list is asked with a NULL handle).
#[test]
fn every_type_once_and_mappings_inside_the_valid_mask() {
    let (mut w, p, t) = machine();
    let types = w.object_types_information();
    let names: Vec<&str> = types.iter().map(|x| x.type_name).collect();
    assert_eq!(
        names,
        ["File", "Key", "Process", "Thread", "Token", "Event"]
    );
    for x in types {
        let m = x.generic_mapping;
        for part in [m.read, m.write, m.execute, m.all] {
            assert_eq!(part.0 & !x.valid_access_mask.0, 0, "{}", x.type_name);
        }
    }
    for kind in ObjectKind::ALL {
        if let Some(x) = World::object_type_of(kind) {
            assert_eq!(x.generic_mapping, kind.mapping(), "{kind:?}");
        }
    }
    assert!(World::object_type_of(ObjectKind::DirectoryService).is_none());
    let h = object(&mut w, p, "dc", ObjectKind::DirectoryService);
    assert_eq!(
        w.object_type_information(t, h).unwrap_err(),
        NtStatus::NotSupported
    );
    w.close_handle(p, h).unwrap();
    assert_eq!(
        w.object_type_information(t, h).unwrap_err(),
        NtStatus::InvalidHandle
    );
}

/// The fixture op: `info_class` ObjectTypeInformation and
/// ObjectTypesInformation (or type, types), a NULL handle for the list; an
/// unknown class is a fixture error at its path.
#[test]
fn the_query_object_type_classes_in_a_fixture() {
    let text = r#"{
  "principals": {"alice": "S-1-5-21-1-2-3-1001"},
  "tokens": {"alice": {"user": "alice"}},
  "processes": {"app": {"token": "alice"}},
  "steps": [
    {"op": "query_object", "thread": "app", "handle": "GetCurrentProcessToken()", "info_class": "ObjectTypeInformation",
     "expect": {"status": "STATUS_SUCCESS", "value": {"type_name": "Token", "valid_access_mask": 2032127,
       "generic_mapping": {"generic_read": 131080, "generic_write": 131296, "generic_execute": 131072, "generic_all": 983551}}}},
    {"op": "query_object", "thread": "app", "handle": null, "info_class": "types",
     "expect": {"status": "STATUS_SUCCESS"}},
    {"op": "query_object", "thread": "app", "handle": "GetCurrentThread()", "info_class": "type",
     "expect": {"status": "STATUS_SUCCESS"}}
  ]
}"#;
    assert_eq!(run_passing(text), 3);
    let bad = text.replace("\"types\"", "\"ObjectNameInformation\"");
    let mut sink = secctx::fixture::Collect::default();
    let e = secctx::fixture::Runner::new()
        .run_str(&bad, "t", &mut sink)
        .unwrap_err();
    assert!(e.to_string().contains("steps[1].info_class"), "{e}");
}
