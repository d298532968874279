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

// The layers, bottom to top (see ARCHITECTURE.md): identifiers, descriptors,
// tokens, evaluation, the machine, the JSON forms, fixtures. Every module is
// private; the public surface is the `pub use` block below and the few
// function namespaces after it, so each item has exactly one public path.
mod descriptor;
mod eval;
pub mod fixture;
mod ids;
mod machine;
pub mod manual;
mod token;
pub mod view;

/// The README's examples, compiled and run as doctests.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

pub use descriptor::ace::{Ace, AceFlags, AceLayout, AceType};
pub use descriptor::acl::{Acl, AclRevision};
pub use descriptor::binary::BinaryError;
pub use descriptor::claims::{ClaimAttribute, ClaimError, ClaimErrorKind, ClaimValues};
pub use descriptor::condition::eval::{ConditionContext, Tristate};
pub use descriptor::condition::{ConditionError, ConditionErrorKind, Expression, Unprintable};
pub use descriptor::sd::{Control, DaclState, SecurityDescriptor};
pub use descriptor::sddl::{SddlError, SddlErrorKind};
pub use eval::access::{
    access_check, access_check_explained, AccessDecision, AccessError, AccessRequest, AuditEvent,
    ObjectTypeNode, ObjectTypeResult, Trace,
};
pub use eval::inherit::{
    create_security_descriptor, AceOrigin, InheritApi, InheritError, InheritRequest, Inheritance,
    SefFlags,
};
pub use ids::guid::{Guid, GuidError};
pub use ids::mask::{AccessMask, GenericMapping, ObjectKind};
pub use ids::privilege::{Privilege, PrivilegeSet};
pub use ids::right_names::MaskError;
pub use ids::sid::{Sid, SidError};
pub use ids::status::{NtStatus, Win32Error};
pub use machine::access_check_call::CallDescriptor;
pub use machine::error::CallError;
pub use machine::handles::{DuplicateOptions, ObjectBasicInformation};
pub use machine::ntfs::{FileOpenDecision, FileOpenRule, ParentGrant, TraverseCheck};
pub use machine::object_types::ObjectTypeInformation;
pub use machine::token_adjust::{
    AdjustError, Adjusted, PreviousState, PrivilegeChange, PrivilegeCheckResult,
};
pub use machine::token_copy::{RestrictFlags, Restriction, SecurityQos};
pub use machine::token_info::{
    GroupsAndPrivileges, TokenInformation, TokenInformationClass, TokenInformationReply,
    TokenInformationValue, TokenQueryError, TokenStatistics, MAX_TOKEN_INFORMATION_CLASS,
};
pub use machine::world::{
    AuditSummary, CreateOptions, DescriptorId, ElevationType, Handle, HandleEntry, HandleType,
    ImpersonationOutcome, ObjectId, ObjectInfo, ProcessId, PseudoHandle, SecurityInformation,
    Target, ThreadId, TokenId, World,
};
pub use token::{
    GroupAttributes, ImpersonationLevel, IntegrityLevel, MandatoryPolicy, Token, TokenGroup,
    TokenPrivilege, TokenSource, TokenType,
};

/// Security Descriptor Definition Language: parse and print as Windows does.
pub mod sddl {
    pub use crate::descriptor::sddl::{carried_part, parse, print, print_ace};
}

/// The self-relative binary form of a security descriptor (MS-DTYP 2.4.6),
/// and the hex and base64 text forms used to carry it.
pub mod binary {
    pub use crate::descriptor::binary::{decode, encode, from_base64, from_hex, to_hex};
}

/// Well-known SIDs (MS-DTYP 2.4.2.4), as constants.
pub use ids::sid::well_known;

/// The specific rights of each object kind, as `u32` constants.
pub mod rights {
    pub use crate::ids::rights::{ds, event, file, key, label, process, thread, token};
}

/// The Active Directory schema GUIDs that matter for access decisions
/// (extended rights, validated writes, property sets, attributes), with
/// their names and published sources.
pub mod ds_schema {
    pub use crate::ids::ds_schema::*;
}

/// The steps of an explanation [`Trace`]: what each stage of the check did.
pub mod trace {
    pub use crate::eval::access::{AceOutcome, Pass, Step};
}

/// The compiled forms the fast evaluator works on: interned SIDs, compiled
/// tokens and descriptors. For benchmarks and long-running callers that
/// compile once and ask many questions; not part of the stable surface.
#[doc(hidden)]
pub mod compiled {
    pub use crate::eval::access::{
        access_check_api_status, before_descriptor, call_arguments, check, decide,
        privilege_set_length, CheckVerdict, CompiledDescriptor, CompiledToken, NoTrace, SidId,
        SidTable, Tracer,
    };
}

/// The parts of a conditional expression's token stream (MS-DTYP 2.4.4.17),
/// for callers that build expressions by hand. Not part of the stable surface.
#[doc(hidden)]
pub mod condition {
    pub use crate::descriptor::condition::{
        AttrClass, ExprOp, ExprToken, IntBase, IntSign, IntWidth, MAX_BYTES, MAX_DEPTH,
    };
}

/// The naive reference evaluator, written from MS-DTYP's pseudocode to
/// cross-check the fast one. Not part of the stable surface.
#[doc(hidden)]
pub mod reference {
    pub use crate::eval::reference::naive_access_check;
}

/// The JSON forms shared by the CLI and the fixtures. Not part of the stable
/// surface.
#[doc(hidden)]
pub mod json;
