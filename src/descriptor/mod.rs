//! Descriptors: ACEs, ACLs, security descriptors, their SDDL and
//! self-relative binary forms, conditional expressions and claims.
//!
//! May import: [`crate::ids`].

pub(crate) mod ace;
pub(crate) mod acl;
pub(crate) mod binary;
pub(crate) mod claims;
pub(crate) mod condition;
pub(crate) mod sd;
pub(crate) mod sddl;
