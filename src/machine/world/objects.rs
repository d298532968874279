//! The object namespace: a tree of files, directories, keys and
//! directory-service objects, each pointing at a shared descriptor.

use super::{Handle, Target, ThreadId, TokenId, World};
use crate::descriptor::ace::AceFlags;
use crate::descriptor::acl::Acl;
use crate::descriptor::binary;
use crate::descriptor::sd::{Control, SecurityDescriptor};
use crate::eval::access::{
    self, AccessDecision, AccessRequest, CompiledDescriptor, NoTrace, SidTable,
};
use crate::eval::inherit::{self, InheritApi, InheritRequest};
use crate::ids::guid::Guid;
use crate::ids::mask::{self, AccessMask, ObjectKind};
use crate::ids::privilege::Privilege;
use crate::ids::status::NtStatus;
use crate::token::IntegrityLevel;
use std::collections::HashMap;

/// A namespace object.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord, serde::Serialize)]
pub struct ObjectId(pub u32);

/// A stored descriptor, shared by every object that has it.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord, serde::Serialize)]
pub struct DescriptorId(pub u32);

pub(super) struct Object {
    name: Box<str>,
    parent: Option<ObjectId>,
    kind: ObjectKind,
    class: Option<Guid>,
    pub(super) sd: DescriptorId,
    /// The first child, or [`ROOT`] for none.
    first_child: u32,
    /// The next sibling, or [`ROOT`] for none.
    next_sibling: u32,
}

/// What a caller can learn about an object.
#[derive(Clone, PartialEq, Eq, Debug, serde::Serialize)]
pub struct ObjectInfo {
    /// The object's name (last path component).
    pub name: String,
    /// Its full path.
    pub path: String,
    /// Its kind.
    pub kind: ObjectKind,
    /// Its parent.
    pub parent: Option<ObjectId>,
    /// Its directory-service class.
    pub class: Option<Guid>,
    /// Its descriptor id.
    pub descriptor: DescriptorId,
}

/// Which parts of a descriptor a get or set touches
/// (`SECURITY_INFORMATION`).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default, serde::Serialize)]
pub struct SecurityInformation {
    /// OWNER_SECURITY_INFORMATION.
    pub owner: bool,
    /// GROUP_SECURITY_INFORMATION.
    pub group: bool,
    /// DACL_SECURITY_INFORMATION.
    pub dacl: bool,
    /// SACL_SECURITY_INFORMATION.
    pub sacl: bool,
    /// LABEL_SECURITY_INFORMATION.
    pub label: bool,
}

impl SecurityInformation {
    /// Owner, group and DACL.
    pub const STANDARD: SecurityInformation = SecurityInformation {
        owner: true,
        group: true,
        dacl: true,
        sacl: false,
        label: false,
    };

    /// The access a handle needs for these parts: READ_CONTROL (or
    /// WRITE_DAC / WRITE_OWNER to set) and ACCESS_SYSTEM_SECURITY for the
    /// SACL (GetSecurityInfo / SetSecurityInfo).
    pub fn needed(&self, set: bool) -> AccessMask {
        let mut m = 0;
        if set {
            if self.dacl {
                m |= AccessMask::WRITE_DAC.0;
            }
            if self.owner || self.group || self.label {
                m |= AccessMask::WRITE_OWNER.0;
            }
        } else if self.owner || self.group || self.dacl || self.label {
            m |= AccessMask::READ_CONTROL.0;
        }
        if self.sacl {
            m |= AccessMask::ACCESS_SYSTEM_SECURITY.0;
        }
        AccessMask(m)
    }
}

/// Options for creating an object.
#[derive(Clone, Debug, Default)]
pub struct CreateOptions {
    /// The creator's explicit descriptor.
    pub descriptor: Option<SecurityDescriptor>,
    /// The directory-service object class.
    pub class: Option<Guid>,
    /// The code path; by default NtCreateFile for files and directories,
    /// registry for keys, ds_add for directory-service objects,
    /// SeAssignSecurity for the rest.
    pub api: Option<InheritApi>,
    /// Skip the parent access check (setup).
    pub unchecked: bool,
}

/// How many objects a token may open with an access, over the world.
#[derive(Clone, PartialEq, Eq, Debug, Default, serde::Serialize)]
pub struct AuditSummary {
    /// Objects examined.
    pub objects: usize,
    /// Objects the token may open.
    pub granted: usize,
    /// Distinct descriptors checked (each once).
    pub descriptors_checked: usize,
}

pub(super) struct Store {
    descriptors: Vec<CompiledDescriptor>,
    by_bytes: HashMap<Vec<u8>, DescriptorId>,
    objects: Vec<Object>,
    /// (parent or u32::MAX for roots, lower-cased name) → object.
    index: HashMap<(u32, Box<str>), ObjectId>,
}

const ROOT: u32 = u32::MAX;

impl Store {
    pub(super) fn new() -> Store {
        Store {
            descriptors: Vec::new(),
            by_bytes: HashMap::new(),
            objects: Vec::new(),
            index: HashMap::new(),
        }
    }

    /// Stores a descriptor once, keyed by its self-relative bytes.
    pub(super) fn intern_descriptor(
        &mut self,
        table: &mut SidTable,
        sd: SecurityDescriptor,
    ) -> DescriptorId {
        let bytes = binary::encode(&sd).unwrap_or_default();
        if let Some(&id) = self.by_bytes.get(&bytes) {
            return id;
        }
        let id = DescriptorId(self.descriptors.len() as u32);
        self.descriptors.push(table.compile_descriptor(&sd));
        self.by_bytes.insert(bytes, id);
        id
    }

    pub(super) fn descriptor(&self, id: DescriptorId) -> &CompiledDescriptor {
        &self.descriptors[id.0 as usize]
    }

    fn link(&mut self, id: ObjectId, parent: Option<ObjectId>) {
        if let Some(p) = parent {
            let first = self.objects[p.0 as usize].first_child;
            self.objects[id.0 as usize].next_sibling = first;
            self.objects[p.0 as usize].first_child = id.0;
        }
    }

    fn unlink(&mut self, id: ObjectId, parent: Option<ObjectId>) {
        let Some(p) = parent else { return };
        let next = self.objects[id.0 as usize].next_sibling;
        if self.objects[p.0 as usize].first_child == id.0 {
            self.objects[p.0 as usize].first_child = next;
        } else {
            let mut at = self.objects[p.0 as usize].first_child;
            while at != ROOT {
                if self.objects[at as usize].next_sibling == id.0 {
                    self.objects[at as usize].next_sibling = next;
                    break;
                }
                at = self.objects[at as usize].next_sibling;
            }
        }
        self.objects[id.0 as usize].next_sibling = ROOT;
    }

    pub(super) fn get(&self, id: ObjectId) -> Result<&Object, NtStatus> {
        self.objects
            .get(id.0 as usize)
            .ok_or(NtStatus::ObjectNameNotFound)
    }

    fn key(parent: Option<ObjectId>, name: &str) -> (u32, Box<str>) {
        (
            parent.map_or(ROOT, |p| p.0),
            name.to_lowercase().into_boxed_str(),
        )
    }
}

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

    /// Creates an object as `caller`: the caller needs the create right on
    /// the parent (FILE_ADD_FILE, FILE_ADD_SUBDIRECTORY, KEY_CREATE_SUB_KEY
    /// or, for the object class, ADS_RIGHT_DS_CREATE_CHILD), and the new
    /// descriptor comes from [`crate::eval::inherit`] with the caller's effective
    /// token — the impersonated client's when impersonating.
    pub fn create_object(
        &mut self,
        caller: ThreadId,
        parent: Option<ObjectId>,
        name: &str,
        kind: ObjectKind,
        options: &CreateOptions,
    ) -> Result<ObjectId, NtStatus> {
        self.check_name(parent, name)?;
        let as_token = self.acting_token(caller)?;
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
            let d = self.check(as_token, psd, &req)?;
            self.require(d)?;
        }
        self.create_with(as_token, parent, name, kind, options)
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
    /// recording the granted access goes into the caller's process.
    pub fn open_object(
        &mut self,
        caller: ThreadId,
        object: ObjectId,
        desired: AccessMask,
        backup_intent: bool,
    ) -> Result<(Handle, AccessDecision), NtStatus> {
        let as_token = self.acting_token(caller)?;
        let kind = self.objects.get(object)?.kind;
        let mut request = AccessRequest::new(desired).for_kind(kind);
        request.backup_intent = backup_intent;
        self.open(caller, as_token, Target::Object(object), &request)
    }

    /// The full access check of `caller` against an object, without opening
    /// it (for `check` steps and explanations).
    pub fn check_object(
        &self,
        caller: ThreadId,
        object: ObjectId,
        request: &AccessRequest<'_>,
    ) -> Result<AccessDecision, NtStatus> {
        let as_token = self.acting_token(caller)?;
        let sd = self.objects.get(object)?.sd;
        self.check(as_token, sd, request)
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
    /// explanation.
    pub fn effective_access(
        &self,
        caller: ThreadId,
        object: ObjectId,
    ) -> Result<AccessDecision, NtStatus> {
        let as_token = self.effective_token(caller)?;
        let o = self.objects.get(object)?;
        let request = AccessRequest::new(AccessMask::MAXIMUM_ALLOWED).for_kind(o.kind);
        let t = &self.tokens[as_token.0 as usize].compiled;
        let mut trace = access::Trace::default();
        let mut d = access::check(
            &self.table,
            t,
            self.objects.descriptor(o.sd),
            &request,
            &mut trace,
        )
        .map_err(|e| e.status())?;
        d.trace = Some(trace);
        Ok(d)
    }

    /// "Who, among the world's tokens, may do `desired` to this object":
    /// each token with its decision (explained).
    pub fn who_can(
        &self,
        object: ObjectId,
        desired: AccessMask,
    ) -> Result<Vec<(TokenId, AccessDecision)>, NtStatus> {
        let o = self.objects.get(object)?;
        let request = AccessRequest::new(desired).for_kind(o.kind);
        let mut out = Vec::new();
        for (i, e) in self.tokens.iter().enumerate() {
            let mut trace = access::Trace::default();
            if let Ok(mut d) = access::check(
                &self.table,
                &e.compiled,
                self.objects.descriptor(o.sd),
                &request,
                &mut trace,
            ) {
                if d.is_granted() {
                    d.trace = Some(trace);
                    out.push((TokenId(i as u32), d));
                }
            }
        }
        Ok(out)
    }

    /// May `token` open each object with `desired`? Each distinct
    /// descriptor is checked once (descriptor sharing makes a whole-world
    /// audit cost per descriptor, not per object).
    pub fn audit(&self, token: TokenId, desired: AccessMask) -> Result<AuditSummary, NtStatus> {
        let t = &self
            .tokens
            .get(token.0 as usize)
            .ok_or(NtStatus::InvalidHandle)?
            .compiled;
        let mut cache: Vec<u8> = vec![0; self.objects.descriptors.len() * ObjectKind::ALL.len()];
        let mut summary = AuditSummary::default();
        for o in &self.objects.objects {
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
            if cache[slot] == 2 {
                summary.granted += 1;
            }
        }
        Ok(summary)
    }

    // ---------------------------------------------------------------
    // Security edits
    // ---------------------------------------------------------------

    /// GetSecurityInfo through a handle: READ_CONTROL for owner, group,
    /// DACL and label; ACCESS_SYSTEM_SECURITY for the SACL.
    pub fn get_security(
        &self,
        caller: ThreadId,
        h: Handle,
        info: SecurityInformation,
    ) -> Result<SecurityDescriptor, NtStatus> {
        let pid = self.thread(caller)?.process;
        let e = self.use_handle(pid, h, info.needed(false))?;
        let sd = self
            .objects
            .descriptor(self.descriptor_of(e.target)?)
            .descriptor();
        let mut out = SecurityDescriptor::new();
        if info.owner {
            out.owner = sd.owner;
        }
        if info.group {
            out.group = sd.group;
        }
        if info.dacl {
            out.dacl = sd.dacl.clone();
            out.control.set(
                Control::DACL_PRESENT,
                sd.control.contains(Control::DACL_PRESENT),
            );
            for bit in [Control::DACL_PROTECTED, Control::DACL_AUTO_INHERITED] {
                out.control.set(bit, sd.control.contains(bit));
            }
        }
        if info.sacl {
            out.sacl = sd.sacl.clone();
            out.control.set(
                Control::SACL_PRESENT,
                sd.control.contains(Control::SACL_PRESENT),
            );
        } else if info.label {
            if let Some(l) = sd.mandatory_label() {
                out.set_sacl(Acl::new(vec![l.clone()]));
            }
        }
        Ok(out)
    }

    /// SetSecurityInfo through a handle. WRITE_DAC for the DACL,
    /// WRITE_OWNER for owner, group and label, ACCESS_SYSTEM_SECURITY for
    /// the SACL. The owner must be the caller's user or an OWNER group, or
    /// the caller must hold SeRestorePrivilege (STATUS_INVALID_OWNER). A
    /// label above the caller's integrity needs SeRelabelPrivilege
    /// (STATUS_INVALID_LABEL). A new DACL on an auto-inheriting container
    /// is propagated to its children.
    pub fn set_security(
        &mut self,
        caller: ThreadId,
        h: Handle,
        info: SecurityInformation,
        new: &SecurityDescriptor,
    ) -> Result<(), NtStatus> {
        let pid = self.thread(caller)?.process;
        let e = self.use_handle(pid, h, info.needed(true))?;
        let as_token = self.effective_token(caller)?;
        let token = self.tokens[as_token.0 as usize].token.clone();
        let old_id = self.descriptor_of(e.target)?;
        let mut sd = self.objects.descriptor(old_id).descriptor().clone();
        if info.owner {
            let owner = new.owner.ok_or(NtStatus::InvalidOwner)?;
            let holds = token.can_own(&owner)
                && !token
                    .groups
                    .iter()
                    .any(|g| g.sid == owner && g.is_deny_only());
            if !holds && !token.has_privilege(Privilege::Restore) {
                return Err(NtStatus::InvalidOwner);
            }
            sd.owner = Some(owner);
        }
        if info.group {
            sd.group = Some(new.group.ok_or(NtStatus::InvalidPrimaryGroup)?);
        }
        if info.dacl {
            match &new.dacl {
                Some(acl) => sd.set_dacl(acl.clone()),
                None if new.control.contains(Control::DACL_PRESENT) => sd.set_null_dacl(),
                None => sd.clear_dacl(),
            }
            sd.control.set(
                Control::DACL_PROTECTED,
                new.control.contains(Control::DACL_PROTECTED),
            );
        }
        if info.sacl {
            match &new.sacl {
                Some(acl) => sd.set_sacl(acl.clone()),
                None => sd.clear_sacl(),
            }
        }
        if info.label && !info.sacl {
            let label = new.mandatory_label().cloned();
            if let Some(l) = &label {
                let level = IntegrityLevel::from_sid(&l.sid).unwrap_or(IntegrityLevel::MEDIUM);
                if level > token.integrity && !token.has_privilege(Privilege::Relabel) {
                    return Err(NtStatus::InvalidLabel);
                }
            }
            let mut acl = sd.sacl.take().unwrap_or_else(Acl::empty);
            acl.aces
                .retain(|a| a.ace_type != crate::descriptor::ace::AceType::SystemMandatoryLabel);
            if let Some(l) = label {
                acl.aces.insert(0, l);
            }
            acl.normalize();
            sd.set_sacl(acl);
        }
        let id = self.add_descriptor(sd);
        match e.target {
            Target::Object(o) => {
                self.objects.objects[o.0 as usize].sd = id;
                if info.dacl {
                    self.propagate(o)?;
                }
            }
            Target::Process(p) => self.processes[p.0 as usize].sd = id,
            Target::Thread(t) => self.threads[t.0 as usize].sd = id,
            Target::Token(t) => self.tokens[t.0 as usize].sd = id,
        }
        Ok(())
    }

    /// Re-propagates a container's inheritable ACEs to its descendants:
    /// each child keeps its explicit ACEs and takes its inherited ones
    /// afresh, unless its DACL is protected (auto-inheritance, as
    /// SetNamedSecurityInfo propagates).
    fn propagate(&mut self, object: ObjectId) -> Result<(), NtStatus> {
        let mut queue = vec![object];
        let mut steps = 0usize;
        while let Some(parent) = queue.pop() {
            steps += 1;
            if steps > self.objects.objects.len() + 1 {
                return Err(NtStatus::InvalidParameter);
            }
            let psd = self
                .objects
                .descriptor(self.objects.get(parent)?.sd)
                .descriptor()
                .clone();
            for child in self.children(parent) {
                let o = self.objects.get(child)?;
                let (kind, class) = (o.kind, o.class);
                let csd = self.objects.descriptor(o.sd).descriptor().clone();
                if csd.control.contains(Control::DACL_PROTECTED) {
                    continue;
                }
                // The child's explicit ACEs as the creator's, its owner and
                // group kept; the parent's inheritable ACEs re-inherited.
                let mut creator = csd.clone();
                if let Some(acl) = creator.dacl.as_mut() {
                    acl.aces.retain(|a| !a.flags.contains(AceFlags::INHERITED));
                    acl.normalize();
                }
                creator.control.set(Control::DACL_AUTO_INHERIT_REQ, true);
                creator.clear_sacl();
                let owner_token = crate::token::Token::new(
                    csd.owner.unwrap_or(crate::ids::sid::well_known::NULL),
                );
                let mut req =
                    InheritRequest::new(InheritApi::SeAssignSecurityEx, kind, &owner_token);
                req.parent = Some(&psd);
                req.creator = Some(&creator);
                req.object_class = class;
                req.flags = inherit::SefFlags(
                    inherit::SefFlags::DACL_AUTO_INHERIT.0
                        | inherit::SefFlags::AVOID_OWNER_CHECK.0
                        | inherit::SefFlags::AVOID_PRIVILEGE_CHECK.0,
                );
                let new = inherit::create_security_descriptor(&req).map_err(|e| e.status())?;
                let mut sd = csd.clone();
                sd.dacl = new.sd.dacl;
                sd.control.set(
                    Control::DACL_PRESENT,
                    new.sd.control.contains(Control::DACL_PRESENT),
                );
                sd.control.set(Control::DACL_AUTO_INHERITED, true);
                let id = self.add_descriptor(sd);
                self.objects.objects[child.0 as usize].sd = id;
                if kind.is_container() {
                    queue.push(child);
                }
            }
        }
        Ok(())
    }
}
