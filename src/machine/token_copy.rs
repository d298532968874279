//! Copying tokens and a token's own security: DuplicateToken,
//! DuplicateTokenEx, NtDuplicateToken, CreateRestrictedToken and
//! NtFilterToken (SeFilterToken), and the descriptor a new token object
//! gets. The facts and their sources are gathered in
//! `docs/research/token-api-handles.md`, sections 4 to 6.

use super::world::Handle;
use super::world::{HandleType, Target, ThreadId, TokenId, World};
use crate::descriptor::ace::{Ace, AceFlags, AceType};
use crate::descriptor::acl::Acl;
use crate::descriptor::sd::{Control, SecurityDescriptor};
use crate::eval::inherit::{self, InheritApi, InheritRequest};
use crate::ids::mask::{self, AccessMask, ObjectKind};
use crate::ids::privilege::Privilege;
use crate::ids::sid::Sid;
use crate::ids::status::NtStatus;
use crate::token::{GroupAttributes, ImpersonationLevel, Token, TokenGroup, TokenType};

/// The flags of CreateRestrictedToken and NtFilterToken (winnt.h; the
/// CreateRestrictedToken page lists their meaning).
///
/// The bits are public by design: the flags are a value with a public,
/// documented bit layout, not an opaque id.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default)]
pub struct RestrictFlags(pub u32);

impl RestrictFlags {
    /// `DISABLE_MAX_PRIVILEGE` (0x1): every privilege but
    /// SeChangeNotifyPrivilege goes; the privileges to delete are ignored.
    pub const DISABLE_MAX_PRIVILEGE: RestrictFlags = RestrictFlags(0x1);
    /// `SANDBOX_INERT` (0x2): AppLocker and software restriction policies
    /// are not applied; TokenSandBoxInert reports it.
    pub const SANDBOX_INERT: RestrictFlags = RestrictFlags(0x2);
    /// `LUA_TOKEN` (0x4): the new token is a LUA (limited user) token.
    pub const LUA_TOKEN: RestrictFlags = RestrictFlags(0x4);
    /// `WRITE_RESTRICTED` (0x8): the restricting SIDs are checked for write
    /// access only.
    pub const WRITE_RESTRICTED: RestrictFlags = RestrictFlags(0x8);

    /// The flag names as winnt.h spells them, in bit order.
    pub const NAMES: [(&'static str, RestrictFlags); 4] = [
        ("DISABLE_MAX_PRIVILEGE", Self::DISABLE_MAX_PRIVILEGE),
        ("SANDBOX_INERT", Self::SANDBOX_INERT),
        ("LUA_TOKEN", Self::LUA_TOKEN),
        ("WRITE_RESTRICTED", Self::WRITE_RESTRICTED),
    ];

    /// Whether all bits of `other` are set.
    pub const fn contains(self, other: RestrictFlags) -> bool {
        self.0 & other.0 == other.0
    }

    /// These flags with `other` added.
    pub const fn with(self, other: RestrictFlags) -> RestrictFlags {
        RestrictFlags(self.0 | other.0)
    }

    /// Looks a flag up by its name, in any case.
    pub fn from_name(name: &str) -> Option<RestrictFlags> {
        let t = name.trim();
        Self::NAMES
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(t))
            .map(|(_, f)| *f)
    }
}

/// What CreateRestrictedToken or NtFilterToken is asked to do.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct Restriction {
    /// The flags.
    pub flags: RestrictFlags,
    /// `SidsToDisable`: these become deny-only (the user SID too).
    pub disable: Vec<Sid>,
    /// `PrivilegesToDelete` (ignored with DISABLE_MAX_PRIVILEGE).
    pub delete: Vec<Privilege>,
    /// `SidsToRestrict`, each with the attributes the caller passed (which
    /// must be 0).
    pub restrict: Vec<TokenGroup>,
}

/// The security QoS a caller of NtDuplicateToken passes in its object
/// attributes (SECURITY_QUALITY_OF_SERVICE): here only its level counts.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct SecurityQos {
    /// `ImpersonationLevel`.
    pub level: ImpersonationLevel,
}

impl World {
    /// The descriptor of a token object created by `creator`, as
    /// NtCreateToken assigns it when no descriptor is supplied: owner and
    /// group from the creator, DACL from its default DACL (SeAssignSecurity
    /// with no parent and no creator descriptor, mapped for tokens), and a
    /// mandatory label at the creator's integrity (a new token is created
    /// by, and labelled like, itself; see [`World::new_token_descriptor`]).
    /// The DACL is not marked defaulted (Wine
    /// `test_token_security_descriptor`: a process token's DACL is present
    /// and not defaulted).
    /// Fails with create_security_descriptor's status, which with a token,
    /// no parent and no creator descriptor it does not give today (its
    /// errors need a creator owner, a creator SACL, a missing token or a
    /// DS object class), but is passed on rather than assumed.
    pub(super) fn token_object_descriptor(
        &self,
        creator: &Token,
    ) -> Result<SecurityDescriptor, NtStatus> {
        let mut sd = default_token_sd(creator)?;
        with_label(&mut sd, vec![token_label(creator)]);
        Ok(sd)
    }

    /// The descriptor of a token that `caller` makes from `source`
    /// (NtDuplicateToken, NtFilterToken):
    ///
    /// - owner, group and DACL from `explicit` where it has them, else from
    ///   the caller's effective token's defaults, never from the source
    ///   (Wine `test_token_security_descriptor`, run on Windows: without a
    ///   descriptor the source's custom ACE is absent; with one, the new
    ///   DACL is exactly its DACL). An owner the caller may not assign is
    ///   STATUS_INVALID_OWNER unless it holds SeRestorePrivilege, and a
    ///   SACL needs SeSecurityPrivilege (SeAssignSecurity's checks; the
    ///   DuplicateTokenEx page names SE_RESTORE_NAME for the owner).
    /// - the mandatory label copied from the source token object, a label
    ///   in `explicit` ignored (Wine `test_token_label`: duplicates carry
    ///   the source's label and the SA's label has no effect), with
    ///   SE_SACL_AUTO_INHERITED as fresh duplicates report it
    ///   (Wine `check_token_label`).
    pub(super) fn new_token_descriptor(
        &self,
        caller: ThreadId,
        source: TokenId,
        explicit: Option<&SecurityDescriptor>,
    ) -> Result<SecurityDescriptor, NtStatus> {
        // Borrowed, not cloned: only the defaults are read.
        let creator = &self.tokens[self.effective_token(caller)?.0 as usize].token;
        let mut sd = match explicit {
            None => default_token_sd(creator)?,
            Some(given) => {
                let mut given = given.clone();
                if let Some(sacl) = given.sacl.as_mut() {
                    sacl.aces
                        .retain(|a| a.ace_type != AceType::SystemMandatoryLabel);
                    if sacl.aces.is_empty() {
                        given.clear_sacl();
                    }
                }
                let mut req =
                    InheritRequest::new(InheritApi::SeAssignSecurity, ObjectKind::Token, creator);
                req.is_container = false;
                req.creator = Some(&given);
                inherit::create_security_descriptor(&req)
                    .map_err(|e| e.status())?
                    .sd
            }
        };
        let src_sd = self
            .objects
            .descriptor(self.tokens[source.0 as usize].sd)
            .descriptor();
        let labels: Vec<Ace> = src_sd
            .sacl_aces_of(AceType::SystemMandatoryLabel)
            .cloned()
            .collect();
        let labels = if labels.is_empty() {
            vec![token_label(&self.tokens[source.0 as usize].token)]
        } else {
            labels
        };
        with_label(&mut sd, labels);
        Ok(sd)
    }

    /// DuplicateToken: an impersonation token at `level`, returned with
    /// TOKEN_IMPERSONATE | TOKEN_QUERY (the DuplicateToken page; Wine
    /// `test_duplicate_token` observes exactly that access). It is
    /// DuplicateTokenEx with that access, no descriptor and an
    /// impersonation token, so the same rules apply.
    pub fn duplicate_token(
        &mut self,
        caller: ThreadId,
        h: Handle,
        level: ImpersonationLevel,
    ) -> Result<Handle, NtStatus> {
        let desired = AccessMask(mask::token::IMPERSONATE | mask::token::QUERY);
        self.duplicate_token_ex(caller, h, desired, None, level, TokenType::Impersonation)
    }

    /// DuplicateTokenEx: NtDuplicateToken with a QoS at `level` and
    /// EffectiveOnly FALSE. `desired` 0 is the source handle's access;
    /// MAXIMUM_ALLOWED is TOKEN_ALL_ACCESS; `sd` (from
    /// SECURITY_ATTRIBUTES) is the new token's descriptor, the caller's
    /// defaults filling what it lacks (see [`World::nt_duplicate_token`]).
    pub fn duplicate_token_ex(
        &mut self,
        caller: ThreadId,
        h: Handle,
        desired: AccessMask,
        sd: Option<&SecurityDescriptor>,
        level: ImpersonationLevel,
        token_type: TokenType,
    ) -> Result<Handle, NtStatus> {
        let qos = Some(SecurityQos { level });
        self.nt_duplicate_token(caller, h, desired, sd, qos, false, token_type)
    }

    /// NtDuplicateToken, in ReactOS `NtDuplicateToken`'s order:
    ///
    /// 1. the source handle needs TOKEN_DUPLICATE (STATUS_ACCESS_DENIED,
    ///    after the handle's validity and type);
    /// 2. an impersonation source cannot be duplicated to a higher level
    ///    (STATUS_BAD_IMPERSONATION_LEVEL; Wine `test_impersonation_level`:
    ///    Anonymous to Identification fails), nor into a primary token when
    ///    it is below Impersonation (same status);
    /// 3. the new level is the QoS level, or SecurityAnonymous with no QoS
    ///    (Wine `test_duplicate_token`, run on Windows);
    /// 4. EffectiveOnly drops the groups that are not enabled and the
    ///    privileges that are not enabled (ReactOS `SepDuplicateToken`;
    ///    Wine `test_duplicate_token` sees a disabled privilege go, and
    ///    stay without it). The user stays, and so do deny-only groups:
    ///    ReactOS drops them too, but no observation of Windows covers
    ///    them and dropping one would widen access, so secctx keeps them;
    /// 5. the new token keeps the source's elevation type and linked token
    ///    (Wine `test_elevation`). Its descriptor takes owner, group and
    ///    DACL from `sd` where it has them, else from the caller's
    ///    effective token, never from the source (Wine
    ///    `test_token_security_descriptor`); an owner the caller may not
    ///    assign is STATUS_INVALID_OWNER without SeRestorePrivilege (the
    ///    DuplicateTokenEx page names SE_RESTORE_NAME); the mandatory
    ///    label is the source token object's, a label in `sd` ignored
    ///    (Wine `test_token_label`);
    /// 6. the handle grants `desired` mapped by the token mapping, the
    ///    source handle's access when `desired` is 0, TOKEN_ALL_ACCESS for
    ///    MAXIMUM_ALLOWED (Wine `test_duplicate_token`), and
    ///    ACCESS_SYSTEM_SECURITY when `sd` has a SACL (the DuplicateTokenEx
    ///    page). Asking ACCESS_SYSTEM_SECURITY needs SeSecurityPrivilege
    ///    (STATUS_PRIVILEGE_NOT_HELD; Wine `test_system_security_access`).
    #[allow(clippy::too_many_arguments)]
    pub fn nt_duplicate_token(
        &mut self,
        caller: ThreadId,
        h: Handle,
        desired: AccessMask,
        sd: Option<&SecurityDescriptor>,
        qos: Option<SecurityQos>,
        effective_only: bool,
        token_type: TokenType,
    ) -> Result<Handle, NtStatus> {
        let (source, source_granted) = self.duplicable(caller, h)?;
        let level = qos.map_or(ImpersonationLevel::Anonymous, |q| q.level);
        let src = self.tokens[source.0 as usize].token.clone();
        if src.token_type == TokenType::Impersonation {
            if level > src.impersonation_level {
                return Err(NtStatus::BadImpersonationLevel);
            }
            if token_type == TokenType::Primary
                && src.impersonation_level < ImpersonationLevel::Impersonation
            {
                return Err(NtStatus::BadImpersonationLevel);
            }
        }
        let granted = self.new_handle_access(caller, desired, source_granted, sd)?;
        let mut copy = src;
        copy.token_type = token_type;
        copy.impersonation_level = level;
        if effective_only {
            copy.groups.retain(|g| g.is_enabled() || g.is_deny_only());
            copy.privileges.retain(|p| p.enabled);
        }
        let new_sd = self.new_token_descriptor(caller, source, sd)?;
        let id = self.insert_copy(source, copy, new_sd);
        let pid = self.thread(caller)?.process;
        Ok(self.add_handle(pid, Target::Token(id), granted))
    }

    /// The token behind a handle that must grant TOKEN_DUPLICATE, and the
    /// handle's access (ObReferenceObjectByHandle's order: valid, a token,
    /// then the right).
    fn duplicable(&self, caller: ThreadId, h: Handle) -> Result<(TokenId, AccessMask), NtStatus> {
        let need = AccessMask(mask::token::DUPLICATE);
        match self.reference_handle(caller, h, HandleType::Token, need)? {
            Target::Token(t) => Ok((t, self.resolve_handle(caller, h)?.granted)),
            _ => Err(NtStatus::ObjectTypeMismatch),
        }
    }

    /// The access a new token's handle gets (step 6 of
    /// [`World::nt_duplicate_token`]).
    fn new_handle_access(
        &self,
        caller: ThreadId,
        desired: AccessMask,
        source_granted: AccessMask,
        sd: Option<&SecurityDescriptor>,
    ) -> Result<AccessMask, NtStatus> {
        let mut granted = if desired.0 == 0 {
            source_granted
        } else if desired.contains(AccessMask::MAXIMUM_ALLOWED) {
            AccessMask(mask::token::ALL_ACCESS)
        } else {
            let mapped = ObjectKind::Token.mapping().map(desired);
            AccessMask(mapped.0 & (mask::token::ALL_ACCESS | AccessMask::ACCESS_SYSTEM_SECURITY.0))
        };
        let sacl = sd.is_some_and(|s| {
            s.sacl.as_ref().is_some_and(|a| {
                a.aces
                    .iter()
                    .any(|x| x.ace_type != AceType::SystemMandatoryLabel)
            })
        });
        if sacl {
            granted = AccessMask(granted.0 | AccessMask::ACCESS_SYSTEM_SECURITY.0);
        }
        if granted.contains(AccessMask::ACCESS_SYSTEM_SECURITY) {
            let me = self.effective_token(caller)?;
            if !self.tokens[me.0 as usize]
                .token
                .has_privilege(Privilege::Security)
            {
                return Err(NtStatus::PrivilegeNotHeld);
            }
        }
        Ok(granted)
    }

    /// Inserts a token made from `source`, keeping its place in a UAC
    /// split (Wine `test_elevation`: elevation type and linked token
    /// survive DuplicateTokenEx and CreateRestrictedToken) and its
    /// ParentTokenId (ReactOS `SepDuplicateToken` copies it).
    fn insert_copy(&mut self, source: TokenId, token: Token, sd: SecurityDescriptor) -> TokenId {
        let id = self.insert_token(token, sd);
        self.copy_lineage(source, id);
        id
    }

    /// CreateRestrictedToken: a restricted copy of a token (the
    /// CreateRestrictedToken page; ReactOS `SepPerformTokenFiltering` for
    /// the details):
    ///
    /// - the source handle needs TOKEN_DUPLICATE;
    /// - every restricting SID's attributes must be 0
    ///   (STATUS_INVALID_PARAMETER; the page says they must be zero,
    ///   ReactOS `NtFilterToken` refuses others); they are stored as
    ///   mandatory, enabled by default and enabled;
    /// - the new token keeps the source's type and impersonation level
    ///   (Wine `test_CreateRestrictedToken`: an impersonation source gives
    ///   an impersonation token at SecurityImpersonation, a primary source
    ///   a primary token), its elevation type and linked token
    ///   (Wine `test_elevation`);
    /// - SIDs to disable become deny-only: ENABLED and ENABLED_BY_DEFAULT
    ///   cleared, USE_FOR_DENY_ONLY set, the user SID too; a disabled
    ///   default owner reverts to the user (ReactOS
    ///   `SepPerformTokenFiltering`; Wine `test_CreateRestrictedToken`
    ///   sees the deny-only group); SIDs and privileges the token lacks are
    ///   ignored (same test);
    /// - privileges to delete are removed; DISABLE_MAX_PRIVILEGE removes
    ///   every privilege but SeChangeNotifyPrivilege and ignores the list
    ///   (the page; ReactOS removes rather than disables, which is what a
    ///   sandboxed process's token shows);
    /// - restricting SIDs: when the source is already restricted, the new
    ///   list is intersected with the old one, so restricting never widens
    ///   what the restricted pass grants (Windows' rule is not documented:
    ///   research note item 5; ReactOS replaces the list while its comment
    ///   says "in addition to"; secctx keeps the one answer that cannot
    ///   grant more than the source). An empty intersection leaves the
    ///   NULL SID as the only restricting SID, so the token stays
    ///   restricted and its restricted pass matches nothing;
    /// - WRITE_RESTRICTED marks the restricting SIDs write-only (kept when
    ///   the source was); SANDBOX_INERT sets TokenSandBoxInert; LUA_TOKEN
    ///   is accepted and changes nothing secctx models;
    /// - the handle grants the source handle's access (the page: "the same
    ///   access rights as ExistingTokenHandle"; ReactOS `NtFilterToken`).
    pub fn create_restricted_token(
        &mut self,
        caller: ThreadId,
        h: Handle,
        r: &Restriction,
    ) -> Result<Handle, NtStatus> {
        let (source, granted) = self.duplicable(caller, h)?;
        if r.restrict.iter().any(|g| g.attributes.0 != 0) {
            return Err(NtStatus::InvalidParameter);
        }
        let t = filtered(&self.tokens[source.0 as usize].token, r);
        let sd = self.new_token_descriptor(caller, source, None)?;
        let id = self.insert_copy(source, t, sd);
        // A filtered token's ParentTokenId is its source's TokenId (ReactOS
        // SepPerformTokenFiltering): a child, for CreateProcessAsUser.
        self.mark_filtered(source, id);
        let pid = self.thread(caller)?.process;
        Ok(self.add_handle(pid, Target::Token(id), granted))
    }

    /// NtFilterToken (SeFilterToken in the kernel): the call
    /// CreateRestrictedToken makes, with the same flags, lists and rules
    /// (ReactOS `NtFilterToken` and `SepPerformTokenFiltering`; advapi32's
    /// CreateRestrictedToken only repackages its arrays). No difference
    /// between the two is documented or observed, so they share one rule
    /// set: see [`World::create_restricted_token`].
    pub fn nt_filter_token(
        &mut self,
        caller: ThreadId,
        h: Handle,
        r: &Restriction,
    ) -> Result<Handle, NtStatus> {
        self.create_restricted_token(caller, h, r)
    }
}

/// The restricted copy of `src` (see [`World::create_restricted_token`]).
fn filtered(src: &Token, r: &Restriction) -> Token {
    let mut t = src.clone();
    let deny_only = |a: GroupAttributes| {
        a.without(GroupAttributes::ENABLED)
            .without(GroupAttributes::ENABLED_BY_DEFAULT)
            .with(GroupAttributes::USE_FOR_DENY_ONLY)
    };
    for s in &r.disable {
        if t.user.sid == *s {
            t.user.attributes = deny_only(t.user.attributes);
        }
        for g in t.groups.iter_mut().filter(|g| g.sid == *s) {
            g.attributes = deny_only(g.attributes);
        }
        if t.owner == *s {
            t.owner = t.user.sid;
        }
    }
    if r.flags.contains(RestrictFlags::DISABLE_MAX_PRIVILEGE) {
        t.privileges
            .retain(|p| p.privilege == Privilege::ChangeNotify);
    } else {
        t.privileges.retain(|p| !r.delete.contains(&p.privilege));
    }
    if !r.restrict.is_empty() {
        let new: Vec<TokenGroup> = r.restrict.iter().map(|g| TokenGroup::new(g.sid)).collect();
        t.restricted_sids = if t.restricted_sids.is_empty() {
            new
        } else {
            let kept: Vec<TokenGroup> = new
                .into_iter()
                .filter(|g| t.restricted_sids.iter().any(|x| x.sid == g.sid))
                .collect();
            if kept.is_empty() {
                vec![TokenGroup::new(crate::ids::sid::well_known::NULL)]
            } else {
                kept
            }
        };
    }
    if r.flags.contains(RestrictFlags::WRITE_RESTRICTED) && t.is_restricted() {
        t.write_restricted = true;
    }
    if r.flags.contains(RestrictFlags::SANDBOX_INERT) {
        t.sandbox_inert = true;
    }
    t
}

/// The descriptor SeAssignSecurity gives a token object `creator` makes
/// with no descriptor of its own: its owner, group and default DACL,
/// mapped for tokens, the DACL not marked defaulted (see
/// [`World::token_object_descriptor`]).
fn default_token_sd(creator: &Token) -> Result<SecurityDescriptor, NtStatus> {
    let mut req = InheritRequest::new(InheritApi::SeAssignSecurity, ObjectKind::Token, creator);
    req.is_container = false;
    let mut sd = inherit::create_security_descriptor(&req)
        .map_err(|e| e.status())?
        .sd;
    sd.control.set(Control::DACL_DEFAULTED, false);
    Ok(sd)
}

/// A token object's mandatory label: its integrity level with
/// NO_WRITE_UP, ACE flags 0 (Wine `check_token_label`, run on Windows).
fn token_label(t: &Token) -> Ace {
    Ace::new(
        AceType::SystemMandatoryLabel,
        AceFlags(0),
        AccessMask(mask::label::NO_WRITE_UP),
        t.integrity.sid(),
    )
}

/// Puts `labels` in `sd`'s SACL in place of any label it holds, with
/// SE_SACL_AUTO_INHERITED (Wine `check_token_label`: a process token and a
/// fresh duplicate report SACL_PRESENT and SACL_AUTO_INHERITED).
fn with_label(sd: &mut SecurityDescriptor, labels: Vec<Ace>) {
    let mut acl = sd.sacl.take().unwrap_or_else(Acl::empty);
    acl.aces
        .retain(|a| a.ace_type != AceType::SystemMandatoryLabel);
    for (i, l) in labels.into_iter().enumerate() {
        acl.aces.insert(i, l);
    }
    sd.set_sacl(acl);
    sd.control.set(Control::SACL_AUTO_INHERITED, true);
}
