//! `Limits`: how much input gtcamp agrees to read, so hostile files cannot exhaust memory.
//!
//! A campaign workspace is small hand-written YAML. These bounds are orders of magnitude
//! above any real workspace and far below what would hurt the machine; each one is named
//! in the diagnostic that reports it, so an author knows what to change.

/// Bounds applied to every file, before and while it is parsed.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Largest file read, checked on the file's metadata before reading it.
    pub max_file_bytes: u64,
    /// Deepest nesting of mappings and sequences.
    pub max_depth: usize,
    /// Most YAML nodes (scalars, aliases, containers) in one file.
    pub max_nodes: usize,
    /// Most aliases in one document, for the typed pass.
    pub max_aliases: usize,
    /// Most events replayed while expanding aliases in the typed pass.
    pub max_alias_replay: usize,
    /// Most rows of a phone CSV.
    pub max_csv_rows: usize,
    /// Largest phone CSV read. CSVs are streamed, not held as text, so this is far above
    /// `max_file_bytes`: a real app's phone list runs to millions of rows.
    pub max_csv_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 16 * 1024 * 1024,
            max_depth: 64,
            max_nodes: 250_000,
            max_aliases: 10_000,
            max_alias_replay: 100_000,
            max_csv_rows: 20_000_000,
            max_csv_bytes: 2 * 1024 * 1024 * 1024,
        }
    }
}

impl Limits {
    /// The limit on file size, as a person reads it.
    pub fn file_size_text(&self) -> String {
        human_bytes(self.max_file_bytes)
    }

    /// Options for serde-saphyr's typed pass carrying the same bounds as our walker.
    pub fn saphyr_options(&self) -> serde_saphyr::Options {
        let mut budget = serde_saphyr::Budget::default();
        budget.max_depth = self.max_depth;
        budget.max_nodes = self.max_nodes;
        budget.max_aliases = self.max_aliases;
        budget.max_reader_input_bytes = usize::try_from(self.max_file_bytes).ok();
        let mut options = serde_saphyr::Options::default();
        options.budget = Some(budget);
        options.alias_limits.max_total_replayed_events = self.max_alias_replay;
        options
    }
}

/// `2 GiB`, `16 MiB`, `50.0 MiB`, `812 bytes`.
pub fn human_bytes(bytes: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    const GIB: u64 = 1024 * MIB;
    if bytes >= GIB && bytes.is_multiple_of(GIB) {
        format!("{} GiB", bytes / GIB)
    } else if bytes >= GIB {
        format!("{:.1} GiB", bytes as f64 / GIB as f64)
    } else if bytes >= MIB && bytes.is_multiple_of(MIB) {
        format!("{} MiB", bytes / MIB)
    } else if bytes >= MIB {
        format!("{:.1} MiB", bytes as f64 / MIB as f64)
    } else if bytes >= 1024 {
        format!("{:.1} KiB", bytes as f64 / 1024.0)
    } else {
        format!("{bytes} bytes")
    }
}
