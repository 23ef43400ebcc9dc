//! A Getui-compatible server speaking the legacy protocol, for the sandbox and for tests.
