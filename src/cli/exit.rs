//! Exit codes: what scripts and CI may rely on, one variant each, as the table in
//! `docs/reference/cli.md` lists them. Commands return an [`ExitStatus`]; only `main` turns it
//! into a number.

/// How a command ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// 0: done. `validate` found no error, `plan --detailed-exitcode` no change, `apply`
    /// applied everything; `--help` and `--version` printed.
    Success,
    /// 1: an error. A command line gtcamp does not accept (clap's own code for it is 2, which
    /// would read as [`ExitStatus::Changes`]), `validate` found one, a run stopped on
    /// invalid input or an error, an `apply` operation failed, or a tracked task could not
    /// be checked on Getui (which fails `plan` even with `--detailed-exitcode`).
    Failure,
    /// 2: `plan --detailed-exitcode` found changes.
    Changes,
    /// 130 (128 + SIGINT): Ctrl-C stopped an `apply`; in-flight operations finished and the
    /// state was saved.
    Interrupted,
    /// 143 (128 + SIGTERM): SIGTERM, what CI systems send on cancel, stopped an `apply`,
    /// as Ctrl-C does.
    Terminated,
}

impl ExitStatus {
    /// The number the process exits with.
    pub const fn code(self) -> u8 {
        match self {
            ExitStatus::Success => 0,
            ExitStatus::Failure => 1,
            ExitStatus::Changes => 2,
            ExitStatus::Interrupted => 130,
            ExitStatus::Terminated => 143,
        }
    }
}

impl From<ExitStatus> for std::process::ExitCode {
    fn from(status: ExitStatus) -> std::process::ExitCode {
        std::process::ExitCode::from(status.code())
    }
}
