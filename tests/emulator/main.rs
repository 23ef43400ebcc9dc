//! Tests of the Getui emulator (`src/emulator/`, `gtcamp emulator`).
//!
//! One test binary, as the machine has two cores and every binary links the whole crate.

mod harness;

/// The cid–pn binding rules, on the memory store and the disk store.
mod bindings;
/// Every server-side check and its result code.
mod checks;
/// `gtcamp emulator` flags and their errors.
mod command;
/// cid–pn codes, aliases and tags.
mod directory;
/// Acknowledged changes survive a kill -9 of `gtcamp emulator --data`.
mod durability;
/// Each fault kind as a raw client sees it; the admin API.
mod faults;
/// Exact per-channel report figures on a fixed population, on both protocols.
mod report_figures;
/// Push reports, per task and per group, and their lag; the admin view of a group.
mod reports;
/// The official Python SDK against the real binary.
mod sdk;
/// Scheduled tasks, list pushes, group lookup, persistence.
mod tasks;
/// REST V2: each endpoint, the envelope, tokens, request ids, one store for both protocols.
mod v2;
/// Each fault kind on a REST V2 route.
mod v2_faults;
/// The makers' channels: vendor fields, delivery by channel, caps and hours.
mod vendor;
/// No Getui wire field name is spelled in `src/emulator/`.
mod wire_names;
