//! The security descriptor a new object gets: inheritance from the parent,
//! the creator's explicit descriptor and the token's defaults
//! (MS-DTYP 2.5.3.4, CreatePrivateObjectSecurityEx), along the code paths
//! Windows takes.
//!
//! # Rules, and where they come from
//!
//! - **Which DACL** (MS-DTYP 2.5.3.4.2 ComputeACL; ReactOS `SepSelectAcl`,
//!   which follows Windows): an explicit, non-defaulted creator DACL wins,
//!   and with auto-inheritance the parent's inheritable ACEs are appended
//!   unless the creator's DACL is protected. Otherwise the parent's ACEs
//!   that apply to this child, if any; otherwise the creator's defaulted
//!   DACL; otherwise the token's default DACL; otherwise none. SACLs
//!   likewise, with no token default.
//! - **Each parent ACE** (MS-DTYP 2.5.3.4.4 and its table; Samba
//!   `calculate_inherited_from_parent`, checked against Windows): an ACE
//!   applies to a container child through CI and to a leaf through OI; on a
//!   container it stays inheritable unless NP. An ACE that applies and stays
//!   inheritable becomes one ACE — unless it holds generic rights or
//!   CREATOR OWNER / CREATOR GROUP, when it becomes an effective copy
//!   (mapped, substituted, no inheritance flags) followed by the original
//!   marked inherit-only (CreatePrivateObjectSecurityEx, Remarks). An ACE
//!   that only stays inheritable is kept inherit-only; one that only
//!   applies becomes the effective copy. A leaf never keeps OI, CI, NP or
//!   IO. The parent's own IO flag does not stop inheritance (the classic
//!   `(A;OICIIO;GA;;;CO)`), though MS-DTYP's pseudocode skips such ACEs.
//! - **Object ACEs** (Samba, as above): an InheritedObjectType that is not
//!   the new object's class makes the ACE not apply here (a container still
//!   keeps it inherit-only for its descendants). The effective copy loses
//!   the InheritedObjectType, and without an ObjectType becomes a plain ACE.
//! - **INHERITED_ACE** is set on inherited ACEs only with auto-inheritance
//!   (CreatePrivateObjectSecurityEx, Remarks; ReactOS `SepPropagateAcl`).
//!   With auto-inheritance the creator's ACEs marked inherited are dropped,
//!   or kept unmarked when the creator's ACL is protected (MS-DTYP 2.5.3.4).
//! - **The creator's ACEs** with generic rights or CREATOR OWNER / GROUP
//!   are mapped in place, or, when inheritable on a container, kept
//!   inherit-only followed by the mapped copy (CreatePrivateObjectSecurityEx
//!   Remarks; Samba `process_user_acl` for the order). Inherit-only ACEs
//!   with no OI or CI are dropped.
//! - **Owner and group** (MS-DTYP 2.5.3.4.1): the creator's, else the
//!   parent's with SEF_DEFAULT_OWNER/GROUP_FROM_PARENT, else Active
//!   Directory's default administrators group (Samba `get_default_ag`),
//!   else the token's. A creator-supplied owner must be the token's user or
//!   an OWNER group that is not deny-only, or the token must hold
//!   SeRestorePrivilege (CreatePrivateObjectSecurityEx, Remarks); else
//!   STATUS_INVALID_OWNER.
//! - **A creator SACL** needs SeSecurityPrivilege unless
//!   SEF_AVOID_PRIVILEGE_CHECK (STATUS_PRIVILEGE_NOT_HELD).

use crate::descriptor::ace::{Ace, AceFlags, AceType};
use crate::descriptor::acl::{Acl, AclRevision};
use crate::descriptor::sd::{Control, SecurityDescriptor};
use crate::ids::guid::Guid;
use crate::ids::mask::{AccessMask, GenericMapping, ObjectKind};
use crate::ids::privilege::Privilege;
use crate::ids::sid::{well_known, Sid};
use crate::ids::status::NtStatus;
use crate::token::Token;
use std::fmt;

/// The Windows code path that creates the object.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, serde::Serialize)]
pub enum InheritApi {
    /// `SeAssignSecurity`: the classic kernel call, no auto-inheritance
    /// (CreatePrivateObjectSecurity is the same with flags 0).
    SeAssignSecurity,
    /// `SeAssignSecurityEx` / `CreatePrivateObjectSecurityEx`: the flags
    /// decide.
    SeAssignSecurityEx,
    /// What NTFS does for `NtCreateFile`: SeAssignSecurityEx with
    /// auto-inheritance when the parent's ACL is auto-inherited (or the
    /// creator asks with AR), as `SeComputeAutoInheritByObjectType` decides.
    NtCreateFile,
    /// What Active Directory does on an add: always a container, DACL and
    /// SACL auto-inherited, the directory-service mapping, the object class
    /// for InheritedObjectType, the default administrators group as owner
    /// and group, and ACL revision 4.
    DsAdd,
    /// What the registry does for a new key: always a container, with
    /// auto-inheritance as for files.
    Registry,
}

impl InheritApi {
    /// Every path.
    pub const ALL: [InheritApi; 5] = [
        InheritApi::SeAssignSecurity,
        InheritApi::SeAssignSecurityEx,
        InheritApi::NtCreateFile,
        InheritApi::DsAdd,
        InheritApi::Registry,
    ];

    /// The name used on the command line.
    pub const fn name(self) -> &'static str {
        match self {
            InheritApi::SeAssignSecurity => "SeAssignSecurity",
            InheritApi::SeAssignSecurityEx => "SeAssignSecurityEx",
            InheritApi::NtCreateFile => "NtCreateFile",
            InheritApi::DsAdd => "ds_add",
            InheritApi::Registry => "registry",
        }
    }

    /// Looks a path up by name (any case; `CreatePrivateObjectSecurityEx`
    /// and `CreatePrivateObjectSecurity` are accepted too).
    pub fn from_name(name: &str) -> Option<InheritApi> {
        let l = name.trim().to_ascii_lowercase();
        Some(match l.as_str() {
            "seassignsecurity" | "createprivateobjectsecurity" => InheritApi::SeAssignSecurity,
            "seassignsecurityex" | "createprivateobjectsecurityex" => {
                InheritApi::SeAssignSecurityEx
            }
            "ntcreatefile" | "ntfs" | "file" => InheritApi::NtCreateFile,
            "ds_add" | "dsadd" | "ds" | "ldap_add" => InheritApi::DsAdd,
            "registry" | "ntcreatekey" | "key" => InheritApi::Registry,
            _ => return None,
        })
    }
}

impl fmt::Display for InheritApi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// `SEF_*` flags of CreatePrivateObjectSecurityEx.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default, serde::Serialize)]
pub struct SefFlags(pub u32);

impl SefFlags {
    /// `SEF_DACL_AUTO_INHERIT`.
    pub const DACL_AUTO_INHERIT: SefFlags = SefFlags(0x01);
    /// `SEF_SACL_AUTO_INHERIT`.
    pub const SACL_AUTO_INHERIT: SefFlags = SefFlags(0x02);
    /// `SEF_DEFAULT_DESCRIPTOR_FOR_OBJECT`.
    pub const DEFAULT_DESCRIPTOR_FOR_OBJECT: SefFlags = SefFlags(0x04);
    /// `SEF_AVOID_PRIVILEGE_CHECK`.
    pub const AVOID_PRIVILEGE_CHECK: SefFlags = SefFlags(0x08);
    /// `SEF_AVOID_OWNER_CHECK`.
    pub const AVOID_OWNER_CHECK: SefFlags = SefFlags(0x10);
    /// `SEF_DEFAULT_OWNER_FROM_PARENT`.
    pub const DEFAULT_OWNER_FROM_PARENT: SefFlags = SefFlags(0x20);
    /// `SEF_DEFAULT_GROUP_FROM_PARENT`.
    pub const DEFAULT_GROUP_FROM_PARENT: SefFlags = SefFlags(0x40);
    /// `SEF_MACL_NO_WRITE_UP`.
    pub const MACL_NO_WRITE_UP: SefFlags = SefFlags(0x100);
    /// `SEF_MACL_NO_READ_UP`.
    pub const MACL_NO_READ_UP: SefFlags = SefFlags(0x200);
    /// `SEF_MACL_NO_EXECUTE_UP`.
    pub const MACL_NO_EXECUTE_UP: SefFlags = SefFlags(0x400);
    /// `SEF_AVOID_OWNER_RESTRICTION`.
    pub const AVOID_OWNER_RESTRICTION: SefFlags = SefFlags(0x1000);

    /// Names, for parsing.
    pub const NAMES: &'static [(&'static str, SefFlags)] = &[
        ("SEF_DACL_AUTO_INHERIT", Self::DACL_AUTO_INHERIT),
        ("SEF_SACL_AUTO_INHERIT", Self::SACL_AUTO_INHERIT),
        (
            "SEF_DEFAULT_DESCRIPTOR_FOR_OBJECT",
            Self::DEFAULT_DESCRIPTOR_FOR_OBJECT,
        ),
        ("SEF_AVOID_PRIVILEGE_CHECK", Self::AVOID_PRIVILEGE_CHECK),
        ("SEF_AVOID_OWNER_CHECK", Self::AVOID_OWNER_CHECK),
        (
            "SEF_DEFAULT_OWNER_FROM_PARENT",
            Self::DEFAULT_OWNER_FROM_PARENT,
        ),
        (
            "SEF_DEFAULT_GROUP_FROM_PARENT",
            Self::DEFAULT_GROUP_FROM_PARENT,
        ),
        ("SEF_MACL_NO_WRITE_UP", Self::MACL_NO_WRITE_UP),
        ("SEF_MACL_NO_READ_UP", Self::MACL_NO_READ_UP),
        ("SEF_MACL_NO_EXECUTE_UP", Self::MACL_NO_EXECUTE_UP),
        ("SEF_AVOID_OWNER_RESTRICTION", Self::AVOID_OWNER_RESTRICTION),
    ];

    /// Whether all bits of `other` are set.
    pub const fn contains(self, other: SefFlags) -> bool {
        self.0 & other.0 == other.0
    }

    /// Looks a flag up by name (any case, `SEF_` optional).
    pub fn from_name(name: &str) -> Option<SefFlags> {
        let upper = name.trim().to_ascii_uppercase();
        let full = if upper.starts_with("SEF_") {
            upper
        } else {
            format!("SEF_{upper}")
        };
        Self::NAMES
            .iter()
            .find(|(n, _)| *n == full)
            .map(|(_, f)| *f)
    }
}

/// What to create.
#[derive(Clone, Copy, Debug)]
pub struct InheritRequest<'a> {
    /// The code path.
    pub api: InheritApi,
    /// The parent's descriptor, if the object has a parent.
    pub parent: Option<&'a SecurityDescriptor>,
    /// The creator's explicit (or default) descriptor.
    pub creator: Option<&'a SecurityDescriptor>,
    /// The creator's DACL is a default one (SE_DACL_DEFAULTED), which SDDL
    /// cannot say: it yields to inherited ACEs.
    pub creator_dacl_defaulted: bool,
    /// The parent's DACL is defaulted; the new DACL is then marked
    /// defaulted when it comes from the parent.
    pub parent_dacl_defaulted: bool,
    /// Whether the new object is a container.
    pub is_container: bool,
    /// The object type's generic mapping.
    pub mapping: GenericMapping,
    /// For directory-service objects, the object class (schemaIDGUID).
    pub object_class: Option<Guid>,
    /// `SEF_*` flags (SeAssignSecurityEx only).
    pub flags: SefFlags,
    /// The creating token, for the default owner, group and DACL and the
    /// owner and privilege checks.
    pub token: Option<&'a Token>,
}

impl<'a> InheritRequest<'a> {
    /// A request on `api` for an object of `kind`, created by `token`.
    pub fn new(api: InheritApi, kind: ObjectKind, token: &'a Token) -> InheritRequest<'a> {
        InheritRequest {
            api,
            parent: None,
            creator: None,
            creator_dacl_defaulted: false,
            parent_dacl_defaulted: false,
            is_container: kind.is_container(),
            mapping: kind.mapping(),
            object_class: None,
            flags: SefFlags::default(),
            token: Some(token),
        }
    }
}

/// Where an ACE of the new descriptor came from.
#[derive(Clone, Copy, PartialEq, Eq, Debug, serde::Serialize)]
#[serde(tag = "from", rename_all = "snake_case")]
pub enum AceOrigin {
    /// The creator's ACE at `index`, as given.
    Creator {
        /// Index in the creator's ACL.
        index: usize,
    },
    /// The creator's ACE at `index`, mapped (generic rights, CREATOR
    /// OWNER / GROUP); when split, the effective copy.
    CreatorMapped {
        /// Index in the creator's ACL.
        index: usize,
    },
    /// Inherited from the parent's ACE at `index`.
    Parent {
        /// Index in the parent's ACL.
        index: usize,
    },
    /// The effective copy of the parent's ACE at `index`, mapped.
    ParentMapped {
        /// Index in the parent's ACL.
        index: usize,
    },
    /// The token's default DACL, ACE `index`.
    TokenDefault {
        /// Index in the default DACL.
        index: usize,
    },
    /// The mandatory label a SEF_MACL_* flag asked for.
    MandatoryLabelFlag,
}

impl fmt::Display for AceOrigin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AceOrigin::Creator { index } => write!(f, "creator ACE #{index}"),
            AceOrigin::CreatorMapped { index } => write!(f, "creator ACE #{index}, mapped copy"),
            AceOrigin::Parent { index } => write!(f, "inherited from parent ACE #{index}"),
            AceOrigin::ParentMapped { index } => {
                write!(f, "inherited from parent ACE #{index}, effective copy")
            }
            AceOrigin::TokenDefault { index } => write!(f, "token default DACL ACE #{index}"),
            AceOrigin::MandatoryLabelFlag => write!(f, "SEF_MACL_* flag"),
        }
    }
}

/// The computed descriptor and the origin of each ACE.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Inheritance {
    /// The new object's descriptor.
    pub sd: SecurityDescriptor,
    /// For each DACL ACE, where it came from.
    pub dacl_origins: Vec<AceOrigin>,
    /// For each SACL ACE, where it came from.
    pub sacl_origins: Vec<AceOrigin>,
}

/// Why a descriptor could not be created.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InheritError {
    /// The owner is not one the token may assign (STATUS_INVALID_OWNER).
    #[error("the token may not assign `{owner}` as owner: it is neither the user nor an owner group, and SeRestorePrivilege is not held")]
    InvalidOwner {
        /// The owner asked for.
        owner: Sid,
    },
    /// A creator SACL without SeSecurityPrivilege (STATUS_PRIVILEGE_NOT_HELD).
    #[error("setting a SACL needs SeSecurityPrivilege")]
    SaclPrivilege,
    /// No token where the path needs one (STATUS_NO_TOKEN).
    #[error("a token is needed for the {what}")]
    NoToken {
        /// What needed it.
        what: &'static str,
    },
    /// A directory-service object without an object class
    /// (STATUS_INVALID_PARAMETER).
    #[error("a directory-service object needs its object class")]
    MissingObjectClass,
}

impl InheritError {
    /// The NTSTATUS Windows reports.
    pub fn status(&self) -> NtStatus {
        match self {
            InheritError::InvalidOwner { .. } => NtStatus::InvalidOwner,
            InheritError::SaclPrivilege => NtStatus::PrivilegeNotHeld,
            InheritError::NoToken { .. } => NtStatus::NoToken,
            InheritError::MissingObjectClass => NtStatus::InvalidParameter,
        }
    }
}

/// How a path behaves.
struct Path {
    dacl_auto: bool,
    sacl_auto: bool,
    is_container: bool,
    owner_check: bool,
    sacl_check: bool,
}

/// Computes the new object's descriptor.
pub fn create_security_descriptor(req: &InheritRequest<'_>) -> Result<Inheritance, InheritError> {
    let path = path_of(req)?;
    let creator = req.creator;
    let parent = req.parent;

    // Owner and group (MS-DTYP 2.5.3.4.1 steps 1 and 2).
    let mut control = Control::SELF_RELATIVE;
    let ds_default = if req.api == InheritApi::DsAdd {
        req.token.and_then(default_admin_group)
    } else {
        None
    };
    let creator_owner = creator.and_then(|c| c.owner);
    let owner = match creator_owner {
        Some(o) => o,
        None if req.flags.contains(SefFlags::DEFAULT_OWNER_FROM_PARENT)
            && parent.is_some_and(|p| p.owner.is_some()) =>
        {
            parent.and_then(|p| p.owner).unwrap_or(well_known::NULL)
        }
        None => match ds_default {
            Some(dag) => {
                control.set(Control::OWNER_DEFAULTED, true);
                dag
            }
            None => {
                req.token
                    .ok_or(InheritError::NoToken {
                        what: "default owner",
                    })?
                    .owner
            }
        },
    };
    let group = match creator.and_then(|c| c.group) {
        Some(g) => g,
        None if req.flags.contains(SefFlags::DEFAULT_GROUP_FROM_PARENT)
            && parent.is_some_and(|p| p.group.is_some()) =>
        {
            parent.and_then(|p| p.group).unwrap_or(well_known::NULL)
        }
        None => match ds_default {
            Some(dag) => {
                control.set(Control::GROUP_DEFAULTED, true);
                dag
            }
            None => {
                req.token
                    .ok_or(InheritError::NoToken {
                        what: "default group",
                    })?
                    .primary_group
            }
        },
    };
    if let Some(o) = creator_owner {
        if path.owner_check {
            let token = req.token.ok_or(InheritError::NoToken {
                what: "owner check",
            })?;
            let valid = token.can_own(&o) && !denies_only(token, &o)
                || token.has_privilege(Privilege::Restore)
                || (req.api == InheritApi::DsAdd && ds_default == Some(o));
            if !valid {
                return Err(InheritError::InvalidOwner { owner: o });
            }
        }
    }
    let creator_has_sacl = creator.is_some_and(|c| c.control.contains(Control::SACL_PRESENT));
    if creator_has_sacl && path.sacl_check {
        let token = req.token.ok_or(InheritError::NoToken {
            what: "SACL privilege check",
        })?;
        if !token.has_privilege(Privilege::Security) {
            return Err(InheritError::SaclPrivilege);
        }
    }

    let ctx = Ctx {
        req,
        path: &path,
        owner,
        group,
    };
    let mut sd = SecurityDescriptor::new();
    sd.owner = Some(owner);
    sd.group = Some(group);

    // DACL (MS-DTYP 2.5.3.4.2 with COMPUTE_DACL).
    let token_default = req.token.and_then(|t| t.default_dacl.as_ref());
    let mut dacl_origins = Vec::new();
    let (dacl, dacl_from_creator) = ctx.compute(Which::Dacl, token_default);
    match dacl {
        Computed::Absent => {}
        Computed::Null => sd.set_null_dacl(),
        Computed::Acl {
            acl,
            origins,
            defaulted,
        } => {
            dacl_origins = origins;
            sd.set_dacl(acl);
            sd.control.set(Control::DACL_DEFAULTED, defaulted);
        }
    }
    // SACL (COMPUTE_SACL): no token default.
    let mut sacl_origins = Vec::new();
    let (sacl, sacl_from_creator) = ctx.compute(Which::Sacl, None);
    match sacl {
        Computed::Absent => {}
        Computed::Null => {
            sd.sacl = None;
            sd.control.set(Control::SACL_PRESENT, true);
        }
        Computed::Acl { acl, origins, .. } => {
            sacl_origins = origins;
            sd.set_sacl(acl);
        }
    }
    // SEF_MACL_*: a label at the token's level with the asked policy.
    let macl = req.flags.0 & 0x700;
    if req.api == InheritApi::SeAssignSecurityEx && macl != 0 {
        let token = req.token.ok_or(InheritError::NoToken {
            what: "mandatory label",
        })?;
        let label = Ace::new(
            AceType::SystemMandatoryLabel,
            AceFlags::default(),
            AccessMask(macl >> 8),
            token.integrity.sid(),
        );
        let mut acl = sd.sacl.take().unwrap_or_else(Acl::empty);
        let kept: Vec<(Ace, AceOrigin)> = acl
            .aces
            .drain(..)
            .zip(sacl_origins.drain(..))
            .filter(|(a, _)| a.ace_type != AceType::SystemMandatoryLabel)
            .collect();
        acl.aces.push(label);
        sacl_origins.push(AceOrigin::MandatoryLabelFlag);
        for (a, o) in kept {
            acl.aces.push(a);
            sacl_origins.push(o);
        }
        acl.normalize();
        sd.set_sacl(acl);
    }

    // Control bits (CreatePrivateObjectSecurityEx, Remarks: auto-inheritance
    // sets SE_DACL_AUTO_INHERITED / SE_SACL_AUTO_INHERITED); the creator's
    // protection carries over.
    if let Some(c) = creator {
        // Only an ACL taken from the creator keeps its protection: a
        // defaulted creator ACL that yielded to inheritance does not.
        for (bit, used) in [
            (Control::DACL_PROTECTED, dacl_from_creator),
            (Control::SACL_PROTECTED, sacl_from_creator),
        ] {
            if used && c.control.contains(bit) {
                sd.control.set(bit, true);
            }
        }
        if req.api == InheritApi::DsAdd {
            // Samba descriptor.c: Active Directory keeps the creator's
            // auto-inheritance bits.
            for bit in [Control::DACL_AUTO_INHERITED, Control::SACL_AUTO_INHERITED] {
                if c.control.contains(bit) {
                    sd.control.set(bit, true);
                }
            }
        }
    }
    if path.dacl_auto && sd.control.contains(Control::DACL_PRESENT) {
        sd.control.set(Control::DACL_AUTO_INHERITED, true);
    }
    if path.sacl_auto && sd.control.contains(Control::SACL_PRESENT) {
        sd.control.set(Control::SACL_AUTO_INHERITED, true);
    }
    sd.control.set(
        Control::OWNER_DEFAULTED,
        control.contains(Control::OWNER_DEFAULTED),
    );
    sd.control.set(
        Control::GROUP_DEFAULTED,
        control.contains(Control::GROUP_DEFAULTED),
    );
    if req.api == InheritApi::DsAdd {
        // Active Directory stores every ACL at revision 4 (Samba
        // descriptor.c, SECURITY_ACL_REVISION_ADS).
        for acl in [sd.dacl.as_mut(), sd.sacl.as_mut()].into_iter().flatten() {
            acl.revision = AclRevision::DS;
        }
    }
    Ok(Inheritance {
        sd,
        dacl_origins,
        sacl_origins,
    })
}

fn path_of(req: &InheritRequest<'_>) -> Result<Path, InheritError> {
    let from_parent = |bit: Control, req_bit: Control| {
        req.parent.is_some_and(|p| p.control.contains(bit))
            || req.creator.is_some_and(|c| c.control.contains(req_bit))
    };
    Ok(match req.api {
        InheritApi::SeAssignSecurity => Path {
            dacl_auto: false,
            sacl_auto: false,
            is_container: req.is_container,
            owner_check: true,
            sacl_check: true,
        },
        InheritApi::SeAssignSecurityEx => Path {
            dacl_auto: req.flags.contains(SefFlags::DACL_AUTO_INHERIT),
            sacl_auto: req.flags.contains(SefFlags::SACL_AUTO_INHERIT),
            is_container: req.is_container,
            owner_check: !req.flags.contains(SefFlags::AVOID_OWNER_CHECK),
            sacl_check: !req.flags.contains(SefFlags::AVOID_PRIVILEGE_CHECK),
        },
        // SeComputeAutoInheritByObjectType: auto-inheritance when the
        // parent's ACL is auto-inherited or the creator asks for it (AR).
        InheritApi::NtCreateFile => Path {
            dacl_auto: from_parent(Control::DACL_AUTO_INHERITED, Control::DACL_AUTO_INHERIT_REQ),
            sacl_auto: from_parent(Control::SACL_AUTO_INHERITED, Control::SACL_AUTO_INHERIT_REQ),
            is_container: req.is_container,
            owner_check: true,
            sacl_check: true,
        },
        InheritApi::Registry => Path {
            dacl_auto: from_parent(Control::DACL_AUTO_INHERITED, Control::DACL_AUTO_INHERIT_REQ),
            sacl_auto: from_parent(Control::SACL_AUTO_INHERITED, Control::SACL_AUTO_INHERIT_REQ),
            is_container: true,
            owner_check: true,
            sacl_check: true,
        },
        InheritApi::DsAdd => {
            if req.object_class.is_none() {
                return Err(InheritError::MissingObjectClass);
            }
            Path {
                dacl_auto: true,
                sacl_auto: true,
                is_container: true,
                owner_check: true,
                // Active Directory checks the SACL write by access
                // (ACCESS_SYSTEM_SECURITY on the add), not here.
                sacl_check: false,
            }
        }
    })
}

/// Whether the token holds `sid` only for deny.
fn denies_only(token: &Token, sid: &Sid) -> bool {
    (token.user.sid == *sid && token.user.is_deny_only())
        || token
            .groups
            .iter()
            .any(|g| g.sid == *sid && g.is_deny_only())
}

/// Active Directory's default administrators group for an object in the
/// domain naming context: Domain Admins if the token holds it, else
/// Enterprise Admins, else (for SYSTEM) Domain Admins (Samba
/// `get_default_ag`). The domain is taken from the token's user or groups.
fn default_admin_group(token: &Token) -> Option<Sid> {
    let holds = |rid: u32| {
        token.groups.iter().find_map(|g| {
            (g.matches_allow() && g.sid.rid() == Some(rid) && is_domain_sid(&g.sid))
                .then_some(g.sid)
        })
    };
    if let Some(da) = holds(512) {
        return Some(da);
    }
    if let Some(ea) = holds(519) {
        return Some(ea);
    }
    None
}

fn is_domain_sid(s: &Sid) -> bool {
    matches!((s.authority(), s.sub_authorities()), (5, [21, _, _, _, _]))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Which {
    Dacl,
    Sacl,
}

/// A computed ACL: absent, present but null, or a list.
enum Computed {
    Absent,
    Null,
    Acl {
        acl: Acl,
        origins: Vec<AceOrigin>,
        defaulted: bool,
    },
}

impl Computed {
    fn acl(aces: Vec<(Ace, AceOrigin)>, defaulted: bool) -> Computed {
        let (aces, origins): (Vec<Ace>, Vec<AceOrigin>) = aces.into_iter().unzip();
        Computed::Acl {
            acl: Acl::new(aces),
            origins,
            defaulted,
        }
    }
}

struct Ctx<'a> {
    req: &'a InheritRequest<'a>,
    path: &'a Path,
    owner: Sid,
    group: Sid,
}

impl Ctx<'_> {
    /// MS-DTYP 2.5.3.4.2 ComputeACL, with Windows' choice order (ReactOS
    /// `SepSelectAcl`).
    /// Returns the ACL and whether it is the creator's (so the creator's
    /// protection applies to it).
    fn compute(&self, which: Which, token_default: Option<&Acl>) -> (Computed, bool) {
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
        let inherited = |ctx: &Self| -> Vec<(Ace, AceOrigin)> {
            parent_acl
                .map(|p| ctx.inherit_from_parent(p, auto))
                .unwrap_or_default()
        };

        if creator_present && !defaulted {
            // An explicit ACL: its own ACEs, then, with auto-inheritance
            // and no protection, the parent's.
            let mut aces = creator_acl
                .map(|c| self.process_creator(c, auto, creator_protected))
                .unwrap_or_default();
            if auto && !creator_protected {
                aces.extend(inherited(self));
            }
            if creator_acl.is_none() && aces.is_empty() {
                // A null creator ACL with nothing inherited stays null.
                return (Computed::Null, true);
            }
            return (Computed::acl(aces, false), true);
        }
        let from_parent = inherited(self);
        if !from_parent.is_empty() {
            let d = which == Which::Dacl && self.req.parent_dacl_defaulted;
            return (Computed::acl(from_parent, d), false);
        }
        if creator_present {
            return match creator_acl {
                Some(c) => (
                    Computed::acl(self.process_creator(c, auto, creator_protected), true),
                    true,
                ),
                None => (Computed::Null, true),
            };
        }
        if let Some(d) = token_default {
            // The token's default DACL, made concrete (PostProcessACL with
            // CopyAllAces).
            let mut aces = Vec::new();
            for (i, a) in d.aces.iter().enumerate() {
                for (ace, _) in self.creator_ace(a, i, false, false) {
                    aces.push((ace, AceOrigin::TokenDefault { index: i }));
                }
            }
            return (Computed::acl(aces, true), false);
        }
        (Computed::Absent, false)
    }

    /// The creator's ACL made concrete.
    fn process_creator(&self, acl: &Acl, auto: bool, protected: bool) -> Vec<(Ace, AceOrigin)> {
        let mut out = Vec::new();
        for (i, ace) in acl.aces.iter().enumerate() {
            out.extend(self.creator_ace(ace, i, auto, protected));
        }
        out
    }

    fn creator_ace(
        &self,
        ace: &Ace,
        index: usize,
        auto: bool,
        protected: bool,
    ) -> Vec<(Ace, AceOrigin)> {
        let mut ace = ace.clone();
        if ace.is_inherited() {
            // MS-DTYP 2.5.3.4: a protected ACL keeps the creator's ACEs with
            // INHERITED_ACE reset; with auto-inheritance (2.5.3.4.6) the
            // creator's inherited ACEs are otherwise dropped, to be
            // inherited afresh. Without either, the flag means nothing and
            // is kept.
            if protected {
                ace.flags = ace.flags.without(AceFlags::INHERITED);
            } else if auto {
                return Vec::new();
            }
        }
        let inheritable = ace.flags.contains(AceFlags::OBJECT_INHERIT)
            || ace.flags.contains(AceFlags::CONTAINER_INHERIT);
        if ace.is_inherit_only() {
            if !inheritable {
                return Vec::new();
            }
            return vec![(ace, AceOrigin::Creator { index })];
        }
        if !self.mappable(&ace) {
            return vec![(ace, AceOrigin::Creator { index })];
        }
        let keeps_inheritable = self.path.is_container
            && inheritable
            && !ace.flags.contains(AceFlags::NO_PROPAGATE_INHERIT);
        let mapped = self.effective_copy(&ace, AceFlags::default());
        if keeps_inheritable {
            let original = ace
                .clone()
                .with_flags(ace.flags.with(AceFlags::INHERIT_ONLY));
            vec![
                (original, AceOrigin::Creator { index }),
                (mapped, AceOrigin::CreatorMapped { index }),
            ]
        } else {
            vec![(mapped, AceOrigin::CreatorMapped { index })]
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

    /// The effective copy of an ACE: generic rights mapped, CREATOR OWNER /
    /// GROUP replaced, InheritedObjectType dropped (and an object ACE with
    /// no ObjectType left becomes a plain ACE), with `flags`.
    fn effective_copy(&self, ace: &Ace, flags: AceFlags) -> Ace {
        let mut e = ace.clone();
        e.mask = self.req.mapping.map(e.mask);
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
