//! The protocol client's integration tests: byte parity with the official SDK, and every
//! operation and failure path against the emulator.

mod bodies; // request bodies key by key against the official SDK's
mod client; // every operation and failure path against the emulator
mod parity; // clientData equals the official Python SDK's
mod reports; // the official Python SDK decodes the per-channel legacy reports
mod support;
mod v2; // the REST V2 client against the emulator's V2 side
