//! Stage 2 of a check, the mandatory checks, which can only take access
//! away: the process trust label (MS-DTYP 2.4.4.14), access filters and
//! mandatory integrity, the label check (MS-DTYP 2.5.3.3).

use super::run::{Run, ASS, WO};
use super::trace::{Step, Tracer};
use crate::descriptor::condition::eval::Tristate;
use crate::ids::mask::{label, AccessMask};
use crate::ids::privilege::Privilege;
use crate::ids::sid::Sid;
use crate::token::{IntegrityLevel, MandatoryPolicy};

impl<'a, T: Tracer> Run<'a, T> {
    /// The mandatory checks: what they leave allowed.
    pub(super) fn mandatory(&mut self) -> u32 {
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
