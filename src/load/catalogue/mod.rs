//! The catalogue of diagnostic codes: every code gtcamp reports, with what triggers it, how
//! to fix it and a workspace that shows it.
//!
//! Codes are stable: scripts and documentation may key on them, so a retired number is
//! left out of [`codes`] and never given to another problem. Each code is an [`Entry`]
//! constant, and [`Diagnostic`](super::Diagnostic) is built from one, so a code missing
//! from here does not compile. `gtcamp explain` and `docs/reference/diagnostics.md` are
//! both drawn from these entries; the examples are run through the real checks to show
//! their message, which is why an entry carries a whole (small) workspace rather than a
//! quoted message that could drift from what gtcamp says.
//!
//! The catalogue lives in `load/`, at the bottom of the stages, because every stage that
//! reports (load, check, lint, pipeline) has to name its codes.

pub mod codes;

use std::fmt;

/// How bad a problem is. Errors make `gtcamp validate` fail; warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One diagnostic code and what a reader needs to know about it.
#[derive(Debug, PartialEq, Eq)]
pub struct Entry {
    /// `GC` and three digits, such as `GC055`.
    pub code: &'static str,
    /// The severity it is reported with unless `gtcamp.yaml` says otherwise.
    pub severity: Severity,
    /// Whether `lints:` in `gtcamp.yaml` may turn it off or make it an error.
    pub configurable: bool,
    /// What is wrong, in a few words.
    pub title: &'static str,
    /// What triggers it, in a short paragraph.
    pub trigger: &'static str,
    /// How to make it go away.
    pub fix: &'static str,
    /// A workspace that triggers it.
    pub example: Example,
}

impl Entry {
    /// `error`, `warning`, or `warning (configurable)`.
    pub fn severity_text(&self) -> String {
        if self.configurable {
            format!("{} (configurable)", self.severity)
        } else {
            self.severity.to_string()
        }
    }
}

/// A small workspace showing one code: the files that matter, beside the standard
/// [`SETTINGS`] unless one of them is `gtcamp.yaml` itself.
#[derive(Debug, PartialEq, Eq)]
pub struct Example {
    pub files: &'static [ExampleFile],
}

impl Example {
    /// Whether the example brings its own `gtcamp.yaml` rather than using [`SETTINGS`].
    pub fn has_own_settings(&self) -> bool {
        self.files.iter().any(|f| f.path == super::SETTINGS_FILE)
    }
}

/// One file of an [`Example`], by its path in the workspace.
#[derive(Debug, PartialEq, Eq)]
pub struct ExampleFile {
    pub path: &'static str,
    pub content: Content,
}

/// What an example file holds. Most are text; a few problems are about files no text
/// constant can be, which are described here and made when the example is written out.
#[derive(Debug, PartialEq, Eq)]
pub enum Content {
    Text(&'static str),
    /// The text with its `é` written as Latin-1 (one byte, 0xE9): not UTF-8.
    Latin1(&'static str),
    /// YAML comment lines filling this many bytes.
    Filler(u64),
    /// The text with [`LONG`] replaced by `unit` written `times` times: a value too long
    /// to show whole.
    Long {
        text: &'static str,
        unit: &'static str,
        times: usize,
    },
}

/// Where a [`Content::Long`] text holds its long value.
pub const LONG: &str = "{long}";

impl ExampleFile {
    pub const fn text(path: &'static str, text: &'static str) -> Self {
        ExampleFile {
            path,
            content: Content::Text(text),
        }
    }

    /// The bytes the file is written with.
    pub fn bytes(&self) -> Vec<u8> {
        match self.content {
            Content::Text(text) => text.as_bytes().to_vec(),
            Content::Latin1(text) => latin1(text),
            Content::Filler(len) => filler(len),
            Content::Long { text, unit, times } => {
                text.replace(LONG, &unit.repeat(times)).into_bytes()
            }
        }
    }

    /// The file as a reader is shown it: its text, or a description of what it holds.
    pub fn shown(&self) -> Shown {
        match self.content {
            Content::Text(text) | Content::Latin1(text) => Shown::Text(text.to_owned()),
            Content::Long { text, unit, .. } => {
                Shown::Text(text.replace(LONG, &format!("{unit}{unit}{unit}…")))
            }
            Content::Filler(len) => {
                Shown::Described(format!("{} of YAML comment lines", super::human_bytes(len)))
            }
        }
    }

    /// The note a reader needs beside [`ExampleFile::shown`], when the text shown is not
    /// quite the bytes written.
    pub fn note(&self) -> Option<String> {
        match self.content {
            Content::Latin1(_) => {
                Some("saved as Latin-1, so `é` is the single byte 0xE9".to_owned())
            }
            Content::Long { unit, times, .. } => Some(format!(
                "`…` stands for `{}` written {times} times in all",
                unit.trim()
            )),
            Content::Text(_) | Content::Filler(_) => None,
        }
    }
}

/// How an example file is shown.
#[derive(Debug, PartialEq, Eq)]
pub enum Shown {
    Text(String),
    Described(String),
}

fn latin1(text: &str) -> Vec<u8> {
    text.chars()
        .flat_map(|c| match u8::try_from(u32::from(c)) {
            Ok(byte) => vec![byte],
            Err(_) => c.to_string().into_bytes(),
        })
        .collect()
}

fn filler(len: u64) -> Vec<u8> {
    const LINE: &[u8] = b"# padding, to make this file larger than gtcamp reads\n";
    let len = usize::try_from(len).unwrap_or(usize::MAX);
    LINE.iter().copied().cycle().take(len).collect()
}

/// The `gtcamp.yaml` every example has unless it brings its own: one sandbox target, a
/// message class (so examples do not also show GC090) and the SMS template some use.
pub const SETTINGS: &str = "kind: Workspace
name: demo
app_id: demo
default_target: sandbox
targets:
  sandbox:
    type: sandbox
defaults:
  class: marketing
sms_templates:
  \"100\": 您的订单${order}已发货
";

/// Every entry, in code order.
pub fn all() -> &'static [&'static Entry] {
    codes::ALL
}

/// The entry `written` names: `GC055`, `gc055` or `55`.
pub fn lookup(written: &str) -> Option<&'static Entry> {
    let number = number_of(written)?;
    all()
        .iter()
        .copied()
        .find(|e| number_of(e.code) == Some(number))
}

/// The number a code is written with, if `written` is `GC` and digits, or only digits.
fn number_of(written: &str) -> Option<u32> {
    let written = written.trim();
    let digits = match written.get(..2) {
        Some(prefix) if prefix.eq_ignore_ascii_case("gc") => &written[2..],
        _ => written,
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// The codes nearest what was written, for a code that is not in the catalogue, in code
/// order: the three closest by number when it reads as a number, else those a typo away.
/// (Every code is one edit from dozens of others by digit, so a number is not matched by
/// spelling.)
pub fn nearest(written: &str) -> Vec<&'static str> {
    let mut near: Vec<&'static str> = match number_of(written) {
        Some(number) => {
            let mut by_distance: Vec<&'static Entry> = all().to_vec();
            by_distance.sort_by_key(|e| number_of(e.code).map(|n| n.abs_diff(number)));
            by_distance.iter().take(3).map(|e| e.code).collect()
        }
        None => {
            let upper = written.trim().to_uppercase();
            crate::model::all_closest(&upper, all().iter().map(|e| e.code))
        }
    };
    near.sort_unstable();
    near
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_in_order_unique_and_well_formed() {
        let written: Vec<&str> = all().iter().map(|e| e.code).collect();
        let mut sorted = written.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(written, sorted);
        for code in written {
            assert!(
                code.len() == 5 && code.starts_with("GC") && number_of(code).is_some(),
                "{code}"
            );
        }
    }

    #[test]
    fn a_code_is_found_however_it_is_written() {
        for written in ["GC055", "gc055", "Gc055", "55", "055", " GC055 "] {
            assert_eq!(lookup(written).map(|e| e.code), Some("GC055"), "{written}");
        }
        assert_eq!(lookup("GC999"), None);
        assert_eq!(lookup("GC"), None);
        assert_eq!(lookup("E0502"), None);
    }

    #[test]
    fn an_unknown_number_is_offered_its_neighbours() {
        assert_eq!(nearest("GC035"), ["GC032", "GC033", "GC034"]);
        assert_eq!(nearest("GC039"), ["GC040", "GC041", "GC042"]);
        assert_eq!(nearest("77"), ["GC073", "GC074", "GC080"]);
    }

    #[test]
    fn a_typo_is_offered_the_code_it_was_meant_to_be() {
        assert!(
            nearest("GC0S5").contains(&"GC055"),
            "{:?}",
            nearest("GC0S5")
        );
        assert!(
            nearest("GX055").contains(&"GC055"),
            "{:?}",
            nearest("GX055")
        );
    }

    #[test]
    fn every_entry_has_a_title_trigger_fix_and_example() {
        for entry in all() {
            let code = entry.code;
            assert!(!entry.title.is_empty(), "{code} has no title");
            assert!(
                !entry.title.ends_with('.'),
                "{code}: a title is not a sentence"
            );
            assert!(entry.trigger.ends_with('.'), "{code}: the trigger is prose");
            assert!(entry.fix.ends_with('.'), "{code}: the fix is prose");
            assert!(!entry.example.files.is_empty(), "{code} has no example");
        }
    }
}
