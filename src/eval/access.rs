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

mod audit;
mod call;
pub mod compile;
mod condition;
mod dacl;
mod direct;
mod err;
mod mandatory;
mod object_types;
mod privileges;
mod record;
mod request;
mod run;
mod simple;
pub mod trace;
mod tree;

pub use audit::AuditEvent;
pub use call::{before_descriptor, call_arguments, privilege_set_length};
pub use compile::{CompiledDescriptor, CompiledToken, SidId, SidTable};
pub use err::AccessError;
pub use request::{AccessRequest, CheckVerdict, ObjectTypeResult};
pub use trace::{AceOutcome, NoTrace, Pass, Step, Trace, Tracer};
pub use tree::{ObjectTypeNode, MAX_LEVEL};

use crate::descriptor::sd::SecurityDescriptor;
use crate::ids::mask::AccessMask;
use crate::ids::privilege::PrivilegeSet;
use crate::ids::status::NtStatus;
use crate::token::Token;
use request::prepare;
use run::Run;
use simple::decide_simple;

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

    /// The decision of a short-path verdict: no per-node results, audit
    /// events or trace.
    #[inline(always)]
    fn of_verdict(v: CheckVerdict) -> AccessDecision {
        AccessDecision {
            status: v.status,
            granted: v.granted,
            privileges_used: v.privileges_used,
            results: Vec::new(),
            audit: Vec::new(),
            trace: None,
        }
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
    compile_and_check(token, sd, request, &mut NoTrace)
}

/// As [`access_check`], with the explanation trace in the decision.
pub fn access_check_explained(
    token: &Token,
    sd: &SecurityDescriptor,
    request: &AccessRequest<'_>,
) -> Result<AccessDecision, AccessError> {
    let mut trace = Trace::default();
    let mut decision = compile_and_check(token, sd, request, &mut trace)?;
    decision.trace = Some(trace);
    Ok(decision)
}

/// Compiles `token` and `sd` into one fresh table and checks `request`.
fn compile_and_check<T: Tracer>(
    token: &Token,
    sd: &SecurityDescriptor,
    request: &AccessRequest<'_>,
    tracer: &mut T,
) -> Result<AccessDecision, AccessError> {
    // A plain question is answered by comparing SIDs directly, without
    // compiling (the same answer as the short path of `check` below).
    if !tracer.on() {
        if let Some(v) = direct::decide_direct(token, sd, request) {
            return Ok(AccessDecision::of_verdict(v));
        }
    }
    let mut table = SidTable::new();
    let t = table.compile_token(token);
    let d = table.compile_descriptor(sd);
    check(&table, &t, &d, request, tracer)
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
            return Ok(AccessDecision::of_verdict(v));
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
