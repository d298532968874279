//! The object namespace's storage: objects in a tree (first-child and
//! next-sibling links, a name index) and each distinct descriptor stored once,
//! as NTFS's `$Secure` shares one copy among files.

use crate::descriptor::sd::SecurityDescriptor;
use crate::eval::access::{CompiledDescriptor, SidTable};
use crate::ids::guid::Guid;
use crate::ids::mask::ObjectKind;
use crate::ids::status::NtStatus;
use std::collections::hash_map::Entry;
use std::collections::HashMap;

/// A namespace object: an opaque id, valid only in the world that handed it
/// out.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord, serde::Serialize)]
pub struct ObjectId(pub(super) u32);

/// A stored descriptor, shared by every object that has it: an opaque id,
/// valid only in the world that handed it out.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord, serde::Serialize)]
pub struct DescriptorId(pub(super) u32);

pub(super) struct Object {
    pub(super) name: Box<str>,
    pub(super) parent: Option<ObjectId>,
    pub(super) kind: ObjectKind,
    pub(super) class: Option<Guid>,
    pub(super) sd: DescriptorId,
    /// The first child, or [`ROOT`] for none.
    pub(super) first_child: u32,
    /// The next sibling, or [`ROOT`] for none.
    pub(super) next_sibling: u32,
}

pub(super) struct Store {
    pub(super) descriptors: Vec<CompiledDescriptor>,
    /// Each stored descriptor, keyed by itself (not by its encoding, which
    /// fails for one too large to encode: issue 18, item 4).
    pub(super) by_descriptor: HashMap<SecurityDescriptor, DescriptorId>,
    pub(super) objects: Vec<Object>,
    /// (parent or u32::MAX for roots, lower-cased name) → object.
    pub(super) index: HashMap<(u32, Box<str>), ObjectId>,
}

pub(super) const ROOT: u32 = u32::MAX;

impl Store {
    pub(super) fn new() -> Store {
        Store {
            descriptors: Vec::new(),
            by_descriptor: HashMap::new(),
            objects: Vec::new(),
            index: HashMap::new(),
        }
    }

    /// Stores a descriptor once: equal descriptors share one id.
    pub(super) fn intern_descriptor(
        &mut self,
        table: &mut SidTable,
        sd: SecurityDescriptor,
    ) -> DescriptorId {
        // One hash of the descriptor, not one to look and one to insert.
        match self.by_descriptor.entry(sd) {
            Entry::Occupied(e) => *e.get(),
            Entry::Vacant(v) => {
                let id = DescriptorId(self.descriptors.len() as u32);
                self.descriptors.push(table.compile_descriptor(v.key()));
                v.insert(id);
                id
            }
        }
    }

    pub(super) fn descriptor(&self, id: DescriptorId) -> &CompiledDescriptor {
        &self.descriptors[id.0 as usize]
    }

    pub(super) fn link(&mut self, id: ObjectId, parent: Option<ObjectId>) {
        if let Some(p) = parent {
            let first = self.objects[p.0 as usize].first_child;
            self.objects[id.0 as usize].next_sibling = first;
            self.objects[p.0 as usize].first_child = id.0;
        }
    }

    pub(super) fn unlink(&mut self, id: ObjectId, parent: Option<ObjectId>) {
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

    pub(super) fn key(parent: Option<ObjectId>, name: &str) -> (u32, Box<str>) {
        (
            parent.map_or(ROOT, |p| p.0),
            name.to_lowercase().into_boxed_str(),
        )
    }
}
