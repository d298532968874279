//! One ACL of the new descriptor: the choice between the creator's, the
//! parent's and the token's default (MS-DTYP 2.5.3.4.2 ComputeACL), the
//! creator's ACEs mapped in place, and each parent ACE's inherited copies
//! (MS-DTYP 2.5.3.4.4), with the effective-copy helpers.

use super::request::{AceOrigin, InheritRequest, Path, SefFlags};
use crate::descriptor::ace::{Ace, AceFlags, AceType};
use crate::descriptor::acl::Acl;
use crate::descriptor::sd::Control;
use crate::ids::mask::AccessMask;
use crate::ids::sid::{well_known, Sid};

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Which {
    Dacl,
    Sacl,
}

/// A computed ACL: absent, present but null, or a list. None is ever
/// marked defaulted: SeAssignSecurity leaves SE_DACL_DEFAULTED and
/// SE_SACL_DEFAULTED clear whether the ACL comes from a defaulted creator
/// ACL, a defaulted parent ACL or the token's default DACL (ReactOS kmtest
/// `SeInheritance`, run on Windows: `DaclDefaulted` and `SaclDefaulted`
/// are FALSE in every case; Wine `test_default_dacl_owner_sid`, also run
/// on Windows: an object given the token's default DACL reports it not
/// defaulted).
pub(super) enum Computed {
    Absent,
    Null,
    Acl { acl: Acl, origins: Vec<AceOrigin> },
}

impl Computed {
    fn acl(aces: Vec<(Ace, AceOrigin)>) -> Computed {
        let (aces, origins): (Vec<Ace>, Vec<AceOrigin>) = aces.into_iter().unzip();
        Computed::Acl {
            acl: Acl::new(aces),
            origins,
        }
    }
}

/// How one explicit ACE (the creator's or the token default DACL's) came
/// out: as given, or changed by mapping.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Made {
    AsGiven,
    Mapped,
}

pub(super) struct Ctx<'a> {
    pub(super) req: &'a InheritRequest<'a>,
    pub(super) path: &'a Path,
    pub(super) owner: Sid,
    pub(super) group: Sid,
}

impl Ctx<'_> {
    /// MS-DTYP 2.5.3.4.2 ComputeACL, with Windows' choice order (ReactOS
    /// `SepSelectAcl`).
    /// Returns the ACL and whether it is the creator's (so the creator's
    /// protection applies to it).
    pub(super) fn compute(&self, which: Which, token_default: Option<&Acl>) -> (Computed, bool) {
        let (present, protected, creator_acl, parent_acl, auto) = match which {
            Which::Dacl => (
                Control::DACL_PRESENT,
                Control::DACL_PROTECTED,
                self.req.creator.and_then(|c| c.dacl.as_ref()),
                self.req.parent.and_then(|p| p.dacl.as_ref()),
                self.path.dacl_auto,
            ),
            Which::Sacl => (
                Control::SACL_PRESENT,
                Control::SACL_PROTECTED,
                self.req.creator.and_then(|c| c.sacl.as_ref()),
                self.req.parent.and_then(|p| p.sacl.as_ref()),
                self.path.sacl_auto,
            ),
        };
        let creator_present = self
            .req
            .creator
            .is_some_and(|c| c.control.contains(present));
        let creator_protected = self
            .req
            .creator
            .is_some_and(|c| c.control.contains(protected));
        let mut defaulted = which == Which::Dacl && self.req.creator_dacl_defaulted;
        // SEF_DEFAULT_DESCRIPTOR_FOR_OBJECT: the creator's descriptor is a
        // default one, ignored when the parent has ACEs for this object
        // type (CreatePrivateObjectSecurityEx, AutoInheritFlags).
        if self
            .req
            .flags
            .contains(SefFlags::DEFAULT_DESCRIPTOR_FOR_OBJECT)
        {
            if let (Some(class), Some(p)) = (self.req.object_class, parent_acl) {
                if p.aces
                    .iter()
                    .any(|a| a.inherited_object_type == Some(class))
                {
                    defaulted = true;
                }
            }
        }
        let creator_origin = |index: usize, made: Made| match made {
            Made::AsGiven => AceOrigin::Creator { index },
            Made::Mapped => AceOrigin::CreatorMapped { index },
        };
        let inherited = |ctx: &Self| -> Vec<(Ace, AceOrigin)> {
            parent_acl
                .map(|p| ctx.inherit_from_parent(p, auto))
                .unwrap_or_default()
        };

        if creator_present && !defaulted {
            // An explicit ACL: its own ACEs, then, with auto-inheritance
            // and no protection, the parent's.
            let mut aces = creator_acl
                .map(|c| self.explicit_acl(c, auto, creator_protected, creator_origin))
                .unwrap_or_default();
            if auto && !creator_protected {
                aces.extend(inherited(self));
            }
            if creator_acl.is_none() && aces.is_empty() {
                // A null creator ACL with nothing inherited stays null.
                return (Computed::Null, true);
            }
            return (Computed::acl(aces), true);
        }
        // A defaulted parent ACL is used like any other, and the result is
        // not marked defaulted (see [`Computed`]).
        let from_parent = inherited(self);
        if !from_parent.is_empty() {
            return (Computed::acl(from_parent), false);
        }
        if creator_present {
            return match creator_acl {
                Some(c) => (
                    Computed::acl(self.explicit_acl(c, auto, creator_protected, creator_origin)),
                    true,
                ),
                None => (Computed::Null, true),
            };
        }
        if let Some(d) = token_default {
            // The token's default DACL goes through the same steps as an
            // explicit ACL (ReactOS `SepSelectAcl` hands it to
            // `SepPropagateAcl` as the explicit ACL): mapped, and without
            // auto-inheritance otherwise as given.
            let aces =
                self.explicit_acl(d, auto, false, |index, _| AceOrigin::TokenDefault { index });
            return (Computed::acl(aces), false);
        }
        (Computed::Absent, false)
    }

    /// An explicit ACL (the creator's, or the token's default DACL) made
    /// concrete, each ACE's origin given by `origin`.
    fn explicit_acl(
        &self,
        acl: &Acl,
        auto: bool,
        protected: bool,
        origin: impl Fn(usize, Made) -> AceOrigin,
    ) -> Vec<(Ace, AceOrigin)> {
        let mut out = Vec::new();
        for (i, ace) in acl.aces.iter().enumerate() {
            for (a, made) in self.explicit_ace(ace, auto, protected) {
                out.push((a, origin(i, made)));
            }
        }
        out
    }

    fn explicit_ace(&self, ace: &Ace, auto: bool, protected: bool) -> Vec<(Ace, Made)> {
        let mut ace = ace.clone();
        if ace.is_inherited() {
            // MS-DTYP 2.5.3.4: a protected ACL keeps the creator's ACEs with
            // INHERITED_ACE reset; with auto-inheritance (2.5.3.4.6;
            // SeAssignSecurityEx, Assignment Notes 5) the creator's
            // inherited ACEs are otherwise dropped, to be inherited afresh.
            // Without either the flag means nothing and is kept (ReactOS
            // `SepPropagateAcl` drops them only when auto-inheriting).
            if protected {
                ace.flags = ace.flags.without(AceFlags::INHERITED);
            } else if auto {
                return Vec::new();
            }
        }
        if !auto {
            // Without auto-inheritance an explicit ACE stays as given: its
            // flags (OI, CI, NP and IO even on a leaf, IO even without OI
            // or CI, SA and FA), its CREATOR OWNER or CREATOR GROUP SID, one
            // ACE with no inherit-only copy; only an effective ACE has its
            // generic rights mapped (ReactOS kmtest `SeInheritance`, run on
            // Windows: the explicit `CREATOR GROUP` ACE comes back with its
            // SID and flags, its mask mapped unless INHERIT_ONLY; the
            // explicit audit ACE keeps OI, SA, FA and CREATOR OWNER on a
            // leaf; ReactOS `SepShouldPropagateAce` keeps an explicit ACE's
            // flags).
            if ace.is_inherit_only() || !ace.mask.has_generic() {
                return vec![(ace, Made::AsGiven)];
            }
            ace.mask = self.effective_mask(ace.mask);
            return vec![(ace, Made::Mapped)];
        }
        let inheritable = ace.flags.contains(AceFlags::OBJECT_INHERIT)
            || ace.flags.contains(AceFlags::CONTAINER_INHERIT);
        if ace.is_inherit_only() {
            if !inheritable {
                return Vec::new();
            }
            return vec![(ace, Made::AsGiven)];
        }
        if !self.mappable(&ace) {
            return vec![(ace, Made::AsGiven)];
        }
        let keeps_inheritable = self.path.is_container
            && inheritable
            && !ace.flags.contains(AceFlags::NO_PROPAGATE_INHERIT);
        let mapped = self.effective_copy(&ace, AceFlags::default());
        if keeps_inheritable {
            let original = ace
                .clone()
                .with_flags(ace.flags.with(AceFlags::INHERIT_ONLY));
            vec![(original, Made::AsGiven), (mapped, Made::Mapped)]
        } else {
            vec![(mapped, Made::Mapped)]
        }
    }

    /// MS-DTYP 2.5.3.4.4 with Windows' flags (see the module notes).
    fn inherit_from_parent(&self, acl: &Acl, auto: bool) -> Vec<(Ace, AceOrigin)> {
        let id = if auto {
            AceFlags::INHERITED
        } else {
            AceFlags::default()
        };
        let mut out = Vec::new();
        for (index, ace) in acl.aces.iter().enumerate() {
            let oi = ace.flags.contains(AceFlags::OBJECT_INHERIT);
            let ci = ace.flags.contains(AceFlags::CONTAINER_INHERIT);
            let np = ace.flags.contains(AceFlags::NO_PROPAGATE_INHERIT);
            if !(oi || ci) {
                continue;
            }
            let mut applies = if self.path.is_container { ci } else { oi };
            // InheritedObjectType: only objects of that class.
            if let (true, Some(iot), Some(class)) = (
                ace.ace_type.is_object(),
                ace.inherited_object_type,
                self.req.object_class,
            ) {
                if iot != class {
                    applies = false;
                }
            }
            let inheritable = self.path.is_container && !np;
            // The inherited copies take none of the parent's inheritance
            // bits as they are (VALID_INHERIT_FLAGS, INHERITED_ACE
            // included; ReactOS SepShouldPropagateAce) but keep the rest
            // (audit SA/FA, CRITICAL).
            let other = ace.flags.without(AceFlags(0x1F));
            let oici = AceFlags(ace.flags.0 & 0x03);
            let effective = other.with(id);
            let inherit_only = other.with(oici).with(AceFlags::INHERIT_ONLY).with(id);
            match (applies, inheritable) {
                (false, false) => {}
                (false, true) => {
                    out.push((
                        ace.clone().with_flags(inherit_only),
                        AceOrigin::Parent { index },
                    ));
                }
                (true, false) => {
                    out.push((
                        self.effective_copy(ace, effective),
                        AceOrigin::ParentMapped { index },
                    ));
                }
                (true, true) => {
                    if self.mappable(ace) {
                        out.push((
                            self.effective_copy(ace, effective),
                            AceOrigin::ParentMapped { index },
                        ));
                        out.push((
                            ace.clone().with_flags(inherit_only),
                            AceOrigin::Parent { index },
                        ));
                    } else {
                        let both = other.with(oici).with(id);
                        out.push((ace.clone().with_flags(both), AceOrigin::Parent { index }));
                    }
                }
            }
        }
        out
    }

    /// Whether an ACE holds something to map: generic rights, or CREATOR
    /// OWNER / CREATOR GROUP (CreatePrivateObjectSecurityEx, Remarks).
    fn mappable(&self, ace: &Ace) -> bool {
        ace.mask.has_generic()
            || ace.sid == well_known::CREATOR_OWNER
            || ace.sid == well_known::CREATOR_GROUP
    }

    /// An effective ACE's mask: with generic rights, mapped and then cut to
    /// the mapping's GENERIC_ALL; without, as given. Windows keeps only
    /// rights inside GENERIC_ALL once it maps (ReactOS kmtest
    /// `SeInheritance`, run on Windows, with a mapping whose GENERIC_READ
    /// holds 0x1001 and GENERIC_ALL 0x800F: an inherited `CREATOR OWNER`
    /// GENERIC_READ ACE becomes READ_CONTROL | 0x0001, and the token's
    /// default GENERIC_READ | GENERIC_EXECUTE | READ_CONTROL becomes
    /// READ_CONTROL | 0x0005; ReactOS `SepPropagateAcl` masks with
    /// GenericAll after RtlMapGenericMask). An ACE without generic rights
    /// is left alone: no recorded case shows Windows cutting one, and the
    /// standard mappings never reach outside GENERIC_ALL.
    fn effective_mask(&self, mask: AccessMask) -> AccessMask {
        if !mask.has_generic() {
            return mask;
        }
        AccessMask(self.req.mapping.map(mask).0 & self.req.mapping.all.0)
    }

    /// The effective copy of an ACE: generic rights mapped, CREATOR OWNER /
    /// GROUP replaced, InheritedObjectType dropped (and an object ACE with
    /// no ObjectType left becomes a plain ACE), with `flags`.
    fn effective_copy(&self, ace: &Ace, flags: AceFlags) -> Ace {
        let mut e = ace.clone();
        e.mask = self.effective_mask(e.mask);
        if e.sid == well_known::CREATOR_OWNER {
            e.sid = self.owner;
        } else if e.sid == well_known::CREATOR_GROUP {
            e.sid = self.group;
        }
        e.flags = flags;
        if e.ace_type.is_object() {
            e.inherited_object_type = None;
            if e.object_type.is_none() {
                e.ace_type = downgrade(e.ace_type);
            }
        }
        e
    }
}

/// The plain type of an object ACE type.
fn downgrade(t: AceType) -> AceType {
    match t {
        AceType::AccessAllowedObject => AceType::AccessAllowed,
        AceType::AccessDeniedObject => AceType::AccessDenied,
        AceType::SystemAuditObject => AceType::SystemAudit,
        AceType::SystemAlarmObject => AceType::SystemAlarm,
        AceType::AccessAllowedCallbackObject => AceType::AccessAllowedCallback,
        AceType::AccessDeniedCallbackObject => AceType::AccessDeniedCallback,
        AceType::SystemAuditCallbackObject => AceType::SystemAuditCallback,
        other => other,
    }
}
