//! The object-type result list (AccessCheckByType and
//! AccessCheckByTypeResultList, MS-DTYP 2.5.3.2): the DACL walk over an
//! object-type tree, and the uniform answer of a check that ends before
//! the DACL.

use super::compile::{AceKind, NONE16};
use super::dacl::Match;
use super::request::ObjectTypeResult;
use super::run::{Outcome, Run};
use super::trace::{AceOutcome, Pass, Tracer};
use super::tree::Tree;
use crate::ids::mask::AccessMask;
use crate::ids::status::NtStatus;

impl<'a, T: Tracer> Run<'a, T> {
    /// The answer of a check that ends before the DACL: every node of a
    /// result list gets the same one.
    pub(super) fn uniform(
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

    /// One pass over the DACL with an object-type list (MS-DTYP 2.5.3.2,
    /// AccessCheckByType): an allow applies to its node and the node's
    /// subtree, and a parent is granted what all its children are; a deny
    /// applies to its node, the subtree and every ancestor.
    pub(super) fn pass_tree(
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
        // Normal mode: bits still wanted per node, and the wanted bits a
        // deny took (the node then fails). MAXIMUM_ALLOWED: granted and
        // denied per node. A result list goes on granting to a node after
        // a deny ended it, so that the node can report what it was granted
        // (ReactOS `SepAllowAccessObjectTypeResultList` grants what no
        // earlier ACE denied; the apitest `NtAccessCheckByTypeResultList`,
        // DenyAccessTests, records the partial grant of a denied node).
        let rl = self.request.result_list;
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
                        } else if !ended[i] || rl {
                            let g = bits[i] & ace.mask & !denied[i];
                            any |= g;
                            bits[i] &= !g;
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
                        } else if !ended[a] || rl {
                            bits[a] &= !(all & !denied[a]);
                        }
                    }
                    AceOutcome::Granted
                }
                (_, _) => {
                    for i in tree.subtree(target).chain(tree.ancestors(target)) {
                        if ma {
                            any |= ace.mask & !bits[i] & !denied[i];
                            denied[i] |= ace.mask & !bits[i];
                        } else if (!ended[i] || rl) && bits[i] & ace.mask & !denied[i] != 0 {
                            any |= bits[i] & ace.mask & !denied[i];
                            denied[i] |= bits[i] & ace.mask;
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
}
