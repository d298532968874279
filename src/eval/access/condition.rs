//! Conditional ACEs within a check (MS-DTYP 2.4.4.17): the context a
//! condition is evaluated in (the token's claims and SIDs, the object's
//! resource attributes) and the evaluation of one condition.

use super::compile::{CompiledToken, SidTable};
use super::run::Run;
use super::trace::Tracer;
use crate::descriptor::claims::{ClaimAttribute, FLAG_USE_FOR_DENY_ONLY};
use crate::descriptor::condition::eval::{self, ConditionContext, Tristate};
use crate::descriptor::condition::AttrClass;
use crate::descriptor::upcase::eq_ignoring_case;
use crate::ids::sid::Sid;

impl<'a, T: Tracer> Run<'a, T> {
    /// Evaluates condition `index`. An expression that could not be decoded
    /// is UNKNOWN.
    pub(super) fn condition(
        &self,
        index: u16,
        for_deny: bool,
        explain: bool,
    ) -> (Tristate, Vec<String>) {
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
            // Names compare case-insensitively (MS-DTYP 2.4.4.17.6) as
            // RtlEqualUnicodeString(.., TRUE) does: UTF-16 code units through
            // Windows' upper-case table, so `@User.Étage` names the claim
            // `étage` but `@User.STRASSE` does not name `straße`.
            eq_ignoring_case(&c.name, name)
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
