//! Markdown: names, messages and Getui's errors are the user's text, so they go through
//! [`code`] or [`text`], and a backtick or `<!--` in a tag cannot close a code span or open
//! HTML in a pull-request comment.

/// `text` as one inline code span: fenced by one backtick more than its longest run of
/// them, so nothing inside can close it, and inside a code span `<` is not HTML.
pub fn code(text: &str) -> String {
    let text = text.replace(['\n', '\r'], " ");
    let fence = "`".repeat(longest_backtick_run(&text) + 1);
    // A span may not start or end with its own fence character: pad, which Markdown strips.
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// A name as a code span in a table cell, where `|` splits cells even inside code.
pub fn table_code(text: &str) -> String {
    code(text).replace('|', "\\|")
}

/// `text` as plain Markdown on one line: no code span, HTML, entity or table cell can
/// begin in it.
pub fn text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '`' => out.push_str("\\`"),
            '|' => out.push_str("\\|"),
            '\\' => out.push_str("\\\\"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// The longest run of backticks in `text`: a fence one longer cannot be closed early.
pub fn longest_backtick_run(text: &str) -> usize {
    text.split(|c| c != '`').map(str::len).max().unwrap_or(0)
}
