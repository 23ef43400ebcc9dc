//! The JSON Schema, as authors meet it: the committed file, the examples it accepts, the
//! README reference built from it, and the diagnostics a real editor shows.

mod committed;
mod editor;
mod examples;
mod workspace;
