//! `secctx import`: real Windows ACL dumps as a fixture's objects.

use crate::args::Args;
use secctx::fixture::import::{self, ImportFormat};
use secctx::Sid;
use serde_json::{json, Map, Value};
use std::process::ExitCode;

pub const HELP: &str = "\
secctx import FORMAT FILE [--under PATH] [--domain-sid SID] [--name NAME]

Reads Windows ACL output and prints a fixture (JSON) whose `objects` hold
it, ready for tokens and steps to be added:

  icacls    `icacls DIR /save FILE /t` output (UTF-16LE with a BOM; the
            DACL only: icacls does not save owners)
  ldif      an LDAP dump with `dn:` and `nTSecurityDescriptor::` (base64)
            or hex values, e.g. from ldapsearch or ldifde
  get-acl   PowerShell Get-Acl output: `Format-List` text, ConvertTo-Json
            output, or bare SDDL lines

Parents the listing leaves out are added with a placeholder descriptor
(SYSTEM and Administrators full control). A fixture can also read such a
file directly with an `imports` entry.";

pub fn run(args: &[String]) -> ExitCode {
    let mut a = Args::new(args);
    let mut vals = Vec::new();
    for n in ["--under", "--domain-sid", "--name"] {
        match a.value(n) {
            Ok(v) => vals.push(v),
            Err(e) => return crate::usage_error(&e),
        }
    }
    let pos = a.positionals();
    if let Err(e) = a.finish() {
        return crate::usage_error(&e);
    }
    let [format, file] = pos.as_slice() else {
        return crate::usage_error("import needs a FORMAT and a FILE");
    };
    let format = match ImportFormat::from_name(format) {
        Ok(f) => f,
        Err(e) => return crate::usage_error(&e.to_string()),
    };
    let under: Vec<String> = vals[0]
        .as_deref()
        .map(|u| {
            u.split(['\\', '/'])
                .filter(|p| !p.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    let domain = match vals[1].as_deref().map(|d| Sid::parse_sddl(d, None)) {
        None => None,
        Some(Ok(s)) => Some(s),
        Some(Err(e)) => return crate::usage_error(&format!("--domain-sid: {e}")),
    };
    let bytes = match std::fs::read(file) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("secctx import: cannot read `{file}`: {e}");
            return ExitCode::from(2);
        }
    };
    let list = match import::read(format, &bytes, domain.as_ref())
        .and_then(|l| import::complete(l, &under))
    {
        Ok(l) => l,
        Err(e) => {
            eprintln!("secctx import: {file}: {e}");
            return ExitCode::from(2);
        }
    };
    let mut objects = Map::new();
    for o in &list {
        let sddl = match o.sd.to_sddl(domain.as_ref()) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("secctx import: {file}: `{}`: {e}", o.path.join("\\"));
                return ExitCode::from(2);
            }
        };
        let mut entry = Map::new();
        entry.insert("type".into(), Value::String(o.kind.name().into()));
        entry.insert("sd".into(), Value::String(sddl));
        if let Some(c) = o.class {
            entry.insert("class".into(), Value::String(c.to_string()));
        }
        objects.insert(o.path.join("\\"), Value::Object(entry));
    }
    let name = vals[2]
        .clone()
        .unwrap_or_else(|| format!("imported from {file}"));
    let mut fixture = Map::new();
    fixture.insert("name".into(), Value::String(name));
    fixture.insert(
        "description".into(),
        Value::String(format!(
            "{} objects read from `{file}`. Add tokens and steps to ask who may do what.",
            list.iter().filter(|o| o.line > 0).count()
        )),
    );
    if let Some(d) = domain {
        fixture.insert("domain_sid".into(), Value::String(d.to_string()));
    }
    fixture.insert("objects".into(), Value::Object(objects));
    fixture.insert("steps".into(), json!([]));
    match serde_json::to_string_pretty(&Value::Object(fixture)) {
        Ok(s) => {
            println!("{s}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("secctx import: {e}");
            ExitCode::from(2)
        }
    }
}
