//! The JSON Schema, as authors meet it: the committed file, the examples it accepts and
//! offers, the YAML reference page built from it, and the diagnostics a real editor shows.

mod committed;
mod editor;
mod examples;
mod field_examples;
mod workspace;
