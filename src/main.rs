//! The `gtcamp` binary: all the work is in the library; this only turns how it ended into
//! the process's exit code.

#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

/// A plan of a big workspace allocates and frees millions of small strings (bindings, state
/// entries, YAML nodes); glibc's allocator spent a tenth of such a plan in `malloc` and
/// `free` and in consolidating its bins. mimalloc does the same work in a fraction of that.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    without_huge_pages();
    gtcamp::cli::main().into()
}

/// mimalloc asks the kernel for transparent huge pages, and the first touch of each one
/// zeroes 2 MiB at once. In a virtual machine (a CI runner, a cloud workstation) whose
/// host has taken back idle memory, that zeroing was a third of a fresh sandbox plan of a
/// million devices: 1.9 s of system time against 0.7 s with ordinary pages. A run of
/// gtcamp is short, so huge pages buy it little in return.
fn without_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE reads no memory; it sets a flag on this process only. It
    // is best effort: on a kernel without it the call fails and nothing changes.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}
