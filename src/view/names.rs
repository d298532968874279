//! Names beside SIDs in the pictures: the fixture's own principal names
//! first, then the account names Windows shows for well-known SIDs.
//!
//! The well-known names are those of Microsoft Learn, "Well-known SIDs"
//! (learn.microsoft.com/windows/win32/secauthz/well-known-sids) and
//! "Well-known security identifiers in Windows operating systems"
//! (learn.microsoft.com/windows-server/identity/ad-ds/manage/understand-security-identifiers).
//! They are for display only; no rule depends on them.

use crate::fixture::Stage;
use crate::Sid;

/// The account name Windows shows for a well-known SID, by its string form.
fn well_known(sid: &str) -> Option<&'static str> {
    Some(match sid {
        "S-1-0-0" => "NULL SID",
        "S-1-1-0" => "Everyone",
        "S-1-2-0" => "LOCAL",
        "S-1-3-0" => "CREATOR OWNER",
        "S-1-3-1" => "CREATOR GROUP",
        "S-1-3-4" => "OWNER RIGHTS",
        "S-1-5-2" => "NT AUTHORITY\\NETWORK",
        "S-1-5-4" => "NT AUTHORITY\\INTERACTIVE",
        "S-1-5-6" => "NT AUTHORITY\\SERVICE",
        "S-1-5-7" => "NT AUTHORITY\\ANONYMOUS LOGON",
        "S-1-5-9" => "NT AUTHORITY\\ENTERPRISE DOMAIN CONTROLLERS",
        "S-1-5-10" => "NT AUTHORITY\\SELF",
        "S-1-5-11" => "NT AUTHORITY\\Authenticated Users",
        "S-1-5-12" => "NT AUTHORITY\\RESTRICTED",
        "S-1-5-18" => "NT AUTHORITY\\SYSTEM",
        "S-1-5-19" => "NT AUTHORITY\\LOCAL SERVICE",
        "S-1-5-20" => "NT AUTHORITY\\NETWORK SERVICE",
        "S-1-5-32-544" => "BUILTIN\\Administrators",
        "S-1-5-32-545" => "BUILTIN\\Users",
        "S-1-5-32-546" => "BUILTIN\\Guests",
        "S-1-5-32-547" => "BUILTIN\\Power Users",
        "S-1-5-32-551" => "BUILTIN\\Backup Operators",
        "S-1-15-2-1" => "ALL APPLICATION PACKAGES",
        "S-1-16-0" => "Mandatory Label\\Untrusted Mandatory Level",
        "S-1-16-4096" => "Mandatory Label\\Low Mandatory Level",
        "S-1-16-8192" => "Mandatory Label\\Medium Mandatory Level",
        "S-1-16-8448" => "Mandatory Label\\Medium Plus Mandatory Level",
        "S-1-16-12288" => "Mandatory Label\\High Mandatory Level",
        "S-1-16-16384" => "Mandatory Label\\System Mandatory Level",
        "S-1-16-20480" => "Mandatory Label\\Protected Process Mandatory Level",
        _ => return None,
    })
}

/// The name of a domain-relative well-known RID (Domain Admins, …).
fn domain_relative(sid: &Sid) -> Option<&'static str> {
    let subs = sid.sub_authorities();
    if subs.len() != 5 || subs[0] != 21 || sid.authority() != 5 {
        return None;
    }
    Some(match sid.rid()? {
        500 => "Administrator",
        501 => "Guest",
        512 => "Domain Admins",
        513 => "Domain Users",
        514 => "Domain Guests",
        515 => "Domain Computers",
        516 => "Domain Controllers",
        _ => return None,
    })
}

/// A name for `sid`, if there is one: the fixture's principal name, else
/// the well-known account name.
pub fn name_of(sid: &Sid, stage: Option<&Stage>) -> Option<String> {
    if let Some(n) = stage.and_then(|s| s.sid_names.get(sid)) {
        return Some(n.clone());
    }
    let text = sid.to_string();
    well_known(&text)
        .or_else(|| domain_relative(sid))
        .map(str::to_string)
}

/// `sid` as people read it: its name, else its string form.
pub fn display(sid: &Sid, stage: Option<&Stage>) -> String {
    name_of(sid, stage).unwrap_or_else(|| sid.to_string())
}

/// `text` with a name after each SID in it that has one:
/// `owner S-1-5-32-544` becomes `owner S-1-5-32-544 (BUILTIN\Administrators)`.
pub fn annotate(text: &str, stage: Option<&Stage>) -> String {
    let mut out = String::with_capacity(text.len() + 32);
    let mut rest = text;
    while let Some(at) = rest.find("S-1-") {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        let len = tail
            .find(|c: char| !(c.is_ascii_digit() || c == '-' || c == 'S'))
            .unwrap_or(tail.len());
        let candidate = tail[..len].trim_end_matches('-');
        out.push_str(candidate);
        if let Ok(sid) = Sid::parse_sddl(candidate, None) {
            if let Some(n) = name_of(&sid, stage) {
                out.push_str(&format!(" ({n})"));
            }
        }
        rest = &tail[candidate.len()..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Well-known SIDs get the names Windows shows (Microsoft Learn,
    /// "Well-known SIDs"); unknown ones are left as they are.
    #[test]
    fn annotates_well_known_sids() {
        assert_eq!(
            annotate("owner S-1-5-32-544: not held", None),
            "owner S-1-5-32-544 (BUILTIN\\Administrators): not held"
        );
        assert_eq!(
            annotate("token S-1-16-8192 vs S-1-16-4096", None),
            "token S-1-16-8192 (Mandatory Label\\Medium Mandatory Level) vs \
             S-1-16-4096 (Mandatory Label\\Low Mandatory Level)"
        );
        assert_eq!(
            annotate("S-1-5-21-9-9-9-1234 x", None),
            "S-1-5-21-9-9-9-1234 x"
        );
        assert_eq!(
            annotate("S-1-5-21-9-9-9-512", None),
            "S-1-5-21-9-9-9-512 (Domain Admins)"
        );
        assert_eq!(annotate("no sid here", None), "no sid here");
    }
}
