//! The `gtcamp` binary: all the work is in the library; this only hands over the exit code.

fn main() -> std::process::ExitCode {
    gtcamp::cli::main()
}
