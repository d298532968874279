//! The explanation trace: what each stage of the access check did.
//!
//! The check reports to a [`Tracer`]. [`NoTrace`] ignores every report and
//! compiles away, so a check without tracing builds nothing and allocates
//! nothing; [`Trace`] records [`Step`]s, which render as text for people
//! ([`Trace::render`]) and serialize as JSON for tools.

use crate::descriptor::condition::eval::Tristate;
use crate::ids::mask::AccessMask;
use crate::ids::privilege::Privilege;
use crate::ids::sid::Sid;
use crate::ids::status::NtStatus;
use serde::Serialize;
use std::fmt::Write as _;

/// Receives the check's reports.
pub trait Tracer {
    /// Whether reports are wanted (lets the check skip work that only
    /// explains).
    fn on(&self) -> bool;
    /// Records the step `f` builds; `f` runs only when tracing.
    fn step(&mut self, f: impl FnOnce() -> Step);
}

/// A tracer that records nothing and costs nothing.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoTrace;

impl Tracer for NoTrace {
    #[inline(always)]
    fn on(&self) -> bool {
        false
    }
    #[inline(always)]
    fn step(&mut self, _: impl FnOnce() -> Step) {}
}

/// A recorded explanation.
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize)]
pub struct Trace {
    /// The steps in the order the check took them.
    pub steps: Vec<Step>,
}

impl Tracer for Trace {
    fn on(&self) -> bool {
        true
    }
    fn step(&mut self, f: impl FnOnce() -> Step) {
        self.steps.push(f());
    }
}

/// Which DACL pass an ACE step belongs to.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Pass {
    /// The pass over the token's user and groups.
    Normal,
    /// The second pass over the restricting SIDs (restricted tokens).
    Restricted,
}

/// What an ACE did.
#[derive(Clone, PartialEq, Eq, Debug, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum AceOutcome {
    /// The ACE granted these bits (of those still wanted).
    Granted,
    /// The ACE granted these bits to the AppContainer part of the check
    /// (its SID is the package, a capability or ALL APPLICATION PACKAGES).
    GrantedToPackage,
    /// The ACE denied these bits; in a normal check that ends it.
    Denied,
    /// The ACE's SID matched but none of its bits were still undecided.
    NothingLeft,
    /// The token does not hold the SID (or holds it disabled).
    SidNotHeld,
    /// The token holds the SID for deny only, so an allow ACE does not
    /// apply (MS-DTYP 2.5.3.2).
    DenyOnly,
    /// The ACE's condition was not TRUE, so the allow ACE does not apply
    /// (MS-DTYP 2.4.4.17.3).
    ConditionNotTrue,
    /// The deny ACE's condition was FALSE, so it does not apply.
    ConditionFalse,
    /// An object ACE with an ObjectType not in the request's object-type
    /// list.
    ObjectTypeNotInList,
    /// An allowed object ACE in a check without an object-type list:
    /// ignored.
    ObjectAceWithoutList,
}

/// One step of the check.
#[derive(Clone, PartialEq, Eq, Debug, Serialize)]
#[serde(tag = "stage", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Step {
    /// The desired access after generic mapping.
    Desired {
        /// As asked.
        requested: AccessMask,
        /// After mapping.
        mapped: AccessMask,
        /// Whether MAXIMUM_ALLOWED was asked.
        maximum_allowed: bool,
        /// Whether a generic mapping was given.
        mapping_given: bool,
    },
    /// Nothing was asked: Windows denies a request for no access.
    NothingAsked,
    /// The process trust label (MS-DTYP 2.4.4.14; SYSTEM_PROCESS_TRUST_LABEL).
    TrustLabel {
        /// SACL index of the TL ACE.
        index: usize,
        /// The label's trust SID.
        label: Sid,
        /// The token's trust level, if any.
        token: Option<Sid>,
        /// Whether the token's level dominates the label.
        dominates: bool,
        /// What the label leaves allowed.
        allowed: AccessMask,
    },
    /// An access filter ACE (SYSTEM_ACCESS_FILTER).
    AccessFilter {
        /// SACL index.
        index: usize,
        /// The condition's value.
        condition: Tristate,
        /// What the filter leaves allowed.
        allowed: AccessMask,
    },
    /// The mandatory integrity check (MS-DTYP 2.5.3.3 / Windows MIC).
    Integrity {
        /// The token's level.
        token: Sid,
        /// The object's label (Medium when it has none).
        label: Sid,
        /// The SACL index of the label ACE, if the object has one.
        label_index: Option<usize>,
        /// The label's policy bits (NW 1, NR 2, NX 4).
        policy: u32,
        /// Whether the token's level is at least the label's.
        dominates: bool,
        /// What the check leaves allowed.
        allowed: AccessMask,
        /// An AppContainer passes a failed check against a label at Medium
        /// or below.
        app_container_exempt: bool,
    },
    /// The token's mandatory policy turns the integrity check off.
    IntegrityOff,
    /// The mandatory checks refused part of the request.
    MandatoryDenied {
        /// Bits the mandatory checks do not allow.
        missing: AccessMask,
    },
    /// A privilege granted bits.
    Privilege {
        /// The privilege.
        privilege: Privilege,
        /// What it granted.
        granted: AccessMask,
    },
    /// ACCESS_SYSTEM_SECURITY was asked without SeSecurityPrivilege.
    PrivilegeNotHeld {
        /// The privilege needed.
        privilege: Privilege,
    },
    /// The owner's implicit rights (MS-DTYP 2.5.3.2).
    Owner {
        /// The object's owner.
        owner: Sid,
        /// Whether the token counts as the owner.
        held: bool,
        /// What owner rights granted.
        granted: AccessMask,
        /// The DACL index of an OWNER RIGHTS ACE that replaces the implicit
        /// rights.
        owner_rights_ace: Option<usize>,
    },
    /// Privileges and owner rights granted everything asked; the DACL is
    /// not consulted.
    SatisfiedBeforeDacl,
    /// The DACL is null or absent: everything is granted.
    NoDacl {
        /// Whether the DACL is present but null (else absent).
        null: bool,
        /// What it grants.
        granted: AccessMask,
    },
    /// The DACL has no ACEs: it grants nothing.
    EmptyDacl,
    /// An ACE was skipped before evaluation.
    AceSkipped {
        /// DACL index.
        index: usize,
        /// The ACE in SDDL.
        ace: String,
        /// Why.
        reason: String,
    },
    /// An ACE was evaluated.
    Ace {
        /// Which pass.
        pass: Pass,
        /// DACL index.
        index: usize,
        /// The ACE in SDDL.
        ace: String,
        /// What it did.
        outcome: AceOutcome,
        /// The bits concerned.
        mask: AccessMask,
        /// The condition's value, for callback ACEs.
        #[serde(skip_serializing_if = "Option::is_none")]
        condition: Option<Tristate>,
        /// How the condition was reached.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        condition_steps: Vec<String>,
        /// The object-type node the ACE applied to.
        #[serde(skip_serializing_if = "Option::is_none")]
        node: Option<usize>,
        /// A note, e.g. unmapped generic bits in the ACE.
        #[serde(skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
    /// A DACL pass ended.
    PassEnd {
        /// Which pass.
        pass: Pass,
        /// What the pass granted.
        granted: AccessMask,
        /// What it left ungranted.
        missing: AccessMask,
        /// Whether a deny ACE ended it.
        denied: bool,
    },
    /// The AppContainer part of the check.
    AppContainer {
        /// What the package, capability and ALL APPLICATION PACKAGES ACEs
        /// granted.
        granted: AccessMask,
        /// What they left ungranted.
        missing: AccessMask,
    },
    /// The restricted pass is not needed.
    RestrictedSkipped {
        /// Why.
        reason: String,
    },
    /// A scoped policy ACE was ignored: central access policies are not
    /// simulated.
    ScopedPolicyIgnored {
        /// SACL index.
        index: usize,
    },
    /// An audit ACE produced an event.
    Audit {
        /// SACL index.
        index: usize,
        /// Success or failure audit.
        success: bool,
        /// The bits that triggered it.
        mask: AccessMask,
    },
    /// The final answer.
    Result {
        /// The status.
        status: NtStatus,
        /// The granted mask.
        granted: AccessMask,
    },
}

impl Trace {
    /// Renders the trace as readable text, one line per step.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for s in &self.steps {
            render_step(&mut out, s);
            out.push('\n');
        }
        out
    }
}

fn render_step(out: &mut String, s: &Step) {
    let _ = match s {
        Step::Desired {
            requested,
            mapped,
            maximum_allowed,
            mapping_given,
        } => {
            let _ = write!(out, "desired {requested}");
            if requested != mapped {
                let _ = write!(out, " mapped to {mapped}");
            }
            if *maximum_allowed {
                out.push_str(" (MAXIMUM_ALLOWED)");
            }
            if !mapping_given {
                out.push_str("; no generic mapping given");
            }
            Ok(())
        }
        Step::NothingAsked => write!(
            out,
            "no access asked: denied (SeAccessCheck refuses an empty request)"
        ),
        Step::TrustLabel {
            index,
            label,
            token,
            dominates,
            allowed,
        } => write!(
            out,
            "trust label S[{index}] {label}: token trust {} {} -> allowed {allowed}",
            token
                .map(|t| t.to_string())
                .unwrap_or_else(|| "none".into()),
            if *dominates {
                "dominates"
            } else {
                "does not dominate"
            }
        ),
        Step::AccessFilter {
            index,
            condition,
            allowed,
        } => {
            write!(
                out,
                "access filter S[{index}]: condition {condition} -> allowed {allowed}"
            )
        }
        Step::Integrity {
            token,
            label,
            label_index,
            policy,
            dominates,
            allowed,
            app_container_exempt,
        } => {
            let at = label_index
                .map(|i| format!("S[{i}] "))
                .unwrap_or_else(|| "default ".into());
            let _ = write!(
                out,
                "integrity: token {token} vs {at}label {label} (policy 0x{policy:x}): {}",
                if *dominates {
                    "dominates, no restriction".to_string()
                } else {
                    format!("lower, allowed {allowed}")
                }
            );
            if *app_container_exempt {
                out.push_str("; AppContainer exempt (label at or below Medium)");
            }
            Ok(())
        }
        Step::IntegrityOff => write!(
            out,
            "integrity: token policy has no NO_WRITE_UP; check skipped"
        ),
        Step::MandatoryDenied { missing } => {
            write!(out, "mandatory checks refuse {missing}: access denied")
        }
        Step::Privilege { privilege, granted } => write!(out, "{privilege} grants {granted}"),
        Step::PrivilegeNotHeld { privilege } => {
            write!(
                out,
                "ACCESS_SYSTEM_SECURITY needs {privilege}, not held: STATUS_PRIVILEGE_NOT_HELD"
            )
        }
        Step::Owner {
            owner,
            held,
            granted,
            owner_rights_ace,
        } => match (held, owner_rights_ace) {
            (false, _) => write!(
                out,
                "owner {owner}: not held by the token; no implicit rights"
            ),
            (true, Some(i)) => write!(
                out,
                "owner {owner}: held, but OWNER RIGHTS ACE D[{i}] replaces the implicit rights"
            ),
            (true, None) => write!(out, "owner {owner}: held; implicit rights grant {granted}"),
        },
        Step::SatisfiedBeforeDacl => write!(
            out,
            "everything asked is granted; the DACL is not consulted"
        ),
        Step::NoDacl { null, granted } => write!(
            out,
            "{} DACL: grants {granted}",
            if *null { "null" } else { "no" }
        ),
        Step::EmptyDacl => write!(out, "empty DACL: grants nothing"),
        Step::AceSkipped { index, ace, reason } => {
            write!(out, "  D[{index}] {ace}: skipped, {reason}")
        }
        Step::Ace {
            pass,
            index,
            ace,
            outcome,
            mask,
            condition,
            condition_steps,
            node,
            note,
        } => {
            let p = if *pass == Pass::Restricted {
                "restricted "
            } else {
                ""
            };
            let _ = write!(out, "  {p}D[{index}] {ace}: ");
            let _ = match outcome {
                AceOutcome::Granted => write!(out, "grants {mask}"),
                AceOutcome::GrantedToPackage => write!(out, "grants {mask} to the AppContainer"),
                AceOutcome::Denied => write!(out, "denies {mask}"),
                AceOutcome::NothingLeft => {
                    // The ACE may hold none of the rights asked, or only
                    // rights an earlier ACE already decided; say both, as
                    // the ACE walk picture does (issue 17, item 5).
                    write!(
                        out,
                        "matches, but decides nothing: each of its rights was not asked \
                         for, or was already granted or denied above"
                    )
                }
                AceOutcome::SidNotHeld => write!(out, "SID not held"),
                AceOutcome::DenyOnly => write!(out, "SID is deny-only; cannot grant"),
                AceOutcome::ConditionNotTrue => write!(out, "condition not TRUE; does not apply"),
                AceOutcome::ConditionFalse => write!(out, "condition FALSE; does not apply"),
                AceOutcome::ObjectTypeNotInList => {
                    write!(out, "object type not in the list; ignored")
                }
                AceOutcome::ObjectAceWithoutList => write!(
                    out,
                    "allowed object ACE without an object-type list; ignored"
                ),
            };
            if let Some(c) = condition {
                let _ = write!(out, " [condition {c}");
                for st in condition_steps {
                    let _ = write!(out, "; {st}");
                }
                out.push(']');
            }
            if let Some(n) = node {
                let _ = write!(out, " (object-type node {n})");
            }
            if let Some(n) = note {
                let _ = write!(out, " ({n})");
            }
            Ok(())
        }
        Step::PassEnd {
            pass,
            granted,
            missing,
            denied,
        } => write!(
            out,
            "{} pass: granted {granted}, missing {missing}{}",
            if *pass == Pass::Restricted {
                "restricted"
            } else {
                "DACL"
            },
            if *denied { ", ended by a deny ACE" } else { "" }
        ),
        Step::AppContainer { granted, missing } => {
            write!(
                out,
                "AppContainer pass: granted {granted}, missing {missing}"
            )
        }
        Step::RestrictedSkipped { reason } => write!(out, "restricted pass skipped: {reason}"),
        Step::ScopedPolicyIgnored { index } => write!(
            out,
            "scoped policy S[{index}] ignored (central access policies are not simulated)"
        ),
        Step::Audit {
            index,
            success,
            mask,
        } => write!(
            out,
            "audit S[{index}]: {} event for {mask}",
            if *success { "success" } else { "failure" }
        ),
        Step::Result { status, granted } => write!(out, "result: {status}, granted {granted}"),
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_trace_never_builds_steps() {
        let mut t = NoTrace;
        t.step(|| unreachable!("NoTrace must not call the builder"));
        assert!(!t.on());
    }

    #[test]
    fn trace_renders_text_and_json() {
        let mut t = Trace::default();
        t.step(|| Step::Ace {
            pass: Pass::Normal,
            index: 2,
            ace: "(A;;FR;;;WD)".into(),
            outcome: AceOutcome::Granted,
            mask: AccessMask(0x0012_0089),
            condition: None,
            condition_steps: Vec::new(),
            node: None,
            note: None,
        });
        t.step(|| Step::Result {
            status: NtStatus::Success,
            granted: AccessMask(0x0012_0089),
        });
        assert_eq!(
            t.render(),
            "  D[2] (A;;FR;;;WD): grants 0x00120089\nresult: STATUS_SUCCESS, granted 0x00120089\n"
        );
        let json = serde_json::to_value(&t).unwrap();
        assert_eq!(json["steps"][0]["stage"], "ace");
        assert_eq!(json["steps"][0]["outcome"], "granted");
        assert_eq!(json["steps"][1]["status"], "STATUS_SUCCESS");
    }
}
