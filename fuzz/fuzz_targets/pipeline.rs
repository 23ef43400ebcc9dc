//! `cargo +nightly fuzz run pipeline`: libFuzzer's bytes become a hostile workspace (the
//! generator of the pipeline proptest, `tests/pipeline/generate.rs`), which then goes through
//! load, check, lint, compile, plan (with and without the embedded emulator), apply, every
//! renderer and the calendar. A panic anywhere is a finding.

#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/pipeline/drive.rs"]
mod drive;
#[path = "../../tests/pipeline/generate.rs"]
mod generate;

/// One runtime for the whole run: building one per input would dominate the time.
static RUNTIME: LazyLock<tokio::runtime::Runtime> = LazyLock::new(|| {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime")
});

fuzz_target!(|data: &[u8]| {
    drive::case(data, &RUNTIME);
});
