//! Security descriptors (MS-DTYP 2.4.6).

use crate::descriptor::ace::{Ace, AceType};
use crate::descriptor::acl::Acl;
use crate::ids::sid::Sid;
use std::fmt;

/// Security descriptor control flags (MS-DTYP 2.4.6, `Control`).
///
/// The bits are public by design: the flags are a value with a public,
/// documented bit layout, not an opaque id.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct Control(pub u16);

impl Control {
    /// `SE_OWNER_DEFAULTED` (OD).
    pub const OWNER_DEFAULTED: Control = Control(0x0001);
    /// `SE_GROUP_DEFAULTED` (GD).
    pub const GROUP_DEFAULTED: Control = Control(0x0002);
    /// `SE_DACL_PRESENT` (DP).
    pub const DACL_PRESENT: Control = Control(0x0004);
    /// `SE_DACL_DEFAULTED` (DD).
    pub const DACL_DEFAULTED: Control = Control(0x0008);
    /// `SE_SACL_PRESENT` (SP).
    pub const SACL_PRESENT: Control = Control(0x0010);
    /// `SE_SACL_DEFAULTED` (SD).
    pub const SACL_DEFAULTED: Control = Control(0x0020);
    /// `SE_DACL_TRUSTED` (DT).
    pub const DACL_TRUSTED: Control = Control(0x0040);
    /// `SE_SERVER_SECURITY` (SS).
    pub const SERVER_SECURITY: Control = Control(0x0080);
    /// `SE_DACL_AUTO_INHERIT_REQ` (DC), SDDL `AR` on the DACL.
    pub const DACL_AUTO_INHERIT_REQ: Control = Control(0x0100);
    /// `SE_SACL_AUTO_INHERIT_REQ` (SC), SDDL `AR` on the SACL.
    pub const SACL_AUTO_INHERIT_REQ: Control = Control(0x0200);
    /// `SE_DACL_AUTO_INHERITED` (DI), SDDL `AI` on the DACL.
    pub const DACL_AUTO_INHERITED: Control = Control(0x0400);
    /// `SE_SACL_AUTO_INHERITED` (SI), SDDL `AI` on the SACL.
    pub const SACL_AUTO_INHERITED: Control = Control(0x0800);
    /// `SE_DACL_PROTECTED` (PD), SDDL `P` on the DACL.
    pub const DACL_PROTECTED: Control = Control(0x1000);
    /// `SE_SACL_PROTECTED` (PS), SDDL `P` on the SACL.
    pub const SACL_PROTECTED: Control = Control(0x2000);
    /// `SE_RM_CONTROL_VALID` (RM): `Sbz1` holds resource-manager bits.
    pub const RM_CONTROL_VALID: Control = Control(0x4000);
    /// `SE_SELF_RELATIVE` (SR).
    pub const SELF_RELATIVE: Control = Control(0x8000);

    /// The bits by their `SE_…` names (winnt.h), in bit order.
    pub const NAMES: [(&'static str, Control); 16] = [
        ("SE_OWNER_DEFAULTED", Control::OWNER_DEFAULTED),
        ("SE_GROUP_DEFAULTED", Control::GROUP_DEFAULTED),
        ("SE_DACL_PRESENT", Control::DACL_PRESENT),
        ("SE_DACL_DEFAULTED", Control::DACL_DEFAULTED),
        ("SE_SACL_PRESENT", Control::SACL_PRESENT),
        ("SE_SACL_DEFAULTED", Control::SACL_DEFAULTED),
        ("SE_DACL_UNTRUSTED", Control::DACL_TRUSTED),
        ("SE_SERVER_SECURITY", Control::SERVER_SECURITY),
        ("SE_DACL_AUTO_INHERIT_REQ", Control::DACL_AUTO_INHERIT_REQ),
        ("SE_SACL_AUTO_INHERIT_REQ", Control::SACL_AUTO_INHERIT_REQ),
        ("SE_DACL_AUTO_INHERITED", Control::DACL_AUTO_INHERITED),
        ("SE_SACL_AUTO_INHERITED", Control::SACL_AUTO_INHERITED),
        ("SE_DACL_PROTECTED", Control::DACL_PROTECTED),
        ("SE_SACL_PROTECTED", Control::SACL_PROTECTED),
        ("SE_RM_CONTROL_VALID", Control::RM_CONTROL_VALID),
        ("SE_SELF_RELATIVE", Control::SELF_RELATIVE),
    ];

    /// A bit by its `SE_…` name, in any case, `SE_` optional.
    pub fn from_name(name: &str) -> Option<Control> {
        let upper = name.trim().to_ascii_uppercase();
        let full = if upper.starts_with("SE_") {
            upper
        } else {
            format!("SE_{upper}")
        };
        Self::NAMES
            .iter()
            .find(|(n, _)| *n == full)
            .map(|(_, c)| *c)
    }

    /// Whether every bit of `other` is set.
    pub const fn contains(self, other: Control) -> bool {
        self.0 & other.0 == other.0
    }

    /// Sets or clears the bits of `other`.
    pub fn set(&mut self, other: Control, on: bool) {
        if on {
            self.0 |= other.0;
        } else {
            self.0 &= !other.0;
        }
    }
}

impl fmt::Debug for Control {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Control(0x{:04x})", self.0)
    }
}

/// A security descriptor: owner, group, DACL, SACL and control flags.
///
/// A **null** DACL (`SE_DACL_PRESENT` with no ACL, SDDL `D:NO_ACCESS_CONTROL`)
/// grants everything; an **empty** DACL (`D:`) grants nothing. The two are
/// kept distinct: `dacl` is `None` for a null or absent DACL, and
/// [`SecurityDescriptor::dacl_state`] tells them apart.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct SecurityDescriptor {
    /// Control flags. `SE_SELF_RELATIVE` is always set; the present bits
    /// agree with `dacl` and `sacl` (a present bit without an ACL is a null ACL).
    pub control: Control,
    /// The `Sbz1` byte: resource-manager control bits when `SE_RM_CONTROL_VALID`
    /// is set, otherwise zero.
    pub rm_control: u8,
    /// The owner.
    pub owner: Option<Sid>,
    /// The primary group.
    pub group: Option<Sid>,
    /// The system ACL.
    pub sacl: Option<Acl>,
    /// The discretionary ACL.
    pub dacl: Option<Acl>,
}

/// Whether a descriptor has a DACL, and which kind.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
// Exhaustive on purpose: `SE_DACL_PRESENT` and the ACL pointer allow exactly
// these three states (MS-DTYP 2.4.6); an empty ACL is `Acl`.
pub enum DaclState<'a> {
    /// `SE_DACL_PRESENT` is clear: no DACL at all (treated like a null DACL
    /// by AccessCheck).
    Absent,
    /// `SE_DACL_PRESENT` with no ACL: grants every access.
    Null,
    /// An ACL, possibly empty.
    Acl(&'a Acl),
}

impl SecurityDescriptor {
    /// A descriptor with nothing in it (only `SE_SELF_RELATIVE`).
    pub fn new() -> SecurityDescriptor {
        SecurityDescriptor {
            control: Control::SELF_RELATIVE,
            rm_control: 0,
            owner: None,
            group: None,
            sacl: None,
            dacl: None,
        }
    }

    /// Sets the DACL (present, possibly empty).
    pub fn set_dacl(&mut self, acl: Acl) {
        self.dacl = Some(acl);
        self.control.set(Control::DACL_PRESENT, true);
    }

    /// Makes the DACL null: present, with no ACL.
    pub fn set_null_dacl(&mut self) {
        self.dacl = None;
        self.control.set(Control::DACL_PRESENT, true);
    }

    /// Removes the DACL entirely.
    pub fn clear_dacl(&mut self) {
        self.dacl = None;
        self.control.set(Control::DACL_PRESENT, false);
    }

    /// Sets the SACL (present, possibly empty).
    pub fn set_sacl(&mut self, acl: Acl) {
        self.sacl = Some(acl);
        self.control.set(Control::SACL_PRESENT, true);
    }

    /// Removes the SACL entirely.
    pub fn clear_sacl(&mut self) {
        self.sacl = None;
        self.control.set(Control::SACL_PRESENT, false);
    }

    /// Which kind of DACL this descriptor has.
    pub fn dacl_state(&self) -> DaclState<'_> {
        match (&self.dacl, self.control.contains(Control::DACL_PRESENT)) {
            (Some(acl), _) => DaclState::Acl(acl),
            (None, true) => DaclState::Null,
            (None, false) => DaclState::Absent,
        }
    }

    /// Whether the DACL is present but null (`D:NO_ACCESS_CONTROL`).
    pub fn has_null_dacl(&self) -> bool {
        self.dacl_state() == DaclState::Null
    }

    /// The mandatory label: the first mandatory label ACE in the SACL that is
    /// not inherit-only (MS-DTYP 2.5.3.3 pseudocode for the MIC check).
    pub fn mandatory_label(&self) -> Option<&Ace> {
        self.sacl.as_ref().and_then(|sacl| {
            sacl.aces
                .iter()
                .find(|a| a.ace_type == AceType::SystemMandatoryLabel && !a.is_inherit_only())
        })
    }

    /// Every ACE of `ace_type` in the SACL that is not inherit-only.
    pub fn sacl_aces_of(&self, ace_type: AceType) -> impl Iterator<Item = &Ace> {
        self.sacl
            .iter()
            .flat_map(|s| s.aces.iter())
            .filter(move |a| a.ace_type == ace_type && !a.is_inherit_only())
    }
}

impl Default for SecurityDescriptor {
    fn default() -> SecurityDescriptor {
        SecurityDescriptor::new()
    }
}
