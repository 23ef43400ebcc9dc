//! The journal: an append-only record of every remote operation's intent and outcome.
//!
//! Rewriting the whole state after each of a thousand operations would cost a thousand
//! full writes and fsyncs; appending one line costs little, and a single writer thread
//! batches every line queued while it was busy into one write and one fsync (group commit),
//! so concurrent operations share the cost. `save` folds the journal into the state file
//! and leaves in the journal only the intents still open.

use std::collections::BTreeMap;
use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, mpsc};

use chrono::{DateTime, Utc};
use tokio::sync::oneshot;

use super::file::{self, io_error};
use super::record::{record, settles};
use super::{Error, FORMAT_VERSION, JournalEntry, Operation, State};

/// Operations whose intent is journaled and whose outcome is not (or is unknown).
pub(crate) type OpenOperations = BTreeMap<u64, (DateTime<Utc>, Operation)>;

/// The state in memory, as the journal and the last save leave it.
pub(crate) struct Book {
    /// Shared with [`super::LockedState::snapshot`] callers; copied on the first change
    /// after a snapshot, never on a read.
    pub state: Arc<State>,
    pub open: OpenOperations,
    /// The state changed since the file was written.
    pub dirty: bool,
    /// The journal holds exactly the open intents (nothing a save would fold in).
    pub journal_compact: bool,
}

/// Locks the book; a panic elsewhere while it was held cannot make the data unusable.
pub(crate) fn lock_book(book: &Mutex<Book>) -> MutexGuard<'_, Book> {
    book.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// What a replay found: the operations still open, the next free id and what to tell.
pub(crate) struct Replayed {
    pub open: OpenOperations,
    pub next_id: u64,
    pub notes: Vec<String>,
}

impl Replayed {
    /// Nothing replayed yet: no open operation, ids from 1.
    pub(crate) fn new() -> Replayed {
        Replayed {
            open: BTreeMap::new(),
            next_id: 1,
            notes: Vec::new(),
        }
    }
}

/// Replays the journal at `path` into `state`: outcomes of journaled intents are applied,
/// intents without a (known) outcome stay open. A torn last line is cut off.
pub(crate) fn replay(path: &Path, state: &mut State) -> Result<Replayed, Error> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(error) if error.kind() == io::ErrorKind::NotFound => Vec::new(),
        Err(source) => return Err(io_error("read", path, source)),
    };
    let mut replayed = Replayed::new();
    let mut good_len = 0;
    let mut lines = bytes.split_inclusive(|byte| *byte == b'\n').peekable();
    while let Some(line) = lines.next() {
        let is_last = lines.peek().is_none();
        match serde_json::from_slice::<JournalEntry>(line) {
            Ok(entry) => replay_entry(entry, state, &mut replayed),
            Err(_) if is_last => {
                replayed.notes.push(format!(
                    "ignored the last line of `{}`: it was cut off by a crash while being written",
                    path.display()
                ));
                break;
            }
            Err(error) => {
                return Err(Error::Corrupt {
                    path: path.to_path_buf(),
                    reason: format!("line {}: {error}", line_number(&bytes, good_len)),
                });
            }
        }
        good_len += line.len();
    }
    if good_len < bytes.len() || bytes.last().is_some_and(|byte| *byte != b'\n') {
        repair(path, good_len, &bytes)?;
    }
    Ok(replayed)
}

pub(crate) fn replay_entry(entry: JournalEntry, state: &mut State, replayed: &mut Replayed) {
    match entry {
        JournalEntry::Intent { id, at, operation } => {
            replayed.next_id = replayed.next_id.max(id.saturating_add(1));
            replayed.open.insert(id, (at, operation));
        }
        JournalEntry::Outcome { id, at, outcome } => {
            replayed.next_id = replayed.next_id.max(id.saturating_add(1));
            if let Some((_, operation)) = replayed.open.get(&id) {
                record(state, operation, &outcome, at);
                if settles(&outcome) {
                    replayed.open.remove(&id);
                }
            }
        }
    }
}

fn line_number(bytes: &[u8], offset: usize) -> usize {
    bytes.get(..offset).map_or(0, |before| {
        before.iter().filter(|byte| **byte == b'\n').count()
    }) + 1
}

/// Cuts the journal to its last complete line and ends it with a newline, so that the next
/// append starts a line of its own.
fn repair(path: &Path, good_len: usize, bytes: &[u8]) -> Result<(), Error> {
    let mut kept = bytes.get(..good_len).unwrap_or_default().to_vec();
    if kept.last().is_some_and(|byte| *byte != b'\n') {
        kept.push(b'\n');
    }
    file::replace(path, &kept)
}

/// The journal's lines for the open intents, which a compacted journal keeps.
fn open_intents(open: &OpenOperations) -> Vec<u8> {
    let mut text = Vec::new();
    for (id, (at, operation)) in open {
        let entry = JournalEntry::Intent {
            id: *id,
            at: *at,
            operation: operation.clone(),
        };
        push_line(&mut text, &entry);
    }
    text
}

fn push_line(buffer: &mut Vec<u8>, entry: &JournalEntry) {
    // Serializing these types cannot fail (string keys, no non-finite floats).
    if serde_json::to_writer(&mut *buffer, entry).is_ok() {
        buffer.push(b'\n');
    }
}

/// A request to the writer thread.
pub(crate) enum Command {
    /// Boxed: an intent carries a whole operation, and the other command is a pointer.
    Append {
        entry: Box<JournalEntry>,
        done: oneshot::Sender<Result<(), Error>>,
    },
    /// Writes the state (replaced by `replacement` first, when given; its history without the
    /// sends before `forget_before`) and compacts the journal.
    Save {
        replacement: Option<Box<State>>,
        forget_before: Option<DateTime<Utc>>,
        done: oneshot::Sender<Result<(), Error>>,
    },
}

/// Where the writer thread makes the state and the journal durable: files on this machine,
/// or rows in a shared database. Both calls return only once what they wrote survives a crash.
pub(crate) trait Persist: Send {
    /// Appends journal entries, all of them or none, in one write.
    fn append(&mut self, entries: &[JournalEntry]) -> Result<(), Error>;
    /// Writes `state` (its serial already the next one) and leaves in the journal exactly
    /// the `open` intents.
    fn save(&mut self, state: &State, open: &OpenOperations) -> Result<(), Error>;
}

/// The local backend: `state.json` replaced atomically, `state.journal` appended and fsynced.
pub(crate) struct FilePersist {
    pub state_path: PathBuf,
    pub journal_path: PathBuf,
    pub journal: Option<File>,
}

impl Persist for FilePersist {
    fn append(&mut self, entries: &[JournalEntry]) -> Result<(), Error> {
        let mut buffer = Vec::new();
        for entry in entries {
            push_line(&mut buffer, entry);
        }
        self.append_bytes(&buffer)
            .map_err(|source| io_error("append to", &self.journal_path, source))
    }

    fn save(&mut self, state: &State, open: &OpenOperations) -> Result<(), Error> {
        file::write(&self.state_path, state)?;
        // The state now holds every outcome; the journal keeps only what is still open.
        self.journal = None;
        file::replace(&self.journal_path, &open_intents(open))
    }
}

impl FilePersist {
    fn append_bytes(&mut self, buffer: &[u8]) -> io::Result<()> {
        let journal = match &mut self.journal {
            Some(journal) => journal,
            None => {
                let opened = OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(&self.journal_path)?;
                self.journal.insert(opened)
            }
        };
        journal.write_all(buffer)?;
        journal.sync_data()
    }
}

/// The thread that owns the persistence while a state is locked.
pub(crate) struct Writer {
    pub book: Arc<Mutex<Book>>,
    pub syncs: Arc<AtomicU64>,
    pub persist: Box<dyn Persist>,
}

impl Writer {
    /// Serves commands until every sender is gone, batching all that queued up meanwhile.
    pub(crate) fn run(mut self, commands: mpsc::Receiver<Command>) {
        while let Ok(first) = commands.recv() {
            let mut pending = Vec::new();
            for command in std::iter::once(first).chain(commands.try_iter()) {
                match command {
                    Command::Append { entry, done } => pending.push((*entry, done)),
                    Command::Save {
                        replacement,
                        forget_before,
                        done,
                    } => {
                        self.flush(std::mem::take(&mut pending));
                        let _ = done.send(self.save(replacement, forget_before));
                    }
                }
            }
            self.flush(pending);
        }
    }

    /// Appends every pending entry with one write (group commit), then applies the outcomes.
    fn flush(&mut self, pending: Vec<(JournalEntry, oneshot::Sender<Result<(), Error>>)>) {
        if pending.is_empty() {
            return;
        }
        let (entries, answers): (Vec<_>, Vec<_>) = pending.into_iter().unzip();
        match self.persist.append(&entries) {
            Ok(()) => {
                self.syncs.fetch_add(1, Ordering::Relaxed);
                let mut book = lock_book(&self.book);
                book.journal_compact = false;
                for entry in &entries {
                    apply_outcome(&mut book, entry);
                }
                drop(book);
                for done in answers {
                    let _ = done.send(Ok(()));
                }
            }
            Err(error) => {
                let error = error.to_string();
                for done in answers {
                    let copy = Error::JournalWrite {
                        reason: error.clone(),
                    };
                    let _ = done.send(Err(copy));
                }
            }
        }
    }

    fn save(
        &mut self,
        replacement: Option<Box<State>>,
        forget_before: Option<DateTime<Utc>>,
    ) -> Result<(), Error> {
        let mut book = lock_book(&self.book);
        if let Some(since) = forget_before
            && book.state.history.iter().any(|e| e.push_time < since)
        {
            super::forget_history_before(Arc::make_mut(&mut book.state), since);
            book.dirty = true;
        }
        if let Some(replacement) = replacement {
            let mut replacement = *replacement;
            // A replacement changes the content, never the identity of the state.
            replacement.format_version = FORMAT_VERSION;
            replacement.lineage = book.state.lineage.clone();
            replacement.serial = book.state.serial;
            book.state = Arc::new(replacement);
            book.dirty = true;
        }
        if !book.dirty && book.journal_compact {
            return Ok(());
        }
        let Book { state, open, .. } = &mut *book;
        let state = Arc::make_mut(state);
        state.serial = state.serial.saturating_add(1);
        if let Err(error) = self.persist.save(state, open) {
            state.serial = state.serial.saturating_sub(1);
            return Err(error);
        }
        book.dirty = false;
        book.journal_compact = true;
        Ok(())
    }
}

fn apply_outcome(book: &mut Book, entry: &JournalEntry) {
    let JournalEntry::Outcome { id, at, outcome } = entry else {
        return;
    };
    let Book {
        state, open, dirty, ..
    } = book;
    if let Some((_, operation)) = open.get(id) {
        record(Arc::make_mut(state), operation, outcome, *at);
        *dirty = true;
        if settles(outcome) {
            open.remove(id);
        }
    }
}
