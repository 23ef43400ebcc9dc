//! The `gtcamp` binary: all the work is in the library; this only turns how it ended into
//! the process's exit code.

#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

/// A plan of a big workspace allocates and frees millions of small strings (bindings, state
/// entries, YAML nodes); glibc's allocator spent a tenth of such a plan in `malloc` and
/// `free` and in consolidating its bins. mimalloc does the same work in a fraction of that.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    gtcamp::cli::main().into()
}
