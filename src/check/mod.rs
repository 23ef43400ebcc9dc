//! Semantic rules over a loaded workspace, producing diagnostics.
