//! The secctx manual: design notes, versioned with the code they describe.
//!
//! This module holds no code. Its pages are:
//!
//! - [`design`]: the decisions the code is built on, and why;
//! - [`fidelity`]: how secctx decides what Windows does, and what it does
//!   when the documentation and Windows disagree;
//! - [`fixtures`]: how a fixture is read and run, for authors of fixtures
//!   and of new operations.
//!
//! For the layers and what each module may import, see `ARCHITECTURE.md` at
//! the root of the repository.

pub mod design {
    //! # Design decisions
    //!
    //! ## A denial is data
    //!
    //! [`access_check`](crate::access_check) answers with an
    //! [`AccessDecision`](crate::AccessDecision): a status, the granted
    //! access, audit events and, when asked, a trace. A denial is one of
    //! its answers, not an error. `Err` is kept for input that cannot be
    //! checked at all: an invalid descriptor, or a request with generic
    //! bits left unmapped. The simulated machine follows the same rule: a
    //! call that Windows fails with an NTSTATUS returns that status, and a
    //! call that an access check denied fails with a
    //! [`CallError`](crate::CallError) that carries the decision beside the
    //! status, so the denial can still be explained.
    //!
    //! ## Two forms of each hot thing
    //!
    //! The model types ([`Token`](crate::Token),
    //! [`SecurityDescriptor`](crate::SecurityDescriptor)) are plain and
    //! readable, and serde-friendly where the JSON forms need it. Beside
    //! them the evaluator builds compiled forms once: SIDs interned to small
    //! integers, a token's SIDs as bit sets split into enabled, deny-only
    //! and restricting, and a descriptor's ACEs pre-resolved. A check over
    //! the compiled forms allocates nothing and does not grow with the
    //! token's group count.
    //!
    //! ## Descriptors are shared
    //!
    //! Real file systems hold few distinct descriptors (NTFS keeps each once
    //! in `$Secure`). The machine's object namespace stores each distinct
    //! descriptor once and refers to it by id, so a million objects cost a
    //! million small entries.
    //!
    //! ## The reference shares no rules
    //!
    //! The naive evaluator (`reference`) is written from MS-DTYP 2.5.3.2's
    //! pseudocode with its own matching, constants and conditional
    //! evaluation. It shares only the data types with the fast evaluator, so
    //! the property tests that compare them catch a bug in either.
    //!
    //! ## The explanation is an output
    //!
    //! Each stage of a check records what it did (privilege grants, the
    //! mandatory label, owner rights, each ACE that granted or denied bits,
    //! the restricted pass, conditional results) as structured data in a
    //! [`Trace`](crate::Trace), rendered as text for people and as JSON for
    //! tools. Recording is a type parameter: with tracing off the recorder
    //! is a zero-sized type and costs nothing.
    //!
    //! ## A step is a type
    //!
    //! A fixture operation is one struct in the
    //! [`Step`](crate::fixture::Step) enum, holding exactly its fields and
    //! one expectation type listing what it can be judged on. The parser and
    //! the runner follow from the type; nothing else lists which fields an
    //! operation takes.
}

pub mod fidelity {
    //! # Fidelity: what "as Windows does" means
    //!
    //! MS-DTYP and Microsoft's Win32 and NT documentation are the
    //! specification. Where Windows behaves differently from the text,
    //! secctx follows Windows and says so next to the rule, naming the
    //! evidence: a vector recorded on Windows, a test in Wine's advapi32
    //! suite (which runs on Windows), or a documented observation.
    //!
    //! The evidence used, in order of weight:
    //!
    //! 1. vectors recorded on real Windows (`../shared/conformance/`, read
    //!    by `tests/conformance.rs`; 7,393 SDDL records);
    //! 2. tests that peers run against Windows (Wine's `dlls/advapi32/tests`
    //!    and `dlls/ntdll/tests`);
    //! 3. the documentation (MS-DTYP, the Win32 and NT API pages);
    //! 4. the logic of peers' code (Samba's `libcli/security`, ReactOS'
    //!    `ntoskrnl/se`), read for facts, never copied.
    //!
    //! A rule that matches Windows "mostly" is a bug: each rule has a test
    //! that could fail, citing its source.
}

pub mod fixtures {
    //! # How a fixture is read and run
    //!
    //! A fixture is one JSON object: a world (principals, GUIDs, tokens,
    //! processes, imports, objects) and a story (`steps`). Its sections and
    //! each step's fields may come in any order:
    //!
    //! - when `steps` comes after the world, each step is read, run,
    //!   reported and dropped before the next is read (constant memory);
    //! - when `steps` comes earlier (keys sorted by `jq -S`), a first pass
    //!   over the top-level keys finds out, and the steps are kept as JSON
    //!   text until the world is complete;
    //! - within a step, `op` usually comes first and the step is read
    //!   straight into its struct; otherwise its fields are buffered until
    //!   `op` is known.
    //!
    //! Every error names its JSON path (`steps[3].expect.status`). A name
    //! that does not resolve (an unknown thread or object) is an error of
    //! the fixture; a call that Windows would fail is a status in the
    //! report.
    //!
    //! ## Adding an operation
    //!
    //! 1. Write its struct in the family file under `src/fixture/step/`,
    //!    with `note`, its own fields, and `expect` of the expectation type
    //!    that lists what it reports.
    //! 2. Give it a `run` that resolves names through the step context,
    //!    calls the [`World`](crate::World) method, and records the outcome.
    //! 3. Add one line to the `operations!` list in `step/mod.rs`.
}
