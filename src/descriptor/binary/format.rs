//! What the binary form shares between its reader and its writer: the
//! object-ACE flags (MS-DTYP 2.4.4.3) and [`BinaryError`], the ways a
//! self-relative descriptor (MS-DTYP 2.4.6) can be malformed or too large.

use crate::ids::sid::SidError;

/// `ACE_OBJECT_TYPE_PRESENT` (MS-DTYP 2.4.4.3).
pub(super) const OBJECT_TYPE_PRESENT: u32 = 0x1;
/// `ACE_INHERITED_OBJECT_TYPE_PRESENT`.
pub(super) const INHERITED_OBJECT_TYPE_PRESENT: u32 = 0x2;

/// Binary data that is not a valid self-relative descriptor, or a descriptor
/// too large for the binary format. Offsets are in bytes from the start of the
/// descriptor.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BinaryError {
    /// Fewer bytes than a structure needs.
    #[error("{what} at offset {offset} needs {needed} bytes but only {available} remain")]
    Truncated {
        /// What was being read.
        what: &'static str,
        /// Where it starts.
        offset: usize,
        /// Bytes it needs.
        needed: usize,
        /// Bytes available.
        available: usize,
    },
    /// The descriptor revision is not 1.
    #[error("descriptor revision must be 1, found {found} at offset 0")]
    Revision {
        /// The revision byte.
        found: u8,
    },
    /// `SE_SELF_RELATIVE` is clear.
    #[error("control 0x{control:04x} at offset 2 lacks SE_SELF_RELATIVE (0x8000); only self-relative descriptors can be decoded")]
    NotSelfRelative {
        /// The control field.
        control: u16,
    },
    /// An offset points outside the buffer.
    #[error(
        "{field} offset {offset} (header byte {at}) is past the end of the {len}-byte descriptor"
    )]
    OffsetOutOfBounds {
        /// Which part.
        field: &'static str,
        /// Where the offset field is in the header.
        at: usize,
        /// The offset.
        offset: usize,
        /// The buffer length.
        len: usize,
    },
    /// An offset points into the 20-byte header.
    #[error("{field} offset {offset} (header byte {at}) points into the 20-byte header")]
    OffsetInHeader {
        /// Which part.
        field: &'static str,
        /// Where the offset field is in the header.
        at: usize,
        /// The offset.
        offset: usize,
    },
    /// Two parts share bytes.
    #[error("{first} (bytes {first_start}..{first_end}) overlaps {second} (bytes {second_start}..{second_end})")]
    Overlap {
        /// The earlier part.
        first: &'static str,
        /// Its start.
        first_start: usize,
        /// Its end.
        first_end: usize,
        /// The later part.
        second: &'static str,
        /// Its start.
        second_start: usize,
        /// Its end.
        second_end: usize,
    },
    /// A SID is malformed.
    #[error("{field}: {source}")]
    Sid {
        /// Where the SID is.
        field: String,
        /// What is wrong with it.
        source: SidError,
    },
    /// An ACL revision other than 2, 3 or 4.
    #[error("{field} at offset {offset} has revision {revision}; expected 2, 3 or 4")]
    AclRevision {
        /// Which ACL.
        field: &'static str,
        /// Where it starts.
        offset: usize,
        /// The revision byte.
        revision: u8,
    },
    /// An ACL size field that cannot be right.
    #[error("{field} at offset {offset} has size {size}: {reason}")]
    AclSize {
        /// Which ACL.
        field: &'static str,
        /// Where it starts.
        offset: usize,
        /// The size field.
        size: usize,
        /// Why it is wrong.
        reason: &'static str,
    },
    /// An ACE size field that cannot be right.
    #[error("{field} ACE {index} at offset {offset} has size {size}: {reason}")]
    AceSize {
        /// Which ACL.
        field: &'static str,
        /// ACE index in the ACL.
        index: usize,
        /// Where the ACE starts.
        offset: usize,
        /// The size field.
        size: usize,
        /// Why it is wrong.
        reason: String,
    },
    /// Object ACE flags with bits secctx cannot keep.
    #[error("{field} ACE {index} at offset {offset} has unknown object flags 0x{flags:x}; only 0x1 and 0x2 are defined")]
    ObjectFlags {
        /// Which ACL.
        field: &'static str,
        /// ACE index.
        index: usize,
        /// Where the ACE starts.
        offset: usize,
        /// The flags field.
        flags: u32,
    },
    /// An ACL whose binary form exceeds the 16-bit size field.
    #[error("{field} needs {size} bytes; an ACL holds at most 65535")]
    AclTooLarge {
        /// Which ACL.
        field: &'static str,
        /// Bytes it would need.
        size: usize,
    },
    /// An ACE whose binary form exceeds the 16-bit size field.
    #[error("{field} ACE {index} needs {size} bytes; an ACE holds at most 65535")]
    AceTooLarge {
        /// Which ACL.
        field: &'static str,
        /// ACE index.
        index: usize,
        /// Bytes it would need.
        size: usize,
    },
    /// More ACEs than the 16-bit count allows.
    #[error("{field} holds {count} ACEs; at most 65535 fit")]
    TooManyAces {
        /// Which ACL.
        field: &'static str,
        /// The count.
        count: usize,
    },
    /// Hex text that is not hex.
    #[error("invalid hex at offset {offset}: {reason}")]
    Hex {
        /// Character offset in the hex text.
        offset: usize,
        /// What is wrong.
        reason: &'static str,
    },
    /// Base64 text that is not base64.
    #[error("invalid base64 at offset {offset}: {reason}")]
    Base64 {
        /// Character offset in the base64 text.
        offset: usize,
        /// What is wrong.
        reason: &'static str,
    },
}

impl BinaryError {
    /// The byte offset the error refers to, when there is one.
    pub fn offset(&self) -> Option<usize> {
        match self {
            BinaryError::OffsetOutOfBounds { at, .. } | BinaryError::OffsetInHeader { at, .. } => {
                Some(*at)
            }
            BinaryError::Truncated { offset, .. }
            | BinaryError::AclRevision { offset, .. }
            | BinaryError::AclSize { offset, .. }
            | BinaryError::AceSize { offset, .. }
            | BinaryError::ObjectFlags { offset, .. }
            | BinaryError::Hex { offset, .. }
            | BinaryError::Base64 { offset, .. } => Some(*offset),
            BinaryError::Revision { .. } => Some(0),
            BinaryError::NotSelfRelative { .. } => Some(2),
            BinaryError::Overlap { second_start, .. } => Some(*second_start),
            BinaryError::Sid {
                source:
                    SidError::Truncated { offset, .. }
                    | SidError::BinaryRevision { offset, .. }
                    | SidError::BinaryCount { offset, .. },
                ..
            } => Some(*offset),
            _ => None,
        }
    }
}
