//! `secctx import`: real Windows ACL dumps as a fixture's objects.

use crate::cli::{self, Outcome, Stop};
use lexopt::{Arg, Parser};
use secctx::fixture::import::{self, ImportFormat};
use serde_json::{json, Map, Value};
use std::io::{self, Write};
use std::process::ExitCode;

/// What `secctx import --help` shows.
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

/// Runs `secctx import` with the arguments left in `p`.
pub fn run(p: &mut Parser) -> Outcome {
    let mut under = None;
    let mut domain = None;
    let mut name = None;
    let mut pos = Vec::new();
    while let Some(arg) = cli::next(p)? {
        match arg {
            Arg::Long("under") => under = Some(cli::value(p, "a path such as C:\\data")?),
            Arg::Long("domain-sid") => domain = Some(cli::domain_sid(p)?),
            Arg::Long("name") => name = Some(cli::value(p, "the fixture's name")?),
            Arg::Value(v) => pos.push(cli::text(v)?),
            a => return Err(cli::unexpected(a)),
        }
    }
    let [format, file] = pos.as_slice() else {
        return Err(Stop::Usage("import needs a FORMAT and a FILE".into()));
    };
    let format = ImportFormat::from_name(format).map_err(|e| Stop::Usage(e.to_string()))?;
    let under: Vec<String> = under
        .as_deref()
        .map(|u| {
            u.split(['\\', '/'])
                .filter(|p| !p.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    let bytes = import::read_file(std::path::Path::new(file)).map_err(Stop::Input)?;
    let list = import::read(format, &bytes, domain.as_ref())
        .and_then(|l| import::complete(l, &under))
        .map_err(|e| Stop::Input(format!("{file}: {e}")))?;
    let mut objects = Map::new();
    for o in &list {
        let sddl =
            o.sd.to_sddl(domain.as_ref())
                .map_err(|e| Stop::Input(format!("{file}: `{}`: {e}", o.path.join("\\"))))?;
        let mut entry = Map::new();
        entry.insert("type".into(), Value::String(o.kind.name().into()));
        entry.insert("sd".into(), Value::String(sddl));
        if let Some(c) = o.class {
            entry.insert("class".into(), Value::String(c.to_string()));
        }
        objects.insert(o.path.join("\\"), Value::Object(entry));
    }
    let name = name.unwrap_or_else(|| format!("imported from {file}"));
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
    let mut out = io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, &Value::Object(fixture)).map_err(io::Error::from)?;
    writeln!(out)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
