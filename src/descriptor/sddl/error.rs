//! What can go wrong parsing or printing SDDL.

use crate::descriptor::ace::AceType;
use crate::descriptor::claims::ClaimError;
use crate::descriptor::condition::ConditionError;
use crate::descriptor::Found;
use crate::ids::guid::GuidError;
use crate::ids::sid::SidError;
use std::fmt;

/// SDDL that Windows would not accept, or a descriptor that has no SDDL form.
///
/// [`offset`](SddlError::offset) is a byte offset into the input (0 for
/// printing errors); [`kind`](SddlError::kind) says what went wrong. It
/// displays as the kind's message followed by ` at offset N`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SddlError {
    offset: usize,
    kind: SddlErrorKind,
}

/// What went wrong with SDDL. Each variant displays as the message of an
/// [`SddlError`], without its offset.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SddlErrorKind {
    // Parsing.
    /// Something other than what is allowed here.
    Unexpected {
        /// What is allowed (`` "`;` after the ACE flags" ``, ...).
        expected: &'static str,
        /// The character found, `None` at the end of the input.
        found: Option<char>,
    },
    /// Something required is missing; the payload says what.
    Expected(&'static str),
    /// `O:`, `G:`, `D:` or `S:` given twice; the payload is the letter.
    DuplicateComponent(char),
    /// A SID that is not valid, an unknown alias, or a domain-relative alias
    /// without a domain.
    Sid(SidError),
    /// Text after a complete SID or numeric mask.
    Trailing {
        /// What it follows (`"the SID"`, `"the trustee SID"`,
        /// `"the numeric access mask"`).
        after: &'static str,
        /// The extra text.
        text: String,
    },
    /// `NO_ACCESS_CONTROL` followed by ACEs.
    NullAclWithAces,
    /// An ACL whose binary form would pass 65,535 bytes (MS-DTYP 2.4.5:
    /// AclSize is 16 bits); the payload is the size it reaches with the ACE
    /// at the error's offset.
    AclTooLarge(usize),
    /// An ACE whose binary form would pass 65,535 bytes (MS-DTYP 2.4.4.1:
    /// AceSize is 16 bits); the payload is its size.
    AceTooLarge(usize),
    /// An ACE type code Windows does not know.
    UnknownAceType(String),
    /// An audit or alarm ACE in a DACL, which Windows refuses; the payload
    /// is the type as written.
    AuditAceInDacl(String),
    /// A callback or resource attribute ACE without its seventh field; the
    /// payload is the type as written.
    MissingApplicationData(String),
    /// A seventh field on an ACE type that takes none; the payload is the
    /// type as written.
    UnexpectedApplicationData(String),
    /// A conditional expression that does not compile.
    Condition(ConditionError),
    /// A resource attribute that does not parse.
    ResourceAttribute(ClaimError),
    /// A resource attribute ACE whose trustee is not Everyone.
    ResourceAttributeTrustee,
    /// A trustee that is neither a SID nor a two-letter alias.
    BadTrustee(String),
    /// An ACE flag code Windows does not know.
    UnknownAceFlag(String),
    /// A space after the last access right code.
    TrailingSpaceInRights,
    /// An access right code Windows does not know.
    UnknownRight(String),
    /// An object type GUID that is not in the 8-4-4-4-12 form.
    Guid(GuidError),

    // Printing.
    /// An ACE type that SDDL cannot express.
    NoSddlForm(AceType),
    /// A callback ACE whose condition cannot be decoded or printed.
    UnprintableCondition(ConditionError),
    /// A resource attribute ACE whose payload cannot be decoded or printed.
    UnprintableResourceAttribute(ClaimError),
    /// An ACE of a descriptor that cannot be printed.
    InAce {
        /// Whether the ACE is in the SACL (else the DACL).
        sacl: bool,
        /// Its index in the ACL.
        index: usize,
        /// Why it cannot be printed.
        kind: Box<SddlErrorKind>,
    },
}

offset_error!(
    SddlError,
    SddlErrorKind,
    "Where the problem is: a byte offset into the input, 0 for printing errors."
);

impl fmt::Display for SddlErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use SddlErrorKind as K;
        match self {
            K::Unexpected { expected, found } => {
                write!(f, "expected {expected}, found {}", Found(*found))
            }
            K::Expected(what) => write!(f, "expected {what}"),
            K::DuplicateComponent(tag) => write!(f, "`{tag}:` appears twice"),
            K::Sid(e) => {
                // Text SID errors end with " at offset N"; the SDDL error
                // carries the offset itself.
                let text = e.to_string();
                f.write_str(text.rsplit_once(" at offset ").map_or(&*text, |(m, _)| m))
            }
            K::Trailing { after, text } => write!(f, "unexpected `{text}` after {after}"),
            K::NullAclWithAces => f.write_str("a null ACL (`NO_ACCESS_CONTROL`) cannot hold ACEs"),
            K::AclTooLarge(n) => write!(
                f,
                "this ACE makes the ACL {n} bytes long; an ACL holds at most 65535 (MS-DTYP 2.4.5)"
            ),
            K::AceTooLarge(n) => write!(
                f,
                "this ACE is {n} bytes long; an ACE holds at most 65535 (MS-DTYP 2.4.4.1)"
            ),
            K::UnknownAceType(t) => write!(f, "unknown ACE type `{t}`"),
            K::AuditAceInDacl(t) => {
                write!(f, "an audit ACE (`{t}`) belongs in the SACL, not the DACL")
            }
            K::MissingApplicationData(t) => {
                write!(f, "a `{t}` ACE needs a seventh field after the SID")
            }
            K::UnexpectedApplicationData(t) => {
                write!(f, "a `{t}` ACE ends after the SID; expected `)`")
            }
            K::Condition(e) => write!(f, "{}", e.kind()),
            K::ResourceAttribute(e) => write!(f, "{}", e.kind()),
            K::ResourceAttributeTrustee => {
                f.write_str("a resource attribute ACE's SID must be `WD` (S-1-1-0)")
            }
            K::BadTrustee(t) => write!(
                f,
                "expected a SID or two-letter alias for the trustee, found `{t}`"
            ),
            K::UnknownAceFlag(code) => write!(f, "unknown ACE flag `{code}`"),
            K::TrailingSpaceInRights => f.write_str("trailing space in the access rights"),
            K::UnknownRight(code) => write!(f, "unknown access right `{code}`"),
            K::Guid(e) => write!(f, "{e}"),
            K::NoSddlForm(t) => {
                write!(f, "type 0x{:02x} ({}) has no SDDL form", t.code(), t.name())
            }
            K::UnprintableCondition(e) => write!(f, "condition: {}", e.kind()),
            K::UnprintableResourceAttribute(e) => {
                write!(f, "resource attribute: {}", e.kind())
            }
            K::InAce { sacl, index, kind } => write!(
                f,
                "{} ACE {index}: {kind}",
                if *sacl { "SACL" } else { "DACL" }
            ),
        }
    }
}

impl SddlErrorKind {
    /// The error this kind wraps, if any.
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        use SddlErrorKind as K;
        match self {
            K::Sid(e) => Some(e),
            K::Guid(e) => Some(e),
            K::Condition(e) | K::UnprintableCondition(e) => Some(e),
            K::ResourceAttribute(e) | K::UnprintableResourceAttribute(e) => Some(e),
            K::InAce { kind, .. } => kind.source(),
            _ => None,
        }
    }
}

impl std::error::Error for SddlError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.kind.source()
    }
}

/// Fails with `kind` at `offset`.
pub(super) fn fail<T>(offset: usize, kind: SddlErrorKind) -> Result<T, SddlError> {
    Err(SddlError::new(offset, kind))
}
