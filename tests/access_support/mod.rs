//! What the access-check rule suites share: the user, a token in Everyone
//! and Users, SID and descriptor readers, and a plain file request.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use secctx::{AccessMask, AccessRequest, ObjectKind, SecurityDescriptor, Sid, Token};

/// The user of [`token`].
pub const USER: &str = "S-1-5-21-1-2-3-1001";
/// Another user of the same domain.
pub const OTHER: &str = "S-1-5-21-1-2-3-1002";

/// A SID in SDDL (an alias or `S-...`).
pub fn sid(s: &str) -> Sid {
    Sid::parse_sddl(s, None).unwrap()
}

/// A user in Everyone and Users.
pub fn token() -> Token {
    Token::new(sid(USER))
        .with_group(sid("WD"))
        .with_group(sid("BU"))
}

/// A descriptor in SDDL.
pub fn sd(text: &str) -> SecurityDescriptor {
    SecurityDescriptor::from_sddl(text, None).unwrap_or_else(|e| panic!("{text}: {e}"))
}

/// A request for `desired` with the file mapping.
pub fn req(desired: u32) -> AccessRequest<'static> {
    AccessRequest::new(AccessMask(desired)).for_kind(ObjectKind::File)
}
