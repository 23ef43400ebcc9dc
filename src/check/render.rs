//! Writing diagnostics for people (miette, with the source snippet), for scripts (JSON)
//! and for GitHub Actions (workflow commands that annotate the pull request).
//!
//! Renderers only format: they take diagnostics already found and sorted, so the three
//! formats cannot disagree. Snippets shown to people have phone numbers masked, because
//! terminal output ends up in CI logs.

use std::fmt::Write as _;
use std::path::Path;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource};

use super::personal_data::mask_phone_numbers;
use super::{Diagnostic, Severity, Summary};
use crate::load::LoadedWorkspace;
use crate::render::display_path;
use crate::render::github::{Annotation, AnnotationLevel, annotation_path, github_commands};

/// Version of the `--format json` document. Bump it for any change a consumer would notice.
pub const JSON_FORMAT_VERSION: u32 = 1;

/// The `--format json` document.
pub fn json(diagnostics: &[Diagnostic], cwd: &Path) -> String {
    let summary = Summary::of(diagnostics);
    let items: Vec<serde_json::Value> = diagnostics
        .iter()
        .map(|d| {
            let mut item = serde_json::json!({
                "code": d.code,
                "severity": d.severity.as_str(),
                "message": d.message,
                "help": d.help,
                "file": d.location.as_ref().map(|l| display_path(&l.file, cwd)),
                "line": d.location.as_ref().map(|l| l.span.line),
                "column": d.location.as_ref().map(|l| l.span.column),
                "length": d.location.as_ref().map(|l| l.span.len),
                "label": d.label,
            });
            if let (Some((location, label)), Some(map)) = (&d.related, item.as_object_mut()) {
                map.insert(
                    "related".to_owned(),
                    serde_json::json!({
                        "file": display_path(&location.file, cwd),
                        "line": location.span.line,
                        "column": location.span.column,
                        "label": label,
                    }),
                );
            }
            item
        })
        .collect();
    let document = serde_json::json!({
        "format_version": JSON_FORMAT_VERSION,
        "diagnostics": items,
        "summary": { "errors": summary.errors, "warnings": summary.warnings },
    });
    serde_json::to_string_pretty(&document).unwrap_or_default() + "\n"
}

/// One GitHub workflow command per diagnostic, at most
/// [`ANNOTATIONS_PER_LEVEL`](crate::render::github::ANNOTATIONS_PER_LEVEL) of each severity;
/// paths relative to `root` (see [`annotation_root`](crate::render::github::annotation_root)).
pub fn github(diagnostics: &[Diagnostic], cwd: &Path, root: &Path) -> String {
    let annotations: Vec<Annotation> = diagnostics
        .iter()
        .map(|d| Annotation {
            level: match d.severity {
                Severity::Error => AnnotationLevel::Error,
                Severity::Warning => AnnotationLevel::Warning,
            },
            file: d
                .location
                .as_ref()
                .map(|l| annotation_path(&l.file, cwd, root)),
            line: d.location.as_ref().map(|l| l.span.line),
            column: d.location.as_ref().map(|l| l.span.column),
            title: d.code.to_owned(),
            message: format!("{}\n{}", d.message, explain_hint(d.code)),
        })
        .collect();
    github_commands(
        &annotations,
        "`gtcamp validate --format json` lists every diagnostic",
    )
}

/// The line that ends each diagnostic a person reads, pointing at its catalogue entry.
pub fn explain_hint(code: &str) -> String {
    format!("For more about {code}, run `gtcamp explain {code}`.")
}

/// Diagnostics as miette draws them, with the snippet of the file where there is one, each
/// ended by the [`explain_hint`] for its code.
pub fn human(
    diagnostics: &[Diagnostic],
    workspace: &LoadedWorkspace,
    cwd: &Path,
    color: bool,
) -> String {
    draw(diagnostics, workspace, cwd, color, true)
}

/// [`human`] without colour or hints: what `gtcamp explain` shows of an example, which
/// would otherwise tell the reader to run the command they are reading.
pub fn explained(diagnostics: &[Diagnostic], workspace: &LoadedWorkspace, cwd: &Path) -> String {
    draw(diagnostics, workspace, cwd, false, false)
}

fn draw(
    diagnostics: &[Diagnostic],
    workspace: &LoadedWorkspace,
    cwd: &Path,
    color: bool,
    hint: bool,
) -> String {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    // Wrapped only at spaces: names, ids and URLs stay whole (see `cli::terminal`).
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_links(false)
        .with_width(100)
        .with_break_words(false)
        .with_word_separator(textwrap::WordSeparator::AsciiSpace)
        .with_word_splitter(textwrap::WordSplitter::NoHyphenation)
        .without_syntax_highlighting();
    let mut out = String::new();
    for d in diagnostics {
        let report = Report::new(d, workspace, cwd);
        if handler.render_report(&mut out, &report).is_err() {
            let _ = writeln!(out, "{}[{}]: {}", d.severity, d.code, report.message);
        }
        if hint {
            let _ = writeln!(out, "  {}", explain_hint(d.code));
        }
        out.push('\n');
    }
    out
}

/// Lines longer than this are not drawn: a snippet of a 20 kB line (a hostile file,
/// minified JSON) helps nobody and floods the terminal.
const MAX_SNIPPET_LINE_BYTES: usize = 400;

fn line_is_short(text: &str, offset: usize) -> bool {
    let start = text
        .get(..offset)
        .and_then(|t| t.rfind('\n'))
        .map_or(0, |i| i + 1);
    let end = text
        .get(offset..)
        .and_then(|t| t.find('\n'))
        .map_or(text.len(), |i| offset + i);
    end.saturating_sub(start) <= MAX_SNIPPET_LINE_BYTES
}

/// A diagnostic in the shape miette renders.
struct Report {
    message: String,
    code: &'static str,
    severity: Severity,
    help: Option<String>,
    source: Option<NamedSource<String>>,
    labels: Vec<LabeledSpan>,
}

impl Report {
    fn new(d: &Diagnostic, workspace: &LoadedWorkspace, cwd: &Path) -> Self {
        let mut report = Report {
            message: d.message.clone(),
            code: d.code,
            severity: d.severity,
            help: d.help.clone(),
            source: None,
            labels: Vec::new(),
        };
        let Some(location) = &d.location else {
            return report;
        };
        let name = display_path(&location.file, cwd);
        let source = workspace
            .source(&location.file)
            .filter(|s| line_is_short(&s.text, location.span.offset));
        let Some(source) = source else {
            // No text to show (not UTF-8, too large, a CSV that may hold phone numbers, a
            // line too long to draw):
            // the position goes into the message instead.
            report.message = format!(
                "{name}:{}:{}: {}",
                location.span.line, location.span.column, d.message
            );
            return report;
        };
        report.source = Some(NamedSource::new(name, mask_phone_numbers(&source.text)));
        report.labels.push(LabeledSpan::new_primary_with_span(
            d.label.clone(),
            (location.span.offset, location.span.len),
        ));
        if let Some((related, label)) = &d.related {
            if related.file == location.file {
                report.labels.push(LabeledSpan::new_with_span(
                    Some(label.clone()),
                    (related.span.offset, related.span.len),
                ));
            } else {
                let see = format!(
                    "{label}: {}:{}:{}",
                    display_path(&related.file, cwd),
                    related.span.line,
                    related.span.column
                );
                report.help = Some(match report.help.take() {
                    Some(help) => format!("{help}\n{see}"),
                    None => see,
                });
            }
        }
        report
    }
}

impl std::fmt::Debug for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Report {}

impl miette::Diagnostic for Report {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new(self.code))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn std::fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source.as_ref().map(|s| s as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.labels.is_empty() {
            None
        } else {
            Some(Box::new(self.labels.iter().cloned()))
        }
    }
}
