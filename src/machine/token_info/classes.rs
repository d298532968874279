//! The TOKEN_INFORMATION_CLASS values and the shapes of what
//! GetTokenInformation answers and SetTokenInformation takes: one variant
//! per class, with each class's required access and whether it can be set
//! (sources as in the parent module).

use crate::descriptor::acl::Acl;
use crate::descriptor::claims::ClaimAttribute;
use crate::ids::mask::{self};
use crate::ids::sid::Sid;
use crate::ids::status::NtStatus;
use crate::machine::world::{ElevationType, Handle};
use crate::token::{
    ImpersonationLevel, IntegrityLevel, MandatoryPolicy, TokenGroup, TokenPrivilege, TokenSource,
    TokenType,
};

/// Declares the classes once: variant, TOKEN_INFORMATION_CLASS value, and
/// Windows' name.
macro_rules! classes {
    ($($(#[$doc:meta])* $variant:ident = $value:literal,)*) => {
        /// A `TOKEN_INFORMATION_CLASS` the machine answers (winnt.h values;
        /// MS-TIC). Classes it does not model are listed in
        /// `docs/research/token-api-queries.md` §1.2.
        #[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
        #[non_exhaustive]
        pub enum TokenInformationClass {
            $($(#[$doc])* $variant,)*
        }

        impl TokenInformationClass {
            /// Every modelled class, in value order.
            pub const ALL: &'static [TokenInformationClass] =
                &[$(TokenInformationClass::$variant,)*];

            /// The TOKEN_INFORMATION_CLASS value.
            pub const fn value(self) -> u32 {
                match self {
                    $(TokenInformationClass::$variant => $value,)*
                }
            }

            /// Windows' name (`TokenUser`).
            pub const fn name(self) -> &'static str {
                match self {
                    $(TokenInformationClass::$variant => concat!("Token", stringify!($variant)),)*
                }
            }
        }
    };
}

classes! {
    /// TOKEN_USER.
    User = 1,
    /// TOKEN_GROUPS (the integrity label among them).
    Groups = 2,
    /// TOKEN_PRIVILEGES.
    Privileges = 3,
    /// TOKEN_OWNER: the default owner.
    Owner = 4,
    /// TOKEN_PRIMARY_GROUP.
    PrimaryGroup = 5,
    /// TOKEN_DEFAULT_DACL.
    DefaultDacl = 6,
    /// TOKEN_SOURCE (needs TOKEN_QUERY_SOURCE).
    Source = 7,
    /// TOKEN_TYPE.
    Type = 8,
    /// SECURITY_IMPERSONATION_LEVEL (impersonation tokens only).
    ImpersonationLevel = 9,
    /// TOKEN_STATISTICS.
    Statistics = 10,
    /// TOKEN_GROUPS of the restricting SIDs.
    RestrictedSids = 11,
    /// The session id (ULONG).
    SessionId = 12,
    /// TOKEN_GROUPS_AND_PRIVILEGES.
    GroupsAndPrivileges = 13,
    /// Whether SANDBOX_INERT was given (ULONG).
    SandBoxInert = 15,
    /// TOKEN_ORIGIN.
    Origin = 17,
    /// TOKEN_ELEVATION_TYPE.
    ElevationType = 18,
    /// TOKEN_LINKED_TOKEN: a handle to the other half of a UAC split.
    LinkedToken = 19,
    /// TOKEN_ELEVATION.
    Elevation = 20,
    /// Whether the token was filtered (ULONG).
    HasRestrictions = 21,
    /// Whether virtualization is allowed (ULONG).
    VirtualizationAllowed = 23,
    /// Whether virtualization is enabled (ULONG).
    VirtualizationEnabled = 24,
    /// TOKEN_MANDATORY_LABEL.
    IntegrityLevel = 25,
    /// TOKEN_MANDATORY_POLICY.
    MandatoryPolicy = 27,
    /// TOKEN_GROUPS holding the logon SID.
    LogonSid = 28,
    /// Whether the token is an AppContainer token (ULONG).
    IsAppContainer = 29,
    /// TOKEN_GROUPS of the capabilities.
    Capabilities = 30,
    /// TOKEN_APPCONTAINER_INFORMATION.
    AppContainerSid = 31,
    /// The AppContainer number (ULONG).
    AppContainerNumber = 32,
    /// CLAIM_SECURITY_ATTRIBUTES_INFORMATION of the user claims.
    UserClaimAttributes = 33,
    /// CLAIM_SECURITY_ATTRIBUTES_INFORMATION of the device claims.
    DeviceClaimAttributes = 34,
    /// TOKEN_GROUPS of the device groups.
    DeviceGroups = 37,
    /// TOKEN_GROUPS of the restricted device groups.
    RestrictedDeviceGroups = 38,
    /// Whether the token has restricting SIDs (ULONG).
    IsRestricted = 40,
}

/// The last TOKEN_INFORMATION_CLASS value Windows 11's SDK defines
/// (TokenLoggingInformation = 49; W-nt `debugstr_TokenInformationClass`).
/// A number above it, or 0, is an unknown class.
pub const MAX_TOKEN_INFORMATION_CLASS: u32 = 49;

impl TokenInformationClass {
    /// The class of a TOKEN_INFORMATION_CLASS value, if the machine models
    /// it.
    pub fn from_value(value: u32) -> Option<TokenInformationClass> {
        Self::ALL.iter().copied().find(|c| c.value() == value)
    }

    /// Looks a class up by name: `TokenUser` or `User`, in any case.
    pub fn from_name(name: &str) -> Option<TokenInformationClass> {
        let t = name.trim();
        let bare = match t.get(..5) {
            Some(p) if p.eq_ignore_ascii_case("token") => &t[5..],
            _ => t,
        };
        Self::ALL
            .iter()
            .copied()
            .find(|c| c.name()[5..].eq_ignore_ascii_case(bare))
    }

    /// The right a handle needs to query the class: TOKEN_QUERY_SOURCE for
    /// TokenSource, TOKEN_QUERY for every other (MS-GTI, MS-NtQIT; ROS-cls
    /// picks between them the same way).
    pub const fn query_access(self) -> u32 {
        match self {
            TokenInformationClass::Source => mask::token::QUERY_SOURCE,
            _ => mask::token::QUERY,
        }
    }

    /// Whether SetTokenInformation takes the class. Setting any other class
    /// fails with STATUS_INVALID_PARAMETER: observed for TokenElevationType
    /// and TokenElevation (W-test `test_elevation`, todo_wine there, so
    /// Windows' answer); ReactOS answers STATUS_INVALID_INFO_CLASS, which
    /// maps to the same ERROR_INVALID_PARAMETER (ROS-cls).
    pub const fn is_settable(self) -> bool {
        matches!(
            self,
            TokenInformationClass::Owner
                | TokenInformationClass::PrimaryGroup
                | TokenInformationClass::DefaultDacl
                | TokenInformationClass::SessionId
                | TokenInformationClass::IntegrityLevel
                | TokenInformationClass::MandatoryPolicy
                | TokenInformationClass::VirtualizationEnabled
                | TokenInformationClass::Origin
        )
    }

    /// What SetTokenInformation answers for a class it does not take
    /// (see [`TokenInformationClass::is_settable`]): STATUS_INVALID_PARAMETER,
    /// or `None` for a settable class.
    pub const fn set_refusal(self) -> Option<NtStatus> {
        if self.is_settable() {
            None
        } else {
            Some(NtStatus::InvalidParameter)
        }
    }
}

/// TOKEN_STATISTICS (x64 layout in the research notes §1.3). The expiration
/// time (always "never") and the dynamic-part sizes are not modelled.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct TokenStatistics {
    /// TokenId: the token object's own LUID.
    pub token_id: u64,
    /// AuthenticationId: the logon session.
    pub authentication_id: u64,
    /// TokenType.
    pub token_type: TokenType,
    /// ImpersonationLevel: for impersonation tokens only (Windows' value
    /// for a primary token is not recorded; notes, open point 13).
    pub impersonation_level: Option<ImpersonationLevel>,
    /// GroupCount: the groups, the user not counted.
    pub group_count: u32,
    /// PrivilegeCount.
    pub privilege_count: u32,
    /// ModifiedId: changes at every change to the token.
    pub modified_id: u64,
}

/// TOKEN_GROUPS_AND_PRIVILEGES: the user and groups (user first), the
/// restricting SIDs, the privileges and the logon session (ROS-cls).
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct GroupsAndPrivileges {
    /// Sids: the user, then the groups.
    pub sids: Vec<TokenGroup>,
    /// RestrictedSids.
    pub restricted_sids: Vec<TokenGroup>,
    /// Privileges.
    pub privileges: Vec<TokenPrivilege>,
    /// AuthenticationId.
    pub authentication_id: u64,
}

/// What GetTokenInformation answers, one variant per class.
#[derive(Clone, PartialEq, Eq, Debug)]
#[non_exhaustive]
pub enum TokenInformation {
    /// TokenUser.
    User(TokenGroup),
    /// TokenGroups.
    Groups(Vec<TokenGroup>),
    /// TokenPrivileges.
    Privileges(Vec<TokenPrivilege>),
    /// TokenOwner.
    Owner(Sid),
    /// TokenPrimaryGroup.
    PrimaryGroup(Sid),
    /// TokenDefaultDacl: `None` when the token has none.
    DefaultDacl(Option<Acl>),
    /// TokenSource.
    Source(TokenSource),
    /// TokenType.
    Type(TokenType),
    /// TokenImpersonationLevel.
    ImpersonationLevel(ImpersonationLevel),
    /// TokenStatistics.
    Statistics(TokenStatistics),
    /// TokenRestrictedSids.
    RestrictedSids(Vec<TokenGroup>),
    /// TokenSessionId.
    SessionId(u32),
    /// TokenGroupsAndPrivileges.
    GroupsAndPrivileges(GroupsAndPrivileges),
    /// TokenSandBoxInert.
    SandBoxInert(bool),
    /// TokenOrigin: the originating logon session's LUID.
    Origin(u64),
    /// TokenElevationType.
    ElevationType(ElevationType),
    /// TokenLinkedToken: a new handle in the caller's process, or `None`
    /// when the token is not half of a UAC split.
    LinkedToken(Option<Handle>),
    /// TokenElevation: TokenIsElevated.
    Elevation(bool),
    /// TokenHasRestrictions.
    HasRestrictions(bool),
    /// TokenVirtualizationAllowed.
    VirtualizationAllowed(bool),
    /// TokenVirtualizationEnabled.
    VirtualizationEnabled(bool),
    /// TokenIntegrityLevel: the label SID and its attributes.
    IntegrityLevel(TokenGroup),
    /// TokenMandatoryPolicy.
    MandatoryPolicy(MandatoryPolicy),
    /// TokenLogonSid: the logon SID (none when the token has none).
    LogonSid(Vec<TokenGroup>),
    /// TokenIsAppContainer.
    IsAppContainer(bool),
    /// TokenCapabilities.
    Capabilities(Vec<TokenGroup>),
    /// TokenAppContainerSid: `None` for a token that is not an AppContainer.
    AppContainerSid(Option<Sid>),
    /// TokenAppContainerNumber.
    AppContainerNumber(u32),
    /// TokenUserClaimAttributes.
    UserClaimAttributes(Vec<ClaimAttribute>),
    /// TokenDeviceClaimAttributes.
    DeviceClaimAttributes(Vec<ClaimAttribute>),
    /// TokenDeviceGroups.
    DeviceGroups(Vec<TokenGroup>),
    /// TokenRestrictedDeviceGroups (the model holds none).
    RestrictedDeviceGroups(Vec<TokenGroup>),
    /// TokenIsRestricted.
    IsRestricted(bool),
}

/// A successful query: the answer and the ReturnLength Windows reports (the
/// x64 size of what it wrote).
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct TokenInformationReply {
    /// The answer.
    pub value: TokenInformation,
    /// ReturnLength.
    pub return_length: u32,
}

/// A failed query: the status, and the ReturnLength Windows reports with it
/// (the length needed, for STATUS_BUFFER_TOO_SMALL).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct TokenQueryError {
    /// The status.
    pub status: NtStatus,
    /// ReturnLength, when Windows writes one.
    pub return_length: Option<u32>,
}

impl From<NtStatus> for TokenQueryError {
    fn from(status: NtStatus) -> TokenQueryError {
        TokenQueryError {
            status,
            return_length: None,
        }
    }
}

/// A value for SetTokenInformation, one variant per settable class.
#[derive(Clone, PartialEq, Eq, Debug)]
#[non_exhaustive]
pub enum TokenInformationValue {
    /// TokenOwner: the user or a group with SE_GROUP_OWNER.
    Owner(Sid),
    /// TokenPrimaryGroup: the user or any group of the token.
    PrimaryGroup(Sid),
    /// TokenDefaultDacl: `None` removes it.
    DefaultDacl(Option<Acl>),
    /// TokenSessionId (needs SeTcbPrivilege).
    SessionId(u32),
    /// TokenIntegrityLevel (raising needs SeTcbPrivilege).
    IntegrityLevel(IntegrityLevel),
    /// TokenMandatoryPolicy (needs SeCreateTokenPrivilege).
    MandatoryPolicy(MandatoryPolicy),
    /// TokenVirtualizationEnabled.
    VirtualizationEnabled(bool),
    /// TokenOrigin (needs SeTcbPrivilege; set once).
    Origin(u64),
}

impl TokenInformationValue {
    /// The class the value sets.
    pub const fn class(&self) -> TokenInformationClass {
        match self {
            TokenInformationValue::Owner(_) => TokenInformationClass::Owner,
            TokenInformationValue::PrimaryGroup(_) => TokenInformationClass::PrimaryGroup,
            TokenInformationValue::DefaultDacl(_) => TokenInformationClass::DefaultDacl,
            TokenInformationValue::SessionId(_) => TokenInformationClass::SessionId,
            TokenInformationValue::IntegrityLevel(_) => TokenInformationClass::IntegrityLevel,
            TokenInformationValue::MandatoryPolicy(_) => TokenInformationClass::MandatoryPolicy,
            TokenInformationValue::VirtualizationEnabled(_) => {
                TokenInformationClass::VirtualizationEnabled
            }
            TokenInformationValue::Origin(_) => TokenInformationClass::Origin,
        }
    }
}
