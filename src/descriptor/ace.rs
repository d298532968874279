//! Access control entries (MS-DTYP 2.4.4).

use crate::ids::guid::Guid;
use crate::ids::mask::AccessMask;
use crate::ids::sid::{well_known, Sid};
use std::fmt;

/// An ACE type (MS-DTYP 2.4.4.1, `AceType`).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
#[non_exhaustive]
pub enum AceType {
    /// 0x00 `ACCESS_ALLOWED_ACE_TYPE` (SDDL `A`).
    AccessAllowed,
    /// 0x01 `ACCESS_DENIED_ACE_TYPE` (`D`).
    AccessDenied,
    /// 0x02 `SYSTEM_AUDIT_ACE_TYPE` (`AU`).
    SystemAudit,
    /// 0x03 `SYSTEM_ALARM_ACE_TYPE` (`AL`).
    SystemAlarm,
    /// 0x04 `ACCESS_ALLOWED_COMPOUND_ACE_TYPE` (reserved; no SDDL form).
    AccessAllowedCompound,
    /// 0x05 `ACCESS_ALLOWED_OBJECT_ACE_TYPE` (`OA`).
    AccessAllowedObject,
    /// 0x06 `ACCESS_DENIED_OBJECT_ACE_TYPE` (`OD`).
    AccessDeniedObject,
    /// 0x07 `SYSTEM_AUDIT_OBJECT_ACE_TYPE` (`OU`).
    SystemAuditObject,
    /// 0x08 `SYSTEM_ALARM_OBJECT_ACE_TYPE` (`OL`).
    SystemAlarmObject,
    /// 0x09 `ACCESS_ALLOWED_CALLBACK_ACE_TYPE` (`XA`).
    AccessAllowedCallback,
    /// 0x0A `ACCESS_DENIED_CALLBACK_ACE_TYPE` (`XD`).
    AccessDeniedCallback,
    /// 0x0B `ACCESS_ALLOWED_CALLBACK_OBJECT_ACE_TYPE` (`ZA`).
    AccessAllowedCallbackObject,
    /// 0x0C `ACCESS_DENIED_CALLBACK_OBJECT_ACE_TYPE` (no SDDL form).
    AccessDeniedCallbackObject,
    /// 0x0D `SYSTEM_AUDIT_CALLBACK_ACE_TYPE` (`XU`).
    SystemAuditCallback,
    /// 0x0E `SYSTEM_ALARM_CALLBACK_ACE_TYPE` (no SDDL form).
    SystemAlarmCallback,
    /// 0x0F `SYSTEM_AUDIT_CALLBACK_OBJECT_ACE_TYPE` (no SDDL form).
    SystemAuditCallbackObject,
    /// 0x10 `SYSTEM_ALARM_CALLBACK_OBJECT_ACE_TYPE` (no SDDL form).
    SystemAlarmCallbackObject,
    /// 0x11 `SYSTEM_MANDATORY_LABEL_ACE_TYPE` (`ML`).
    SystemMandatoryLabel,
    /// 0x12 `SYSTEM_RESOURCE_ATTRIBUTE_ACE_TYPE` (`RA`).
    SystemResourceAttribute,
    /// 0x13 `SYSTEM_SCOPED_POLICY_ID_ACE_TYPE` (`SP`).
    SystemScopedPolicyId,
    /// 0x14 `SYSTEM_PROCESS_TRUST_LABEL_ACE_TYPE` (`TL`).
    SystemProcessTrustLabel,
    /// 0x15 `SYSTEM_ACCESS_FILTER_ACE_TYPE` (`FL`).
    SystemAccessFilter,
    /// Any other type code; the body is kept as opaque bytes.
    Unknown(u8),
}

/// How the body of an ACE type is laid out after the 4-byte header.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[non_exhaustive]
pub enum AceLayout {
    /// Mask then SID (MS-DTYP 2.4.4.2), optionally followed by application data.
    Basic,
    /// Mask, flags, optional GUIDs, SID (MS-DTYP 2.4.4.3), optionally followed
    /// by application data.
    Object,
    /// Opaque bytes that secctx keeps but does not interpret.
    Opaque,
}

impl AceType {
    /// Every type with a defined meaning, in code order.
    pub const KNOWN: [AceType; 22] = [
        AceType::AccessAllowed,
        AceType::AccessDenied,
        AceType::SystemAudit,
        AceType::SystemAlarm,
        AceType::AccessAllowedCompound,
        AceType::AccessAllowedObject,
        AceType::AccessDeniedObject,
        AceType::SystemAuditObject,
        AceType::SystemAlarmObject,
        AceType::AccessAllowedCallback,
        AceType::AccessDeniedCallback,
        AceType::AccessAllowedCallbackObject,
        AceType::AccessDeniedCallbackObject,
        AceType::SystemAuditCallback,
        AceType::SystemAlarmCallback,
        AceType::SystemAuditCallbackObject,
        AceType::SystemAlarmCallbackObject,
        AceType::SystemMandatoryLabel,
        AceType::SystemResourceAttribute,
        AceType::SystemScopedPolicyId,
        AceType::SystemProcessTrustLabel,
        AceType::SystemAccessFilter,
    ];

    /// The type from its code byte.
    pub fn from_code(code: u8) -> AceType {
        AceType::KNOWN
            .get(code as usize)
            .copied()
            .unwrap_or(AceType::Unknown(code))
    }

    /// The code byte.
    pub fn code(self) -> u8 {
        match self {
            AceType::Unknown(c) => c,
            known => AceType::KNOWN
                .iter()
                .position(|t| *t == known)
                .map(|p| p as u8)
                .unwrap_or(0xFF),
        }
    }

    /// The SDDL type string, if the type has one ("ACE Strings" in the Win32
    /// docs; `XU` and `ZA` as Windows uses them, which MS-DTYP once swapped).
    pub fn sddl_code(self) -> Option<&'static str> {
        Some(match self {
            AceType::AccessAllowed => "A",
            AceType::AccessDenied => "D",
            AceType::SystemAudit => "AU",
            AceType::SystemAlarm => "AL",
            AceType::AccessAllowedObject => "OA",
            AceType::AccessDeniedObject => "OD",
            AceType::SystemAuditObject => "OU",
            AceType::SystemAlarmObject => "OL",
            AceType::AccessAllowedCallback => "XA",
            AceType::AccessDeniedCallback => "XD",
            AceType::AccessAllowedCallbackObject => "ZA",
            AceType::SystemAuditCallback => "XU",
            AceType::SystemMandatoryLabel => "ML",
            AceType::SystemResourceAttribute => "RA",
            AceType::SystemScopedPolicyId => "SP",
            AceType::SystemProcessTrustLabel => "TL",
            AceType::SystemAccessFilter => "FL",
            _ => return None,
        })
    }

    /// The type named by an SDDL type string.
    pub fn from_sddl_code(code: &str) -> Option<AceType> {
        AceType::KNOWN
            .iter()
            .copied()
            .find(|t| t.sddl_code() == Some(code))
    }

    /// The body layout.
    pub fn layout(self) -> AceLayout {
        match self {
            AceType::AccessAllowedObject
            | AceType::AccessDeniedObject
            | AceType::SystemAuditObject
            | AceType::SystemAlarmObject
            | AceType::AccessAllowedCallbackObject
            | AceType::AccessDeniedCallbackObject
            | AceType::SystemAuditCallbackObject
            | AceType::SystemAlarmCallbackObject => AceLayout::Object,
            AceType::AccessAllowedCompound | AceType::Unknown(_) => AceLayout::Opaque,
            _ => AceLayout::Basic,
        }
    }

    /// Whether this is an object ACE type (its ACL needs revision 4).
    pub fn is_object(self) -> bool {
        self.layout() == AceLayout::Object
    }

    /// Whether the ACE's application data is a conditional expression: the
    /// callback types, and the access filter, whose condition decides
    /// whether the filter applies (Forshaw, *Windows Security Internals*
    /// ch. 7, access filter ACEs; the access check reads it in
    /// `eval/access/mandatory.rs`).
    pub fn carries_condition(self) -> bool {
        self.is_callback() || self == AceType::SystemAccessFilter
    }

    /// Whether the ACE carries a conditional expression (callback types).
    pub fn is_callback(self) -> bool {
        matches!(
            self,
            AceType::AccessAllowedCallback
                | AceType::AccessDeniedCallback
                | AceType::AccessAllowedCallbackObject
                | AceType::AccessDeniedCallbackObject
                | AceType::SystemAuditCallback
                | AceType::SystemAlarmCallback
                | AceType::SystemAuditCallbackObject
                | AceType::SystemAlarmCallbackObject
        )
    }

    /// Whether the ACE grants access in a DACL.
    pub fn is_allow(self) -> bool {
        matches!(
            self,
            AceType::AccessAllowed
                | AceType::AccessAllowedObject
                | AceType::AccessAllowedCallback
                | AceType::AccessAllowedCallbackObject
        )
    }

    /// Whether the ACE denies access in a DACL.
    pub fn is_deny(self) -> bool {
        matches!(
            self,
            AceType::AccessDenied
                | AceType::AccessDeniedObject
                | AceType::AccessDeniedCallback
                | AceType::AccessDeniedCallbackObject
        )
    }

    /// Whether the ACE is an audit or alarm ACE (SACL).
    pub fn is_audit(self) -> bool {
        matches!(
            self,
            AceType::SystemAudit
                | AceType::SystemAlarm
                | AceType::SystemAuditObject
                | AceType::SystemAlarmObject
                | AceType::SystemAuditCallback
                | AceType::SystemAlarmCallback
                | AceType::SystemAuditCallbackObject
                | AceType::SystemAlarmCallbackObject
        )
    }

    /// A readable name, e.g. `ACCESS_ALLOWED`.
    pub fn name(self) -> String {
        let s = match self {
            AceType::AccessAllowed => "ACCESS_ALLOWED",
            AceType::AccessDenied => "ACCESS_DENIED",
            AceType::SystemAudit => "SYSTEM_AUDIT",
            AceType::SystemAlarm => "SYSTEM_ALARM",
            AceType::AccessAllowedCompound => "ACCESS_ALLOWED_COMPOUND",
            AceType::AccessAllowedObject => "ACCESS_ALLOWED_OBJECT",
            AceType::AccessDeniedObject => "ACCESS_DENIED_OBJECT",
            AceType::SystemAuditObject => "SYSTEM_AUDIT_OBJECT",
            AceType::SystemAlarmObject => "SYSTEM_ALARM_OBJECT",
            AceType::AccessAllowedCallback => "ACCESS_ALLOWED_CALLBACK",
            AceType::AccessDeniedCallback => "ACCESS_DENIED_CALLBACK",
            AceType::AccessAllowedCallbackObject => "ACCESS_ALLOWED_CALLBACK_OBJECT",
            AceType::AccessDeniedCallbackObject => "ACCESS_DENIED_CALLBACK_OBJECT",
            AceType::SystemAuditCallback => "SYSTEM_AUDIT_CALLBACK",
            AceType::SystemAlarmCallback => "SYSTEM_ALARM_CALLBACK",
            AceType::SystemAuditCallbackObject => "SYSTEM_AUDIT_CALLBACK_OBJECT",
            AceType::SystemAlarmCallbackObject => "SYSTEM_ALARM_CALLBACK_OBJECT",
            AceType::SystemMandatoryLabel => "SYSTEM_MANDATORY_LABEL",
            AceType::SystemResourceAttribute => "SYSTEM_RESOURCE_ATTRIBUTE",
            AceType::SystemScopedPolicyId => "SYSTEM_SCOPED_POLICY_ID",
            AceType::SystemProcessTrustLabel => "SYSTEM_PROCESS_TRUST_LABEL",
            AceType::SystemAccessFilter => "SYSTEM_ACCESS_FILTER",
            AceType::Unknown(c) => return format!("UNKNOWN_0x{c:02x}"),
        };
        s.to_string()
    }
}

/// ACE header flags (MS-DTYP 2.4.4.1, `AceFlags`).
///
/// The bits are public by design: the flags are a value with a public,
/// documented bit layout, not an opaque id.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct AceFlags(pub u8);

impl AceFlags {
    /// `OBJECT_INHERIT_ACE` (`OI`).
    pub const OBJECT_INHERIT: AceFlags = AceFlags(0x01);
    /// `CONTAINER_INHERIT_ACE` (`CI`).
    pub const CONTAINER_INHERIT: AceFlags = AceFlags(0x02);
    /// `NO_PROPAGATE_INHERIT_ACE` (`NP`).
    pub const NO_PROPAGATE_INHERIT: AceFlags = AceFlags(0x04);
    /// `INHERIT_ONLY_ACE` (`IO`).
    pub const INHERIT_ONLY: AceFlags = AceFlags(0x08);
    /// `INHERITED_ACE` (`ID`).
    pub const INHERITED: AceFlags = AceFlags(0x10);
    /// `CRITICAL_ACE_FLAG` (`CR`), meaningful on access filter ACEs.
    pub const CRITICAL: AceFlags = AceFlags(0x20);
    /// `SUCCESSFUL_ACCESS_ACE_FLAG` (`SA`); on access filter ACEs the same
    /// bit is `TRUST_PROTECTED_FILTER_ACE_FLAG` (`TP`).
    pub const SUCCESSFUL_ACCESS: AceFlags = AceFlags(0x40);
    /// `FAILED_ACCESS_ACE_FLAG` (`FA`).
    pub const FAILED_ACCESS: AceFlags = AceFlags(0x80);
    /// The inheritance flags OI, CI, NP and IO.
    pub const INHERITANCE: AceFlags = AceFlags(0x0F);

    /// Whether every flag of `other` is set.
    pub const fn contains(self, other: AceFlags) -> bool {
        self.0 & other.0 == other.0
    }

    /// This set with `other` added.
    pub const fn with(self, other: AceFlags) -> AceFlags {
        AceFlags(self.0 | other.0)
    }

    /// This set with `other` removed.
    pub const fn without(self, other: AceFlags) -> AceFlags {
        AceFlags(self.0 & !other.0)
    }
}

impl fmt::Debug for AceFlags {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AceFlags(0x{:02x})", self.0)
    }
}

/// One access control entry.
///
/// Every ACE has a header (type, flags) and, for all but opaque types, a mask
/// and a SID. Object ACEs may carry two GUIDs. `application_data` holds the
/// bytes after the SID: the conditional expression of a callback ACE, the claim
/// of a resource attribute ACE, or trailing bytes Windows keeps on other types.
/// For opaque types it holds the whole body after the header.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct Ace {
    /// The type.
    pub ace_type: AceType,
    /// The header flags.
    pub flags: AceFlags,
    /// The access mask.
    pub mask: AccessMask,
    /// `ObjectType` of an object ACE, when present.
    pub object_type: Option<Guid>,
    /// `InheritedObjectType` of an object ACE, when present.
    pub inherited_object_type: Option<Guid>,
    /// The trustee.
    pub sid: Sid,
    /// Bytes after the SID (or the whole body of an opaque ACE).
    pub application_data: Vec<u8>,
}

impl Ace {
    /// An ACE of a basic type with no application data.
    pub fn new(ace_type: AceType, flags: AceFlags, mask: AccessMask, sid: Sid) -> Ace {
        Ace {
            ace_type,
            flags,
            mask,
            object_type: None,
            inherited_object_type: None,
            sid,
            application_data: Vec::new(),
        }
    }

    /// An access-allowed ACE.
    pub fn allow(sid: Sid, mask: AccessMask) -> Ace {
        Ace::new(AceType::AccessAllowed, AceFlags::default(), mask, sid)
    }

    /// An access-denied ACE.
    pub fn deny(sid: Sid, mask: AccessMask) -> Ace {
        Ace::new(AceType::AccessDenied, AceFlags::default(), mask, sid)
    }

    /// This ACE with `flags` set.
    pub fn with_flags(mut self, flags: AceFlags) -> Ace {
        self.flags = flags;
        self
    }

    /// Whether the ACE applies only to children (IO).
    pub fn is_inherit_only(&self) -> bool {
        self.flags.contains(AceFlags::INHERIT_ONLY)
    }

    /// Whether the ACE was inherited (ID).
    pub fn is_inherited(&self) -> bool {
        self.flags.contains(AceFlags::INHERITED)
    }

    /// Size of the binary form including padding to a multiple of 4.
    pub fn binary_len(&self) -> usize {
        let body = match self.ace_type.layout() {
            AceLayout::Basic => 4 + self.sid.binary_len() + self.application_data.len(),
            AceLayout::Object => {
                8 + 16 * (self.object_type.is_some() as usize)
                    + 16 * (self.inherited_object_type.is_some() as usize)
                    + self.sid.binary_len()
                    + self.application_data.len()
            }
            AceLayout::Opaque => self.application_data.len(),
        };
        (4 + body + 3) & !3
    }

    /// Whether this ACE's SID is OWNER RIGHTS (`S-1-3-4`).
    pub fn is_owner_rights(&self) -> bool {
        self.sid == well_known::OWNER_RIGHTS
    }
}
