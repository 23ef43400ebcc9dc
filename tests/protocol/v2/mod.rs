//! The REST V2 client against the emulator's V2 side: every operation, and every failure path
//! the client must survive or report (token expiry and renewal, `10001`, `301`, flow limits,
//! timeouts, dropped answers), mirroring `tests/protocol/client.rs` for the legacy client.

mod client; // operations, the same store as legacy, request_id de-duplication
mod faults; // auth, host switches, flow limits, timeouts, dropped answers
mod support; // an emulator on a manual clock, a V2 client of it
