//! Writing diagnostics for people (miette, with the source snippet), for scripts (JSON)
//! and for GitHub Actions (workflow commands that annotate the pull request).
//!
//! Renderers only format: they take diagnostics already found and sorted, so the three
//! formats cannot disagree. Snippets shown to people have phone numbers masked, because
//! terminal output ends up in CI logs.

use std::fmt::Write as _;
use std::path::{Component, Path, PathBuf};

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource};

use super::personal_data::mask_phone_numbers;
use super::{Diagnostic, Severity, Summary};
use crate::load::LoadedWorkspace;

/// Version of the `--format json` document. Bump it for any change a consumer would notice.
pub const JSON_FORMAT_VERSION: u32 = 1;

/// `path` as the user should read it: relative to `cwd` when it is below it, with `/`.
pub fn display_path(path: &Path, cwd: &Path) -> String {
    let relative = if path.is_absolute() {
        path.strip_prefix(cwd).unwrap_or(path)
    } else {
        path
    };
    let relative: PathBuf = relative
        .components()
        .filter(|c| !matches!(c, Component::CurDir))
        .collect();
    let text = relative.to_string_lossy().replace('\\', "/");
    if text.is_empty() {
        ".".to_owned()
    } else {
        text
    }
}

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

/// GitHub shows at most this many annotations of each level (error, warning, notice) per
/// step and drops the rest silently, so gtcamp stops there and says how many it left out.
pub const ANNOTATIONS_PER_LEVEL: usize = 10;

/// How loud an annotation is; GitHub caps each level separately.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnnotationLevel {
    Error,
    Warning,
    Notice,
}

impl AnnotationLevel {
    fn command(self) -> &'static str {
        match self {
            AnnotationLevel::Error => "error",
            AnnotationLevel::Warning => "warning",
            AnnotationLevel::Notice => "notice",
        }
    }

    fn plural(self) -> &'static str {
        match self {
            AnnotationLevel::Error => "errors",
            AnnotationLevel::Warning => "warnings",
            AnnotationLevel::Notice => "notices",
        }
    }
}

/// One GitHub workflow command, before escaping. `file` is relative to the repository root.
#[derive(Debug, Clone)]
pub struct Annotation {
    pub level: AnnotationLevel,
    pub file: Option<String>,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub title: String,
    pub message: String,
}

/// The folder annotation paths are relative to: GitHub resolves them from the repository
/// root (`GITHUB_WORKSPACE`), which is not the current folder when a step sets
/// `working-directory`. Outside Actions, the current folder.
pub fn annotation_root(cwd: &Path) -> PathBuf {
    std::env::var_os("GITHUB_WORKSPACE")
        .map(PathBuf::from)
        .filter(|root| root.is_absolute() && cwd.starts_with(root))
        .unwrap_or_else(|| cwd.to_path_buf())
}

/// `file` (relative to `cwd`, or absolute) as an annotation path below `root`.
pub fn annotation_path(file: &Path, cwd: &Path, root: &Path) -> String {
    display_path(&cwd.join(file), root)
}

/// Workflow commands, at most [`ANNOTATIONS_PER_LEVEL`] of each level, in the order given;
/// each level that overflows ends with one plain line `… and N more warnings: {see}`.
pub fn github_commands(annotations: &[Annotation], see: &str) -> String {
    let mut out = String::new();
    let levels = [
        AnnotationLevel::Error,
        AnnotationLevel::Warning,
        AnnotationLevel::Notice,
    ];
    let mut shown = [0usize; 3];
    let mut left_out = [0usize; 3];
    for annotation in annotations {
        let index = levels
            .iter()
            .position(|level| *level == annotation.level)
            .unwrap_or(0);
        if shown[index] == ANNOTATIONS_PER_LEVEL {
            left_out[index] += 1;
            continue;
        }
        shown[index] += 1;
        write_command(&mut out, annotation);
    }
    for (level, count) in levels.iter().zip(left_out) {
        if count > 0 {
            let _ = writeln!(out, "… and {count} more {}: {see}", level.plural());
        }
    }
    out
}

fn write_command(out: &mut String, annotation: &Annotation) {
    let mut properties = Vec::new();
    if let Some(file) = &annotation.file {
        properties.push(format!("file={}", github_property(file)));
        if let Some(line) = annotation.line {
            properties.push(format!("line={line}"));
        }
        if let Some(column) = annotation.column {
            properties.push(format!("col={column}"));
        }
    }
    properties.push(format!("title={}", github_property(&annotation.title)));
    let _ = writeln!(
        out,
        "::{} {}::{}",
        annotation.level.command(),
        properties.join(","),
        github_message(&annotation.message)
    );
}

/// One GitHub workflow command per diagnostic, at most [`ANNOTATIONS_PER_LEVEL`] of each
/// severity; paths relative to `root` (see [`annotation_root`]).
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
            message: d.message.clone(),
        })
        .collect();
    github_commands(
        &annotations,
        "run `gtcamp validate` to see every diagnostic",
    )
}

/// Escaping GitHub requires in a workflow command's message.
pub fn github_message(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escaping GitHub requires in a workflow command's property values.
pub fn github_property(text: &str) -> String {
    github_message(text).replace(':', "%3A").replace(',', "%2C")
}

/// Diagnostics as miette draws them, with the snippet of the file where there is one.
pub fn human(
    diagnostics: &[Diagnostic],
    workspace: &LoadedWorkspace,
    cwd: &Path,
    color: bool,
) -> String {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_links(false)
        .with_width(100)
        .without_syntax_highlighting();
    let mut out = String::new();
    for d in diagnostics {
        let report = Report::new(d, workspace, cwd);
        if handler.render_report(&mut out, &report).is_err() {
            let _ = writeln!(out, "{}[{}]: {}", d.severity, d.code, report.message);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_escapes_message_and_properties_as_documented() {
        assert_eq!(github_message("50% off\r\nnow"), "50%25 off%0D%0Anow");
        assert_eq!(github_property("a:b,c%"), "a%3Ab%2Cc%25");
    }

    fn warning(n: usize) -> Annotation {
        Annotation {
            level: AnnotationLevel::Warning,
            file: Some("campaigns/a.yaml".to_owned()),
            line: Some(n),
            column: Some(1),
            title: "GC018".to_owned(),
            message: format!("warning {n}"),
        }
    }

    #[test]
    fn github_commands_stop_at_ten_per_level_and_count_the_rest() {
        let mut annotations: Vec<Annotation> = (1..=13).map(warning).collect();
        annotations.push(Annotation {
            level: AnnotationLevel::Error,
            ..warning(99)
        });
        let out = github_commands(&annotations, "see the job summary");
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(
            lines.iter().filter(|l| l.starts_with("::warning ")).count(),
            10
        );
        assert_eq!(
            lines.iter().filter(|l| l.starts_with("::error ")).count(),
            1
        );
        assert_eq!(
            lines.last(),
            Some(&"… and 3 more warnings: see the job summary")
        );
        assert_eq!(
            lines.first(),
            Some(&"::warning file=campaigns/a.yaml,line=1,col=1,title=GC018::warning 1")
        );
    }

    #[test]
    fn annotation_paths_are_relative_to_the_repository_root() {
        let root = Path::new("/repo");
        let cwd = Path::new("/repo/campaigns");
        assert_eq!(
            annotation_path(Path::new("./a.yaml"), cwd, root),
            "campaigns/a.yaml"
        );
    }

    #[test]
    fn display_path_is_relative_to_the_current_folder() {
        let cwd = Path::new("/work/repo");
        assert_eq!(
            display_path(Path::new("/work/repo/campaigns/a.yaml"), cwd),
            "campaigns/a.yaml"
        );
        assert_eq!(
            display_path(Path::new("./campaigns/a.yaml"), cwd),
            "campaigns/a.yaml"
        );
        assert_eq!(
            display_path(Path::new("/elsewhere/a.yaml"), cwd),
            "/elsewhere/a.yaml"
        );
    }
}
