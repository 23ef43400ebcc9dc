//! Unit and property tests of refresh, diff and saved plans; render goldens live in
//! `render/tests.rs`.

mod diff;
pub(crate) mod fixtures;
mod lifecycle;
mod properties;
mod refresh;
mod saved;
