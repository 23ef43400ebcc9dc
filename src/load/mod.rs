//! Finding workspace files and parsing YAML documents with their source spans.
