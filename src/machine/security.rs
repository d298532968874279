//! Getting and setting an object's security through a handle
//! (GetSecurityInfo, SetSecurityInfo with `SECURITY_INFORMATION`, MS-DTYP
//! 2.4.7), and propagating inheritable ACEs to the subtree after a change.

use super::store::ObjectId;
use super::world::{Handle, HandleType, SecurityInformation, Target, ThreadId, World};
use crate::descriptor::ace::{AceFlags, AceType};
use crate::descriptor::acl::Acl;
use crate::descriptor::sd::{Control, SecurityDescriptor};
use crate::eval::inherit::{self, InheritApi, InheritRequest};
use crate::ids::privilege::Privilege;
use crate::ids::status::NtStatus;
use crate::token::IntegrityLevel;

impl World {
    /// GetSecurityInfo and GetKernelObjectSecurity through a handle of any
    /// type, pseudo handles included (Wine `test_pseudo_handle_security`):
    /// READ_CONTROL for owner, group, DACL and label;
    /// ACCESS_SYSTEM_SECURITY for the SACL (the SECURITY_INFORMATION page
    /// of the IFS docs). Each part comes with its control bits: the
    /// `*_DEFAULTED` bit of the owner, group, DACL or SACL, the DACL's and
    /// SACL's protected and auto-inherited bits. A label query returns the
    /// label ACEs alone in a present SACL, nothing when the object has no
    /// label (Wine `test_AddMandatoryAce`, `check_token_label`).
    pub fn get_security(
        &self,
        caller: ThreadId,
        h: Handle,
        info: SecurityInformation,
    ) -> Result<SecurityDescriptor, NtStatus> {
        let target = self.reference_handle(caller, h, HandleType::Any, info.needed(false))?;
        let sd = self
            .objects
            .descriptor(self.descriptor_of(target)?)
            .descriptor();
        let mut out = SecurityDescriptor::new();
        let copy = |out: &mut SecurityDescriptor, bits: &[Control]| {
            for bit in bits {
                out.control.set(*bit, sd.control.contains(*bit));
            }
        };
        if info.owner {
            out.owner = sd.owner;
            copy(&mut out, &[Control::OWNER_DEFAULTED]);
        }
        if info.group {
            out.group = sd.group;
            copy(&mut out, &[Control::GROUP_DEFAULTED]);
        }
        if info.dacl {
            out.dacl = sd.dacl.clone();
            copy(
                &mut out,
                &[
                    Control::DACL_PRESENT,
                    Control::DACL_DEFAULTED,
                    Control::DACL_PROTECTED,
                    Control::DACL_AUTO_INHERITED,
                ],
            );
        }
        let sacl_bits = [
            Control::SACL_DEFAULTED,
            Control::SACL_PROTECTED,
            Control::SACL_AUTO_INHERITED,
        ];
        if info.sacl {
            out.sacl = sd.sacl.clone();
            copy(&mut out, &[Control::SACL_PRESENT]);
            copy(&mut out, &sacl_bits);
        } else if info.label {
            let labels: Vec<_> = sd
                .sacl_aces_of(AceType::SystemMandatoryLabel)
                .cloned()
                .collect();
            if !labels.is_empty() {
                out.set_sacl(Acl::new(labels));
                copy(&mut out, &sacl_bits);
            }
        }
        Ok(out)
    }

    /// SetSecurityInfo and SetKernelObjectSecurity through a handle of any
    /// type, pseudo handles included. WRITE_DAC for the DACL, WRITE_OWNER
    /// for owner, group and label, ACCESS_SYSTEM_SECURITY for the SACL
    /// (the SECURITY_INFORMATION page of the IFS docs; Wine
    /// `test_process_security`: SACL without it is access denied).
    ///
    /// - The owner must be the caller's user or an OWNER group, or the
    ///   caller must hold SeRestorePrivilege (STATUS_INVALID_OWNER; the
    ///   rule research note item 7 prefers). Owner or group asked for but
    ///   absent from `new` is STATUS_INVALID_SECURITY_DESCR (Wine
    ///   `test_process_security`).
    /// - A label above the caller's integrity needs SeRelabelPrivilege
    ///   (STATUS_INVALID_LABEL). Every label ACE given is stored, other
    ///   ACEs of a label set are dropped, and a label set without one
    ///   removes the label (Wine `test_AddMandatoryAce`).
    /// - On a token, a label set succeeds and changes nothing but clearing
    ///   SE_SACL_AUTO_INHERITED (Wine `test_token_label`, run on Windows).
    /// - A new DACL on an auto-inheriting container is propagated to its
    ///   children.
    pub fn set_security(
        &mut self,
        caller: ThreadId,
        h: Handle,
        info: SecurityInformation,
        new: &SecurityDescriptor,
    ) -> Result<(), NtStatus> {
        let target = self.reference_handle(caller, h, HandleType::Any, info.needed(true))?;
        let as_token = self.effective_token(caller)?;
        let token = self.tokens[as_token.0 as usize].token.clone();
        let old_id = self.descriptor_of(target)?;
        let mut sd = self.objects.descriptor(old_id).descriptor().clone();
        if info.owner {
            let owner = new.owner.ok_or(NtStatus::InvalidSecurityDescr)?;
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
            sd.group = Some(new.group.ok_or(NtStatus::InvalidSecurityDescr)?);
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
            let labels: Vec<_> = new
                .sacl_aces_of(AceType::SystemMandatoryLabel)
                .cloned()
                .collect();
            for l in &labels {
                let level = IntegrityLevel::from_sid(&l.sid).unwrap_or(IntegrityLevel::MEDIUM);
                if level > token.integrity && !token.has_privilege(Privilege::Relabel) {
                    return Err(NtStatus::InvalidLabel);
                }
            }
            if matches!(target, Target::Token(_)) {
                sd.control.set(Control::SACL_AUTO_INHERITED, false);
            } else {
                let mut acl = sd.sacl.take().unwrap_or_else(Acl::empty);
                acl.aces
                    .retain(|a| a.ace_type != AceType::SystemMandatoryLabel);
                for (i, l) in labels.into_iter().enumerate() {
                    acl.aces.insert(i, l);
                }
                acl.normalize();
                sd.set_sacl(acl);
            }
        }
        let id = self.add_descriptor(sd);
        match target {
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

    /// The whole descriptor of what a handle refers to (a namespace object,
    /// a process, a thread or a token), without any access check: for
    /// reports and tests.
    pub fn security_descriptor(&self, target: Target) -> Result<&SecurityDescriptor, NtStatus> {
        Ok(self
            .objects
            .descriptor(self.descriptor_of(target)?)
            .descriptor())
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
