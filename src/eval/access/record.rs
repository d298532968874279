//! The run's tracing helpers: how each ACE and pass is written into the
//! explanation [`super::Trace`]. With [`super::NoTrace`] they cost nothing.

use super::compile::{AceKind, CompiledAce, NONE16};
use super::run::{Outcome, Run};
use super::trace::{AceOutcome, Pass, Step, Tracer};
use crate::ids::mask::AccessMask;

impl<'a, T: Tracer> Run<'a, T> {
    pub(super) fn ace_text(&self, index: u16) -> String {
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
    pub(super) fn trace_ace(
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
    pub(super) fn trace_miss(&mut self, pass: Pass, ace: &CompiledAce, sid: u32) {
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

    pub(super) fn trace_pass_end(&mut self, pass: Pass, start: u32, o: &Outcome) {
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
