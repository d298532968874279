//! Access control lists (MS-DTYP 2.4.5).

use crate::descriptor::ace::Ace;

/// An ACL revision byte (MS-DTYP 2.4.5, `AclRevision`).
///
/// The byte is public by design: a revision is a plain value with a fixed,
/// documented encoding, not an opaque id.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
pub struct AclRevision(pub u8);

impl AclRevision {
    /// `ACL_REVISION` (2): no object ACEs.
    pub const NT4: AclRevision = AclRevision(2);
    /// `ACL_REVISION_DS` (4): may hold object ACEs.
    pub const DS: AclRevision = AclRevision(4);
}

/// An ordered list of ACEs.
///
/// `slack` counts bytes the ACL's size field covers beyond its last ACE.
/// Windows writes such slack in some descriptors (see the `oversize-acls`
/// conformance vectors); secctx keeps it so that a decoded descriptor
/// re-encodes to the same bytes. Descriptors secctx builds itself have none.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct Acl {
    /// The revision.
    pub revision: AclRevision,
    /// The entries, in evaluation order.
    pub aces: Vec<Ace>,
    /// Unused bytes at the end of the ACL.
    pub slack: u16,
}

impl Acl {
    /// An empty ACL (revision 2).
    pub fn empty() -> Acl {
        Acl {
            revision: AclRevision::NT4,
            aces: Vec::new(),
            slack: 0,
        }
    }

    /// An ACL holding `aces`, with the revision Windows chooses for them.
    pub fn new(aces: Vec<Ace>) -> Acl {
        let mut acl = Acl {
            revision: AclRevision::NT4,
            aces,
            slack: 0,
        };
        acl.revision = acl.natural_revision();
        acl
    }

    /// The revision Windows writes for these ACEs: 2, or 4 when an object ACE
    /// is present (conformance README; MS-DTYP 2.4.5).
    pub fn natural_revision(&self) -> AclRevision {
        if self.aces.iter().any(|a| a.ace_type.is_object()) {
            AclRevision::DS
        } else {
            AclRevision::NT4
        }
    }

    /// Recomputes the revision after the ACEs changed, dropping any slack.
    pub fn normalize(&mut self) {
        self.revision = self.natural_revision();
        self.slack = 0;
    }

    /// Number of ACEs.
    pub fn len(&self) -> usize {
        self.aces.len()
    }

    /// Whether the ACL holds no ACE.
    pub fn is_empty(&self) -> bool {
        self.aces.is_empty()
    }

    /// Size of the binary form: an 8-byte header, the ACEs and the slack.
    pub fn binary_len(&self) -> usize {
        8 + self.aces.iter().map(Ace::binary_len).sum::<usize>() + self.slack as usize
    }
}

impl Default for Acl {
    fn default() -> Acl {
        Acl::empty()
    }
}
