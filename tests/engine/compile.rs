//! Compiling workspaces end to end.
