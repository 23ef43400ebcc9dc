//! The example workspace on the built-in sandbox: what a fresh clone does first.

use std::path::Path;

fn copy_folder(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("a readable example");
        let relative = entry.path().strip_prefix(from).expect("inside the folder");
        if relative.starts_with(".gtcamp") {
            continue;
        }
        let target = to.join(relative);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

use crate::harness::gtcamp_in as gtcamp;

#[test]
fn a_fresh_clone_plans_and_applies_on_the_sandbox_without_credentials() {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("campaigns");
    let clone = tempfile::tempdir().unwrap();
    copy_folder(&examples, clone.path());

    let plan = gtcamp(clone.path(), &["plan"]);
    let stderr = String::from_utf8_lossy(&plan.stderr);
    assert_eq!(plan.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("Target: sandbox (emulator at http://127.0.0.1:"),
        "{stderr}"
    );

    let apply = gtcamp(clone.path(), &["apply", "--auto-approve"]);
    let stdout = String::from_utf8_lossy(&apply.stdout);
    assert_eq!(apply.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("Apply complete!"), "{stdout}");
    assert!(clone.path().join(".gtcamp/sandbox").is_dir());

    let again = gtcamp(clone.path(), &["plan", "--detailed-exitcode"]);
    assert_eq!(
        again.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&again.stdout)
    );

    // A sandbox keeps the devices it was created with, and says so.
    std::fs::write(
        clone.path().join("extra.yaml"),
        "kind: PhoneBindings\nname: extra-phones\npairs:\n  - cid: new-device-1\n    pn_md5: 0123456789abcdef0123456789abcdef\n",
    )
    .unwrap();
    let later = gtcamp(clone.path(), &["plan"]);
    let stderr = String::from_utf8_lossy(&later.stderr);
    assert!(
        stderr.contains(
            "note: the sandbox has no device for 1 cid(s) of the workspace (such as `new-device-1`)"
        ),
        "{stderr}"
    );
}
