//! One fixture: `Runner::run_str` never panics, and a valid fixture run
//! twice gives the same counts (and an invalid one fails twice alike).
#![no_main]

use libfuzzer_sys::fuzz_target;
use secctx::fixture::{Discard, Runner};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // Imports read files named by the input (any path, whole: issue 18);
    // the fuzzer keeps to the text it is given. A key spelled with escapes
    // is caught by refusing every `\u` escape.
    if text.contains("mports") || text.contains("\\u") {
        return;
    }
    let runner = Runner::new();
    let first = runner.run_str(text, "fuzz", &mut Discard);
    let second = runner.run_str(text, "fuzz", &mut Discard);
    match (first, second) {
        (Ok(a), Ok(b)) => assert_eq!(a, b, "the same fixture counted differently"),
        (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
        (a, b) => panic!("first run {a:?}, second {b:?}"),
    }
});
