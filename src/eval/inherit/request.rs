//! What to create: the Windows code path ([`InheritApi`]) and how it
//! behaves, the `SEF_*` flags, the [`InheritRequest`], and the answer's
//! types ([`Inheritance`], [`AceOrigin`], [`InheritError`]) of
//! CreatePrivateObjectSecurityEx (MS-DTYP 2.5.3.4).

use crate::descriptor::sd::{Control, SecurityDescriptor};
use crate::ids::guid::Guid;
use crate::ids::mask::{GenericMapping, ObjectKind};
use crate::ids::sid::Sid;
use crate::ids::status::NtStatus;
use crate::token::Token;
use std::fmt;

/// The Windows code path that creates the object.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, serde::Serialize)]
#[non_exhaustive]
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
    ///
    /// An ACL the creator gives is not auto-inherited unless the creator
    /// asks with AR: it stays as given, with no ACE of the parent merged
    /// in and its generic ACEs mapped in place, not split (see
    /// `ntfs_auto`'s evidence: Wine `test_CreateDirectoryA`, run on
    /// Windows, against the CreateFile page's remark that only Windows
    /// Server 2003 and XP skip inheritance for a given descriptor). An ACL
    /// the creator leaves out is auto-inherited under an auto-inherited
    /// parent. Either way the new ACL is marked SE_*_AUTO_INHERITED under
    /// an auto-inherited parent: the same Wine test finds INHERITED_ACE on
    /// a file later created with no descriptor inside the directory made
    /// with an explicit DACL, which needs that directory auto-inherited
    /// (inferred, not observed on the directory itself).
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

    /// Every spelling [`InheritApi::from_name`] accepts, in lower case.
    pub const SPELLINGS: &'static [(&'static str, InheritApi)] = &[
        ("seassignsecurity", InheritApi::SeAssignSecurity),
        ("createprivateobjectsecurity", InheritApi::SeAssignSecurity),
        ("seassignsecurityex", InheritApi::SeAssignSecurityEx),
        (
            "createprivateobjectsecurityex",
            InheritApi::SeAssignSecurityEx,
        ),
        ("ntcreatefile", InheritApi::NtCreateFile),
        ("ntfs", InheritApi::NtCreateFile),
        ("file", InheritApi::NtCreateFile),
        ("ds_add", InheritApi::DsAdd),
        ("dsadd", InheritApi::DsAdd),
        ("ds", InheritApi::DsAdd),
        ("ldap_add", InheritApi::DsAdd),
        ("registry", InheritApi::Registry),
        ("ntcreatekey", InheritApi::Registry),
        ("key", InheritApi::Registry),
    ];

    /// Looks a path up by name, in any case and with surrounding whitespace
    /// (`CreatePrivateObjectSecurityEx` and `CreatePrivateObjectSecurity`
    /// are accepted too; see [`InheritApi::SPELLINGS`]).
    pub fn from_name(name: &str) -> Option<InheritApi> {
        let name = name.trim();
        Self::SPELLINGS
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, a)| *a)
    }
}

impl fmt::Display for InheritApi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// `SEF_*` flags of CreatePrivateObjectSecurityEx. The field is public by
/// design: the flags are a documented bit layout.
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
    /// The parent's DACL is defaulted. Windows takes no notice: the new
    /// DACL is inherited from it as from any other and never marked
    /// defaulted (ReactOS kmtest `SeInheritance`, run on Windows). Kept so
    /// that callers that say it still can.
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
#[non_exhaustive]
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
#[non_exhaustive]
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
    /// SEF_DEFAULT_OWNER_FROM_PARENT with no parent, or a parent without
    /// an owner, and no owner from the creator (STATUS_INVALID_OWNER;
    /// ReactOS kmtest `SeInheritance`, run on Windows).
    #[error("SEF_DEFAULT_OWNER_FROM_PARENT: there is no parent owner to take")]
    NoParentOwner,
    /// SEF_DEFAULT_GROUP_FROM_PARENT with no parent, or a parent without
    /// a group, and no group from the creator
    /// (STATUS_INVALID_PRIMARY_GROUP; the same test).
    #[error("SEF_DEFAULT_GROUP_FROM_PARENT: there is no parent group to take")]
    NoParentGroup,
    /// The group must come from the token, which has no primary group
    /// (STATUS_INVALID_PRIMARY_GROUP; the same test).
    #[error("the token has no primary group to give the new object")]
    NoPrimaryGroup,
    /// A directory-service object without an object class
    /// (STATUS_INVALID_PARAMETER).
    #[error("a directory-service object needs its object class")]
    MissingObjectClass,
    /// The new descriptor's DACL or SACL would pass 65,535 bytes, which its
    /// 16-bit AclSize cannot hold (MS-DTYP 2.4.5): inheritance can double
    /// a parent's ACEs (an effective and an inherit-only copy) and replace
    /// CREATOR OWNER by a longer SID.
    #[error("the new {which} would need {size} bytes; an ACL holds at most 65535")]
    AclTooLarge {
        /// `"DACL"` or `"SACL"`.
        which: &'static str,
        /// Its size in the self-relative form.
        size: usize,
    },
}

impl InheritError {
    /// The NTSTATUS Windows reports.
    pub fn status(&self) -> NtStatus {
        match self {
            InheritError::InvalidOwner { .. } | InheritError::NoParentOwner => {
                NtStatus::InvalidOwner
            }
            InheritError::NoParentGroup | InheritError::NoPrimaryGroup => {
                NtStatus::InvalidPrimaryGroup
            }
            InheritError::SaclPrivilege => NtStatus::PrivilegeNotHeld,
            InheritError::NoToken { .. } => NtStatus::NoToken,
            InheritError::MissingObjectClass => NtStatus::InvalidParameter,
            InheritError::AclTooLarge { .. } => NtStatus::BadInheritanceAcl,
        }
    }
}

/// How a path behaves.
pub(super) struct Path {
    pub(super) dacl_auto: bool,
    pub(super) sacl_auto: bool,
    pub(super) is_container: bool,
    pub(super) owner_check: bool,
    pub(super) sacl_check: bool,
}

pub(super) fn path_of(req: &InheritRequest<'_>) -> Result<Path, InheritError> {
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
            dacl_auto: ntfs_auto(
                req,
                Control::DACL_PRESENT,
                Control::DACL_AUTO_INHERITED,
                Control::DACL_AUTO_INHERIT_REQ,
            ),
            sacl_auto: ntfs_auto(
                req,
                Control::SACL_PRESENT,
                Control::SACL_AUTO_INHERITED,
                Control::SACL_AUTO_INHERIT_REQ,
            ),
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

/// Whether NTFS auto-inherits one ACL of a new file or directory: when the
/// creator asks (SE_*_AUTO_INHERIT_REQ), or when the creator gives no ACL
/// of that kind (none, or a defaulted DACL) and the parent's is
/// auto-inherited. A creator's own ACL under an auto-inherited parent is
/// not auto-inherited: Wine's `test_CreateDirectoryA` (advapi32 tests,
/// run on Windows) creates a directory in %TEMP% with the explicit DACL
/// `(A;OICI;GA;;;user)(A;OICI;GA;;;BA)` and reads back exactly those two
/// ACEs, OICI kept, GENERIC_ALL mapped to 0x1F01FF, no inherited ACE and no
/// inherit-only copy; a file created in that directory by CreateFile or
/// NtCreateFile with an explicit empty DACL reads back with no ACE. Samba
/// likewise stores a create-time descriptor as given (smbd `set_sd`).
/// Without a creator ACL the parent's SE_*_AUTO_INHERITED decides (Samba
/// `se_create_child_secdesc`: INHERITED_ACE only under an auto-inherited
/// parent).
fn ntfs_auto(req: &InheritRequest<'_>, present: Control, ai: Control, ar: Control) -> bool {
    let asks = req.creator.is_some_and(|c| c.control.contains(ar));
    let defaulted = present == Control::DACL_PRESENT && req.creator_dacl_defaulted;
    let gives = req.creator.is_some_and(|c| c.control.contains(present)) && !defaulted;
    asks || (!gives && req.parent.is_some_and(|p| p.control.contains(ai)))
}
