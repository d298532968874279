//! The question an access check answers: [`AccessRequest`], the plain
//! answers ([`CheckVerdict`], [`ObjectTypeResult`]), and the request checks
//! every entry point makes before a check runs (NtAccessCheck and
//! AccessCheck's preconditions; MS-DTYP 2.5.3.2 step 1).

use super::compile::{CompiledDescriptor, CompiledToken, SidTable};
use super::err::AccessError;
use super::tree::{ObjectTypeNode, Tree};
use crate::ids::mask::{AccessMask, GenericMapping, ObjectKind};
use crate::ids::privilege::PrivilegeSet;
use crate::ids::sid::Sid;
use crate::ids::status::NtStatus;

/// One access-check request.
#[derive(Clone, Copy, Debug, Default)]
pub struct AccessRequest<'a> {
    /// The access wanted; may include MAXIMUM_ALLOWED and generic bits.
    pub desired: AccessMask,
    /// The object type's generic mapping. Without one, generic bits in
    /// `desired` are refused and the mapping is taken as all zeros.
    pub mapping: Option<GenericMapping>,
    /// The SID that PRINCIPAL_SELF (S-1-5-10) ACEs stand for.
    pub self_sid: Option<Sid>,
    /// An object-type list (AccessCheckByType); empty for a plain check.
    pub object_types: &'a [ObjectTypeNode],
    /// Answer for every node of the list (AccessCheckByTypeResultList).
    pub result_list: bool,
    /// The open asks for backup intent (FILE_FLAG_BACKUP_SEMANTICS), so
    /// SeBackupPrivilege and SeRestorePrivilege apply.
    pub backup_intent: bool,
}

impl<'a> AccessRequest<'a> {
    /// A plain request for `desired` with no mapping.
    pub fn new(desired: AccessMask) -> AccessRequest<'a> {
        AccessRequest {
            desired,
            ..AccessRequest::default()
        }
    }

    /// This request with `mapping`.
    pub fn with_mapping(mut self, mapping: GenericMapping) -> AccessRequest<'a> {
        self.mapping = Some(mapping);
        self
    }

    /// This request with the mapping of `kind`.
    pub fn for_kind(self, kind: ObjectKind) -> AccessRequest<'a> {
        self.with_mapping(kind.mapping())
    }

    /// This request with a PRINCIPAL_SELF substitute.
    pub fn with_self_sid(mut self, sid: Sid) -> AccessRequest<'a> {
        self.self_sid = Some(sid);
        self
    }

    /// This request with an object-type list; `result_list` asks for an
    /// answer per node.
    pub fn with_object_types(
        mut self,
        list: &'a [ObjectTypeNode],
        result_list: bool,
    ) -> AccessRequest<'a> {
        self.object_types = list;
        self.result_list = result_list;
        self
    }

    /// This request with backup intent.
    pub fn with_backup_intent(mut self) -> AccessRequest<'a> {
        self.backup_intent = true;
        self
    }
}

/// The answer for one node of an object-type list.
#[derive(Clone, Copy, PartialEq, Eq, Debug, serde::Serialize)]
pub struct ObjectTypeResult {
    /// The node's level.
    pub level: u16,
    /// The node's GUID.
    pub guid: crate::ids::guid::Guid,
    /// The status for this node.
    pub status: NtStatus,
    /// What the node holds: on success its granted access; when denied,
    /// the part granted anyway (owner rights, privileges, allow ACEs),
    /// as NtAccessCheckByTypeResultList reports it (ReactOS apitest
    /// `NtAccessCheckByTypeResultList`, DenyAccessTests). 0 when the check
    /// ended before the DACL (no access asked, a mandatory denial, a
    /// privilege not held).
    pub granted: AccessMask,
}

/// The answer to an access question without the extras of
/// [`AccessDecision`](super::AccessDecision): what SeAccessCheck returns.
#[derive(Clone, Copy, PartialEq, Eq, Debug, serde::Serialize)]
pub struct CheckVerdict {
    /// STATUS_SUCCESS, STATUS_ACCESS_DENIED or STATUS_PRIVILEGE_NOT_HELD.
    pub status: NtStatus,
    /// The granted access; 0 unless the check succeeded.
    pub granted: AccessMask,
    /// The privileges the check used.
    pub privileges_used: PrivilegeSet,
}

/// The request checks every entry point makes, and the object-type tree, in
/// NtAccessCheck's order (ReactOS `SepAccessCheck`): a result list without
/// a list, generic bits without a mapping, then the object-type list
/// (captured before the descriptor: STATUS_INVALID_PARAMETER comes before
/// STATUS_INVALID_SECURITY_DESCR), then the descriptor's owner and group.
#[inline]
pub(super) fn prepare<'r>(
    table: &SidTable,
    token: &CompiledToken,
    sd: &CompiledDescriptor,
    request: &AccessRequest<'r>,
) -> Result<Option<Tree<'r>>, AccessError> {
    if token.tag != table.tag() || sd.tag != table.tag() {
        return Err(AccessError::ForeignTable);
    }
    if request.result_list && request.object_types.is_empty() {
        return Err(AccessError::ResultListWithoutObjectTypes);
    }
    // NtAccessCheck: generic bits must be mapped (STATUS_GENERIC_NOT_MAPPED).
    if request.desired.has_generic() && request.mapping.is_none() {
        return Err(AccessError::GenericNotMapped {
            desired: request.desired,
        });
    }
    // SeCaptureObjectTypeList runs before the descriptor is captured.
    let tree = if request.object_types.is_empty() {
        None
    } else {
        Some(Tree::new(request.object_types)?)
    };
    // AccessCheck: "The security descriptor must contain owner and group
    // SIDs" (STATUS_INVALID_SECURITY_DESCR).
    if sd.owner.is_none() {
        return Err(AccessError::InvalidSecurityDescriptor { missing: "owner" });
    }
    if !sd.has_group {
        return Err(AccessError::InvalidSecurityDescriptor { missing: "group" });
    }
    Ok(tree)
}
