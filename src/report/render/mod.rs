//! The report's renderers: each format shows the same [`Report`](super::Report), in words
//! shared here.

pub mod html;
pub mod markdown;
pub mod text;

#[cfg(test)]
mod tests;

use super::model::{Availability, Figures, SendReport};
use crate::render::thousands;

/// `89.3%`, or `–` where there is nothing to divide by.
pub fn percent(rate: Option<f64>) -> String {
    rate.map_or_else(|| "–".to_owned(), |r| format!("{:.1}%", r * 100.0))
}

/// `targeted 6,000 · arrived 5,400 (90.0%) · displayed 5,000 · clicked 250 (5.0% of displayed)`.
pub fn figures_line(figures: &Figures) -> String {
    format!(
        "targeted {} · arrived {} ({}) · displayed {} · clicked {} ({} of displayed)",
        thousands(figures.targeted),
        thousands(figures.arrived),
        percent(figures.arrival_rate()),
        thousands(figures.displayed),
        thousands(figures.clicked),
        percent(figures.click_rate()),
    )
}

/// What stands in for the figures of a send that has none.
pub fn unavailable(send: &SendReport) -> Option<String> {
    match &send.availability {
        Availability::Available => None,
        Availability::NotYet => Some(
            "report not available yet: Getui's reports lag about 30 minutes behind a send"
                .to_owned(),
        ),
        Availability::Missing => Some(
            "Getui has no report of this task (it keeps them 90 days, for list and app pushes)"
                .to_owned(),
        ),
        Availability::NoTask => {
            Some("no task id in state: sent before gtcamp kept them".to_owned())
        }
        Availability::Failed { reason } => Some(format!("the report could not be read: {reason}")),
    }
}

/// `marketing · android, in 上海 · list push`: what a send was, in words.
pub fn send_words(send: &SendReport) -> String {
    let mut words = Vec::new();
    if let Some(class) = send.class {
        words.push(class.as_str().to_owned());
    }
    if let Some(audience) = &send.audience {
        words.push(audience.clone());
    }
    if send.kind == Some(crate::state::SendKind::List) {
        words.push("list push".to_owned());
    }
    words.join(" · ")
}

/// The reasons pushes were lost on a channel: `300 over the maker's daily quota (d6)`.
pub fn losses_words(losses: &[super::model::LossFigure]) -> String {
    losses
        .iter()
        .map(|loss| match &loss.reason {
            Some(reason) => format!("{} {reason} ({})", thousands(loss.count), loss.code),
            None => format!("{} for reason {}", thousands(loss.count), loss.code),
        })
        .collect::<Vec<_>>()
        .join(", ")
}
