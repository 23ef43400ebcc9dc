//! Reading the phone CSV a `PhoneBindings` document points at (`source`).
//!
//! Rows are `cid,phone`, with an optional `cid,phone` header. The numbers are personal
//! data: they stay in memory only to be hashed, [`PhoneRow`]'s Debug never shows them, and
//! diagnostics name the row and a masked form (`138****0000`) instead.

use super::codes;
use std::path::{Component, Path, PathBuf};

use std::io::{BufReader, Read};

use super::diagnostic::{Diagnostic, Span};
use super::limits::{Limits, human_bytes};

/// One data row of a phone CSV.
#[derive(Clone, PartialEq, Eq)]
pub struct PhoneRow {
    /// 1-based line of the row in the CSV, for diagnostics.
    pub line: usize,
    pub cid: String,
    /// The number as written, in clear. Never print it; see [`mask_phone`].
    pub phone: String,
}

impl std::fmt::Debug for PhoneRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PhoneRow")
            .field("line", &self.line)
            .field("cid", &self.cid)
            .field("phone", &mask_phone(&self.phone))
            .finish()
    }
}

/// The rows of a phone CSV and where it is.
#[derive(Debug, Clone)]
pub struct PhoneCsv {
    pub path: PathBuf,
    pub rows: Vec<PhoneRow>,
}

/// `13800000000` → `138****0000`: enough to find the row, not enough to call anyone.
/// Anything else keeps only its length.
pub fn mask_phone(phone: &str) -> String {
    let chars: Vec<char> = phone.chars().collect();
    if chars.len() >= 8 {
        let head: String = chars.iter().take(3).collect();
        let tail: String = chars.iter().skip(chars.len() - 4).collect();
        format!("{head}{}{tail}", "*".repeat(chars.len() - 7))
    } else {
        "*".repeat(chars.len())
    }
}

/// Reads `source` (relative to the YAML file that names it). Problems come back as
/// diagnostics, one per bad row, beside the rows that could be read.
pub fn read_phone_csv(
    yaml_file: &Path,
    source: &str,
    at: Span,
    limits: &Limits,
) -> (Option<PhoneCsv>, Vec<Diagnostic>) {
    let path = lexically_normal(
        &yaml_file
            .parent()
            .unwrap_or_else(|| Path::new("."))
            .join(source),
    );
    let file = match open_csv(&path, limits) {
        Ok(file) => file,
        Err(problem) => {
            let message = format!(
                "the phone CSV `{source}` cannot be read: {}",
                problem.message
            );
            return (
                None,
                vec![
                    Diagnostic::error(codes::GC010, message)
                        .help(problem.help)
                        .at(yaml_file, at),
                ],
            );
        }
    };
    // Streamed: the file is never held whole, so only the rows count against memory. The
    // csv reader skips a leading byte-order mark (spreadsheet exports often start with one).
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(file);
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    // One record reused for every row: a million rows are a million allocations otherwise.
    let mut record = csv::StringRecord::new();
    for index in 0.. {
        let read = reader.read_record(&mut record);
        if matches!(read, Ok(false)) {
            break;
        }
        let line = match &read {
            Ok(_) => record.position().map_or(index + 1, |p| {
                usize::try_from(p.line()).unwrap_or(index + 1)
            }),
            Err(_) => index + 1,
        };
        if rows.len() >= limits.max_csv_rows {
            problems.push(bad_row(
                &path,
                line,
                format!("the file has more than {} rows", limits.max_csv_rows),
                "split it into several PhoneBindings documents",
            ));
            break;
        }
        if let Err(error) = read {
            problems.push(bad_row(
                &path,
                line,
                format!("row {line} cannot be read: {error}"),
                "write each row as `cid,phone`",
            ));
            continue;
        }
        match (record.len(), record.get(0), record.get(1)) {
            (2, Some(cid), Some(phone)) if index == 0 && is_header(cid, phone) => {}
            (2, Some(cid), Some(phone)) => rows.push(PhoneRow {
                line,
                cid: cid.to_owned(),
                phone: phone.to_owned(),
            }),
            (1, Some(""), _) => {}
            (count, _, _) => problems.push(bad_row(
                &path,
                line,
                format!(
                    "row {line} has {count} field{}; expected 2",
                    if count == 1 { "" } else { "s" }
                ),
                "write each row as `cid,phone`, such as `0a1b2c3d4e5f,13800000000`",
            )),
        }
    }
    (Some(PhoneCsv { path, rows }), problems)
}

/// Why a phone CSV cannot be read, and what to do about it.
struct Unreadable {
    message: String,
    help: String,
}

/// The CSV, buffered, and cut at one byte past the limit so a file that grows while it is
/// read cannot get past it unnoticed (the csv reader then reports a truncated row).
fn open_csv(path: &Path, limits: &Limits) -> Result<impl Read + use<>, Unreadable> {
    let unreadable = |error: std::io::Error| Unreadable {
        message: error.to_string(),
        help: "check that the file exists and that you may read it".to_owned(),
    };
    let size = std::fs::metadata(path).map_err(unreadable)?.len();
    if size > limits.max_csv_bytes {
        return Err(Unreadable {
            message: format!(
                "`{}` is {}, more than the {} gtcamp reads",
                path.display(),
                human_bytes(size),
                human_bytes(limits.max_csv_bytes)
            ),
            help: "split the list into several CSVs, each named by its own PhoneBindings document"
                .to_owned(),
        });
    }
    let file = std::fs::File::open(path).map_err(unreadable)?;
    Ok(BufReader::with_capacity(1 << 16, file).take(limits.max_csv_bytes + 1))
}

/// `bindings/../private/x.csv` → `private/x.csv`, without touching the file system (the
/// file may not exist, and a symlink is not worth resolving for a message).
fn lexically_normal(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                let can_pop = matches!(out.components().next_back(), Some(Component::Normal(_)));
                if can_pop {
                    out.pop();
                } else {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

fn is_header(cid: &str, phone: &str) -> bool {
    cid.eq_ignore_ascii_case("cid") && phone.eq_ignore_ascii_case("phone")
}

fn bad_row(path: &Path, line: usize, message: String, help: &str) -> Diagnostic {
    Diagnostic::error(codes::GC010, message).help(help).at(
        path,
        Span {
            line,
            column: 1,
            offset: 0,
            len: 0,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_the_middle_of_a_phone_number() {
        assert_eq!(mask_phone("13800000000"), "138****0000");
        assert_eq!(mask_phone("+8613812345678"), "+86*******5678");
    }

    #[test]
    fn phone_csv_keeps_row_lines_and_reports_rows_with_the_wrong_field_count() {
        let dir = tempfile::tempdir().unwrap();
        let csv = "cid,phone\nc1,13800000001\nc2,13800000002,extra\nc3 , 13800000003\n";
        std::fs::write(dir.path().join("phones.csv"), csv).unwrap();
        let yaml = dir.path().join("phones.yaml");
        let (read, problems) =
            read_phone_csv(&yaml, "phones.csv", Span::default(), &Limits::default());
        let rows = read.unwrap().rows;
        let seen: Vec<(usize, &str)> = rows.iter().map(|r| (r.line, r.cid.as_str())).collect();
        assert_eq!(seen, [(2, "c1"), (4, "c3")]);
        assert_eq!(rows[1].phone, "13800000003");
        let messages: Vec<&str> = problems.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(messages, ["row 3 has 3 fields; expected 2"]);
    }

    #[test]
    fn a_byte_order_mark_before_the_header_is_not_part_of_the_cid() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("phones.csv"),
            "\u{feff}cid,phone\nc1,13800000001\n",
        )
        .unwrap();
        let yaml = dir.path().join("phones.yaml");
        let (read, problems) =
            read_phone_csv(&yaml, "phones.csv", Span::default(), &Limits::default());
        assert!(problems.is_empty(), "{problems:?}");
        let rows = read.unwrap().rows;
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].cid, "c1");
    }

    #[test]
    fn a_csv_past_the_size_cap_is_refused_naming_the_file_and_the_cap() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("big.csv"), "c1,13800000001\n".repeat(100)).unwrap();
        let yaml = dir.path().join("phones.yaml");
        let limits = Limits {
            max_csv_bytes: 1024,
            // Far below the CSV: the YAML limit does not apply to CSVs.
            max_file_bytes: 16,
            ..Limits::default()
        };
        let (read, problems) = read_phone_csv(&yaml, "big.csv", Span::default(), &limits);
        assert!(read.is_none());
        let messages: Vec<&str> = problems.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(messages.len(), 1);
        assert!(messages[0].contains("big.csv"), "{messages:?}");
        assert!(
            messages[0].contains("more than the 1.0 KiB gtcamp reads"),
            "{messages:?}"
        );
        let (read, problems) = read_phone_csv(
            &yaml,
            "big.csv",
            Span::default(),
            &Limits {
                max_file_bytes: 16,
                ..Limits::default()
            },
        );
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(read.unwrap().rows.len(), 100);
    }

    #[test]
    fn debug_of_a_row_hides_the_number() {
        let row = PhoneRow {
            line: 2,
            cid: "c1".into(),
            phone: "13812345678".into(),
        };
        assert!(!format!("{row:?}").contains("13812345678"));
    }
}
