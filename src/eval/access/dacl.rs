//! Stages 5 to 7 of a check: the DACL walk (MS-DTYP 2.5.3.2), the
//! restricted pass over a restricted token's restricting SIDs, and the
//! AppContainer package pass. The walk with an object-type list is in
//! [`super::object_types`].

use super::compile::{AceKind, BitSet, CompiledAce, DaclKind, NONE16};
use super::run::{Outcome, Run, WO};
use super::trace::{AceOutcome, Pass, Step, Tracer};
use super::tree::Tree;
use crate::descriptor::condition::eval::Tristate;
use crate::ids::mask::AccessMask;

impl<'a, T: Tracer> Run<'a, T> {
    /// Runs the DACL, restricted and AppContainer passes. Fills one
    /// [`Outcome`] per node and returns the AppContainer part (bits still
    /// wanted in normal mode, bits granted with MAXIMUM_ALLOWED).
    pub(super) fn dacl(
        &mut self,
        tree: Option<&Tree<'_>>,
        remaining: u32,
        out: &mut [Outcome],
    ) -> Outcome {
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

    /// The SID an ACE stands for in this request: a PRINCIPAL_SELF ACE
    /// stands for the request's self SID when it names one, even one no
    /// token holds (MS-DTYP 2.5.3.2, PrincipalSelfSubst; issue 18, F9).
    #[inline(always)]
    pub(super) fn ace_sid(&self, ace: &CompiledAce) -> u32 {
        match self.self_id {
            Some(id) if ace.is_self => id,
            _ => ace.sid,
        }
    }

    pub(super) fn sets(&self, pass: Pass) -> (&'a BitSet, &'a BitSet) {
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
    pub(super) fn applies(&mut self, pass: Pass, ace: &CompiledAce) -> Option<Match> {
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
    pub(super) fn grant_package(&self, ac: &mut u32, mask: u32) -> u32 {
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
}

/// How an ACE's SID matched.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Match {
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
