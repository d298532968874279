//! What the token API tests share: principals and a fixture runner that
//! requires every judged step to pass.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use secctx::fixture::{Collect, Runner, Verdict};
use secctx::{IntegrityLevel, Privilege, Sid, TokenId, World};

/// Alice's SID.
pub const ALICE: &str = "S-1-5-21-1-2-3-1001";
/// Bob's SID.
pub const BOB: &str = "S-1-5-21-1-2-3-1002";

/// A SID from SDDL.
pub fn sid(s: &str) -> Sid {
    Sid::parse_sddl(s, None).unwrap()
}

/// Runs a fixture and requires each judged step to pass; returns how many
/// steps ran.
pub fn run_passing(text: &str) -> usize {
    let mut sink = Collect::default();
    Runner::new().run_str(text, "t", &mut sink).unwrap();
    for s in &sink.steps {
        assert_ne!(
            s.verdict,
            Verdict::Fail,
            "[{}] {} {:?}",
            s.index,
            s.title,
            s.failures
        );
    }
    sink.steps.len()
}

/// A LogonUser-style token for `user` (a SID in SDDL): Users, the given
/// privileges, Medium integrity.
pub fn logon(w: &mut World, user: &str, privileges: &[Privilege]) -> TokenId {
    w.logon_user(
        sid(user),
        &[secctx::well_known::BUILTIN_USERS],
        privileges,
        IntegrityLevel::MEDIUM,
    )
}
