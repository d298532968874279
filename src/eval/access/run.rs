//! The state of one check ([`Run`]) and its stages in order (MS-DTYP
//! 2.5.3.2 with Windows' observed behaviour): the request, the mandatory
//! checks, privileges, owner rights, the DACL passes, then each node's
//! answer. The stages themselves live in the sibling files.

use super::compile::{CompiledDescriptor, CompiledToken, SidTable, NO_SID};
use super::request::{AccessRequest, ObjectTypeResult};
use super::trace::{Step, Tracer};
use super::tree::Tree;
use crate::ids::mask::{AccessMask, GenericMapping};
use crate::ids::privilege::{Privilege, PrivilegeSet};
use crate::ids::status::NtStatus;

pub(super) const ASS: u32 = AccessMask::ACCESS_SYSTEM_SECURITY.0;
pub(super) const MAX: u32 = AccessMask::MAXIMUM_ALLOWED.0;
pub(super) const RC_WD: u32 = AccessMask::READ_CONTROL.0 | AccessMask::WRITE_DAC.0;
pub(super) const WO: u32 = AccessMask::WRITE_OWNER.0;
/// Bits a MAXIMUM_ALLOWED answer never carries: generic bits and
/// MAXIMUM_ALLOWED are not rights, and ACCESS_SYSTEM_SECURITY comes only
/// from SeSecurityPrivilege when asked for explicitly.
pub(super) const NOT_GRANTABLE_BY_ACE: u32 = AccessMask::GENERIC_MASK.0 | MAX | ASS;

/// The state of one check.
pub(super) struct Run<'a, T: Tracer> {
    pub(super) table: &'a SidTable,
    pub(super) token: &'a CompiledToken,
    pub(super) sd: &'a CompiledDescriptor,
    pub(super) mapping: GenericMapping,
    /// MAXIMUM_ALLOWED was asked.
    pub(super) ma: bool,
    /// The mapped desired access without MAXIMUM_ALLOWED.
    pub(super) explicit: u32,
    /// The table index of the request's self SID: `None` when the request
    /// names none (PRINCIPAL_SELF ACEs then stand for S-1-5-10 itself), and
    /// [`NO_SID`] when it names one the table never interned, which no
    /// token holds (MS-DTYP 2.5.3.2: a PRINCIPAL_SELF ACE is matched with
    /// PrincipalSelfSubst in its place whenever the caller gives one).
    pub(super) self_id: Option<u32>,
    pub(super) request: &'a AccessRequest<'a>,
    pub(super) tracer: &'a mut T,
    pub(super) used: PrivilegeSet,
    /// Whether per-node results are wanted (a result-list request through
    /// [`check`](super::check)).
    pub(super) collect_results: bool,
}

/// What a DACL pass found, for one node (plain checks have one node).
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Outcome {
    /// Normal mode: bits still wanted. MAXIMUM_ALLOWED mode: bits granted.
    pub(super) bits: u32,
    /// Normal mode: a deny ACE ended the pass for this node.
    pub(super) denied: bool,
}

impl<'a, T: Tracer> Run<'a, T> {
    #[inline]
    pub(super) fn new(
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
                .map(|s| table.get(s).map_or(NO_SID, |i| i.0)),
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

    pub(super) fn go(
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
        // Each node's status and what it holds: on success the granted
        // access; on a denial the part it was granted anyway (owner rights,
        // privileges, allow ACEs), which only a result list reports
        // (ReactOS apitest `NtAccessCheckByTypeResultList`, DenyAccessTests:
        // each denied node reports READ_CONTROL from owner rights; ReactOS
        // `SepAccessCheckWorker` reports granted | previously granted,
        // within the desired access). The plain and by-type answers report
        // 0 on a denial (Wine `test_AccessCheck`, "Access denied by SD").
        let mut root = (NtStatus::AccessDenied, 0u32);
        for (i, o) in per_node.iter().enumerate() {
            let (status, held) = if self.ma {
                let mut g = pre | (o.bits & !NOT_GRANTABLE_BY_ACE);
                if self.token.app_container {
                    g &= ac.bits;
                }
                g &= allowed;
                let ok = g != 0 && self.explicit & !g == 0;
                (
                    if ok {
                        NtStatus::Success
                    } else {
                        NtStatus::AccessDenied
                    },
                    g,
                )
            } else if o.denied || o.bits != 0 || (self.token.app_container && ac.bits != 0) {
                let mut held = self.explicit & !o.bits;
                if self.token.app_container {
                    held &= !ac.bits;
                }
                (NtStatus::AccessDenied, held)
            } else {
                (NtStatus::Success, self.explicit)
            };
            if i == 0 {
                root = (status, if status == NtStatus::Success { held } else { 0 });
            }
            if self.collect_results {
                if let Some(t) = tree {
                    results.push(ObjectTypeResult {
                        level: t.nodes[i].level,
                        guid: t.nodes[i].guid,
                        status,
                        granted: AccessMask(held),
                    });
                }
            }
        }
        root
    }
}
