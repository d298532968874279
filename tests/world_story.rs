//! The simulated machine: the seed's story end to end, and each rule.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use secctx::rights::{file, token as tok};
use secctx::well_known as wk;
use secctx::{
    AccessMask, CreateOptions, GroupAttributes, ImpersonationLevel, IntegrityLevel, NtStatus,
    ObjectKind, Privilege, SecurityDescriptor, SecurityInformation, Sid, Target, Token, TokenType,
    World,
};

const ALICE: &str = "S-1-5-21-1-2-3-1001";
const BOB: &str = "S-1-5-21-1-2-3-1002";

fn sid(s: &str) -> Sid {
    Sid::parse_sddl(s, None).unwrap()
}

fn sd(text: &str) -> SecurityDescriptor {
    SecurityDescriptor::from_sddl(text, None).unwrap()
}

struct Machine {
    w: World,
    server: secctx::ProcessId,
    server_thread: secctx::ThreadId,
    client: secctx::TokenId,
    secret: secctx::ObjectId,
    share: secctx::ObjectId,
}

/// A file server running as SYSTEM with SeImpersonatePrivilege, a client
/// (alice), and a share holding a file only SYSTEM can read.
fn machine(server_privileges: &[Privilege]) -> Machine {
    let mut w = World::new();
    let system = w.logon_user(
        wk::LOCAL_SYSTEM,
        &[wk::BUILTIN_ADMINISTRATORS],
        server_privileges,
        IntegrityLevel::SYSTEM,
    );
    let client = w.logon_user(
        sid(ALICE),
        &[wk::BUILTIN_USERS],
        &[Privilege::ChangeNotify],
        IntegrityLevel::MEDIUM,
    );
    let (server, server_thread) = w.spawn("fileserver.exe", system).unwrap();
    let root = w.add_descriptor(sd(
        "O:BAG:SYD:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICIIO;GA;;;CO)(A;CI;0x100006;;;BU)",
    ));
    let share = w
        .insert_object(None, "share", ObjectKind::Directory, None, root)
        .unwrap();
    let secret_sd = w.add_descriptor(sd("O:SYG:SYD:P(A;;FA;;;SY)"));
    let secret = w
        .insert_object(Some(share), "secret.txt", ObjectKind::File, None, secret_sd)
        .unwrap();
    Machine {
        w,
        server,
        server_thread,
        client,
        secret,
        share,
    }
}

impl Machine {
    /// A handle to the client's token in the server, with every token
    /// right, as the server gets it from its authentication package.
    fn client_handle(&mut self) -> secctx::Handle {
        self.w
            .give_handle(
                self.server,
                Target::Token(self.client),
                AccessMask(tok::ALL_ACCESS),
            )
            .unwrap()
    }
}

/// Ids that a larger world hands out but the machine's world never did:
/// ids are opaque, so an unknown one can only come from another world.
struct ForeignIds {
    thread: secctx::ThreadId,
    process: secctx::ProcessId,
    object: secctx::ObjectId,
    handle: secctx::Handle,
}

fn foreign_ids() -> ForeignIds {
    let mut big = World::new();
    let t = big.add_token(Token::new(sid(ALICE)));
    let mut spawned = None;
    for _ in 0..8 {
        spawned = Some(big.spawn("other.exe", t).unwrap());
    }
    let (process, thread) = spawned.unwrap();
    let d = big.add_descriptor(sd("O:SYG:SYD:(A;;FA;;;SY)"));
    let mut object = None;
    for i in 0..8 {
        let name = format!("o{i}");
        object = Some(
            big.insert_object(None, &name, ObjectKind::File, None, d)
                .unwrap(),
        );
    }
    let object = object.unwrap();
    let mut handle = None;
    for _ in 0..8 {
        handle = Some(
            big.give_handle(process, Target::Object(object), AccessMask(0))
                .unwrap(),
        );
    }
    ForeignIds {
        thread,
        process,
        object,
        handle: handle.unwrap(),
    }
}

/// The seed's story: a server impersonating its client is denied what the
/// client cannot read, though the server alone could; after revert the same
/// open succeeds.
#[test]
fn server_impersonates_its_client_and_reverts() {
    let mut m = machine(&[Privilege::Impersonate, Privilege::ChangeNotify]);
    let h = m.client_handle();
    let out = m.w.impersonate(m.server_thread, h).unwrap();
    assert_eq!(out.level, ImpersonationLevel::Impersonation);
    assert!(out.capped.is_none());
    assert_eq!(
        out.allowed_by.as_deref(),
        Some("the caller holds SeImpersonatePrivilege")
    );
    let as_client = m.w.open_object(
        m.server_thread,
        m.secret,
        AccessMask(file::READ_DATA),
        false,
    );
    assert_eq!(as_client.unwrap_err().status(), NtStatus::AccessDenied);
    m.w.revert_to_self(m.server_thread).unwrap();
    let (handle, decision) =
        m.w.open_object(
            m.server_thread,
            m.secret,
            AccessMask(file::READ_DATA),
            false,
        )
        .unwrap();
    assert_eq!(decision.granted.0, file::READ_DATA);
    assert_eq!(
        m.w.handle(m.server, handle).unwrap().granted.0,
        file::READ_DATA
    );
}

/// A denied open fails with an error that carries the access check's
/// decision, explained when the world records traces; a failure no access
/// check made carries none.
#[test]
fn a_denied_open_carries_its_decision() {
    let mut m = machine(&[Privilege::Impersonate, Privilege::ChangeNotify]);
    m.w.explain = true;
    let h = m.client_handle();
    m.w.impersonate(m.server_thread, h).unwrap();
    let read = AccessMask(file::READ_DATA);
    let e =
        m.w.open_object(m.server_thread, m.secret, read, false)
            .unwrap_err();
    assert_eq!(e.status(), NtStatus::AccessDenied);
    assert_eq!(
        e.to_string(),
        "STATUS_ACCESS_DENIED: denied by the access check"
    );
    let d = e.denial().expect("the decision behind the denial");
    assert_eq!(d.status, NtStatus::AccessDenied);
    assert_eq!(d.granted, AccessMask::NONE);
    let trace = d.trace.as_ref().expect("a trace, as explain is on");
    assert!(!trace.steps.is_empty());
    assert_eq!(
        e.into_denial().map(|d| d.status),
        Some(NtStatus::AccessDenied)
    );

    // Without explain the decision comes without its trace.
    m.w.explain = false;
    let e =
        m.w.open_object(m.server_thread, m.secret, read, false)
            .unwrap_err();
    assert!(e.denial().is_some_and(|d| d.trace.is_none()));

    // No token to open: a status with no decision behind it.
    m.w.revert_to_self(m.server_thread).unwrap();
    let e =
        m.w.open_thread_token(m.server_thread, m.server_thread, read, false)
            .unwrap_err();
    assert_eq!(e.status(), NtStatus::NoToken);
    assert!(e.denial().is_none());
    assert_eq!(e.to_string(), "STATUS_NO_TOKEN");
}

/// SeTokenCanImpersonate: without SeImpersonatePrivilege, another user's
/// token from another logon session is capped to Identification, and
/// opening objects then fails with STATUS_BAD_IMPERSONATION_LEVEL.
#[test]
fn identification_capping_without_se_impersonate() {
    let mut m = machine(&[Privilege::ChangeNotify]);
    let h = m.client_handle();
    let out = m.w.impersonate(m.server_thread, h).unwrap();
    assert_eq!(out.requested, ImpersonationLevel::Impersonation);
    assert_eq!(out.level, ImpersonationLevel::Identification);
    assert!(out.capped.unwrap().contains("SeImpersonatePrivilege"));
    let r =
        m.w.open_object(m.server_thread, m.share, AccessMask(file::READ_DATA), false);
    assert_eq!(r.unwrap_err().status(), NtStatus::BadImpersonationLevel);
    // The thread still is the client, for identification.
    let eff = m.w.effective_token(m.server_thread).unwrap();
    assert_eq!(m.w.token(eff).unwrap().user.sid, sid(ALICE));
}

/// A token above the caller's integrity is capped to Identification.
#[test]
fn higher_integrity_tokens_are_capped() {
    let mut w = World::new();
    let low = w.logon_user(
        sid(BOB),
        &[],
        &[Privilege::Impersonate],
        IntegrityLevel::LOW,
    );
    let high = w.logon_user(sid(ALICE), &[], &[], IntegrityLevel::HIGH);
    let (p, t) = w.spawn("low.exe", low).unwrap();
    let h = w
        .give_handle(p, Target::Token(high), AccessMask(tok::ALL_ACCESS))
        .unwrap();
    let out = w.impersonate(t, h).unwrap();
    assert_eq!(out.level, ImpersonationLevel::Identification);
    assert!(out.capped.unwrap().contains("integrity"));
}

/// The caller's own user and logon session need no privilege.
#[test]
fn own_user_and_own_logon_session_need_no_privilege() {
    let mut w = World::new();
    let alice = w.logon_user(sid(ALICE), &[], &[], IntegrityLevel::MEDIUM);
    let (p, t) = w.spawn("app.exe", alice).unwrap();
    let h = w
        .give_handle(p, Target::Token(alice), AccessMask(tok::ALL_ACCESS))
        .unwrap();
    let out = w.impersonate(t, h).unwrap();
    assert_eq!(out.level, ImpersonationLevel::Impersonation);
    assert_eq!(
        out.allowed_by.as_deref(),
        Some("the token is for the caller's own user")
    );
}

/// OpenThreadToken with OpenAsSelf checks against the process token: the
/// client's own token denies it the open, the server's allows it.
#[test]
fn open_thread_token_as_self() {
    let mut m = machine(&[Privilege::Impersonate]);
    // A client token whose own descriptor admits only SYSTEM.
    let mut t = m.w.token(m.client).unwrap().clone();
    t.default_dacl = Some(sd("D:(A;;GA;;;SY)").dacl.unwrap());
    let restricted_client = m.w.add_token(t);
    let h =
        m.w.give_handle(
            m.server,
            Target::Token(restricted_client),
            AccessMask(tok::ALL_ACCESS),
        )
        .unwrap();
    m.w.impersonate(m.server_thread, h).unwrap();
    let no = m.w.open_thread_token(
        m.server_thread,
        m.server_thread,
        AccessMask(tok::QUERY),
        false,
    );
    assert_eq!(no.unwrap_err().status(), NtStatus::AccessDenied);
    let (_, d) =
        m.w.open_thread_token(
            m.server_thread,
            m.server_thread,
            AccessMask(tok::QUERY),
            true,
        )
        .unwrap();
    assert_eq!(d.granted.0, tok::QUERY);
    // A thread that is not impersonating has no token.
    m.w.revert_to_self(m.server_thread).unwrap();
    let none = m.w.open_thread_token(
        m.server_thread,
        m.server_thread,
        AccessMask(tok::QUERY),
        true,
    );
    assert_eq!(none.unwrap_err().status(), NtStatus::NoToken);
}

/// ImpersonateAnonymousToken, and an Anonymous-level token cannot be opened.
#[test]
fn anonymous_tokens() {
    let mut m = machine(&[Privilege::Impersonate]);
    m.w.impersonate_anonymous(m.server_thread).unwrap();
    let eff = m.w.effective_token(m.server_thread).unwrap();
    assert_eq!(m.w.token(eff).unwrap().user.sid, wk::ANONYMOUS);
    m.w.impersonate_self(m.server_thread, ImpersonationLevel::Anonymous)
        .unwrap();
    let r = m.w.open_thread_token(
        m.server_thread,
        m.server_thread,
        AccessMask(tok::QUERY),
        true,
    );
    assert_eq!(r.unwrap_err().status(), NtStatus::CantOpenAnonymous);
}

/// Nested push and pop restore each context exactly; revert drops all; a
/// pop on an empty stack is STATUS_NO_IMPERSONATION_TOKEN.
#[test]
fn nested_push_and_pop() {
    let mut m = machine(&[Privilege::Impersonate]);
    let bob = m.w.logon_user(sid(BOB), &[], &[], IntegrityLevel::MEDIUM);
    let ha =
        m.w.give_handle(
            m.server,
            Target::Token(m.client),
            AccessMask(tok::ALL_ACCESS),
        )
        .unwrap();
    let hb =
        m.w.give_handle(m.server, Target::Token(bob), AccessMask(tok::ALL_ACCESS))
            .unwrap();
    let user = |w: &World, t| w.token(w.effective_token(t).unwrap()).unwrap().user.sid;
    let t = m.server_thread;
    assert_eq!(user(&m.w, t), wk::LOCAL_SYSTEM);
    m.w.push_impersonation(t, ha).unwrap();
    assert_eq!(user(&m.w, t), sid(ALICE));
    m.w.push_impersonation(t, hb).unwrap();
    assert_eq!(user(&m.w, t), sid(BOB));
    assert_eq!(m.w.impersonation_depth(t).unwrap(), 2);
    m.w.pop_impersonation(t).unwrap();
    assert_eq!(user(&m.w, t), sid(ALICE));
    m.w.pop_impersonation(t).unwrap();
    assert_eq!(user(&m.w, t), wk::LOCAL_SYSTEM);
    assert_eq!(
        m.w.pop_impersonation(t).unwrap_err(),
        NtStatus::NoImpersonationToken
    );
    m.w.push_impersonation(t, ha).unwrap();
    m.w.push_impersonation(t, hb).unwrap();
    m.w.revert_to_self(t).unwrap();
    assert_eq!(user(&m.w, t), wk::LOCAL_SYSTEM);
    assert_eq!(m.w.impersonation_depth(t).unwrap(), 0);
}

/// CreateProcess while impersonating gives the child the creator's
/// process token, not the impersonation token.
#[test]
fn create_process_while_impersonating() {
    let mut m = machine(&[Privilege::Impersonate]);
    let h = m.client_handle();
    m.w.impersonate(m.server_thread, h).unwrap();
    let (child, child_thread) = m.w.create_process(m.server_thread, "child.exe").unwrap();
    let token = m.w.token(m.w.primary_token(child).unwrap()).unwrap();
    assert_eq!(token.user.sid, wk::LOCAL_SYSTEM);
    assert_eq!(token.token_type, TokenType::Primary);
    assert_eq!(
        m.w.process_info(child).unwrap(),
        ("child.exe", Some(m.server))
    );
    assert_eq!(m.w.thread_process(child_thread).unwrap(), child);
}

/// Inheritance with CREATOR OWNER on a container and on a leaf: a file
/// created by an impersonating server thread is owned by the client.
#[test]
fn creation_with_creator_owner_while_impersonating() {
    let mut m = machine(&[Privilege::Impersonate]);
    let h = m.client_handle();
    m.w.impersonate(m.server_thread, h).unwrap();
    let file =
        m.w.create_object(
            m.server_thread,
            Some(m.share),
            "notes.txt",
            ObjectKind::File,
            &CreateOptions::default(),
        )
        .unwrap();
    let info = m.w.object(file).unwrap();
    assert_eq!(info.path, "\\share\\notes.txt");
    let text =
        m.w.descriptor(info.descriptor)
            .unwrap()
            .to_sddl(None)
            .unwrap();
    assert_eq!(
        text,
        format!("O:{ALICE}G:{ALICE}D:AI(A;ID;FA;;;SY)(A;ID;FA;;;BA)(A;ID;FA;;;{ALICE})")
    );
    let dir =
        m.w.create_object(
            m.server_thread,
            Some(m.share),
            "project",
            ObjectKind::Directory,
            &CreateOptions::default(),
        )
        .unwrap();
    let text =
        m.w.descriptor(m.w.object(dir).unwrap().descriptor)
            .unwrap()
            .to_sddl(None)
            .unwrap();
    assert_eq!(
        text,
        format!("O:{ALICE}G:{ALICE}D:AI(A;OICIID;FA;;;SY)(A;OICIID;FA;;;BA)(A;ID;FA;;;{ALICE})(A;OICIIOID;GA;;;CO)(A;CIID;0x100006;;;BU)")
    );
    // The client owns the file: READ_CONTROL | WRITE_DAC through owner
    // rights even without an ACE for alice's user... and her own ACE.
    let (_, d) =
        m.w.open_object(m.server_thread, file, AccessMask::MAXIMUM_ALLOWED, false)
            .unwrap();
    assert_eq!(d.granted.0, file::ALL_ACCESS);
    // Creating needs the create right on the parent.
    let bob = m.w.logon_user(sid(BOB), &[], &[], IntegrityLevel::MEDIUM);
    let (_, bt) = m.w.spawn("bob.exe", bob).unwrap();
    let r = m.w.create_object(
        bt,
        Some(m.share),
        "x.txt",
        ObjectKind::File,
        &CreateOptions::default(),
    );
    assert_eq!(r.unwrap_err().status(), NtStatus::AccessDenied);
}

/// Handles: only the granted mask counts; closing; duplicating with the
/// same or less access.
#[test]
fn handles() {
    let mut m = machine(&[]);
    let (h, _) =
        m.w.open_object(
            m.server_thread,
            m.secret,
            AccessMask(file::GENERIC_READ),
            false,
        )
        .unwrap();
    assert!(m
        .w
        .use_handle(m.server, h, AccessMask(file::READ_DATA))
        .is_ok());
    assert_eq!(
        m.w.use_handle(m.server, h, AccessMask(file::WRITE_DATA))
            .unwrap_err(),
        NtStatus::AccessDenied
    );
    let less =
        m.w.duplicate_handle(m.server, h, m.server, Some(AccessMask(file::READ_DATA)))
            .unwrap();
    assert_eq!(
        m.w.handle(m.server, less).unwrap().granted.0,
        file::READ_DATA
    );
    let more =
        m.w.duplicate_handle(m.server, h, m.server, Some(AccessMask(file::ALL_ACCESS)));
    assert_eq!(more.unwrap_err(), NtStatus::AccessDenied);
    m.w.close_handle(m.server, h).unwrap();
    assert_eq!(
        m.w.use_handle(m.server, h, AccessMask(0)).unwrap_err(),
        NtStatus::InvalidHandle
    );
    assert_eq!(
        m.w.close_handle(m.server, h).unwrap_err(),
        NtStatus::InvalidHandle
    );
    assert_eq!(
        m.w.handle(m.server, foreign_ids().handle).unwrap_err(),
        NtStatus::InvalidHandle
    );
}

/// Token operations and their statuses.
#[test]
fn token_operations() {
    let mut w = World::new();
    let mut t = Token::new(sid(ALICE))
        .with_group(wk::BUILTIN_USERS)
        .with_group_attributes(
            wk::BUILTIN_ADMINISTRATORS,
            GroupAttributes::USE_FOR_DENY_ONLY,
        )
        .with_privilege(Privilege::ChangeNotify);
    t.default_dacl = Some(sd(&format!("D:(A;;GA;;;{ALICE})")).dacl.unwrap());
    let alice = w.add_token(t);
    let (p, th) = w.spawn("app.exe", alice).unwrap();
    let (h, _) = w
        .open_process_token(th, p, AccessMask(tok::ALL_ACCESS))
        .unwrap();
    assert_eq!(
        w.adjust_privileges(th, h, &[(Privilege::ChangeNotify, Some(false))])
            .unwrap(),
        NtStatus::Success
    );
    assert_eq!(
        w.adjust_privileges(th, h, &[(Privilege::Backup, Some(true))])
            .unwrap(),
        NtStatus::NotAllAssigned
    );
    assert_eq!(
        w.adjust_groups(th, h, &[(wk::BUILTIN_USERS, false)])
            .unwrap_err(),
        NtStatus::CantDisableMandatory
    );
    assert_eq!(
        w.adjust_groups(th, h, &[(wk::BUILTIN_ADMINISTRATORS, true)])
            .unwrap_err(),
        NtStatus::CantEnableDenyOnly
    );
    // Duplicate to an Identification impersonation token, then try to go up.
    let ident = w
        .duplicate_token_ex(
            th,
            h,
            AccessMask(tok::ALL_ACCESS),
            None,
            ImpersonationLevel::Identification,
            TokenType::Impersonation,
        )
        .unwrap();
    let up = w.duplicate_token_ex(
        th,
        ident,
        AccessMask(tok::ALL_ACCESS),
        None,
        ImpersonationLevel::Delegation,
        TokenType::Impersonation,
    );
    assert_eq!(up.unwrap_err(), NtStatus::BadImpersonationLevel);
    // SetThreadToken takes only impersonation tokens.
    assert_eq!(
        w.set_thread_token(th, th, Some(h)).unwrap_err().status(),
        NtStatus::BadTokenType
    );
    // Restricted token: disabled SIDs become deny-only, privileges go.
    let r = w
        .create_restricted_token(
            th,
            h,
            &secctx::Restriction {
                disable: vec![wk::BUILTIN_USERS],
                delete: vec![Privilege::ChangeNotify],
                restrict: vec![secctx::TokenGroup::with_attributes(
                    wk::WORLD,
                    GroupAttributes(0),
                )],
                ..Default::default()
            },
        )
        .unwrap();
    let Target::Token(rid) = w.handle(p, r).unwrap().target else {
        panic!()
    };
    let rt = w.token(rid).unwrap();
    assert!(rt
        .groups
        .iter()
        .any(|g| g.sid == wk::BUILTIN_USERS && g.is_deny_only()));
    assert!(rt.privileges.is_empty());
    assert!(rt.is_restricted());
    // Lowering integrity is free; raising it needs SeTcbPrivilege.
    w.set_integrity(th, h, IntegrityLevel::LOW).unwrap();
    assert_eq!(
        w.set_integrity(th, h, IntegrityLevel::HIGH).unwrap_err(),
        NtStatus::PrivilegeNotHeld
    );
    // A handle without the right.
    let (q, _) = w.open_process_token(th, p, AccessMask(tok::QUERY)).unwrap();
    assert_eq!(
        w.adjust_privileges(th, q, &[]).unwrap_err(),
        NtStatus::AccessDenied
    );
}

/// Unknown ids, collisions and cycles get precise statuses.
#[test]
fn bad_input_statuses() {
    let mut m = machine(&[]);
    let foreign = foreign_ids();
    assert_eq!(
        m.w.effective_token(foreign.thread).unwrap_err(),
        NtStatus::InvalidCid
    );
    assert_eq!(
        m.w.primary_token(foreign.process).unwrap_err(),
        NtStatus::InvalidCid
    );
    assert_eq!(
        m.w.object(foreign.object).unwrap_err(),
        NtStatus::ObjectNameNotFound
    );
    assert_eq!(
        m.w.lookup("\\share\\missing").unwrap_err(),
        NtStatus::ObjectNameNotFound
    );
    assert_eq!(m.w.lookup("/SHARE/Secret.TXT").unwrap(), m.secret);
    let d = m.w.object(m.share).unwrap().descriptor;
    assert_eq!(
        m.w.insert_object(Some(m.share), "SECRET.txt", ObjectKind::File, None, d)
            .unwrap_err(),
        NtStatus::ObjectNameCollision
    );
    assert_eq!(
        m.w.insert_object(Some(m.secret), "x", ObjectKind::File, None, d)
            .unwrap_err(),
        NtStatus::ObjectPathNotFound
    );
    let sub =
        m.w.insert_object(Some(m.share), "sub", ObjectKind::Directory, None, d)
            .unwrap();
    assert_eq!(
        m.w.move_object(m.share, Some(sub)).unwrap_err(),
        NtStatus::InvalidParameter
    );
    assert_eq!(
        m.w.move_object(m.share, Some(m.share)).unwrap_err(),
        NtStatus::InvalidParameter
    );
    m.w.move_object(m.secret, Some(sub)).unwrap();
    assert_eq!(
        m.w.object(m.secret).unwrap().path,
        "\\share\\sub\\secret.txt"
    );
}

/// SetSecurityInfo needs WRITE_DAC / WRITE_OWNER on the handle; the owner
/// must be one the caller may assign; a new DACL propagates to children.
#[test]
fn security_edits_and_propagation() {
    let mut m = machine(&[]);
    let child =
        m.w.create_object(
            m.server_thread,
            Some(m.share),
            "c.txt",
            ObjectKind::File,
            &CreateOptions::default(),
        )
        .unwrap();
    let (ro, _) =
        m.w.open_object(m.server_thread, m.share, AccessMask::READ_CONTROL, false)
            .unwrap();
    let new = sd("D:AI(A;OICI;FR;;;WD)");
    let dacl = SecurityInformation {
        dacl: true,
        ..Default::default()
    };
    assert_eq!(
        m.w.set_security(m.server_thread, ro, dacl, &new)
            .unwrap_err(),
        NtStatus::AccessDenied
    );
    let got =
        m.w.get_security(m.server_thread, ro, SecurityInformation::STANDARD)
            .unwrap();
    assert!(got.to_sddl(None).unwrap().starts_with("O:BAG:SYD:PAI("));
    let (wd, _) =
        m.w.open_object(
            m.server_thread,
            m.share,
            AccessMask(AccessMask::WRITE_DAC.0 | AccessMask::WRITE_OWNER.0),
            false,
        )
        .unwrap();
    m.w.set_security(m.server_thread, wd, dacl, &new).unwrap();
    let text =
        m.w.descriptor(m.w.object(child).unwrap().descriptor)
            .unwrap()
            .to_sddl(None)
            .unwrap();
    assert!(text.ends_with("D:AI(A;ID;FR;;;WD)"), "{text}");
    let owner = SecurityInformation {
        owner: true,
        ..Default::default()
    };
    assert_eq!(
        m.w.set_security(m.server_thread, wd, owner, &sd("O:BU"))
            .unwrap_err(),
        NtStatus::InvalidOwner
    );
    m.w.set_security(m.server_thread, wd, owner, &sd("O:SY"))
        .unwrap();
}

/// Effective-access queries: what a thread may do, and who may do X.
#[test]
fn effective_access_queries() {
    let m = machine(&[]);
    let d = m.w.effective_access(m.server_thread, m.secret).unwrap();
    assert_eq!(d.granted.0, file::ALL_ACCESS);
    assert!(d
        .trace
        .unwrap()
        .render()
        .contains("D[0] (A;;FA;;;SY): grants"));
    let who = m.w.who_can(m.secret, AccessMask(file::READ_DATA)).unwrap();
    assert!(
        who.iter()
            .all(|(t, _)| m.w.token(*t).unwrap().user.sid == wk::LOCAL_SYSTEM),
        "{who:?}"
    );
    assert!(!who.is_empty());
    // Users may add files to the share but not read the secret.
    let s = m.w.audit(m.client, AccessMask(file::WRITE_DATA)).unwrap();
    assert_eq!((s.objects, s.granted, s.descriptors_checked), (2, 1, 2));
    let _ = m.server;
}
