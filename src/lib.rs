//! # secctx
//!
//! A faithful, cross-platform simulation of the Windows security model:
//! security identifiers, access masks, security descriptors in SDDL and
//! binary form, access tokens, the AccessCheck algorithm with explanations,
//! impersonation and descriptor inheritance.
//!
//! ```
//! use secctx::{SecurityDescriptor, binary};
//!
//! let sd = SecurityDescriptor::from_sddl("O:BAG:SYD:(A;;FA;;;BA)(A;;FR;;;WD)", None)?;
//! assert_eq!(sd.to_sddl(None)?, "O:BAG:SYD:(A;;FA;;;BA)(A;;FR;;;WD)");
//! let bytes = binary::encode(&sd)?;
//! assert_eq!(binary::decode(&bytes)?, sd);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod access;
pub mod ace;
pub mod acl;
pub mod binary;
pub mod claims;
pub mod condition;
pub mod descriptor;
pub mod fixture;
pub mod guid;
pub mod inherit;
pub mod mask;
pub mod privilege;
pub mod reference;
pub mod sddl;
pub mod sid;
pub mod spec;
pub mod status;
pub mod token;
pub mod world;

/// The README's examples, compiled and run as doctests.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

pub use access::{
    access_check, access_check_explained, AccessDecision, AccessError, AccessRequest, AuditEvent,
    ObjectTypeNode, ObjectTypeResult, SidTable, Trace,
};
pub use ace::{Ace, AceFlags, AceLayout, AceType};
pub use acl::{Acl, AclRevision};
pub use binary::BinaryError;
pub use claims::{ClaimAttribute, ClaimError, ClaimValues};
pub use condition::eval::{ConditionContext, Tristate};
pub use condition::{ConditionError, Expression};
pub use descriptor::{Control, DaclState, SecurityDescriptor};
pub use guid::{Guid, GuidError};
pub use inherit::{
    create_security_descriptor, AceOrigin, InheritApi, InheritError, InheritRequest, Inheritance,
    SefFlags,
};
pub use mask::{AccessMask, GenericMapping, MaskError, ObjectKind};
pub use privilege::{Privilege, PrivilegeSet};
pub use sddl::SddlError;
pub use sid::{Sid, SidError};
pub use status::NtStatus;
pub use token::{
    GroupAttributes, ImpersonationLevel, IntegrityLevel, MandatoryPolicy, Token, TokenGroup,
    TokenPrivilege, TokenType,
};
pub use world::{
    AuditSummary, CreateOptions, DescriptorId, Handle, HandleEntry, ImpersonationOutcome, ObjectId,
    ObjectInfo, ProcessId, SecurityInformation, Target, ThreadId, TokenId, World,
};
