//! Properties of the importers (issue 16, item 1 and "Bad input").
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use proptest::prelude::*;
use secctx::fixture::import::{self, ImportError, ImportFormat};

const CORP: &str = include_str!("data/corp.ldif");

/// Lines shaped like LDIF, broken ones among them, for the hostile-input
/// property.
fn ldif_line() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("dn: CN=a,DC=b".to_string()),
        Just("dn:: Q049YSxEQz1i".to_string()),
        Just(String::new()),
        Just("objectSid:: AQUAAAAAAAUVAAAAAQAAAAIAAAADAAAAUAQAAA==".to_string()),
        Just("objectClass: group".to_string()),
        Just("member: CN=a,DC=b".to_string()),
        Just("memberOf: CN=a,DC=b".to_string()),
        Just("nTSecurityDescriptor: O:BAD:(A;;GA;;;WD)".to_string()),
        Just("changetype: modify".to_string()),
        Just("version: 1".to_string()),
        Just("# comment".to_string()),
        "[ -~]{0,30}",
        " [ -~]{0,30}",
    ]
}

proptest! {
    #![proptest_config(common::cases(256))]

    /// Invariant: any LDIF-ish text is imported or refused with a line
    /// inside the text, never a panic (the house rule for hostile input).
    #[test]
    fn ldif_errors_point_inside_the_text(lines in proptest::collection::vec(ldif_line(), 0..20)) {
        let text = lines.join("\n");
        match import::read(ImportFormat::Ldif, text.as_bytes(), None) {
            Ok(_) => {}
            Err(ImportError::Line { line, .. }) => {
                prop_assert!(line >= 1 && line <= lines.len().max(1), "line {line} of {}", lines.len());
            }
            Err(e) => prop_assert!(false, "unexpected {e}"),
        }
    }

    /// Invariant: folding any line of a dump at any place (RFC 2849 note 2:
    /// a line break followed by one space) reads the same.
    #[test]
    fn folding_anywhere_reads_the_same(pick in any::<prop::sample::Index>(), at in any::<prop::sample::Index>()) {
        let lines: Vec<&str> = CORP.lines().collect();
        let candidates: Vec<usize> = (0..lines.len())
            .filter(|&i| lines[i].len() > 2 && !lines[i].starts_with('#') && !lines[i].starts_with(' '))
            .collect();
        let i = candidates[pick.index(candidates.len())];
        let line = lines[i];
        let cut = 1 + at.index(line.len() - 1);
        prop_assume!(line.is_char_boundary(cut));
        let mut folded: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
        folded[i] = format!("{}\n {}", &line[..cut], &line[cut..]);
        let a = import::read(ImportFormat::Ldif, CORP.as_bytes(), None).unwrap();
        let b = import::read(ImportFormat::Ldif, folded.join("\n").as_bytes(), None).unwrap();
        // Line numbers shift by the added line; nothing else may change.
        let objects = |i: &import::Import| -> Vec<_> {
            i.objects.iter().map(|o| (o.path.clone(), o.kind, o.class, o.sd.clone())).collect()
        };
        let accounts = |i: &import::Import| -> Vec<_> {
            i.accounts
                .iter()
                .map(|a| (a.name.clone(), a.sid, a.kind, a.dn.clone(), a.disabled, a.members.clone(), a.token.clone()))
                .collect()
        };
        prop_assert_eq!(objects(&a), objects(&b));
        prop_assert_eq!(accounts(&a), accounts(&b));
        prop_assert_eq!(a.warnings.len(), b.warnings.len());
    }
}
