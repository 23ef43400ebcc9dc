//! GitHub workflow commands (`::warning file=…,line=…::message`), which annotate a pull
//! request's changed lines: what `validate --format github` makes of diagnostics and
//! `plan --format github` of warnings and notes.
//!
//! GitHub keeps only [`ANNOTATIONS_PER_LEVEL`] annotations of each level per step and
//! drops the rest silently, so [`github_commands`] stops there and says how many it left
//! out. Paths are relative to the repository root, whatever folder the step runs in.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::display_path;

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

    fn singular(self) -> &'static str {
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
            let noun = super::noun(count, level.singular(), level.plural());
            let _ = writeln!(out, "… and {count} more {noun}: {see}");
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
}
