//! Personal data: phone numbers never enter git or logs in clear.
//!
//! Bindings carry the md5 of a number (`pn_md5`, 32 lowercase hex), or point at a CSV kept
//! outside git whose numbers must be valid CN mobile numbers. A number written in clear
//! anywhere in YAML is an error, and every snippet shown to people is masked
//! ([`mask_phone_numbers`]) so the number does not reach a CI log either.

use crate::load::codes;
use std::ops::Range;

use super::{Diagnostic, View};
use crate::load::{FieldPath, mask_phone};

pub(super) fn check(view: &View, out: &mut Vec<Diagnostic>) {
    check_hashes(view, out);
    check_csv_rows(view, out);
    check_clear_numbers(view, out);
}

fn check_hashes(view: &View, out: &mut Vec<Diagnostic>) {
    for (loaded, bindings) in &view.bindings {
        for (index, pair) in bindings.pairs.iter().enumerate() {
            if is_md5(&pair.pn_md5) {
                continue;
            }
            let path = FieldPath::root().key("pairs").index(index).key("pn_md5");
            let span = loaded.spans.value_or_nearest(&path).unwrap_or(loaded.start);
            out.push(
                Diagnostic::error(codes::GC045, format!("`pairs[{index}].pn_md5` is not an md5 hash"))
                    .help("write the md5 of the phone number as 32 lowercase hex characters, or list clear numbers in a CSV outside git and point `source` at it")
                    .at(&loaded.file, span)
                    .label("not 32 lowercase hex characters"),
            );
        }
    }
}

fn is_md5(text: &str) -> bool {
    text.len() == 32
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Whether `text` is a CN mobile number: 11 digits starting 1[3-9], optionally after
/// `+86` or `86`.
pub(super) fn is_cn_mobile(text: &str) -> bool {
    let national = text
        .strip_prefix("+86")
        .or_else(|| text.strip_prefix("86").filter(|rest| rest.len() == 11))
        .unwrap_or(text);
    let bytes = national.as_bytes();
    bytes.len() == 11
        && bytes.iter().all(u8::is_ascii_digit)
        && bytes.first() == Some(&b'1')
        && bytes.get(1).is_some_and(|b| (b'3'..=b'9').contains(b))
}

fn check_csv_rows(view: &View, out: &mut Vec<Diagnostic>) {
    for (loaded, _) in &view.bindings {
        let Some(csv) = &loaded.phone_csv else {
            continue;
        };
        for row in &csv.rows {
            if is_cn_mobile(&row.phone) {
                continue;
            }
            out.push(
                Diagnostic::error(
                    codes::GC046,
                    format!(
                        "row {} of the phone CSV: `{}` is not a valid CN mobile number",
                        row.line,
                        mask_phone(&row.phone)
                    ),
                )
                .help("write 11 digits starting with 13 to 19, optionally after +86, such as 138****0000")
                .at(
                    &csv.path,
                    crate::load::Span {
                        line: row.line,
                        column: 1,
                        offset: 0,
                        len: 0,
                    },
                ),
            );
        }
    }
}

/// Where phone numbers sit in `text`: the byte range of each number's middle four digits.
fn phone_middles(text: &str) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
            continue;
        }
        let start = i;
        while bytes.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        let run = text.get(start..i).unwrap_or_default();
        let national_start = match run.len() {
            11 => start,
            13 if run.starts_with("86") => start + 2,
            _ => continue,
        };
        if is_cn_mobile(text.get(national_start..i).unwrap_or_default()) {
            found.push(national_start + 3..national_start + 7);
        }
    }
    found
}

/// `text` with the middle four digits of every phone number replaced by `*`. Byte offsets
/// are unchanged, so spans into the original still point at the same places.
pub(crate) fn mask_phone_numbers(text: &str) -> String {
    let mut masked = text.to_owned();
    for range in phone_middles(text) {
        masked.replace_range(range, "****");
    }
    masked
}

fn check_clear_numbers(view: &View, out: &mut Vec<Diagnostic>) {
    for loaded in &view.workspace.documents {
        for scalar in loaded.spans.scalars() {
            if is_md5(&scalar.text) || phone_middles(&scalar.text).is_empty() {
                continue;
            }
            out.push(
                Diagnostic::error(codes::GC047, format!("`{}` holds a phone number in clear", scalar.path))
                    .help("phone numbers are personal data and must not be in git: write its md5 in `pn_md5`, or move it to a CSV outside git and point a PhoneBindings `source` at it")
                    .at(&loaded.file, scalar.span)
                    .label("clear phone number"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_cn_mobile_numbers_with_and_without_prefix() {
        for ok in ["13800000000", "+8613800000000", "8619912345678"] {
            assert!(is_cn_mobile(ok), "{ok}");
        }
        for bad in [
            "12800000000",
            "1380000000",
            "138000000001",
            "+1 13800000000",
            "abc",
        ] {
            assert!(!is_cn_mobile(bad), "{bad}");
        }
    }

    #[test]
    fn masks_numbers_without_moving_anything() {
        let text = "a: 13812345678\nb: +8613912345678\nc: 123\n";
        let masked = mask_phone_numbers(text);
        assert_eq!(masked, "a: 138****5678\nb: +86139****5678\nc: 123\n");
        assert_eq!(masked.len(), text.len());
    }
}
