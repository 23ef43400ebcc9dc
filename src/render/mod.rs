//! Text for people, shared by every output format: how instants, counts and paths read
//! ([`words`]), and how user text is kept safe inside Markdown ([`markdown`]), HTML
//! ([`html`]), Mermaid charts ([`mermaid`]) and GitHub workflow commands ([`github`]).
//!
//! The renderers of plans (`plan/render/`), of the calendar (`calendar/render/`) and of
//! diagnostics (`check/render.rs`) build on these. Nothing here knows a plan, a calendar or
//! a diagnostic, so each of them may use any of it without reaching into another's
//! renderer; a new output format adds its escaping here, beside the others.

pub mod github;
pub mod html;
pub mod markdown;
pub mod mermaid;
pub mod words;

#[cfg(test)]
pub(crate) mod tests;

pub use words::{beijing, beijing_note, count, display_path, instant, noun, thousands};
