//! SMS fallback: a template id, a delay Getui accepts, no `url` parameter beside an app
//! link, and, when the workspace knows the SMS template's text, a rendered text within 70
//! characters with every `${placeholder}` filled.

use crate::load::codes;
use std::collections::BTreeMap;

use super::site::Site;
use super::{Diagnostic, View};
use crate::model::{Campaign, Defaults, Sms};

const MAX_SMS_CHARS: usize = 70;
const MAX_DELAY_SECS: u64 = 3 * 86_400;

/// Rules that depend on the template alone.
pub(super) fn check(view: &View, site: &Site, sms: &Sms, out: &mut Vec<Diagnostic>) {
    if sms.template_id.trim().is_empty() {
        out.push(
            site.at_value(
                Diagnostic::error(codes::GC030, "the SMS fallback has an empty `template_id`")
                    .help("write the id of an SMS template registered and approved on Getui"),
                &["sms", "template_id"],
            ),
        );
    }
    if sms.delay.as_secs() > MAX_DELAY_SECS {
        out.push(
            site.at_value(
                Diagnostic::error(
                    codes::GC031,
                    format!("the SMS delay `{}` is longer than 3 days", sms.delay),
                )
                .help("Getui sends SMS fallback at most 3 days after the push; write `3d` or less")
                .label("too long"),
                &["sms", "delay"],
            ),
        );
    }
    if sms.applink.is_some() && sms.params.contains_key("url") {
        out.push(
            site.at_key(
                Diagnostic::error(
                    codes::GC032,
                    "an SMS with an `applink` cannot also set the `url` parameter",
                )
                .help("Getui fills `url` with the app link itself; remove `params.url`")
                .label("conflicts with `applink`"),
                &["sms", "params", "url"],
            ),
        );
    }
    let text = view
        .settings()
        .and_then(|settings| settings.sms_templates.get(&sms.template_id));
    if let Some(text) = text {
        check_text(site, sms, text, out);
    }
}

/// `template` with every `${name}` filled from `params`, and the names that had no value.
pub(super) fn render(template: &str, params: &BTreeMap<String, String>) -> (String, Vec<String>) {
    let mut rendered = String::new();
    let mut missing = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find("${") {
        rendered.push_str(rest.get(..start).unwrap_or_default());
        let after = rest.get(start + 2..).unwrap_or_default();
        let Some(end) = after.find('}') else {
            rendered.push_str(rest.get(start..).unwrap_or_default());
            rest = "";
            break;
        };
        let name = after.get(..end).unwrap_or_default();
        match params.get(name) {
            Some(value) => rendered.push_str(value),
            None => {
                if !missing.iter().any(|m| m == name) {
                    missing.push(name.to_owned());
                }
            }
        }
        rest = after.get(end + 1..).unwrap_or_default();
    }
    rendered.push_str(rest);
    (rendered, missing)
}

fn check_text(site: &Site, sms: &Sms, text: &str, out: &mut Vec<Diagnostic>) {
    let mut params = sms.params.clone();
    if let Some(applink) = &sms.applink {
        // Getui puts the app link in `url`; count it as the reader will see it.
        params.insert("url".to_owned(), applink.url.clone());
    }
    let (rendered, missing) = render(text, &params);
    if !missing.is_empty() {
        let list = missing
            .iter()
            .map(|m| format!("`{m}`"))
            .collect::<Vec<_>>()
            .join(", ");
        out.push(
            site.at_key(
                Diagnostic::error(
                    codes::GC034,
                    format!(
                        "SMS template `{}` needs parameters that are not given: {list}",
                        sms.template_id
                    ),
                )
                .help(format!(
                    "add them under `sms.params`, such as `{}: ...`",
                    missing.first().map_or("name", String::as_str)
                ))
                .label("missing parameters"),
                &["sms", "params"],
            ),
        );
    }
    let chars = rendered.chars().count();
    if chars > MAX_SMS_CHARS {
        out.push(site.at_key(
            Diagnostic::error(
                codes::GC033,
                format!("the SMS text is {chars} characters once its parameters are filled in; at most {MAX_SMS_CHARS} are sent"),
            )
            .help(format!(
                "shorten the parameters by {}",
                crate::render::count(chars - MAX_SMS_CHARS, "character", "characters")
            ))
            .label("SMS too long"),
            &["sms", "params"],
        ));
    }
}

/// The delay must fall within the campaign's offline keep time, or the push has expired
/// before the SMS could be sent.
pub(super) fn check_campaign(
    view: &View,
    site: &Site,
    campaign: &Campaign,
    out: &mut Vec<Diagnostic>,
) {
    let Some(template) = view.template_of(campaign) else {
        return;
    };
    let Some(sms) = &template.sms else { return };
    let (keep, keep_path): (_, &[&str]) = match campaign.delivery.offline_keep {
        Some(keep) => (keep, &["delivery", "offline_keep"]),
        None => (
            view.settings().map_or_else(
                || Defaults::default().offline_keep,
                |s| s.defaults.offline_keep,
            ),
            &["template"],
        ),
    };
    if sms.delay.as_secs() > keep.as_secs() {
        out.push(site.at_value(
            Diagnostic::error(
                codes::GC031,
                format!(
                    "campaign `{}` keeps its push for offline phones {keep}, but its template sends the SMS after {}",
                    campaign.name, sms.delay
                ),
            )
            .help("the SMS must start within the offline keep time: shorten `sms.delay` or raise `delivery.offline_keep`")
            .label("offline keep time"),
            keep_path,
        ));
    }
}
