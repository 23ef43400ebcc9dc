//! Reading and writing the state document: version check on read, atomic replace on write.
//!
//! A crash while writing must leave either the old state or the new one, never half of
//! each: the new text goes to a temporary file in the same folder, is flushed to disk,
//! renamed over the old one, and the folder itself is flushed so the rename survives.

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::{Error, FORMAT_VERSION, State};

/// Only the field that says whether the rest can be read.
#[derive(Deserialize)]
struct VersionProbe {
    format_version: u32,
}

/// Reads the state at `path`, or `None` when there is no file yet.
pub(crate) fn read(path: &Path) -> Result<Option<State>, Error> {
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(source) => return Err(io_error("read", path, source)),
    };
    parse(path, &bytes).map(Some)
}

/// Parses a state document, refusing one written by a newer format.
pub(crate) fn parse(path: &Path, bytes: &[u8]) -> Result<State, Error> {
    let too_new = |found: u32| Error::TooNew {
        path: path.to_path_buf(),
        found,
        supported: FORMAT_VERSION,
    };
    // One parse in the usual case: a state of a million bindings takes a while to read.
    match serde_json::from_slice::<State>(bytes) {
        Ok(state) if state.format_version > FORMAT_VERSION => Err(too_new(state.format_version)),
        Ok(state) => Ok(state),
        Err(error) => match serde_json::from_slice::<VersionProbe>(bytes) {
            Ok(probe) if probe.format_version > FORMAT_VERSION => {
                Err(too_new(probe.format_version))
            }
            _ => Err(Error::Corrupt {
                path: path.to_path_buf(),
                reason: error.to_string(),
            }),
        },
    }
}

/// A state nobody wrote yet: a fresh lineage, serial 0.
pub(crate) fn fresh() -> State {
    State {
        format_version: FORMAT_VERSION,
        lineage: uuid::Uuid::new_v4().to_string(),
        serial: 0,
        target: None,
        app_id: None,
        tasks: Default::default(),
        bindings: Default::default(),
        fired: Default::default(),
        history: Vec::new(),
        pushes_made: None,
        renamed: Default::default(),
        protected: Default::default(),
    }
}

/// Writes `state` over `path` atomically.
pub(crate) fn write(path: &Path, state: &State) -> Result<(), Error> {
    replace_with(path, |out| {
        // Compact: a pretty state of a million bindings is a third whitespace, all of it read
        // back by every plan.
        serde_json::to_writer(&mut *out, state).map_err(io::Error::other)?;
        out.write_all(b"\n")
    })
}

/// Replaces the file at `path` with `bytes`: temp file, fsync, rename, fsync the folder.
pub(crate) fn replace(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    replace_with(path, |out| out.write_all(bytes))
}

/// Replaces the file at `path` with what `fill` writes, atomically.
fn replace_with(
    path: &Path,
    fill: impl FnOnce(&mut BufWriter<File>) -> io::Result<()>,
) -> Result<(), Error> {
    let temp = temp_path(path);
    let written = write_synced(&temp, fill).map_err(|source| io_error("write", &temp, source));
    if let Err(error) = written {
        let _ = fs::remove_file(&temp);
        return Err(error);
    }
    if let Err(source) = fs::rename(&temp, path) {
        let _ = fs::remove_file(&temp);
        return Err(io_error("replace", path, source));
    }
    sync_folder(path)
}

fn write_synced(
    temp: &Path,
    fill: impl FnOnce(&mut BufWriter<File>) -> io::Result<()>,
) -> io::Result<()> {
    let mut out = BufWriter::new(File::create(temp)?);
    fill(&mut out)?;
    let file = out.into_inner().map_err(|error| error.into_error())?;
    file.sync_all()
}

/// Flushes the folder holding `path`, so that a rename or a new file in it is durable.
pub(crate) fn sync_folder(path: &Path) -> Result<(), Error> {
    let folder = folder_of(path);
    // Opening a folder read-only and calling fsync on it is how Unix makes a rename
    // durable; other systems do not allow it, and there the rename is what we have.
    if cfg!(unix) {
        let handle = File::open(&folder).map_err(|source| io_error("open", &folder, source))?;
        handle
            .sync_all()
            .map_err(|source| io_error("flush", &folder, source))?;
    }
    Ok(())
}

/// The folder holding `path` (`.` for a bare file name).
pub(crate) fn folder_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// `.state.json.tmp` beside `state.json`; only the lock holder writes it, so one name is enough.
pub(crate) fn temp_path(path: &Path) -> PathBuf {
    sibling(path, |name| format!(".{name}.tmp"))
}

/// A file beside `path` whose name is made from `path`'s file name.
pub(crate) fn sibling(path: &Path, name: impl Fn(&str) -> String) -> PathBuf {
    let file_name = path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_else(|| "state.json".to_owned());
    folder_of(path).join(name(&file_name))
}

pub(crate) fn io_error(action: &'static str, path: &Path, source: io::Error) -> Error {
    Error::Io {
        action,
        path: path.to_path_buf(),
        source,
    }
}
