//! The exclusive lock on a state: an OS file lock on `state.json.lock`, plus who holds it.
//!
//! The OS lock is what excludes (it is released when the process dies, so a crash never
//! leaves a stale lock); the text inside the file only tells a waiting run whom it waited
//! for: pid, host, start time and command.

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
    let deadline = Instant::now() + timeout;
    loop {
        match file.try_lock() {
            Ok(()) => break,
            Err(std::fs::TryLockError::WouldBlock) if Instant::now() < deadline => {
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
    let holder = format!(
        "pid {} on host `{}`, since {}, running `{purpose}`\n",
        std::process::id(),
        hostname(),
        chrono::Utc::now().format("%Y-%m-%d %H:%M:%S UTC"),
    );
    file.set_len(0)?;
    file.seek(SeekFrom::Start(0))?;
    file.write_all(holder.as_bytes())?;
    file.flush()
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
fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .or_else(|_| std::fs::read_to_string("/etc/hostname"))
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .or_else(|| std::env::var("COMPUTERNAME").ok())
        .map(|name| name.trim().to_owned())
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| "unknown".to_owned())
}
