//! A model-based property of the thread impersonation stack.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::cases;
use proptest::prelude::*;
use secctx::rights::{file, token as tok};
use secctx::well_known as wk;
use secctx::{
    access_check, AccessMask, AccessRequest, IntegrityLevel, NtStatus, ObjectKind, Privilege,
    SecurityDescriptor, Sid, Target, World,
};

#[derive(Clone, Debug)]
enum Op {
    Push(usize),
    Pop,
    Revert,
    Impersonate(usize),
    Open(usize),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (0usize..3).prop_map(Op::Push),
        2 => Just(Op::Pop),
        1 => Just(Op::Revert),
        1 => (0usize..3).prop_map(Op::Impersonate),
        3 => (0usize..2).prop_map(Op::Open),
    ]
}

const USERS: [&str; 3] = [
    "S-1-5-21-1-2-3-1001",
    "S-1-5-21-1-2-3-1002",
    "S-1-5-21-1-2-3-1003",
];
const FILES: [&str; 2] = [
    "O:BAG:SYD:(A;;FR;;;S-1-5-21-1-2-3-1001)(A;;FR;;;SY)",
    "O:BAG:SYD:(D;;FR;;;S-1-5-21-1-2-3-1002)(A;;FR;;;WD)",
];

proptest! {
    #![proptest_config(cases(256))]

    /// After every push, pop, revert, impersonation and open, the thread's
    /// effective token and the open's status match a simple model: a
    /// current context plus a stack of saved ones.
    #[test]
    fn impersonation_stack_matches_the_model(ops in proptest::collection::vec(op(), 0..40)) {
        let mut w = World::new();
        let server = w.logon_user(wk::LOCAL_SYSTEM, &[], &[Privilege::Impersonate], IntegrityLevel::SYSTEM);
        let (p, t) = w.spawn("server.exe", server).unwrap();
        let clients: Vec<_> = USERS.iter().map(|u| w.logon_user(u.parse::<Sid>().unwrap(), &[], &[], IntegrityLevel::MEDIUM)).collect();
        let handles: Vec<_> = clients.iter().map(|c| w.give_handle(p, Target::Token(*c), AccessMask(tok::ALL_ACCESS)).unwrap()).collect();
        let objects: Vec<_> = FILES.iter().enumerate().map(|(i, text)| {
            let d = w.add_descriptor(SecurityDescriptor::from_sddl(text, None).unwrap());
            w.insert_object(None, &format!("f{i}"), ObjectKind::File, None, d).unwrap()
        }).collect();

        let mut current: Option<usize> = None;
        let mut stack: Vec<Option<usize>> = Vec::new();
        for o in ops {
            match o {
                Op::Push(i) => {
                    w.push_impersonation(t, handles[i]).unwrap();
                    stack.push(current);
                    current = Some(i);
                }
                Op::Pop => {
                    let r = w.pop_impersonation(t);
                    match stack.pop() {
                        None => prop_assert_eq!(r.unwrap_err(), NtStatus::NoImpersonationToken),
                        Some(saved) => {
                            prop_assert!(r.is_ok());
                            current = saved;
                        }
                    }
                }
                Op::Revert => {
                    w.revert_to_self(t).unwrap();
                    current = None;
                    stack.clear();
                }
                Op::Impersonate(i) => {
                    w.impersonate(t, handles[i]).unwrap();
                    current = Some(i);
                }
                Op::Open(f) => {
                    let model_token = match current {
                        Some(i) => w.token(clients[i]).unwrap().clone(),
                        None => w.token(w.primary_token(p).unwrap()).unwrap().clone(),
                    };
                    let sd = SecurityDescriptor::from_sddl(FILES[f], None).unwrap();
                    let want = access_check(&model_token, &sd, &AccessRequest::new(AccessMask(file::READ_DATA)).for_kind(ObjectKind::File)).unwrap();
                    let got = w.open_object(t, objects[f], AccessMask(file::READ_DATA), false);
                    match got {
                        Ok((_, d)) => prop_assert_eq!(d.status, want.status),
                        Err(e) => {
                            prop_assert_eq!(e.status(), want.status);
                            // A denial carries the decision that made it.
                            prop_assert_eq!(e.denial().map(|d| d.status), Some(want.status));
                        }
                    }
                }
            }
            let eff = w.token(w.effective_token(t).unwrap()).unwrap().user.sid;
            let expected = match current {
                Some(i) => USERS[i].parse::<Sid>().unwrap(),
                None => wk::LOCAL_SYSTEM,
            };
            prop_assert_eq!(eff, expected);
            prop_assert_eq!(w.impersonation_depth(t).unwrap(), stack.len());
        }
    }
}
