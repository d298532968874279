//! NTFS opens: what an open of a file or directory decides beyond the
//! object's own DACL.
//!
//! The object's own access check (SeAccessCheck, with the I/O manager's
//! backup and restore privileges when the open asks for backup intent) is
//! only part of an open of a file or a directory. The file system and the
//! I/O manager add three rules, each modelled here and cited where it is
//! applied:
//!
//! - **traverse checking**: unless the caller's token has
//!   SeChangeNotifyPrivilege ("Bypass traverse checking") enabled, every
//!   directory on the path must grant FILE_TRAVERSE;
//! - **DELETE through the parent**: the parent directory's FILE_DELETE_CHILD
//!   grants DELETE on the child;
//! - **FILE_READ_ATTRIBUTES through the parent**: the parent directory's
//!   FILE_LIST_DIRECTORY grants FILE_READ_ATTRIBUTES on the child.
//!
//! Other kinds of object (keys, directory-service objects, events,
//! processes, ...) are opened with their own check alone: the rules cost
//! one comparison of the object's kind.

use super::store::{DescriptorId, ObjectId};
use super::world::{ThreadId, World};
use crate::eval::access::{self, AccessDecision, AccessRequest};
use crate::ids::mask::{file, AccessMask, ObjectKind};
use crate::ids::privilege::Privilege;
use crate::ids::status::NtStatus;
use crate::token::Token;

/// MS-FSA 2.1.5.1.2.1 "Algorithm to Check Access to an Existing File".
const MS_FSA_EXISTING: &str = "MS-FSA 2.1.5.1.2.1";

/// A rule of an NTFS open that reaches past the object's own DACL.
#[derive(Clone, Copy, PartialEq, Eq, Debug, serde::Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum FileOpenRule {
    /// DELETE granted by the parent directory's FILE_DELETE_CHILD.
    DeleteChild,
    /// FILE_READ_ATTRIBUTES granted by the parent directory's
    /// FILE_LIST_DIRECTORY.
    ListDirectory,
}

impl FileOpenRule {
    /// The right the rule grants on the object.
    pub const fn grants(self) -> AccessMask {
        match self {
            FileOpenRule::DeleteChild => AccessMask::DELETE,
            FileOpenRule::ListDirectory => AccessMask(file::READ_ATTRIBUTES),
        }
    }

    /// The right the rule asks of the parent directory.
    pub const fn parent_right(self) -> AccessMask {
        match self {
            FileOpenRule::DeleteChild => AccessMask(file::DELETE_CHILD),
            FileOpenRule::ListDirectory => AccessMask(file::READ_DATA),
        }
    }

    /// The right's name on the object and on the parent, for explanations.
    pub const fn names(self) -> (&'static str, &'static str) {
        match self {
            FileOpenRule::DeleteChild => ("DELETE", "FILE_DELETE_CHILD"),
            FileOpenRule::ListDirectory => ("FILE_READ_ATTRIBUTES", "FILE_LIST_DIRECTORY"),
        }
    }

    /// Where the rule is written down.
    pub const fn source(self) -> &'static str {
        // Both are in MS-FSA 2.1.5.1.2.1: after the object's own check, DELETE
        // is set when the parent grants FILE_DELETE_CHILD, and
        // FILE_READ_ATTRIBUTES when it grants FILE_LIST_DIRECTORY, each when
        // asked for or under MAXIMUM_ALLOWED. Microsoft KB Q238018 (DELETE on
        // a file, "even if the file's DACL denies DELETE") and R. Chen, "Access
        // to a file's attributes is controlled by two things" (The Old New
        // Thing, 2015-04-28) say the same.
        MS_FSA_EXISTING
    }

    /// Both rules, in the order MS-FSA 2.1.5.1.2.1 applies them.
    pub const ALL: [FileOpenRule; 2] = [FileOpenRule::DeleteChild, FileOpenRule::ListDirectory];
}

/// A right granted through the parent directory.
#[derive(Clone, Copy, PartialEq, Eq, Debug, serde::Serialize)]
pub struct ParentGrant {
    /// The rule that granted it.
    pub rule: FileOpenRule,
    /// The parent directory whose DACL granted the rule's right.
    pub parent: ObjectId,
    /// What the rule added to the granted access.
    pub granted: AccessMask,
}

/// The traverse check of an open's path.
#[derive(Clone, PartialEq, Eq, Debug, serde::Serialize)]
#[serde(rename_all = "snake_case", tag = "outcome")]
#[non_exhaustive]
pub enum TraverseCheck {
    /// Not a file or a directory, or at the top of the namespace: no path to
    /// check.
    NotApplicable,
    /// The token has SeChangeNotifyPrivilege enabled: no check.
    Bypassed,
    /// Every directory on the path granted FILE_TRAVERSE (listed root
    /// first).
    Passed {
        /// The directories checked.
        directories: Vec<ObjectId>,
    },
    /// A directory on the path did not grant FILE_TRAVERSE: the open fails.
    Failed {
        /// The directory that refused.
        directory: ObjectId,
    },
}

/// What an open of a namespace object decided, with the file-system rules
/// that went past the object's own DACL.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct FileOpenDecision {
    /// The final decision: its status and granted access are the open's.
    /// When a traverse check failed, it is that directory's decision.
    pub decision: AccessDecision,
    /// What the object's own DACL granted toward the open (0 when it
    /// denied): when the parent lent a right, the check of the rest.
    pub own: AccessMask,
    /// The rights granted through the parent directory.
    pub through_parent: Vec<ParentGrant>,
    /// The traverse check of the path.
    pub traverse: TraverseCheck,
}

impl FileOpenDecision {
    fn plain(decision: AccessDecision, traverse: TraverseCheck) -> FileOpenDecision {
        let own = if decision.is_granted() {
            decision.granted
        } else {
            AccessMask(0)
        };
        FileOpenDecision {
            decision,
            own,
            through_parent: Vec::new(),
            traverse,
        }
    }

    /// One sentence per rule that decided something, each naming its
    /// source, with paths from `world` (for reports). A bypassed or
    /// inapplicable traverse check says nothing.
    pub fn explanation(&self, world: &World) -> Vec<String> {
        let path = |o: ObjectId| world.object(o).map_or_else(|_| "?".into(), |i| i.path);
        let mut out = Vec::new();
        match &self.traverse {
            // Nothing to say when no check ran: the usual case, since
            // tokens get SeChangeNotifyPrivilege enabled by default.
            TraverseCheck::NotApplicable | TraverseCheck::Bypassed => {}
            TraverseCheck::Passed { directories } => {
                let list: Vec<String> = directories.iter().map(|d| path(*d)).collect();
                out.push(format!(
                    "traverse checked (SeChangeNotifyPrivilege not enabled): FILE_TRAVERSE \
                     granted on {} (MS-FSA 2.1.5.1; Checking for Traverse Privilege on \
                     IRP_MJ_CREATE)",
                    list.join(", ")
                ));
            }
            TraverseCheck::Failed { directory } => out.push(format!(
                "traverse denied: SeChangeNotifyPrivilege is not enabled and {} does not \
                 grant FILE_TRAVERSE (MS-FSA 2.1.5.1; Checking for Traverse Privilege on \
                 IRP_MJ_CREATE)",
                path(*directory)
            )),
        }
        if !self.through_parent.is_empty() {
            // The decision's trace is always a check of the object's own
            // DACL; say so, since the open's result differs from it.
            out.push(format!(
                "the object's own DACL granted {} (the explanation trace is that check); \
                 the file system added:",
                self.own
            ));
        }
        for g in &self.through_parent {
            let (right, parent_right) = g.rule.names();
            out.push(format!(
                "{right} granted by the parent's {parent_right} on {} ({})",
                path(g.parent),
                g.rule.source()
            ));
        }
        out
    }
}

/// Whether SeChangeNotifyPrivilege is held and enabled: the file system
/// skips traverse checks only then. ReactOS ntoskrnl/se/token.c,
/// SepUpdateSinglePrivilegeFlagToken, sets the token's
/// TOKEN_HAS_TRAVERSE_PRIVILEGE flag while SeChangeNotifyPrivilege is
/// enabled and clears it while disabled; Microsoft, "Checking for Traverse
/// Privilege on IRP_MJ_CREATE", has the file system test that flag.
fn bypasses_traverse(token: &Token) -> bool {
    token.has_privilege(Privilege::ChangeNotify)
}

impl World {
    /// The access an open of `object` by `caller` would get, with the
    /// file-system rules that went past the object's own DACL (see
    /// [`FileOpenDecision`]): traverse checking of the path, DELETE through
    /// the parent's FILE_DELETE_CHILD and FILE_READ_ATTRIBUTES through the
    /// parent's FILE_LIST_DIRECTORY. For objects other than files and
    /// directories this is the object's own check.
    pub fn file_open_access(
        &self,
        caller: ThreadId,
        object: ObjectId,
        request: &AccessRequest<'_>,
    ) -> Result<FileOpenDecision, NtStatus> {
        let token = self.acting_token(caller)?;
        let bypass = bypasses_traverse(&self.tokens[token.0 as usize].token);
        self.file_open_with(object, request, bypass, |sd, r| self.check(token, sd, r))
    }

    /// As [`file_open_access`](World::file_open_access) for any token, in
    /// or out of the world (for effective-access views), with the
    /// explanation trace.
    pub fn file_open_access_as(
        &self,
        token: &Token,
        object: ObjectId,
        request: &AccessRequest<'_>,
    ) -> Result<FileOpenDecision, NtStatus> {
        self.file_open_with(object, request, bypasses_traverse(token), |sd, r| {
            let sd = self.descriptor(sd).ok_or(NtStatus::InvalidSecurityDescr)?;
            access::access_check_explained(token, sd, r).map_err(|e| e.status())
        })
    }

    /// The rules of an open, with `check` answering each access check
    /// against a stored descriptor.
    pub(super) fn file_open_with(
        &self,
        object: ObjectId,
        request: &AccessRequest<'_>,
        bypass_traverse: bool,
        check: impl Fn(DescriptorId, &AccessRequest<'_>) -> Result<AccessDecision, NtStatus>,
    ) -> Result<FileOpenDecision, NtStatus> {
        let o = self.objects.get(object)?;
        if !matches!(o.kind, ObjectKind::File | ObjectKind::Directory) {
            return Ok(FileOpenDecision::plain(
                check(o.sd, request)?,
                TraverseCheck::NotApplicable,
            ));
        }
        let traverse = match self.traverse(o.parent, bypass_traverse, &check)? {
            Err((directory, denied)) => {
                return Ok(FileOpenDecision::plain(
                    denied,
                    TraverseCheck::Failed { directory },
                ))
            }
            Ok(t) => t,
        };
        let own = check(o.sd, request)?;
        self.through_parent(o.parent, o.sd, request, own, traverse, &check)
    }

    /// Traverse checking: without SeChangeNotifyPrivilege enabled, each
    /// directory from `parent` up, checked root first, must grant
    /// FILE_TRAVERSE
    /// (MS-FSA 2.1.5.1, the traverse check while walking the path;
    /// Microsoft, "Checking for Traverse Privilege on IRP_MJ_CREATE": "If
    /// the caller does not hold this privilege, a traverse check must be
    /// done on each directory"; "File Access Rights Constants",
    /// FILE_TRAVERSE). `Err` holds the refusing directory and its decision.
    #[allow(clippy::type_complexity)]
    pub(super) fn traverse(
        &self,
        parent: Option<ObjectId>,
        bypass: bool,
        check: &impl Fn(DescriptorId, &AccessRequest<'_>) -> Result<AccessDecision, NtStatus>,
    ) -> Result<Result<TraverseCheck, (ObjectId, AccessDecision)>, NtStatus> {
        let mut ancestors = Vec::new();
        let mut at = parent;
        while let Some(p) = at {
            if ancestors.len() > self.objects.objects.len() {
                return Err(NtStatus::InvalidParameter);
            }
            let po = self.objects.get(p)?;
            // Only directories are traversed; a namespace above the file
            // system (none is modelled today) would not be.
            if po.kind == ObjectKind::Directory {
                ancestors.push(p);
            }
            at = po.parent;
        }
        if ancestors.is_empty() {
            return Ok(Ok(TraverseCheck::NotApplicable));
        }
        if bypass {
            return Ok(Ok(TraverseCheck::Bypassed));
        }
        ancestors.reverse();
        let req = AccessRequest::new(AccessMask(file::EXECUTE)).for_kind(ObjectKind::Directory);
        for &d in &ancestors {
            let decision = check(self.objects.get(d)?.sd, &req)?;
            if !decision.is_granted() {
                return Ok(Err((d, decision)));
            }
        }
        Ok(Ok(TraverseCheck::Passed {
            directories: ancestors,
        }))
    }

    /// MS-FSA 2.1.5.1.2.1: after the object's own check, DELETE is granted
    /// when the parent grants FILE_DELETE_CHILD and FILE_READ_ATTRIBUTES
    /// when the parent grants FILE_LIST_DIRECTORY, each if it was asked for
    /// or under MAXIMUM_ALLOWED. A plain request the object's own check
    /// already grants asks nothing of the parent.
    fn through_parent(
        &self,
        parent: Option<ObjectId>,
        sd: DescriptorId,
        request: &AccessRequest<'_>,
        own: AccessDecision,
        traverse: TraverseCheck,
        check: &impl Fn(DescriptorId, &AccessRequest<'_>) -> Result<AccessDecision, NtStatus>,
    ) -> Result<FileOpenDecision, NtStatus> {
        let ma = request.desired.contains(AccessMask::MAXIMUM_ALLOWED);
        let mapping = request.mapping.unwrap_or_default();
        let explicit = mapping
            .map(AccessMask(
                request.desired.0 & !AccessMask::MAXIMUM_ALLOWED.0,
            ))
            .0;
        let own_bits = if own.is_granted() { own.granted.0 } else { 0 };
        let parent_bits = FileOpenRule::ALL.iter().fold(0, |m, r| m | r.grants().0);
        let candidates = if ma {
            parent_bits
        } else {
            explicit & parent_bits
        } & !own_bits;
        let parent = match parent {
            Some(p) if self.objects.get(p)?.kind == ObjectKind::Directory => p,
            // The root of a volume has no parent to ask.
            _ => return Ok(FileOpenDecision::plain(own, traverse)),
        };
        if candidates == 0 || (!ma && own.is_granted()) {
            return Ok(FileOpenDecision::plain(own, traverse));
        }
        let psd = self.objects.get(parent)?.sd;
        let mut grants = Vec::new();
        let mut extra = 0u32;
        for rule in FileOpenRule::ALL {
            if candidates & rule.grants().0 == 0 {
                continue;
            }
            let req = AccessRequest::new(rule.parent_right()).for_kind(ObjectKind::Directory);
            if check(psd, &req)?.is_granted() {
                extra |= rule.grants().0;
                grants.push(ParentGrant {
                    rule,
                    parent,
                    granted: rule.grants(),
                });
            }
        }
        if extra == 0 {
            return Ok(FileOpenDecision::plain(own, traverse));
        }
        let mut own_granted = AccessMask(own_bits);
        let rest = explicit & !extra;
        let decision = if own.is_granted() {
            // MAXIMUM_ALLOWED, already granted: the parent adds to it.
            AccessDecision {
                granted: AccessMask(own.granted.0 | extra),
                ..own
            }
        } else if rest == 0 && !ma {
            // Everything asked for came through the parent.
            AccessDecision {
                status: NtStatus::Success,
                granted: AccessMask(extra),
                ..own
            }
        } else {
            // The object's own check must grant what the parent did not.
            let mut req = *request;
            req.desired = AccessMask(rest | if ma { AccessMask::MAXIMUM_ALLOWED.0 } else { 0 });
            let again = check(sd, &req)?;
            if again.is_granted() {
                own_granted = again.granted;
                AccessDecision {
                    granted: AccessMask(again.granted.0 | extra),
                    ..again
                }
            } else if ma && rest == 0 && again.status == NtStatus::AccessDenied {
                // MAXIMUM_ALLOWED with nothing from the object itself: what
                // the parent granted is the whole grant.
                AccessDecision {
                    status: NtStatus::Success,
                    granted: AccessMask(extra),
                    ..again
                }
            } else {
                return Ok(FileOpenDecision {
                    decision: again,
                    own: own_granted,
                    through_parent: Vec::new(),
                    traverse,
                });
            }
        };
        Ok(FileOpenDecision {
            decision,
            own: own_granted,
            through_parent: grants,
            traverse,
        })
    }
}
