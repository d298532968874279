//! The bundled fixtures as a course: an order to read them in, from what a
//! token is, through impersonation and its levels, to discretionary access
//! control and integrity, each with a one-line learning goal. `secctx
//! serve` opens on the first lesson.

/// One lesson: a bundled fixture, what a student should take from it, and
/// its text (compiled in, so the playground needs no files).
pub struct Lesson {
    /// The fixture's file name in `fixtures/`.
    pub file: &'static str,
    /// The learning goal, one line.
    pub goal: &'static str,
    /// The fixture's JSON text.
    pub text: &'static str,
}

macro_rules! lessons {
    ($($file:literal => $goal:literal,)*) => {
        /// The course, in order.
        pub const COURSE: &[Lesson] = &[
            $(Lesson { file: $file, goal: $goal, text: include_str!(concat!("../../../fixtures/", $file)) },)*
        ];
    };
}

lessons! {
    "19-whoami-all.json" => "What a token is: a user, groups with attributes, privileges and an integrity level.",
    "16-token-operations.json" => "Tokens are objects with their own security: open, duplicate, adjust, lower.",
    "22-copying-tokens.json" => "Copies of a token: duplicates, restricted copies, and who may make them.",
    "01-file-server-impersonation.json" => "Impersonation: a thread takes on its client's token for a while, then reverts.",
    "02-identification-level.json" => "Impersonation levels: at Identification a server may ask who you are, but not act as you.",
    "15-nested-impersonation.json" => "A thread's contexts form a stack: push, pop, revert.",
    "20-service-checks-membership.json" => "A service checks its client's groups and privileges before it acts.",
    "17-create-process-while-impersonating.json" => "A new process gets its creator's primary token, not the impersonation token.",
    "08-null-vs-empty-dacl.json" => "Discretionary access control: a null DACL grants everything, an empty one nothing.",
    "03-ace-order.json" => "ACEs are read top to bottom: the first to decide a right decides it.",
    "07-owner-rights.json" => "An owner may always read and change the DACL, unless OWNER RIGHTS says otherwise.",
    "12-maximum-allowed.json" => "MAXIMUM_ALLOWED asks what the DACL would grant, right by right.",
    "04-deny-only-groups.json" => "A deny-only group still denies, but never grants.",
    "05-restricted-token.json" => "A restricted token passes two checks; it gets only what both allow.",
    "21-uac-split-token.json" => "UAC: one administrator with a filtered token and a linked full one.",
    "10-backup-privilege.json" => "SeBackupPrivilege reads past the DACL, but only with backup intent.",
    "11-take-ownership.json" => "SeTakeOwnershipPrivilege lets an administrator take a file back.",
    "24-ntfs-opens-beyond-the-dacl.json" => "Opening a file is more than its DACL: the folder's rights and traverse checking.",
    "25-access-check-calls.json" => "The AccessCheck API refuses bad calls in a fixed order before it checks anything.",
    "09-inheritance-creator-owner.json" => "Inheritance: CREATOR OWNER becomes whoever creates the object.",
    "06-low-integrity.json" => "Mandatory integrity: a low-integrity process cannot write up.",
    "23-broker-hands-out-handles.json" => "A sandbox works through the handles its broker gives it.",
    "13-active-directory-object-aces.json" => "Directory objects: object ACEs and object-type lists.",
    "14-conditional-aces-and-claims.json" => "Dynamic Access Control: conditions on claims and resource attributes.",
    "18-imported-share.json" => "Checking a real share's ACLs, imported from icacls /save.",
}

#[cfg(test)]
mod tests {
    use super::COURSE;

    /// The course covers every bundled fixture exactly once, and each
    /// lesson has a goal.
    #[test]
    fn course_covers_every_bundled_fixture() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures");
        let mut files: Vec<String> = std::fs::read_dir(dir)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".json"))
            .collect();
        files.sort();
        let mut lessons: Vec<String> = COURSE.iter().map(|l| l.file.to_string()).collect();
        lessons.sort();
        assert_eq!(lessons, files);
        assert!(COURSE
            .iter()
            .all(|l| !l.goal.is_empty() && l.text.starts_with('{')));
    }
}
