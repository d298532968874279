//! The access check: AccessCheck, AccessCheckByType and
//! AccessCheckByTypeResultList (MS-DTYP 2.5.3.2) with Windows' observed
//! behaviour, and an explanation of every decision.
//!
//! # The stages, in order
//!
//! 1. **Request.** Generic bits in the desired access are mapped with the
//!    request's mapping; without one they are refused
//!    (STATUS_GENERIC_NOT_MAPPED, as NtAccessCheck refuses them). ACE masks
//!    are *not* mapped during the check: an ACE holding `GENERIC_ALL` grants
//!    only the generic bit itself (Forshaw, *Windows Security Internals*,
//!    ch. 7; ReactOS maps ACE masks here, Windows does not). The descriptor
//!    must have an owner and a group (STATUS_INVALID_SECURITY_DESCR). A
//!    request for no access is denied (SeAccessCheck).
//! 2. **Mandatory checks**, which can only take access away: the process
//!    trust label, access filters, then mandatory integrity. These run before
//!    privileges, so no privilege overrides them (Forshaw ch. 7,
//!    `Test-MandatoryAccess`).
//! 3. **Privileges.** SeBackup and SeRestore with backup intent;
//!    ACCESS_SYSTEM_SECURITY only through SeSecurityPrivilege; WRITE_OWNER
//!    through SeTakeOwnership, then SeRelabel.
//! 4. **Owner.** The owner gets READ_CONTROL | WRITE_DAC unless the DACL
//!    holds an OWNER RIGHTS (S-1-3-4) ACE that is not inherit-only.
//! 5. **DACL.** A null or absent DACL grants everything; an empty one grants
//!    nothing. ACEs are taken in stored order, inherit-only ones skipped; an
//!    allow ACE matches enabled, non-deny-only SIDs, a deny ACE also
//!    deny-only ones. With MAXIMUM_ALLOWED each bit is decided by the first
//!    ACE that names it.
//! 6. **Restricted tokens** take a second pass over the restricting SIDs;
//!    the results are intersected. A write-restricted token takes it for
//!    write bits only.
//! 7. **AppContainer** tokens also need every bit granted by ACEs for the
//!    package, a capability or ALL APPLICATION PACKAGES.
//! 8. **Audit.** SACL audit ACEs raise events as data; they never change the
//!    decision.
//!
//! # Two entry points
//!
//! [`access_check`] takes plain [`Token`]s and [`SecurityDescriptor`]s and
//! compiles them for one check. Code that checks many times compiles once
//! with a [`SidTable`] and calls [`check`]; with [`NoTrace`] a plain check
//! (no object-type list) allocates nothing and its cost does not depend on
//! the number of groups in the token.

pub mod compile;
mod err;
pub mod trace;
mod tree;

pub use compile::{CompiledDescriptor, CompiledToken, SidId, SidTable};
pub use err::AccessError;
pub use trace::{AceOutcome, NoTrace, Pass, Step, Trace, Tracer};
pub use tree::{ObjectTypeNode, MAX_LEVEL};

use crate::descriptor::ace::AceFlags;
use crate::descriptor::claims::{ClaimAttribute, FLAG_USE_FOR_DENY_ONLY};
use crate::descriptor::condition::eval::{self, ConditionContext, Tristate};
use crate::descriptor::condition::AttrClass;
use crate::descriptor::sd::SecurityDescriptor;
use crate::ids::mask::{file, label, AccessMask, GenericMapping, ObjectKind};
use crate::ids::privilege::{Privilege, PrivilegeSet};
use crate::ids::sid::{well_known, Sid};
use crate::ids::status::NtStatus;
use crate::token::{IntegrityLevel, MandatoryPolicy, Token};
use compile::{AceKind, BitSet, CompiledAce, DaclKind, NONE16, NO_SID};
use tree::Tree;

const ASS: u32 = AccessMask::ACCESS_SYSTEM_SECURITY.0;
const MAX: u32 = AccessMask::MAXIMUM_ALLOWED.0;
const RC_WD: u32 = AccessMask::READ_CONTROL.0 | AccessMask::WRITE_DAC.0;
const WO: u32 = AccessMask::WRITE_OWNER.0;
/// Bits a MAXIMUM_ALLOWED answer never carries: generic bits and
/// MAXIMUM_ALLOWED are not rights, and ACCESS_SYSTEM_SECURITY comes only
/// from SeSecurityPrivilege when asked for explicitly.
const NOT_GRANTABLE_BY_ACE: u32 = AccessMask::GENERIC_MASK.0 | MAX | ASS;

/// What SeBackupPrivilege grants with backup intent
/// (IopCheckBackupRestorePrivilege: READ_CONTROL | ACCESS_SYSTEM_SECURITY |
/// FILE_GENERIC_READ | FILE_TRAVERSE).
pub const BACKUP_RIGHTS: AccessMask =
    AccessMask(AccessMask::READ_CONTROL.0 | ASS | file::GENERIC_READ | file::EXECUTE);
/// What SeRestorePrivilege grants with backup intent (WRITE_DAC |
/// WRITE_OWNER | ACCESS_SYSTEM_SECURITY | FILE_GENERIC_WRITE | FILE_ADD_FILE
/// | FILE_ADD_SUBDIRECTORY | DELETE).
pub const RESTORE_RIGHTS: AccessMask = AccessMask(
    AccessMask::WRITE_DAC.0
        | WO
        | ASS
        | file::GENERIC_WRITE
        | file::WRITE_DATA
        | file::APPEND_DATA
        | AccessMask::DELETE.0,
);

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
    /// What is granted on this node (0 when denied).
    pub granted: AccessMask,
}

/// An audit event raised by a SACL audit ACE.
#[derive(Clone, Copy, PartialEq, Eq, Debug, serde::Serialize)]
pub struct AuditEvent {
    /// A success audit (else a failure audit).
    pub success: bool,
    /// The SACL index of the audit ACE.
    pub ace_index: usize,
    /// The ACE's trustee.
    pub sid: Sid,
    /// The bits that raised it: granted bits for a success audit, asked bits
    /// for a failure audit.
    pub mask: AccessMask,
}

/// The outcome of an access check. A denial is an outcome, not an error.
#[derive(Clone, PartialEq, Eq, Debug, serde::Serialize)]
pub struct AccessDecision {
    /// STATUS_SUCCESS, STATUS_ACCESS_DENIED or STATUS_PRIVILEGE_NOT_HELD.
    pub status: NtStatus,
    /// The granted access; 0 unless the check succeeded, as Windows reports.
    pub granted: AccessMask,
    /// The privileges the check used.
    pub privileges_used: PrivilegeSet,
    /// Per-node answers for a result-list check.
    pub results: Vec<ObjectTypeResult>,
    /// Audit events.
    pub audit: Vec<AuditEvent>,
    /// The explanation, when asked for.
    pub trace: Option<Trace>,
}

impl AccessDecision {
    /// Whether access was granted.
    pub fn is_granted(&self) -> bool {
        self.status == NtStatus::Success
    }
}

/// NtAccessCheck's preconditions on the client token, which SeAccessCheck
/// (and so the simulated machine) does not have: the token must be an
/// impersonation token (else STATUS_NO_IMPERSONATION_TOKEN) at
/// Identification level or above (else STATUS_BAD_IMPERSONATION_LEVEL).
/// `None` when the token may be used.
pub fn access_check_api_status(token: &Token) -> Option<NtStatus> {
    if token.token_type != crate::token::TokenType::Impersonation {
        Some(NtStatus::NoImpersonationToken)
    } else if token.impersonation_level < crate::token::ImpersonationLevel::Identification {
        Some(NtStatus::BadImpersonationLevel)
    } else {
        None
    }
}

/// Checks `desired` access for `token` against `sd`, compiling both for this
/// one check.
pub fn access_check(
    token: &Token,
    sd: &SecurityDescriptor,
    request: &AccessRequest<'_>,
) -> Result<AccessDecision, AccessError> {
    let mut table = SidTable::new();
    let t = table.compile_token(token);
    let d = table.compile_descriptor(sd);
    check(&table, &t, &d, request, &mut NoTrace)
}

/// As [`access_check`], with the explanation trace in the decision.
pub fn access_check_explained(
    token: &Token,
    sd: &SecurityDescriptor,
    request: &AccessRequest<'_>,
) -> Result<AccessDecision, AccessError> {
    let mut table = SidTable::new();
    let t = table.compile_token(token);
    let d = table.compile_descriptor(sd);
    let mut trace = Trace::default();
    let mut decision = check(&table, &t, &d, request, &mut trace)?;
    decision.trace = Some(trace);
    Ok(decision)
}

/// The answer to an access question without the extras of
/// [`AccessDecision`]: what SeAccessCheck returns.
#[derive(Clone, Copy, PartialEq, Eq, Debug, serde::Serialize)]
pub struct CheckVerdict {
    /// STATUS_SUCCESS, STATUS_ACCESS_DENIED or STATUS_PRIVILEGE_NOT_HELD.
    pub status: NtStatus,
    /// The granted access; 0 unless the check succeeded.
    pub granted: AccessMask,
    /// The privileges the check used.
    pub privileges_used: PrivilegeSet,
}

/// Checks a compiled token against a compiled descriptor. The steps go to
/// `tracer`; the returned decision's `trace` is `None`.
#[inline]
pub fn check<T: Tracer>(
    table: &SidTable,
    token: &CompiledToken,
    sd: &CompiledDescriptor,
    request: &AccessRequest<'_>,
    tracer: &mut T,
) -> Result<AccessDecision, AccessError> {
    // Without audit ACEs or a trace, a plain question's decision is the
    // short path's verdict (no per-node results without a list).
    if !tracer.on()
        && token.tag == table.tag()
        && sd.tag == table.tag()
        && sd.audits.is_empty()
        && sd.scoped_policies.is_empty()
    {
        if let Some(v) = decide_simple(token, sd, request) {
            return Ok(AccessDecision {
                status: v.status,
                granted: v.granted,
                privileges_used: v.privileges_used,
                results: Vec::new(),
                audit: Vec::new(),
                trace: None,
            });
        }
    }
    let tree = prepare(table, token, sd, request)?;
    let mut run = Run::new(table, token, sd, request, tracer);
    let mut results = Vec::new();
    let (status, granted) = run.go(tree.as_ref(), &mut results);
    let audit = if sd.audits.is_empty() && sd.scoped_policies.is_empty() {
        Vec::new()
    } else {
        run.audit(status, granted, tree.as_ref())
    };
    run.tracer.step(|| Step::Result {
        status,
        granted: AccessMask(granted),
    });
    Ok(AccessDecision {
        status,
        granted: AccessMask(granted),
        privileges_used: run.used,
        results,
        audit,
        trace: None,
    })
}

/// Answers the question alone, as SeAccessCheck does: the status, the
/// granted access and the privileges used, without audit events or
/// per-node results (for an object-type list, the root's answer). The
/// decision is the one [`check`] makes; this is the entry point for hot
/// loops.
#[inline]
pub fn decide<T: Tracer>(
    table: &SidTable,
    token: &CompiledToken,
    sd: &CompiledDescriptor,
    request: &AccessRequest<'_>,
    tracer: &mut T,
) -> Result<CheckVerdict, AccessError> {
    if !tracer.on() && token.tag == table.tag() && sd.tag == table.tag() {
        if let Some(v) = decide_simple(token, sd, request) {
            return Ok(v);
        }
    }
    let tree = prepare(table, token, sd, request)?;
    let mut run = Run::new(table, token, sd, request, tracer);
    run.collect_results = false;
    let (status, granted) = run.go(tree.as_ref(), &mut Vec::new());
    run.tracer.step(|| Step::Result {
        status,
        granted: AccessMask(granted),
    });
    Ok(CheckVerdict {
        status,
        granted: AccessMask(granted),
        privileges_used: run.used,
    })
}

/// The short path of [`decide`], for the common question: an unrestricted,
/// non-AppContainer token that passes the mandatory check untouched, a
/// descriptor whose DACL holds only plain allow and deny ACEs (no object
/// ACE, PRINCIPAL_SELF or condition; no trust label or access filter), no
/// object-type list and no backup intent, and no privilege that could
/// grant a bit. It applies the same rules as [`Run::go`] with every
/// inapplicable branch removed, and returns `None` to hand anything else
/// (including every request [`prepare`] refuses) to the full path. The
/// caller has checked that both were compiled by `table`. `prop_access::decide_equals_check_and_reference` holds
/// the two to the same answers.
#[inline(always)]
fn decide_simple(
    token: &CompiledToken,
    sd: &CompiledDescriptor,
    request: &AccessRequest<'_>,
) -> Option<CheckVerdict> {
    let token_level = token.simple_integrity?;
    let label_level = sd.simple_level?;
    // MS-DTYP 2.5.3.3: a token at or above the label's level is not
    // limited by it.
    if token_level < label_level || request.backup_intent || !request.object_types.is_empty() {
        return None;
    }
    // Generic bits without a mapping are the full path's error.
    let desired = if request.desired.has_generic() {
        request.mapping?.map(request.desired).0
    } else {
        request.desired.0
    };
    let ma = desired & MAX != 0;
    let explicit = desired & !MAX;
    // Privileges that grant ACCESS_SYSTEM_SECURITY or WRITE_OWNER: the
    // full path records their use.
    if explicit & ASS != 0
        || ((ma || explicit & WO != 0)
            && (token.privileges.contains(Privilege::TakeOwnership)
                || token.privileges.contains(Privilege::Relabel)))
    {
        return None;
    }
    let verdict = |status, granted| {
        Some(CheckVerdict {
            status,
            granted: AccessMask(granted),
            privileges_used: PrivilegeSet::EMPTY,
        })
    };
    // SeAccessCheck: a request for no access is denied.
    if !ma && explicit == 0 {
        return verdict(NtStatus::AccessDenied, 0);
    }
    // MS-DTYP 2.5.3.2: the owner's implicit READ_CONTROL | WRITE_DAC,
    // unless an OWNER RIGHTS ACE is present.
    let owner = sd.owner.unwrap_or(NO_SID);
    let pre = if sd.owner_rights.is_none() && token.allow.has(owner) {
        if ma {
            RC_WD
        } else {
            explicit & RC_WD
        }
    } else {
        0
    };
    if !ma {
        // MS-DTYP 2.5.3.2: each ACE decides only bits no earlier ACE
        // decided; a deny naming a bit still wanted ends the check.
        let mut remaining = explicit & !pre;
        for ace in sd.aces.iter() {
            if remaining == 0 {
                break;
            }
            if ace.kind == AceKind::Allow {
                if token.allow.has(ace.sid) {
                    remaining &= !ace.mask;
                }
            } else if token.deny.has(ace.sid) && remaining & ace.mask != 0 {
                return verdict(NtStatus::AccessDenied, 0);
            }
        }
        return if remaining == 0 {
            verdict(NtStatus::Success, explicit)
        } else {
            verdict(NtStatus::AccessDenied, 0)
        };
    }
    // MAXIMUM_ALLOWED: each bit goes to the first ACE that names it.
    let (mut granted, mut denied) = (0u32, 0u32);
    for ace in sd.aces.iter() {
        if ace.kind == AceKind::Allow {
            if token.allow.has(ace.sid) {
                granted |= ace.mask & !denied;
            }
        } else if token.deny.has(ace.sid) {
            denied |= ace.mask & !granted;
        }
    }
    let g = pre | (granted & !NOT_GRANTABLE_BY_ACE);
    if g == 0 || explicit & !g != 0 {
        verdict(NtStatus::AccessDenied, 0)
    } else {
        verdict(NtStatus::Success, g)
    }
}

/// The request checks every entry point makes, and the object-type tree.
#[inline]
fn prepare<'r>(
    table: &SidTable,
    token: &CompiledToken,
    sd: &CompiledDescriptor,
    request: &AccessRequest<'r>,
) -> Result<Option<Tree<'r>>, AccessError> {
    if token.tag != table.tag() || sd.tag != table.tag() {
        return Err(AccessError::ForeignTable);
    }
    // NtAccessCheck: generic bits must be mapped (STATUS_GENERIC_NOT_MAPPED).
    if request.desired.has_generic() && request.mapping.is_none() {
        return Err(AccessError::GenericNotMapped {
            desired: request.desired,
        });
    }
    // AccessCheck: "The security descriptor must contain owner and group
    // SIDs" (STATUS_INVALID_SECURITY_DESCR).
    if sd.owner.is_none() {
        return Err(AccessError::InvalidSecurityDescriptor { missing: "owner" });
    }
    if !sd.has_group {
        return Err(AccessError::InvalidSecurityDescriptor { missing: "group" });
    }
    if request.object_types.is_empty() {
        Ok(None)
    } else {
        Tree::new(request.object_types).map(Some)
    }
}

/// The state of one check.
struct Run<'a, T: Tracer> {
    table: &'a SidTable,
    token: &'a CompiledToken,
    sd: &'a CompiledDescriptor,
    mapping: GenericMapping,
    /// MAXIMUM_ALLOWED was asked.
    ma: bool,
    /// The mapped desired access without MAXIMUM_ALLOWED.
    explicit: u32,
    self_id: u32,
    request: &'a AccessRequest<'a>,
    tracer: &'a mut T,
    used: PrivilegeSet,
    /// Whether per-node results are wanted (a result-list request through
    /// [`check`]).
    collect_results: bool,
}

/// What a DACL pass found, for one node (plain checks have one node).
#[derive(Clone, Copy, Debug, Default)]
struct Outcome {
    /// Normal mode: bits still wanted. MAXIMUM_ALLOWED mode: bits granted.
    bits: u32,
    /// Normal mode: a deny ACE ended the pass for this node.
    denied: bool,
}

impl<'a, T: Tracer> Run<'a, T> {
    #[inline]
    fn new(
        table: &'a SidTable,
        token: &'a CompiledToken,
        sd: &'a CompiledDescriptor,
        request: &'a AccessRequest<'a>,
        tracer: &'a mut T,
    ) -> Run<'a, T> {
        let mapping = request.mapping.unwrap_or_default();
        let desired = mapping.map(request.desired).0;
        let run = Run {
            table,
            token,
            sd,
            mapping,
            ma: desired & MAX != 0,
            explicit: desired & !MAX,
            self_id: request
                .self_sid
                .as_ref()
                .and_then(|s| table.get(s))
                .map_or(NO_SID, |i| i.0),
            request,
            tracer,
            used: PrivilegeSet::EMPTY,
            collect_results: request.result_list,
        };
        run.tracer.step(|| Step::Desired {
            requested: request.desired,
            mapped: AccessMask(desired),
            maximum_allowed: desired & MAX != 0,
            mapping_given: request.mapping.is_some(),
        });
        run
    }

    fn go(
        &mut self,
        tree: Option<&Tree<'_>>,
        results: &mut Vec<ObjectTypeResult>,
    ) -> (NtStatus, u32) {
        let nodes = tree.map_or(1, Tree::len);
        // SeAccessCheck: a request for no access is denied.
        if !self.ma && self.explicit == 0 {
            self.tracer.step(|| Step::NothingAsked);
            return self.uniform(NtStatus::AccessDenied, 0, tree, results);
        }

        // 2. Mandatory checks.
        let allowed = self.mandatory();
        if !self.ma && self.explicit & !allowed != 0 {
            let missing = self.explicit & !allowed;
            self.tracer.step(|| Step::MandatoryDenied {
                missing: AccessMask(missing),
            });
            return self.uniform(NtStatus::AccessDenied, 0, tree, results);
        }

        // 3. Privileges.
        let mut pre = 0u32;
        let mut remaining = self.explicit;
        if self.request.backup_intent {
            self.backup_privileges(&mut pre, &mut remaining);
        }
        if remaining & ASS != 0 {
            // Forshaw ch. 7 (Resolve-TokenPrivilegeAccess): the only way to
            // ACCESS_SYSTEM_SECURITY is SeSecurityPrivilege.
            if !self.token.privileges.contains(Privilege::Security) {
                self.tracer.step(|| Step::PrivilegeNotHeld {
                    privilege: Privilege::Security,
                });
                return self.uniform(NtStatus::PrivilegeNotHeld, 0, tree, results);
            }
            self.grant_privilege(Privilege::Security, ASS, &mut pre, &mut remaining);
        }
        if remaining & WO != 0 || (self.ma && pre & WO == 0) {
            // SePrivilegePolicyCheck: SeTakeOwnershipPrivilege, then
            // SeRelabelPrivilege, grant WRITE_OWNER.
            for p in [Privilege::TakeOwnership, Privilege::Relabel] {
                if self.token.privileges.contains(p) {
                    self.grant_privilege(p, WO, &mut pre, &mut remaining);
                    break;
                }
            }
        }

        // 4. Owner rights.
        self.owner_rights(&mut pre, &mut remaining);
        if !self.ma && remaining == 0 && !self.token.app_container {
            // Forshaw ch. 7 (Get-PSGrantedAccess): nothing left to ask the
            // DACL.
            self.tracer.step(|| Step::SatisfiedBeforeDacl);
            return self.uniform(NtStatus::Success, self.explicit, tree, results);
        }

        // 5-7. The DACL, the restricted pass and the AppContainer pass.
        let mut outcomes = [Outcome::default(); 1];
        let mut many = Vec::new();
        let per_node: &mut [Outcome] = if nodes == 1 && tree.is_none() {
            &mut outcomes
        } else {
            many.resize(nodes, Outcome::default());
            &mut many
        };
        let ac = self.dacl(tree, remaining, per_node);

        // Assemble each node's answer.
        let mut root = (NtStatus::AccessDenied, 0u32);
        for (i, o) in per_node.iter().enumerate() {
            let (status, granted) = if self.ma {
                let mut g = pre | (o.bits & !NOT_GRANTABLE_BY_ACE);
                if self.token.app_container {
                    g &= ac.bits;
                }
                g &= allowed;
                if g == 0 || self.explicit & !g != 0 {
                    (NtStatus::AccessDenied, 0)
                } else {
                    (NtStatus::Success, g)
                }
            } else if o.denied || o.bits != 0 || (self.token.app_container && ac.bits != 0) {
                (NtStatus::AccessDenied, 0)
            } else {
                (NtStatus::Success, self.explicit)
            };
            if i == 0 {
                root = (status, granted);
            }
            if self.collect_results {
                if let Some(t) = tree {
                    results.push(ObjectTypeResult {
                        level: t.nodes[i].level,
                        guid: t.nodes[i].guid,
                        status,
                        granted: AccessMask(granted),
                    });
                }
            }
        }
        root
    }

    /// The answer of a check that ends before the DACL: every node of a
    /// result list gets the same one.
    fn uniform(
        &self,
        status: NtStatus,
        granted: u32,
        tree: Option<&Tree<'_>>,
        results: &mut Vec<ObjectTypeResult>,
    ) -> (NtStatus, u32) {
        if let (Some(t), true) = (tree, self.collect_results) {
            results.extend(t.nodes.iter().map(|n| ObjectTypeResult {
                level: n.level,
                guid: n.guid,
                status,
                granted: AccessMask(if status == NtStatus::Success {
                    granted
                } else {
                    0
                }),
            }));
        }
        (status, granted)
    }

    fn grant_privilege(&mut self, p: Privilege, bits: u32, pre: &mut u32, remaining: &mut u32) {
        *pre |= bits;
        *remaining &= !bits;
        self.used.insert(p);
        self.tracer.step(|| Step::Privilege {
            privilege: p,
            granted: AccessMask(bits),
        });
    }

    /// SeBackupPrivilege and SeRestorePrivilege with backup intent
    /// (IopCheckBackupRestorePrivilege). With MAXIMUM_ALLOWED they grant
    /// their whole sets, except ACCESS_SYSTEM_SECURITY, which must be asked
    /// for.
    fn backup_privileges(&mut self, pre: &mut u32, remaining: &mut u32) {
        for (p, set) in [
            (Privilege::Backup, BACKUP_RIGHTS.0),
            (Privilege::Restore, RESTORE_RIGHTS.0),
        ] {
            if !self.token.privileges.contains(p) {
                continue;
            }
            let mut bits = *remaining & set;
            if self.ma {
                bits |= set & !ASS;
            }
            if bits != 0 {
                self.grant_privilege(p, bits, pre, remaining);
            }
        }
    }

    /// MS-DTYP 2.5.3.2 and SeAccessCheck: the owner's implicit READ_CONTROL
    /// and WRITE_DAC, unless an OWNER RIGHTS ACE is present. For a
    /// restricted token the owner must also be a restricting SID
    /// (Forshaw ch. 7, Resolve-TokenOwnerAccess).
    fn owner_rights(&mut self, pre: &mut u32, remaining: &mut u32) {
        let owner = self.sd.owner.unwrap_or(NO_SID);
        let wanted = if self.ma { RC_WD } else { *remaining & RC_WD };
        let held = self.token.allow.has(owner)
            && (!self.token.restricted || self.token.r_allow.has(owner));
        let grant = if held && self.sd.owner_rights.is_none() {
            wanted
        } else {
            0
        };
        *pre |= grant;
        *remaining &= !grant;
        if self.tracer.on() {
            let owner_sid = self.sd.sd.owner.unwrap_or(well_known::NULL);
            let ace = self.sd.owner_rights.map(usize::from);
            self.tracer.step(|| Step::Owner {
                owner: owner_sid,
                held,
                granted: AccessMask(grant),
                owner_rights_ace: ace,
            });
        }
    }

    /// The mandatory checks: what they leave allowed.
    fn mandatory(&mut self) -> u32 {
        let mut allowed = u32::MAX;
        // Process trust label (MS-DTYP 2.4.4.14; Forshaw ch. 7,
        // Test-ProcessTrustLevel): a token whose trust level does not
        // dominate the label's gets at most the label's mask.
        if let Some(tl) = &self.sd.trust_label {
            let dominates = self
                .token
                .trust_level
                .is_some_and(|t| trust_dominates(&t, &tl.sid));
            let a = if dominates { u32::MAX } else { tl.mask | ASS };
            allowed &= a;
            let token_level = self.token.trust_level;
            self.tracer.step(|| Step::TrustLabel {
                index: tl.index.into(),
                label: tl.sid,
                token: token_level,
                dominates,
                allowed: AccessMask(a),
            });
        }
        // Access filters (Forshaw ch. 7, Test-AccessFilter): each filter
        // whose condition is not TRUE limits access to its mask.
        for f in self.sd.filters.iter() {
            let (value, _) = self.condition(f.cond, false, false);
            let a = if value == Tristate::True {
                u32::MAX
            } else {
                f.mask | ASS
            };
            allowed &= a;
            self.tracer.step(|| Step::AccessFilter {
                index: f.index.into(),
                condition: value,
                allowed: AccessMask(a),
            });
        }
        // Mandatory integrity (MS-DTYP 2.5.3.3 / Windows MIC; Forshaw ch. 7,
        // Test-MandatoryIntegrityLevel).
        if !self.token.policy.contains(MandatoryPolicy::NO_WRITE_UP) {
            self.tracer.step(|| Step::IntegrityOff);
            return allowed;
        }
        // With no label the object is Medium with NO_WRITE_UP.
        let (level, policy) = match &self.sd.label {
            Some(l) => (l.level, l.policy),
            None => (IntegrityLevel::MEDIUM, label::NO_WRITE_UP),
        };
        let dominates = self.token.integrity >= level;
        let mut a = u32::MAX;
        let mut exempt = false;
        if !dominates {
            a = 0;
            if policy & label::NO_READ_UP == 0 {
                a |= self.mapping.read.0;
            }
            if policy & label::NO_WRITE_UP == 0 {
                a |= self.mapping.write.0;
            }
            if policy & label::NO_EXECUTE_UP == 0 {
                a |= self.mapping.execute.0;
            }
            if self.token.privileges.contains(Privilege::Relabel) {
                a |= WO;
            }
            // An AppContainer passes against an object labelled Medium or
            // lower: its package and capability ACEs decide instead (the
            // documents-library capability writes Medium files from Low).
            exempt = self.token.app_container && level <= IntegrityLevel::MEDIUM;
            if !exempt {
                allowed &= a;
            }
        }
        let (token_level, object_label) = (self.token.integrity, &self.sd.label);
        self.tracer.step(|| Step::Integrity {
            token: token_level.sid(),
            label: object_label
                .as_ref()
                .map_or(IntegrityLevel::MEDIUM.sid(), |l| l.sid),
            label_index: object_label.as_ref().map(|l| usize::from(l.index)),
            policy,
            dominates,
            allowed: AccessMask(a),
            app_container_exempt: exempt,
        });
        allowed
    }

    /// Runs the DACL, restricted and AppContainer passes. Fills one
    /// [`Outcome`] per node and returns the AppContainer part (bits still
    /// wanted in normal mode, bits granted with MAXIMUM_ALLOWED).
    fn dacl(&mut self, tree: Option<&Tree<'_>>, remaining: u32, out: &mut [Outcome]) -> Outcome {
        let null = match self.sd.dacl {
            DaclKind::Absent => Some(false),
            DaclKind::Null => Some(true),
            DaclKind::Acl { .. } => None,
        };
        if self.tracer.on() {
            for &i in self.sd.unsupported.iter() {
                let ace = self.ace_text(i);
                self.tracer.step(|| Step::AceSkipped {
                    index: i.into(),
                    ace,
                    reason: "not an access ACE; a DACL ignores it".into(),
                });
            }
            for &i in self.sd.inherit_only.iter() {
                let ace = self.ace_text(i);
                self.tracer.step(|| Step::AceSkipped {
                    index: i.into(),
                    ace,
                    reason: "inherit-only".into(),
                });
            }
        }
        // The AppContainer part starts from everything asked (Forshaw ch. 7:
        // privileges and owner rights do not excuse it).
        let ac_start = if self.token.app_container && !self.ma {
            self.explicit
        } else {
            0
        };
        // MS-DTYP 2.5.3.2: a null (or absent) DACL grants everything. Not to
        // an AppContainer, whose package pass finds no ACE (Forshaw ch. 7,
        // Get-DiscretionaryAccess).
        if let Some(is_null) = null {
            if !self.token.app_container {
                let granted = if self.ma {
                    self.mapping.all.0
                } else {
                    remaining
                };
                self.tracer.step(|| Step::NoDacl {
                    null: is_null,
                    granted: AccessMask(granted),
                });
                for o in out.iter_mut() {
                    *o = if self.ma {
                        Outcome {
                            bits: granted,
                            denied: false,
                        }
                    } else {
                        Outcome::default()
                    };
                }
                return Outcome::default();
            }
        }
        if matches!(self.sd.dacl, DaclKind::Acl { len: 0 }) {
            self.tracer.step(|| Step::EmptyDacl);
        }

        // The normal pass (with the AppContainer part alongside).
        let start = if self.ma { 0 } else { remaining };
        let ac = match tree {
            None => self.pass_plain(Pass::Normal, start, ac_start, &mut out[0]),
            Some(t) => self.pass_tree(t, Pass::Normal, start, ac_start, out),
        };
        if self.token.app_container {
            let (granted, missing) = if self.ma {
                (ac.bits, 0)
            } else {
                (self.explicit & !ac.bits, ac.bits)
            };
            self.tracer.step(|| Step::AppContainer {
                granted: AccessMask(granted),
                missing: AccessMask(missing),
            });
        }

        // The restricted pass (Forshaw ch. 7; MS-DTYP 2.5.3.2): over the
        // restricting SIDs, from the same starting point, intersected with
        // the first. A write-restricted token checks only write bits.
        if self.token.restricted {
            let w = if self.token.write_restricted {
                self.write_bits()
            } else {
                u32::MAX
            };
            let normal_failed = !self.ma && out.iter().all(|o| o.denied || o.bits != 0);
            if normal_failed {
                self.tracer.step(|| Step::RestrictedSkipped {
                    reason: "the normal pass already denied".into(),
                });
            } else if !self.ma && remaining & w == 0 {
                self.tracer.step(|| Step::RestrictedSkipped {
                    reason: "a write-restricted token asking no write access".into(),
                });
            } else {
                let mut second = scratch(out.len());
                let r_start = if self.ma { 0 } else { remaining & w };
                match tree {
                    None => {
                        self.pass_plain(Pass::Restricted, r_start, 0, &mut second.as_mut()[0]);
                    }
                    Some(t) => {
                        self.pass_tree(t, Pass::Restricted, r_start, 0, second.as_mut());
                    }
                }
                for (o, r) in out.iter_mut().zip(second.as_mut().iter()) {
                    if self.ma {
                        o.bits &= r.bits | !w;
                    } else {
                        o.bits |= r.bits;
                        o.denied |= r.denied;
                    }
                }
            }
        }
        ac
    }

    /// The mask checked by a write-restricted token's restricted pass: the
    /// mapping's write bits and the standard write rights, less anything the
    /// mapping counts as read or execute.
    fn write_bits(&self) -> u32 {
        let m = &self.mapping;
        (m.write.0 | AccessMask::DELETE.0 | AccessMask::WRITE_DAC.0 | WO)
            & !(m.read.0 | m.execute.0)
    }

    /// The SID an ACE stands for in this request.
    #[inline(always)]
    fn ace_sid(&self, ace: &CompiledAce) -> u32 {
        if ace.is_self && self.self_id != NO_SID {
            self.self_id
        } else {
            ace.sid
        }
    }

    fn sets(&self, pass: Pass) -> (&'a BitSet, &'a BitSet) {
        match pass {
            Pass::Normal => (&self.token.allow, &self.token.deny),
            Pass::Restricted => (&self.token.r_allow, &self.token.r_deny),
        }
    }

    /// Whether `ace` applies in `pass` (MS-DTYP 2.5.3.2 and 2.4.4.17.3):
    /// an allow ACE when the token holds its SID enabled and any condition
    /// is TRUE; a deny ACE when the token holds its SID enabled or deny-only
    /// and any condition is not FALSE. In the normal pass of an
    /// AppContainer token a non-object allow ACE may instead match a package
    /// SID (`Match::Package`). Misses are traced.
    #[inline(always)]
    fn applies(&mut self, pass: Pass, ace: &CompiledAce) -> Option<Match> {
        let (allow, deny) = self.sets(pass);
        let sid = self.ace_sid(ace);
        let is_allow = ace.kind == AceKind::Allow;
        let matched = if is_allow {
            if allow.has(sid) {
                Match::Token
            } else if pass == Pass::Normal
                && self.token.app_container
                && !ace.is_object
                && self.token.package.has(sid)
            {
                Match::Package
            } else {
                self.trace_miss(pass, ace, sid);
                return None;
            }
        } else if deny.has(sid) {
            Match::Token
        } else {
            self.trace_miss(pass, ace, sid);
            return None;
        };
        if ace.cond != NONE16 && self.condition_blocks(pass, ace) {
            return None;
        }
        Some(matched)
    }

    /// Whether a callback ACE's condition keeps it from applying
    /// (MS-DTYP 2.4.4.17.3: an allow needs TRUE; a deny applies unless
    /// FALSE). Traces the refusal.
    #[cold]
    #[inline(never)]
    fn condition_blocks(&mut self, pass: Pass, ace: &CompiledAce) -> bool {
        let is_allow = ace.kind == AceKind::Allow;
        let (v, _) = self.condition(ace.cond, !is_allow, false);
        let blocked = if is_allow {
            v != Tristate::True
        } else {
            v == Tristate::False
        };
        if blocked {
            let outcome = if is_allow {
                AceOutcome::ConditionNotTrue
            } else {
                AceOutcome::ConditionFalse
            };
            self.trace_ace(pass, ace, outcome, 0, None);
        }
        blocked
    }

    /// Applies an allow ACE to the AppContainer part; returns the bits it
    /// newly granted.
    #[inline(always)]
    fn grant_package(&self, ac: &mut u32, mask: u32) -> u32 {
        if self.ma {
            let g = mask & !*ac;
            *ac |= mask;
            g
        } else {
            let g = *ac & mask;
            *ac &= !mask;
            g
        }
    }

    /// One pass over the DACL for a plain check. Normal mode: `out.bits`
    /// ends as the bits still wanted; MAXIMUM_ALLOWED mode: the bits
    /// granted. Returns the AppContainer part likewise.
    fn pass_plain(&mut self, pass: Pass, start: u32, ac_start: u32, out: &mut Outcome) -> Outcome {
        let sd = self.sd;
        let ma = self.ma;
        let (allow, deny) = self.sets(pass);
        // Simple ACEs (no object type, PRINCIPAL_SELF or condition) take a
        // short path, unless AppContainer package SIDs are in play.
        let short = !(pass == Pass::Normal && self.token.app_container);
        let mut st = Walk {
            remaining: start,
            ac: ac_start,
            granted: 0,
            denied: 0,
            ended: false,
        };
        for ace in sd.aces.iter() {
            if !ma && st.remaining == 0 && st.ac == 0 {
                break;
            }
            if short && ace.simple {
                let set = if ace.kind == AceKind::Allow {
                    allow
                } else {
                    deny
                };
                if set.has(ace.sid) {
                    self.apply(pass, ace, Match::Token, &mut st);
                } else {
                    self.trace_miss(pass, ace, ace.sid);
                }
            } else {
                // MS-DTYP 2.5.3.2 / Forshaw ch. 7: without an object-type
                // list an allowed object ACE is ignored (a denied one acts
                // as a deny).
                if ace.is_object && ace.kind == AceKind::Allow {
                    self.trace_ace(pass, ace, AceOutcome::ObjectAceWithoutList, 0, None);
                    continue;
                }
                if let Some(matched) = self.applies(pass, ace) {
                    self.apply(pass, ace, matched, &mut st);
                }
            }
            if st.ended {
                break;
            }
        }
        *out = if ma {
            Outcome {
                bits: st.granted,
                denied: false,
            }
        } else {
            Outcome {
                bits: st.remaining,
                denied: st.ended,
            }
        };
        self.trace_pass_end(pass, start, out);
        Outcome {
            bits: st.ac,
            denied: false,
        }
    }

    /// Applies an ACE that matched (MS-DTYP 2.5.3.2). Normal mode: an allow
    /// takes its bits from those still wanted; a deny naming a bit still
    /// wanted ends the pass. MAXIMUM_ALLOWED: each bit goes to the first
    /// ACE that names it.
    #[inline(always)]
    fn apply(&mut self, pass: Pass, ace: &CompiledAce, matched: Match, st: &mut Walk) {
        let (outcome, bits) = match (ace.kind, matched) {
            (AceKind::Allow, Match::Package) => (
                AceOutcome::GrantedToPackage,
                self.grant_package(&mut st.ac, ace.mask),
            ),
            (AceKind::Allow, _) if self.ma => {
                let g = ace.mask & !st.denied & !st.granted;
                st.granted |= ace.mask & !st.denied;
                (AceOutcome::Granted, g)
            }
            (AceKind::Allow, _) => {
                let g = st.remaining & ace.mask;
                st.remaining &= !ace.mask;
                (AceOutcome::Granted, g)
            }
            (_, _) if self.ma => {
                let d = ace.mask & !st.granted & !st.denied;
                st.denied |= ace.mask & !st.granted;
                (AceOutcome::Denied, d)
            }
            (_, _) => {
                let d = st.remaining & ace.mask;
                st.ended = d != 0;
                (AceOutcome::Denied, d)
            }
        };
        let outcome = if bits == 0 {
            AceOutcome::NothingLeft
        } else {
            outcome
        };
        self.trace_ace(pass, ace, outcome, bits, None);
    }

    /// One pass over the DACL with an object-type list (MS-DTYP 2.5.3.2,
    /// AccessCheckByType): an allow applies to its node and the node's
    /// subtree, and a parent is granted what all its children are; a deny
    /// applies to its node, the subtree and every ancestor.
    fn pass_tree(
        &mut self,
        tree: &Tree<'_>,
        pass: Pass,
        start: u32,
        ac_start: u32,
        out: &mut [Outcome],
    ) -> Outcome {
        let sd = self.sd;
        let ma = self.ma;
        let n = tree.len();
        // Normal mode: bits still wanted per node. MAXIMUM_ALLOWED: granted
        // and denied per node.
        let mut bits = vec![if ma { 0 } else { start }; n];
        let mut denied = vec![0u32; n];
        let mut ended = vec![false; n];
        let mut ac = ac_start;
        for ace in sd.aces.iter() {
            if !self.request.result_list && ended[0] {
                break;
            }
            // The node the ACE targets: the root for a non-object ACE or an
            // object ACE without ObjectType.
            let target = if ace.object == NONE16 {
                Some(0)
            } else {
                tree.find(&sd.guids[usize::from(ace.object)])
            };
            let Some(target) = target else {
                self.trace_ace(pass, ace, AceOutcome::ObjectTypeNotInList, 0, None);
                continue;
            };
            let Some(matched) = self.applies(pass, ace) else {
                continue;
            };
            let mut any = 0;
            let outcome = match (ace.kind, matched) {
                (AceKind::Allow, Match::Package) => {
                    any = self.grant_package(&mut ac, ace.mask);
                    AceOutcome::GrantedToPackage
                }
                (AceKind::Allow, _) => {
                    for i in tree.subtree(target) {
                        if ma {
                            any |= ace.mask & !denied[i] & !bits[i];
                            bits[i] |= ace.mask & !denied[i];
                        } else if !ended[i] {
                            any |= bits[i] & ace.mask;
                            bits[i] &= !ace.mask;
                        }
                    }
                    // A parent holds what all its children hold.
                    for a in tree.ancestors(target) {
                        let mut all = u32::MAX;
                        for c in tree.children(a) {
                            all &= if ma { bits[c] } else { !bits[c] };
                        }
                        if ma {
                            bits[a] |= all & !denied[a];
                        } else if !ended[a] {
                            bits[a] &= !all;
                        }
                    }
                    AceOutcome::Granted
                }
                (_, _) => {
                    for i in tree.subtree(target).chain(tree.ancestors(target)) {
                        if ma {
                            any |= ace.mask & !bits[i] & !denied[i];
                            denied[i] |= ace.mask & !bits[i];
                        } else if !ended[i] && bits[i] & ace.mask != 0 {
                            any |= bits[i] & ace.mask;
                            ended[i] = true;
                        }
                    }
                    AceOutcome::Denied
                }
            };
            let outcome = if any == 0 {
                AceOutcome::NothingLeft
            } else {
                outcome
            };
            self.trace_ace(pass, ace, outcome, any, Some(target));
        }
        for (i, o) in out.iter_mut().enumerate() {
            *o = Outcome {
                bits: bits[i],
                denied: !ma && ended[i],
            };
        }
        self.trace_pass_end(pass, start, &out[0]);
        Outcome {
            bits: ac,
            denied: false,
        }
    }

    /// Evaluates condition `index`. An expression that could not be decoded
    /// is UNKNOWN.
    fn condition(&self, index: u16, for_deny: bool, explain: bool) -> (Tristate, Vec<String>) {
        let Some(Some(expr)) = self.sd.conditions.get(usize::from(index)) else {
            let why = if explain {
                vec!["the application data is not a conditional expression".to_string()]
            } else {
                Vec::new()
            };
            return (Tristate::Unknown, why);
        };
        let ctx = Conditions {
            table: self.table,
            token: self.token,
            resource: &self.sd.resource_attributes,
            for_deny,
        };
        if explain {
            let e = eval::evaluate_explained(expr, &ctx);
            (e.value, e.steps)
        } else {
            (eval::evaluate(expr, &ctx), Vec::new())
        }
    }

    /// SACL audit ACEs: events as data, never changing the decision.
    fn audit(
        &mut self,
        status: NtStatus,
        granted: u32,
        tree: Option<&Tree<'_>>,
    ) -> Vec<AuditEvent> {
        let mut events = Vec::new();
        for &i in self.sd.scoped_policies.iter() {
            self.tracer
                .step(|| Step::ScopedPolicyIgnored { index: i.into() });
        }
        let success = status == NtStatus::Success;
        let asked = self.explicit | if self.ma { self.mapping.all.0 } else { 0 };
        for a in self.sd.audits.iter() {
            let flag = if success {
                AceFlags::SUCCESSFUL_ACCESS
            } else {
                AceFlags::FAILED_ACCESS
            };
            if !a.flags.contains(flag) || !self.token.allow.has(self.ace_sid(a)) {
                continue;
            }
            if a.object != NONE16 {
                let listed =
                    tree.is_some_and(|t| t.find(&self.sd.guids[usize::from(a.object)]).is_some());
                if !listed {
                    continue;
                }
            }
            if a.cond != NONE16 && self.condition(a.cond, false, false).0 != Tristate::True {
                continue;
            }
            let mask = a.mask & if success { granted } else { asked };
            if mask == 0 {
                continue;
            }
            let sid = self
                .sd
                .sacl_ace(a.index)
                .map_or(well_known::NULL, |x| x.sid);
            events.push(AuditEvent {
                success,
                ace_index: a.index.into(),
                sid,
                mask: AccessMask(mask),
            });
            self.tracer.step(|| Step::Audit {
                index: a.index.into(),
                success,
                mask: AccessMask(mask),
            });
        }
        events
    }

    // ---- tracing helpers (cost nothing with NoTrace) ----

    fn ace_text(&self, index: u16) -> String {
        let mut s = String::from("(");
        if let Some(ace) = self.sd.dacl_ace(index) {
            if crate::descriptor::sddl::print_ace(&mut s, ace, None).is_err() {
                s = format!("({}", ace.ace_type.name());
            }
        }
        s.push(')');
        s
    }

    #[inline(always)]
    fn trace_ace(
        &mut self,
        pass: Pass,
        ace: &CompiledAce,
        outcome: AceOutcome,
        bits: u32,
        node: Option<usize>,
    ) {
        if self.tracer.on() {
            self.record_ace(pass, ace, outcome, bits, node);
        }
    }

    /// Records why an ACE's SID did not match.
    #[inline(always)]
    fn trace_miss(&mut self, pass: Pass, ace: &CompiledAce, sid: u32) {
        if self.tracer.on() {
            let (_, deny) = self.sets(pass);
            let outcome = if ace.kind == AceKind::Allow && deny.has(sid) {
                AceOutcome::DenyOnly
            } else {
                AceOutcome::SidNotHeld
            };
            self.record_ace(pass, ace, outcome, 0, None);
        }
    }

    #[cold]
    fn record_ace(
        &mut self,
        pass: Pass,
        ace: &CompiledAce,
        outcome: AceOutcome,
        bits: u32,
        node: Option<usize>,
    ) {
        let text = self.ace_text(ace.index);
        let matched = matches!(
            outcome,
            AceOutcome::Granted | AceOutcome::Denied | AceOutcome::NothingLeft
        );
        let note = (matched && ace.mask & AccessMask::GENERIC_MASK.0 != 0)
            .then(|| "the ACE holds generic bits, which the access check does not map".to_string());
        // The condition is evaluated again, with its explanation; the
        // check itself evaluates it without one.
        let (condition, condition_steps) = if ace.cond == NONE16 {
            (None, Vec::new())
        } else {
            let (v, steps) = self.condition(ace.cond, ace.kind == AceKind::Deny, true);
            (Some(v), steps)
        };
        self.tracer.step(|| Step::Ace {
            pass,
            index: ace.index.into(),
            ace: text,
            outcome,
            mask: AccessMask(bits),
            condition,
            condition_steps,
            node,
            note,
        });
    }

    fn trace_pass_end(&mut self, pass: Pass, start: u32, o: &Outcome) {
        if self.tracer.on() {
            let (granted, missing) = if self.ma {
                (o.bits, 0)
            } else {
                (start & !o.bits, o.bits)
            };
            let denied = o.denied;
            self.tracer.step(|| Step::PassEnd {
                pass,
                granted: AccessMask(granted),
                missing: AccessMask(missing),
                denied,
            });
        }
    }
}

/// How an ACE's SID matched.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Match {
    /// The token's SIDs (or, in the restricted pass, restricting SIDs).
    Token,
    /// A package, capability or ALL APPLICATION PACKAGES SID of an
    /// AppContainer token.
    Package,
}

/// The state of a plain DACL pass.
struct Walk {
    /// Normal mode: bits still wanted.
    remaining: u32,
    /// The AppContainer part (wanted, or granted with MAXIMUM_ALLOWED).
    ac: u32,
    /// MAXIMUM_ALLOWED: bits granted so far.
    granted: u32,
    /// MAXIMUM_ALLOWED: bits denied so far.
    denied: u32,
    /// Normal mode: a deny ACE ended the pass.
    ended: bool,
}

/// A per-node scratch list for the restricted pass: inline for a plain
/// check.
enum Scratch {
    One([Outcome; 1]),
    Many(Vec<Outcome>),
}

impl Scratch {
    fn as_mut(&mut self) -> &mut [Outcome] {
        match self {
            Scratch::One(a) => a,
            Scratch::Many(v) => v,
        }
    }
}

fn scratch(n: usize) -> Scratch {
    if n == 1 {
        Scratch::One([Outcome::default()])
    } else {
        Scratch::Many(vec![Outcome::default(); n])
    }
}

/// Whether trust SID `token` (S-1-19-T-L) dominates `label`: both its type
/// and its level are at least the label's (Forshaw ch. 7, Compare-NtSid
/// -Dominates).
fn trust_dominates(token: &Sid, label: &Sid) -> bool {
    match (
        token.authority(),
        token.sub_authorities(),
        label.authority(),
        label.sub_authorities(),
    ) {
        (19, [t1, l1], 19, [t2, l2]) => t1 >= t2 && l1 >= l2,
        _ => false,
    }
}

/// The condition context of one check: the token's claims and SIDs and the
/// object's resource attributes.
struct Conditions<'a> {
    table: &'a SidTable,
    token: &'a CompiledToken,
    resource: &'a [ClaimAttribute],
    /// Evaluating for a deny ACE: deny-only SIDs and claims count
    /// (Security Descriptor Definition Language for Conditional ACEs,
    /// "Member_of": allow ACEs need SE_GROUP_ENABLED, deny ACEs also
    /// SE_GROUP_USE_FOR_DENY_ONLY).
    for_deny: bool,
}

impl ConditionContext for Conditions<'_> {
    fn attribute(&self, class: AttrClass, name: &str) -> Option<&ClaimAttribute> {
        let list = match class {
            AttrClass::User => &self.token.user_claims[..],
            AttrClass::Device => &self.token.device_claims[..],
            AttrClass::Local => &self.token.local_claims[..],
            AttrClass::Resource => self.resource,
        };
        list.iter().rev().find(|c| {
            c.name.eq_ignore_ascii_case(name)
                && !c.is_disabled()
                && (self.for_deny || c.flags & FLAG_USE_FOR_DENY_ONLY == 0)
        })
    }

    fn holds(&self, sid: &Sid, device: bool) -> bool {
        let Some(id) = self.table.get(sid) else {
            return false;
        };
        let set = match (device, self.for_deny) {
            (false, false) => &self.token.allow,
            (false, true) => &self.token.deny,
            (true, false) => &self.token.device_allow,
            (true, true) => &self.token.device_deny,
        };
        set.has(id.0)
    }
}
