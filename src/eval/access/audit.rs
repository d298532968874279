//! Stage 8 of a check: SACL audit ACEs raise [`AuditEvent`]s as data and
//! never change the decision (MS-DTYP 2.4.4.10 SYSTEM_AUDIT_ACE, 2.5.3.2).

use super::compile::NONE16;
use super::run::Run;
use super::trace::{Step, Tracer};
use super::tree::Tree;
use crate::descriptor::ace::AceFlags;
use crate::descriptor::condition::eval::Tristate;
use crate::ids::mask::AccessMask;
use crate::ids::sid::{well_known, Sid};
use crate::ids::status::NtStatus;

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

impl<'a, T: Tracer> Run<'a, T> {
    /// SACL audit ACEs: events as data, never changing the decision.
    pub(super) fn audit(
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
}
