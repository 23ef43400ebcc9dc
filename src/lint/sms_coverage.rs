//! SMS coverage (GC072): a campaign falls back to SMS, but no phone number is bound for
//! its audience, so the fallback reaches nobody.
//!
//! What can be judged without asking Getui: for a cid audience, whether any of its cids has
//! a binding in the workspace's `PhoneBindings`; for any other audience (filters, aliases,
//! all users), whether the workspace binds any number at all. Bindings made outside
//! gtcamp are not seen.

use super::{Finding, Subject};
use crate::compile::Desired;
use crate::load::Diagnostic;
use crate::load::codes;
use crate::model::Level;

pub(super) fn lint(subjects: &[Subject], desired: &Desired, level: Level, out: &mut Vec<Finding>) {
    for subject in subjects.iter().filter(|s| s.has_sms) {
        let Some(audience) = subject.audience else {
            continue;
        };
        let judged = match &audience.cids {
            Some(cids) if !cids.is_empty() => {
                if cids.iter().any(|cid| desired.bindings.contains_key(cid)) {
                    continue;
                }
                match cids.len() {
                    1 => "the one cid of its audience has no phone number in the workspace's PhoneBindings".to_owned(),
                    n => format!("none of the {n} cids of its audience has a phone number in the workspace's PhoneBindings"),
                }
            }
            _ if !desired.bindings.is_empty() => continue,
            _ => "its audience is not a cid list, and the workspace's PhoneBindings bind no phone number at all"
                .to_owned(),
        };
        let message = format!(
            "campaign `{}` falls back to SMS, but {judged}: the SMS would reach nobody",
            subject.name
        );
        let help = "bind the audience's cids to phone numbers with a `PhoneBindings` document, or drop \
                    `sms` from the template; `lints.sms_coverage.level: off` in gtcamp.yaml silences this";
        out.push(
            subject.finding(
                Diagnostic::of_level(level, codes::GC072, message)
                    .help(help)
                    .label("SMS to nobody"),
            ),
        );
    }
}
