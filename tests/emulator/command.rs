//! `gtcamp emulator` refuses bad flags with a message that says how to fix them.

use assert_cmd::Command;
use predicates::prelude::*;
use predicates::str::contains;

fn gtcamp() -> Command {
    Command::new(env!("CARGO_BIN_EXE_gtcamp"))
}

#[test]
fn emulator_command_rejects_a_bad_fault_spec_with_the_fix() {
    gtcamp()
        .args([
            "emulator",
            "--listen",
            "127.0.0.1:0",
            "--faults",
            "meteor=0.5",
        ])
        .assert()
        .failure()
        .stderr(contains("unknown fault kind `meteor`"))
        .stderr(contains(
            "http5xx, reset, timeout, flow_exceeded, commit_drop, domain_error",
        ));
}

#[test]
fn emulator_command_rejects_a_bad_latency() {
    gtcamp()
        .args(["emulator", "--listen", "127.0.0.1:0", "--latency", "soon"])
        .assert()
        .failure()
        .stderr(contains("`soon` is not a latency"));
}

#[test]
fn emulator_command_reports_a_users_file_with_an_unknown_key() {
    let dir = tempfile::tempdir().expect("temp dir");
    let users = dir.path().join("users.yaml");
    std::fs::write(&users, "users:\n  - cid: a\n    colour: red\n").expect("write");
    gtcamp()
        .args(["emulator", "--listen", "127.0.0.1:0", "--users"])
        .arg(&users)
        .assert()
        .failure()
        .stderr(contains("users file"))
        .stderr(contains("colour"));
}

#[test]
fn emulator_command_help_never_shows_the_secret() {
    gtcamp()
        .args(["emulator", "--help"])
        .env("GETUI_MASTER_SECRET", "s3cr3t-value")
        .assert()
        .success()
        .stdout(contains("--master-secret"))
        .stdout(contains("s3cr3t-value").not())
        .stdout(contains("demo-secret").not());
}
