//! The object namespace: creating, moving, looking up and opening files,
//! directories, keys and directory-service objects, whose descriptors come
//! from inheritance (MS-DTYP 2.5.3.4), and the access questions asked of
//! them (who can, effective access, audit over the world).

use super::error::CallError;
use super::store::{DescriptorId, Object, ObjectId, Store, ROOT};
use super::world::{
    AuditSummary, CreateOptions, Handle, ObjectInfo, Target, ThreadId, TokenId, World,
};
use crate::descriptor::sd::SecurityDescriptor;
use crate::eval::access::{self, AccessDecision, AccessRequest, CompiledDescriptor, NoTrace};
use crate::eval::inherit::{self, InheritApi, InheritRequest};
use crate::ids::guid::Guid;
use crate::ids::mask::{self, AccessMask, ObjectKind};
use crate::ids::privilege::Privilege;
use crate::ids::status::NtStatus;

/// The right needed on the parent to create a child of `kind`.
fn create_right(kind: ObjectKind) -> u32 {
    match kind {
        ObjectKind::File => mask::file::WRITE_DATA, // FILE_ADD_FILE
        ObjectKind::Directory => mask::file::APPEND_DATA, // FILE_ADD_SUBDIRECTORY
        ObjectKind::Key => mask::key::CREATE_SUB_KEY,
        ObjectKind::DirectoryService => mask::ds::CREATE_CHILD,
        _ => AccessMask::WRITE_DAC.0,
    }
}

fn default_api(kind: ObjectKind) -> InheritApi {
    match kind {
        ObjectKind::File | ObjectKind::Directory => InheritApi::NtCreateFile,
        ObjectKind::Key => InheritApi::Registry,
        ObjectKind::DirectoryService => InheritApi::DsAdd,
        _ => InheritApi::SeAssignSecurity,
    }
}

impl World {
    /// Interns a descriptor (setup).
    pub fn add_descriptor(&mut self, sd: SecurityDescriptor) -> DescriptorId {
        self.objects.intern_descriptor(&mut self.table, sd)
    }

    /// How many distinct descriptors are stored.
    pub fn descriptor_count(&self) -> usize {
        self.objects.descriptors.len()
    }

    /// How many objects the namespace holds.
    pub fn object_count(&self) -> usize {
        self.objects.objects.len()
    }

    /// A stored descriptor.
    pub fn descriptor(&self, id: DescriptorId) -> Option<&SecurityDescriptor> {
        self.objects
            .descriptors
            .get(id.0 as usize)
            .map(CompiledDescriptor::descriptor)
    }

    /// Adds an object with a given descriptor (setup; no checks, no
    /// inheritance).
    pub fn insert_object(
        &mut self,
        parent: Option<ObjectId>,
        name: &str,
        kind: ObjectKind,
        class: Option<Guid>,
        sd: DescriptorId,
    ) -> Result<ObjectId, NtStatus> {
        let key = self.check_name(parent, name)?;
        if (sd.0 as usize) >= self.objects.descriptors.len() {
            return Err(NtStatus::InvalidParameter);
        }
        let id = ObjectId(self.objects.objects.len() as u32);
        self.objects.index.insert(key, id);
        self.objects.objects.push(Object {
            name: name.into(),
            parent,
            kind,
            class,
            sd,
            first_child: ROOT,
            next_sibling: ROOT,
        });
        self.objects.link(id, parent);
        Ok(id)
    }

    /// Checks that `name` may be created under `parent`; returns its index
    /// key.
    fn check_name(
        &self,
        parent: Option<ObjectId>,
        name: &str,
    ) -> Result<(u32, Box<str>), NtStatus> {
        if name.is_empty() || name.contains(['\\', '/']) {
            return Err(NtStatus::InvalidParameter);
        }
        if let Some(p) = parent {
            if !self.objects.get(p)?.kind.is_container() {
                return Err(NtStatus::ObjectPathNotFound);
            }
        }
        let key = Store::key(parent, name);
        if self.objects.index.contains_key(&key) {
            return Err(NtStatus::ObjectNameCollision);
        }
        Ok(key)
    }

    /// Creates an object as `caller`: a new file or directory's path is
    /// traverse-checked as an open's is, and the caller needs the create
    /// right on the parent (FILE_ADD_FILE, FILE_ADD_SUBDIRECTORY, KEY_CREATE_SUB_KEY
    /// or, for the object class, ADS_RIGHT_DS_CREATE_CHILD), and the new
    /// descriptor comes from
    /// [`create_security_descriptor`](crate::create_security_descriptor) with
    /// the caller's effective token — the impersonated client's when
    /// impersonating.
    pub fn create_object(
        &mut self,
        caller: ThreadId,
        parent: Option<ObjectId>,
        name: &str,
        kind: ObjectKind,
        options: &CreateOptions,
    ) -> Result<ObjectId, CallError> {
        self.check_name(parent, name)?;
        let as_token = self.acting_token(caller)?;
        if matches!(kind, ObjectKind::File | ObjectKind::Directory) && !options.unchecked {
            // The path to the new file is walked as for an open: without
            // SeChangeNotifyPrivilege enabled every directory on it must
            // grant FILE_TRAVERSE (MS-FSA 2.1.5.1; see `ntfs.rs`).
            let bypass = self.tokens[as_token.0 as usize]
                .token
                .has_privilege(Privilege::ChangeNotify);
            if let Err((_, denied)) =
                self.traverse(parent, bypass, &|sd, r| self.check(as_token, sd, r))?
            {
                return Err(CallError::denied(denied));
            }
        }
        if let (Some(p), false) = (parent, options.unchecked) {
            let psd = self.objects.get(p)?.sd;
            let pkind = self.objects.get(p)?.kind;
            let right = AccessMask(create_right(kind));
            let nodes;
            let mut req = AccessRequest::new(right).for_kind(pkind);
            if let (ObjectKind::DirectoryService, Some(class)) = (kind, options.class) {
                nodes = [access::ObjectTypeNode {
                    level: 0,
                    guid: class,
                }];
                req = req.with_object_types(&nodes, false);
            }
            self.require(as_token, psd, &req)?;
        }
        Ok(self.create_with(as_token, parent, name, kind, options)?)
    }

    /// Computes the new object's descriptor by inheritance and inserts it.
    fn create_with(
        &mut self,
        token: TokenId,
        parent: Option<ObjectId>,
        name: &str,
        kind: ObjectKind,
        options: &CreateOptions,
    ) -> Result<ObjectId, NtStatus> {
        let sd = self.compute_descriptor(token, parent, kind, options)?;
        let id = self.add_descriptor(sd);
        self.insert_object(parent, name, kind, options.class, id)
    }

    /// Creates an object whose descriptor is computed by inheritance with
    /// `token` as the creator (setup: no thread, no parent access check).
    pub fn create_object_as(
        &mut self,
        token: TokenId,
        parent: Option<ObjectId>,
        name: &str,
        kind: ObjectKind,
        options: &CreateOptions,
    ) -> Result<ObjectId, NtStatus> {
        self.check_name(parent, name)?;
        self.token(token)?;
        self.create_with(token, parent, name, kind, options)
    }

    fn compute_descriptor(
        &self,
        as_token: TokenId,
        parent: Option<ObjectId>,
        kind: ObjectKind,
        options: &CreateOptions,
    ) -> Result<SecurityDescriptor, NtStatus> {
        let token = &self.tokens[as_token.0 as usize].token;
        let parent_sd = match parent {
            Some(p) => Some(
                self.objects
                    .descriptor(self.objects.get(p)?.sd)
                    .descriptor(),
            ),
            None => None,
        };
        let mut req = InheritRequest::new(
            options.api.unwrap_or_else(|| default_api(kind)),
            kind,
            token,
        );
        req.parent = parent_sd;
        req.creator = options.descriptor.as_ref();
        req.object_class = options.class;
        inherit::create_security_descriptor(&req)
            .map(|i| i.sd)
            .map_err(|e| e.status())
    }

    /// Moves an object under a new parent (STATUS_INVALID_PARAMETER if that
    /// would make the tree cyclic).
    pub fn move_object(
        &mut self,
        object: ObjectId,
        new_parent: Option<ObjectId>,
    ) -> Result<(), NtStatus> {
        let name = self.objects.get(object)?.name.to_string();
        let mut at = new_parent;
        while let Some(p) = at {
            if p == object {
                return Err(NtStatus::InvalidParameter);
            }
            at = self.objects.get(p)?.parent;
        }
        self.check_name(new_parent, &name)?;
        let old = self.objects.get(object)?.parent;
        self.objects.index.remove(&Store::key(old, &name));
        self.objects
            .index
            .insert(Store::key(new_parent, &name), object);
        self.objects.unlink(object, old);
        self.objects.objects[object.0 as usize].parent = new_parent;
        self.objects.link(object, new_parent);
        Ok(())
    }

    /// Finds an object by path (`\`- or `/`-separated, case-insensitive).
    pub fn lookup(&self, path: &str) -> Result<ObjectId, NtStatus> {
        let mut at: Option<ObjectId> = None;
        for part in path.split(['\\', '/']).filter(|p| !p.is_empty()) {
            at = Some(
                *self
                    .objects
                    .index
                    .get(&Store::key(at, part))
                    .ok_or(NtStatus::ObjectNameNotFound)?,
            );
        }
        at.ok_or(NtStatus::ObjectNameNotFound)
    }

    /// An object's kind: [`World::object`]'s `kind`, without building its
    /// path.
    pub fn object_kind(&self, id: ObjectId) -> Result<ObjectKind, NtStatus> {
        Ok(self.objects.get(id)?.kind)
    }

    /// An object's name, path, kind and descriptor.
    pub fn object(&self, id: ObjectId) -> Result<ObjectInfo, NtStatus> {
        let o = self.objects.get(id)?;
        let mut parts = vec![o.name.to_string()];
        let mut at = o.parent;
        let mut guard = 0;
        while let Some(p) = at {
            let po = self.objects.get(p)?;
            parts.push(po.name.to_string());
            at = po.parent;
            guard += 1;
            if guard > self.objects.objects.len() {
                return Err(NtStatus::InvalidParameter);
            }
        }
        parts.reverse();
        Ok(ObjectInfo {
            name: o.name.to_string(),
            path: format!("\\{}", parts.join("\\")),
            kind: o.kind,
            parent: o.parent,
            class: o.class,
            descriptor: o.sd,
        })
    }

    /// The children of an object, most recently added first.
    pub fn children(&self, id: ObjectId) -> Vec<ObjectId> {
        let mut out = Vec::new();
        let mut at = self
            .objects
            .objects
            .get(id.0 as usize)
            .map_or(ROOT, |o| o.first_child);
        while at != ROOT && out.len() < self.objects.objects.len() {
            out.push(ObjectId(at));
            at = self.objects.objects[at as usize].next_sibling;
        }
        out
    }

    /// Opens an object as `caller` (NtCreateFile/NtOpenKey semantics):
    /// the check runs against the caller's effective token, and a handle
    /// recording the granted access goes into the caller's process. A file
    /// or directory open also follows the file system's rules beyond the
    /// object's DACL (traverse checking, DELETE and FILE_READ_ATTRIBUTES
    /// through the parent; [`file_open_access`](World::file_open_access)
    /// explains them).
    pub fn open_object(
        &mut self,
        caller: ThreadId,
        object: ObjectId,
        desired: AccessMask,
        backup_intent: bool,
    ) -> Result<(Handle, AccessDecision), CallError> {
        let request = self.open_request(object, desired, backup_intent)?;
        let decision = self.file_open_access(caller, object, &request)?.decision;
        if !decision.is_granted() {
            return Err(CallError::denied(decision));
        }
        let pid = self.thread(caller)?.process;
        let h = self.add_handle(pid, Target::Object(object), decision.granted);
        Ok((h, decision))
    }

    /// The request an open of `object` makes: `desired` with the object
    /// kind's mapping and, when asked, backup intent
    /// (FILE_FLAG_BACKUP_SEMANTICS / FILE_OPEN_FOR_BACKUP_INTENT).
    pub fn open_request(
        &self,
        object: ObjectId,
        desired: AccessMask,
        backup_intent: bool,
    ) -> Result<AccessRequest<'static>, NtStatus> {
        let kind = self.objects.get(object)?.kind;
        let mut request = AccessRequest::new(desired).for_kind(kind);
        request.backup_intent = backup_intent;
        Ok(request)
    }

    /// The full access check of `caller` against an object, without opening
    /// it (for `check` steps and explanations).
    pub fn check_object(
        &self,
        caller: ThreadId,
        object: ObjectId,
        request: &AccessRequest<'_>,
    ) -> Result<AccessDecision, NtStatus> {
        self.check_as(self.acting_token(caller)?, object, request)
    }

    /// The access check of a world token against an object (SeAccessCheck,
    /// as AccessCheck runs it for a server holding the client's token: no
    /// impersonation-level gate, no handle).
    pub fn check_as(
        &self,
        token: TokenId,
        object: ObjectId,
        request: &AccessRequest<'_>,
    ) -> Result<AccessDecision, NtStatus> {
        self.token(token)?;
        let sd = self.objects.get(object)?.sd;
        self.check(token, sd, request)
    }

    /// "What may this thread do to this object": MAXIMUM_ALLOWED with the
    /// explanation. For a file or directory this includes what the file
    /// system's rules add or refuse ([`file_open_access`](World::file_open_access)).
    pub fn effective_access(
        &self,
        caller: ThreadId,
        object: ObjectId,
    ) -> Result<AccessDecision, NtStatus> {
        let as_token = self.effective_token(caller)?;
        let o = self.objects.get(object)?;
        let request = AccessRequest::new(AccessMask::MAXIMUM_ALLOWED).for_kind(o.kind);
        let entry = &self.tokens[as_token.0 as usize];
        let bypass = entry.token.has_privilege(Privilege::ChangeNotify);
        self.file_open_with(object, &request, bypass, |sd, r| {
            self.traced_check(&entry.compiled, sd, r)
        })
        .map(|f| f.decision)
    }

    /// One access check of a compiled token against a stored descriptor,
    /// with the explanation trace.
    fn traced_check(
        &self,
        token: &access::CompiledToken,
        sd: DescriptorId,
        request: &AccessRequest<'_>,
    ) -> Result<AccessDecision, NtStatus> {
        let mut trace = access::Trace::default();
        let mut d = access::check(
            &self.table,
            token,
            self.objects.descriptor(sd),
            request,
            &mut trace,
        )
        .map_err(|e| e.status())?;
        d.trace = Some(trace);
        Ok(d)
    }

    /// "Who, among the world's tokens, may do `desired` to this object":
    /// each token with its decision (explained), with the file system's
    /// rules for a file or directory.
    pub fn who_can(
        &self,
        object: ObjectId,
        desired: AccessMask,
    ) -> Result<Vec<(TokenId, AccessDecision)>, NtStatus> {
        let o = self.objects.get(object)?;
        let request = AccessRequest::new(desired).for_kind(o.kind);
        let mut out = Vec::new();
        for (i, e) in self.tokens.iter().enumerate() {
            let bypass = e.token.has_privilege(Privilege::ChangeNotify);
            // A check that cannot be made grants nothing: the token is left
            // out, as one that is denied.
            if let Ok(f) = self.file_open_with(object, &request, bypass, |sd, r| {
                self.traced_check(&e.compiled, sd, r)
            }) {
                if f.decision.is_granted() {
                    out.push((TokenId(i as u32), f.decision));
                }
            }
        }
        Ok(out)
    }

    /// May `token` open each object with `desired`? Each distinct
    /// descriptor is checked once (descriptor sharing makes a whole-world
    /// audit cost per descriptor, not per object). A file or directory is
    /// checked on its own, with the file system's rules, only where they can
    /// change the answer: when the token must pass traverse checks, or when
    /// its own check denies a request the parent could complete.
    pub fn audit(&self, token: TokenId, desired: AccessMask) -> Result<AuditSummary, NtStatus> {
        let entry = self
            .tokens
            .get(token.0 as usize)
            .ok_or(NtStatus::InvalidHandle)?;
        let t = &entry.compiled;
        let bypass = entry.token.has_privilege(Privilege::ChangeNotify);
        let through_parent = AccessMask::DELETE.0 | mask::file::READ_ATTRIBUTES;
        let mut cache: Vec<u8> = vec![0; self.objects.descriptors.len() * ObjectKind::ALL.len()];
        let mut summary = AuditSummary::default();
        for (i, o) in self.objects.objects.iter().enumerate() {
            let kind_index = ObjectKind::ALL
                .iter()
                .position(|k| *k == o.kind)
                .unwrap_or(0);
            let slot = o.sd.0 as usize * ObjectKind::ALL.len() + kind_index;
            if cache[slot] == 0 {
                let req = AccessRequest::new(desired).for_kind(o.kind);
                let ok = access::decide(
                    &self.table,
                    t,
                    self.objects.descriptor(o.sd),
                    &req,
                    &mut NoTrace,
                )
                .is_ok_and(|v| v.status == NtStatus::Success);
                cache[slot] = if ok { 2 } else { 1 };
                summary.descriptors_checked += 1;
            }
            summary.objects += 1;
            let mut ok = cache[slot] == 2;
            if matches!(o.kind, ObjectKind::File | ObjectKind::Directory) {
                let wanted = o.kind.mapping().map(desired).0;
                let parent_may_help =
                    !ok && wanted & (through_parent | AccessMask::MAXIMUM_ALLOWED.0) != 0;
                if !bypass || parent_may_help {
                    let req = AccessRequest::new(desired).for_kind(o.kind);
                    ok = self
                        .file_open_with(ObjectId(i as u32), &req, bypass, |sd, r| {
                            access::check(
                                &self.table,
                                t,
                                self.objects.descriptor(sd),
                                r,
                                &mut NoTrace,
                            )
                            .map_err(|e| e.status())
                        })
                        .is_ok_and(|f| f.decision.is_granted());
                }
            }
            if ok {
                summary.granted += 1;
            }
        }
        Ok(summary)
    }
}
