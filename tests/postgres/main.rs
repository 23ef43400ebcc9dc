//! Shared state in PostgreSQL, against a real server started for this binary: runners on two
//! working copies sharing one database never push twice, recover each other's crashes, and
//! never print the database password; every connection is TLS, checked as `verify-full`,
//! and each `sslmode` connects or fails as libpq's would.

mod certs;
mod cluster;
#[path = "../e2e/harness.rs"]
#[allow(dead_code)]
mod harness;
mod runners;
mod store;
mod tls;
