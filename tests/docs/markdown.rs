//! Just enough of Markdown, as GitHub renders it, to find headings, links and code blocks.

use std::collections::{BTreeMap, BTreeSet};

/// One fenced code block: its info string, its text, and the marker comment before it.
pub struct Block {
    pub line: usize,
    pub info: String,
    pub text: String,
    /// `fragment` for `<!-- snippet: fragment -->` on the line before the fence.
    pub marker: Option<String>,
}

/// Each line of `text` with whether it lies inside a fenced code block (fences included).
fn lines_outside_code(text: &str) -> Vec<(usize, &str, bool)> {
    let mut fence: Option<String> = None;
    let mut out = Vec::new();
    for (at, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        let opener: String = trimmed
            .chars()
            .take_while(|c| *c == '`' || *c == '~')
            .collect();
        let inside = match &fence {
            Some(open) => {
                if trimmed.starts_with(open.as_str()) && trimmed.trim_end() == open {
                    fence = None;
                }
                true
            }
            None if opener.len() >= 3 => {
                fence = Some(opener);
                true
            }
            None => false,
        };
        out.push((at + 1, line, inside));
    }
    out
}

/// Every fenced code block of `text`, with its indentation taken off.
pub fn blocks(text: &str) -> Vec<Block> {
    let lines: Vec<&str> = text.lines().collect();
    let mut blocks = Vec::new();
    let mut at = 0;
    while at < lines.len() {
        let line = lines[at];
        let trimmed = line.trim_start();
        let opener: String = trimmed
            .chars()
            .take_while(|c| *c == '`' || *c == '~')
            .collect();
        if opener.len() < 3 {
            at += 1;
            continue;
        }
        let indent = line.len() - trimmed.len();
        let info = trimmed[opener.len()..].trim().to_owned();
        let marker = lines[..at]
            .iter()
            .rev()
            .find(|l| !l.trim().is_empty())
            .and_then(|l| {
                l.trim()
                    .strip_prefix("<!-- snippet:")
                    .and_then(|rest| rest.strip_suffix("-->"))
                    .map(|kind| kind.trim().to_owned())
            });
        let start = at + 1;
        let mut end = start;
        while end < lines.len() && lines[end].trim() != opener {
            end += 1;
        }
        let body: Vec<&str> = lines[start..end.min(lines.len())]
            .iter()
            .map(|l| l.get(indent..).unwrap_or(l.trim_start()))
            .collect();
        blocks.push(Block {
            line: at + 1,
            info,
            text: body.join("\n") + "\n",
            marker,
        });
        at = end + 1;
    }
    blocks
}

/// GitHub's anchor for a heading: lowercase; letters, digits, `-`, `_` and spaces kept;
/// spaces turned into `-`.
pub fn slug(heading: &str) -> String {
    let text = link_texts(heading);
    text.trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | ' '))
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

/// `[text](target)` replaced by `text`, as the rendered heading shows it.
fn link_texts(text: &str) -> String {
    let pattern = regex::Regex::new(r"!?\[([^\]]*)\]\([^)]*\)").expect("a valid pattern");
    pattern.replace_all(text, "$1").into_owned()
}

/// Every anchor GitHub gives the headings of `text`; a repeated slug gets `-1`, `-2`, ….
pub fn anchors(text: &str) -> BTreeSet<String> {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut anchors = BTreeSet::new();
    for (_, line, inside) in lines_outside_code(text) {
        if inside {
            continue;
        }
        let hashes = line.chars().take_while(|c| *c == '#').count();
        if !(1..=6).contains(&hashes) || !line[hashes..].starts_with(' ') {
            continue;
        }
        let base = slug(&line[hashes..]);
        let count = seen.entry(base.clone()).or_insert(0);
        anchors.insert(if *count == 0 {
            base.clone()
        } else {
            format!("{base}-{count}")
        });
        *count += 1;
    }
    anchors
}

/// Every link target of `text` outside code, with its line: `[text](target)`.
pub fn links(text: &str) -> Vec<(usize, String)> {
    let code = regex::Regex::new(r"`+[^`]*`+").expect("a valid pattern");
    let link = regex::Regex::new(r#"\]\(([^)\s]+)(?:\s+"[^"]*")?\)"#).expect("a valid pattern");
    let mut found = Vec::new();
    for (number, line, inside) in lines_outside_code(text) {
        if inside {
            continue;
        }
        let line = code.replace_all(line, "");
        for capture in link.captures_iter(&line) {
            found.push((number, capture[1].to_owned()));
        }
    }
    found
}

#[test]
fn slugs_follow_github() {
    assert_eq!(slug(" Getui's limits on pushes"), "getuis-limits-on-pushes");
    assert_eq!(
        slug(" `gtcamp import KEY TASK_ID [DIR] [--target T]`"),
        "gtcamp-import-key-task_id-dir---target-t"
    );
    assert_eq!(slug(" [Linked](x.md) heading"), "linked-heading");
    assert_eq!(slug(" 中文 标题"), "中文-标题");
    let twice = anchors("# A\n\n## A\n\n```\n# not a heading\n```\n### A\n");
    assert_eq!(twice.into_iter().collect::<Vec<_>>(), ["a", "a-1", "a-2"]);
}
