//! `secctx import`: real Windows ACL dumps as a fixture's objects.

use crate::cli::{self, Outcome, Stop};
use lexopt::{Arg, Parser};
use secctx::fixture::import::{self, ImportFormat};
use secctx::{Token, TokenType};
use serde_json::{json, Map, Value};
use std::io::{self, Write};
use std::process::ExitCode;

/// What `secctx import --help` shows.
pub const HELP: &str = "\
secctx import FORMAT FILE [--under PATH] [--domain-sid SID] [--name NAME]

Reads Windows ACL output and prints a fixture (JSON) whose `objects` hold
it, with `principals` and `tokens` when the dump names accounts:

  icacls    `icacls DIR /save FILE /t` output (the DACL only: icacls does
            not save owners). An entry with children is a directory; the
            kind of the others is guessed, and the description says so.
  ldif      an LDAP dump (RFC 2849), e.g. from ldapsearch or ldifde.
            Records with nTSecurityDescriptor become objects; objectSid,
            sAMAccountName, objectClass, member, memberOf, primaryGroupID,
            sIDHistory, userAccountControl and groupType make principals,
            groups, and for each user account the token of a network
            logon to a domain member. Other attributes are skipped;
            `attr:< URL` values and change records are skipped with a
            warning.
  get-acl   PowerShell Get-Acl output: `Format-List` text, ConvertTo-Json
            output, or bare SDDL lines; Owner, Group and the access rules'
            identities name the descriptor's SIDs.

Files may be UTF-8 (with or without a BOM) or UTF-16 with a BOM.
Malformed input is an error naming the line. What is skipped or assumed (a
missing parent, a DN listed twice, a group membership cycle, ...) is a
warning on stderr. Parents the listing leaves out are added with a
placeholder descriptor (SYSTEM and Administrators full control). A fixture
can also read such a file directly with an `imports` entry.";

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
    let mut read = import::read(format, &bytes, domain.as_ref())
        .map_err(|e| Stop::Input(format!("{file}: {e}")))?;
    let list = import::complete(
        std::mem::take(&mut read.objects),
        &under,
        &mut read.warnings,
    );
    let mut objects = Map::new();
    let mut guessed = Vec::new();
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
        if o.kind_guessed {
            guessed.push(o.path.join("\\"));
        }
        objects.insert(o.path.join("\\"), Value::Object(entry));
    }
    let mut principals = Map::new();
    let mut tokens = Map::new();
    let mut disabled = Vec::new();
    for a in &read.accounts {
        if principals.contains_key(&a.name) {
            continue;
        }
        principals.insert(a.name.clone(), Value::String(a.sid.to_string()));
        if let Some(t) = &a.token {
            tokens.insert(a.name.clone(), token_json(t));
            if a.disabled {
                disabled.push(a.name.clone());
            }
        }
    }
    let name = name.unwrap_or_else(|| format!("imported from {file}"));
    let mut description = format!(
        "{} objects and {} accounts read from `{file}`.",
        list.iter().filter(|o| o.line > 0).count(),
        read.accounts.len()
    );
    if !tokens.is_empty() {
        description.push_str(&format!(
            " Each of the {} user accounts has the token of a network logon to a domain member (transitive security groups with their PAC attributes, primary group, SID history, Everyone, BUILTIN\\Users, NETWORK, Authenticated Users, This Organization, Authentication authority asserted identity; BUILTIN\\Administrators and High integrity for Domain Admins).",
            tokens.len()
        ));
    }
    if !disabled.is_empty() {
        description.push_str(&format!(
            " Disabled accounts (UF_ACCOUNTDISABLE; Windows refuses their logon, their tokens show what they would get): {}.",
            shorten(&disabled)
        ));
    }
    if !guessed.is_empty() {
        description.push_str(&format!(
            " Kind guessed (no children in the dump: a directory when its DACL has inheritable ACEs, else a file): {}.",
            shorten(&guessed)
        ));
    }
    if tokens.is_empty() {
        description.push_str(" Add tokens and steps to ask who may do what.");
    }
    let mut err = io::stderr().lock();
    for w in &read.warnings {
        writeln!(err, "warning: {file}: {w}")?;
    }
    let mut fixture = Map::new();
    fixture.insert("name".into(), Value::String(name));
    fixture.insert("description".into(), Value::String(description));
    if let Some(d) = domain {
        fixture.insert("domain_sid".into(), Value::String(d.to_string()));
    }
    if !principals.is_empty() {
        fixture.insert("principals".into(), Value::Object(principals));
    }
    if !tokens.is_empty() {
        fixture.insert("tokens".into(), Value::Object(tokens));
    }
    fixture.insert("objects".into(), Value::Object(objects));
    fixture.insert("steps".into(), json!([]));
    let mut out = io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, &Value::Object(fixture)).map_err(io::Error::from)?;
    writeln!(out)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// The first 20 of `names`, and how many more.
fn shorten(names: &[String]) -> String {
    let mut s = names
        .iter()
        .take(20)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > 20 {
        s.push_str(&format!(" and {} more", names.len() - 20));
    }
    s
}

/// A token in the fixture's `tokens` form: the fields a network-logon
/// token sets (user, groups with attributes, primary group, integrity,
/// privileges, type and level).
fn token_json(t: &Token) -> Value {
    let groups: Vec<Value> = t
        .groups
        .iter()
        .map(|g| json!({"sid": g.sid.to_string(), "attributes": format!("0x{:x}", g.attributes.0)}))
        .collect();
    let privileges: Vec<Value> = t
        .privileges
        .iter()
        .map(|p| Value::String(p.privilege.name().to_string()))
        .collect();
    json!({
        "user": t.user.sid.to_string(),
        "groups": groups,
        "primary_group": t.primary_group.as_ref().map(ToString::to_string),
        "integrity": t.integrity.name(),
        "privileges": privileges,
        "type": if t.token_type == TokenType::Impersonation { "impersonation" } else { "primary" },
        "impersonation_level": "impersonation",
    })
}
