//! The exclusive lock on a state: an OS file lock on `state.json.lock`, plus who holds it.
//!
//! The OS lock is what excludes (it is released when the process dies, so a crash never
//! leaves a stale lock); the text inside the file only tells a waiting run whom it waited
//! for: pid, host, start time, command and, on CI, the run's URL. The PostgreSQL backend
//! tells the same text through its lock-holder row.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;
use std::time::{Duration, Instant};

use super::Error;
use super::file::io_error;

/// How often a waiting run tries the lock again.
const POLL: Duration = Duration::from_millis(50);

/// Takes the lock at `path`, waiting up to `timeout`, and writes the holder into it.
pub(crate) fn acquire(path: &Path, timeout: Duration, purpose: &str) -> Result<File, Error> {
    // No truncation on open: the file holds the current holder's description until we own it.
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
        .map_err(|source| io_error("open", path, source))?;
    // `None`: a timeout past what an `Instant` holds (`--lock-timeout 99999999999d`) waits on.
    let deadline = Instant::now().checked_add(timeout);
    loop {
        match file.try_lock() {
            Ok(()) => break,
            Err(std::fs::TryLockError::WouldBlock)
                if deadline.is_none_or(|d| Instant::now() < d) =>
            {
                std::thread::sleep(POLL);
            }
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(Error::Locked {
                    holder: holder_of(&mut file),
                });
            }
            Err(std::fs::TryLockError::Error(source)) => {
                return Err(io_error("lock", path, source));
            }
        }
    }
    write_holder(&mut file, purpose).map_err(|source| io_error("write", path, source))?;
    Ok(file)
}

fn write_holder(file: &mut File, purpose: &str) -> std::io::Result<()> {
    let env = |variable: &str| std::env::var(variable).ok();
    let holder = format!("{}\n", holder_text(purpose, chrono::Utc::now(), &env));
    file.set_len(0)?;
    file.seek(SeekFrom::Start(0))?;
    file.write_all(holder.as_bytes())?;
    file.flush()
}

/// Who holds a lock, for whoever waits on it: pid, host, since when, command, CI run.
pub(crate) fn holder_text(
    purpose: &str,
    since: chrono::DateTime<chrono::Utc>,
    env: &dyn Fn(&str) -> Option<String>,
) -> String {
    let mut text = format!(
        "pid {} on host `{}`, since {}, running `{purpose}`",
        std::process::id(),
        hostname(),
        since.format("%Y-%m-%d %H:%M:%S UTC"),
    );
    if let Some(url) = ci_run_url(env) {
        text.push_str(&format!(", CI run {url}"));
    }
    text
}

/// The URL of the CI run this process belongs to: GitHub Actions' run page, or GitLab's
/// job page.
pub(crate) fn ci_run_url(env: &dyn Fn(&str) -> Option<String>) -> Option<String> {
    let var = |name: &str| env(name).filter(|value| !value.is_empty());
    if let (Some(server), Some(repository), Some(run)) = (
        var("GITHUB_SERVER_URL"),
        var("GITHUB_REPOSITORY"),
        var("GITHUB_RUN_ID"),
    ) {
        return Some(format!("{server}/{repository}/actions/runs/{run}"));
    }
    var("CI_JOB_URL")
}

/// What the lock file says about its holder.
fn holder_of(file: &mut File) -> String {
    let mut text = String::new();
    let read = file
        .seek(SeekFrom::Start(0))
        .and_then(|_| file.read_to_string(&mut text));
    let text = text.trim();
    match read {
        // The holder may have taken the lock and not yet said who it is.
        Ok(_) if !text.is_empty() => text.to_owned(),
        _ => "another process that has not said who it is".to_owned(),
    }
}

/// This machine's name, as the kernel knows it.
pub(crate) fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .or_else(|_| std::fs::read_to_string("/etc/hostname"))
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .or_else(|| std::env::var("COMPUTERNAME").ok())
        .map(|name| name.trim().to_owned())
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| "unknown".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holder_text_names_the_github_run_when_on_github_actions() {
        let env = |name: &str| match name {
            "GITHUB_SERVER_URL" => Some("https://github.com".to_owned()),
            "GITHUB_REPOSITORY" => Some("acme/pushes".to_owned()),
            "GITHUB_RUN_ID" => Some("42".to_owned()),
            _ => None,
        };
        let since = chrono::DateTime::from_timestamp(0, 0).unwrap_or_default();
        let text = holder_text("gtcamp apply", since, &env);
        assert!(
            text.ends_with(
                "since 1970-01-01 00:00:00 UTC, running `gtcamp apply`, CI run https://github.com/acme/pushes/actions/runs/42"
            ),
            "{text}"
        );
        assert!(text.starts_with(&format!("pid {} on host `", std::process::id())));
    }

    #[test]
    fn holder_text_names_no_run_off_ci() {
        let since = chrono::DateTime::from_timestamp(0, 0).unwrap_or_default();
        let text = holder_text("gtcamp plan", since, &|_| None);
        assert!(text.ends_with("running `gtcamp plan`"), "{text}");
    }
}
