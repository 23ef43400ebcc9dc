//! Templates: Getui's length limits (protocol doc D.9), URLs, the fields each template
//! type needs or must not have, the APNs payload size and the display window.
//!
//! Lengths count characters, as Getui's tables do (a Chinese character is one), except
//! the APNs JSON, which Apple limits in bytes.

use super::Diagnostic;
use super::minutes::{self, Rounding};
use super::site::Site;
use crate::load::codes;
use crate::model::{IosBadge, Template, TemplateKind};
use crate::render::count;

const MAX_URL_CHARS: usize = 200;
const MAX_APNS_BYTES: usize = 3072;
const MIN_DISPLAY_WINDOW_MINUTES: i64 = 10;

pub(super) fn check(site: &Site, template: &Template, out: &mut Vec<Diagnostic>) {
    check_lengths(site, template, out);
    check_urls(site, template, out);
    check_fields_for_type(site, template, out);
    check_apns_size(site, template, out);
    check_display_window(site, template, out);
}

/// Every text field with its path and its limit in characters.
fn texts(template: &Template) -> Vec<(&[&str], Option<&str>, usize)> {
    let popload = template.popload.as_ref();
    let startup = popload.and_then(|p| p.startup.as_ref());
    let style = template.style.as_ref();
    let android = template.android.as_ref();
    vec![
        (&["title"][..], template.title.as_deref(), 40),
        // A vendor notification's limits are V2's `ups.notification` ones (F.2).
        (
            &["android", "title"],
            android.and_then(|a| a.title.as_deref()),
            50,
        ),
        (
            &["android", "text"],
            android.and_then(|a| a.text.as_deref()),
            256,
        ),
        (&["text"], template.text.as_deref(), 600),
        (&["logo"], template.logo.as_deref(), 40),
        (
            &["transmission", "content"],
            template.transmission.as_ref().map(|t| t.content.as_str()),
            2048,
        ),
        (
            &["popload", "popup_title"],
            popload.map(|p| p.popup_title.as_str()),
            40,
        ),
        (
            &["popload", "popup_text"],
            popload.map(|p| p.popup_text.as_str()),
            600,
        ),
        (
            &["popload", "download_button"],
            popload.map(|p| p.download_button.as_str()),
            4,
        ),
        (
            &["popload", "cancel_button"],
            popload.map(|p| p.cancel_button.as_str()),
            4,
        ),
        (
            &["popload", "download_title"],
            popload.map(|p| p.download_title.as_str()),
            40,
        ),
        (
            &["popload", "download_icon"],
            popload.and_then(|p| p.download_icon.as_deref()),
            40,
        ),
        (
            &["popload", "startup", "android"],
            startup.and_then(|s| s.android.as_deref()),
            40,
        ),
        (
            &["popload", "startup", "ios"],
            startup.and_then(|s| s.ios.as_deref()),
            40,
        ),
        (
            &["popload", "startup", "symbian"],
            startup.and_then(|s| s.symbian.as_deref()),
            40,
        ),
        (
            &["style", "big_text"],
            style.and_then(|s| s.big_text.as_deref()),
            512,
        ),
    ]
}

/// Every URL field with its path.
fn urls(template: &Template) -> Vec<(&[&str], Option<&str>)> {
    let popload = template.popload.as_ref();
    let style = template.style.as_ref();
    let applink = template.sms.as_ref().and_then(|s| s.applink.as_ref());
    vec![
        (&["url"][..], template.url.as_deref()),
        (&["logo_url"], template.logo_url.as_deref()),
        (
            &["popload", "popup_image"],
            popload.and_then(|p| p.popup_image.as_deref()),
        ),
        (
            &["popload", "download_url"],
            popload.map(|p| p.download_url.as_str()),
        ),
        (
            &["style", "banner_url"],
            style.and_then(|s| s.banner_url.as_deref()),
        ),
        (
            &["style", "big_image_url"],
            style.and_then(|s| s.big_image_url.as_deref()),
        ),
        (&["sms", "applink", "url"], applink.map(|a| a.url.as_str())),
    ]
}

fn field_name(path: &[&str]) -> String {
    path.join(".")
}

fn check_lengths(site: &Site, template: &Template, out: &mut Vec<Diagnostic>) {
    for (path, value, limit) in texts(template) {
        let Some(value) = value else { continue };
        let chars = value.chars().count();
        if chars > limit {
            out.push(too_long(site, path, chars, limit));
        }
    }
}

pub(super) fn too_long(site: &Site, path: &[&str], chars: usize, limit: usize) -> Diagnostic {
    let field = field_name(path);
    site.at_value(
        Diagnostic::error(
            codes::GC020,
            format!("`{field}` is {chars} characters long; Getui accepts at most {limit}"),
        )
        .help(format!(
            "shorten `{field}` by {}",
            count(chars - limit, "character", "characters")
        ))
        .label(format!("{chars} characters")),
        path,
    )
}

fn check_urls(site: &Site, template: &Template, out: &mut Vec<Diagnostic>) {
    for (path, value) in urls(template) {
        let Some(value) = value else { continue };
        if let Some(problem) = url_problem(site, path, value) {
            out.push(problem);
        }
    }
}

/// Whether `value` is an http(s) URL Getui accepts; shared with workspace endpoints.
pub(super) fn is_http_url(value: &str) -> bool {
    let rest = value
        .strip_prefix("https://")
        .or_else(|| value.strip_prefix("http://"));
    rest.is_some_and(|r| {
        !r.is_empty() && !r.starts_with('/') && !value.chars().any(char::is_whitespace)
    })
}

fn url_problem(site: &Site, path: &[&str], value: &str) -> Option<Diagnostic> {
    let field = field_name(path);
    if !is_http_url(value) {
        return Some(
            site.at_value(
                Diagnostic::error(
                    codes::GC021,
                    format!("`{field}` is not an http or https URL"),
                )
                .help("write a full URL that starts with `https://` (or `http://`), without spaces")
                .label("not an http(s) URL"),
                path,
            ),
        );
    }
    let chars = value.chars().count();
    (chars > MAX_URL_CHARS).then(|| too_long(site, path, chars, MAX_URL_CHARS))
}

fn check_fields_for_type(site: &Site, template: &Template, out: &mut Vec<Diagnostic>) {
    let kind = template.kind;
    let kind_name = kind.as_str();
    let shows_notification = kind != TemplateKind::Transmission;
    let mut required: Vec<(&str, bool)> = Vec::new();
    if shows_notification {
        required.push(("title", template.title.is_some()));
        required.push(("text", template.text.is_some()));
    }
    match kind {
        TemplateKind::Link => required.push(("url", template.url.is_some())),
        TemplateKind::Popload => required.push(("popload", template.popload.is_some())),
        TemplateKind::Transmission => {
            required.push(("transmission", template.transmission.is_some()))
        }
        TemplateKind::Notification => {}
    }
    for (field, present) in required {
        if !present {
            out.push(
                site.at_value(
                    Diagnostic::error(
                        codes::GC023,
                        format!("a `{kind_name}` template needs `{field}`"),
                    )
                    .help(format!("add `{field}:` to this template"))
                    .label(format!("`{kind_name}` template without `{field}`")),
                    &["type"],
                ),
            );
        }
    }
    let mut foreign: Vec<&str> = Vec::new();
    if kind != TemplateKind::Link && template.url.is_some() {
        foreign.push("url");
    }
    if kind != TemplateKind::Popload && template.popload.is_some() {
        foreign.push("popload");
    }
    if !shows_notification {
        // A transmission shows nothing by itself, so the notification's look has no effect.
        for field in [
            "title",
            "text",
            "logo",
            "logo_url",
            "style",
            "ring",
            "vibrate",
            "clearable",
        ] {
            if site.spans.get(&site.path(&[field])).is_some() {
                foreign.push(field);
            }
        }
    }
    for field in foreign {
        let hint = match field {
            "url" => "use `type: link` to open a page, or remove `url`".to_owned(),
            "popload" => {
                "use `type: popload` for a download pop-up, or remove `popload`".to_owned()
            }
            _ => format!(
                "a transmission shows no notification; remove `{field}` (for iOS, set the alert under `ios`)"
            ),
        };
        out.push(
            site.at_key(
                Diagnostic::error(
                    codes::GC024,
                    format!("`{field}` does not belong in a `{kind_name}` template"),
                )
                .help(hint)
                .label(format!("not used by `{kind_name}` templates")),
                &[field],
            ),
        );
    }
}

/// The APNs JSON as protocol doc D.7 builds it: custom keys beside `aps`.
pub(super) fn apns_json(template: &Template) -> Option<String> {
    let ios = template.ios.as_ref()?;
    let mut alert = serde_json::Map::new();
    let title = ios.title.as_ref().or(template.title.as_ref());
    let body = ios.body.as_ref().or(template.text.as_ref());
    for (key, value) in [
        ("title", title),
        ("body", body),
        ("subtitle", ios.subtitle.as_ref()),
    ] {
        if let Some(value) = value {
            alert.insert(key.to_owned(), value.clone().into());
        }
    }
    let mut aps = serde_json::Map::new();
    if !alert.is_empty() {
        aps.insert("alert".to_owned(), alert.into());
    }
    match &ios.badge {
        Some(IosBadge::Set(n)) => {
            aps.insert("badge".to_owned(), (*n).into());
        }
        Some(IosBadge::Change(change)) => {
            aps.insert("autoBadge".to_owned(), change.clone().into());
        }
        None => {}
    }
    if let Some(sound) = &ios.sound {
        aps.insert("sound".to_owned(), sound.clone().into());
    }
    if let Some(category) = &ios.category {
        aps.insert("category".to_owned(), category.clone().into());
    }
    if ios.content_available {
        aps.insert("content-available".to_owned(), 1.into());
    }
    let mut payload: serde_json::Map<String, serde_json::Value> = ios
        .custom
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    payload.insert("aps".to_owned(), aps.into());
    serde_json::to_string(&payload).ok()
}

fn check_apns_size(site: &Site, template: &Template, out: &mut Vec<Diagnostic>) {
    let Some(json) = apns_json(template) else {
        return;
    };
    if json.len() > MAX_APNS_BYTES {
        out.push(site.at_key(
            Diagnostic::error(
                codes::GC022,
                format!(
                    "the iOS (APNs) payload of this template is {} bytes; Apple and Getui accept at most {MAX_APNS_BYTES}",
                    json.len()
                ),
            )
            .help(format!(
                "shorten the alert texts or `ios.custom` by {} (Chinese characters take 3 bytes each)",
                count(json.len() - MAX_APNS_BYTES, "byte", "bytes")
            ))
            .label("APNs payload too large"),
            &["ios"],
        ));
    }
}

fn check_display_window(site: &Site, template: &Template, out: &mut Vec<Diagnostic>) {
    let Some(window) = &template.display_window else {
        return;
    };
    let ends = [(&window.start, "start"), (&window.end, "end")];
    for (instant, field) in ends {
        minutes::check(
            site,
            instant,
            Rounding::Down,
            &["display_window", field],
            out,
        );
    }
    let length = window.end.0.signed_duration_since(window.start.0);
    if length <= chrono::Duration::minutes(MIN_DISPLAY_WINDOW_MINUTES) {
        let minutes = length.num_minutes();
        out.push(site.at_value(
            Diagnostic::error(
                codes::GC025,
                format!(
                    "the display window is {minutes} minutes long; it must be longer than {MIN_DISPLAY_WINDOW_MINUTES} minutes"
                ),
            )
            .help("move `display_window.end` more than 10 minutes after `start` (Getui shows notifications to within ±6 minutes)")
            .label("window ends here"),
            &["display_window", "end"],
        ));
    }
}
