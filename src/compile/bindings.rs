//! Phone bindings: every cid and the md5 of its phone number, from inline pairs and CSVs.
//!
//! Clear numbers from a CSV are normalised (`+86` / `86` dropped, so one number has one
//! hash however it was exported) and hashed here, on this machine; only the hash leaves
//! this module. Large CSVs are hashed on every core: a million rows is a normal size for
//! an app's user base.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::resolve::Inputs;
use super::{CompileError, PhoneHash};
use md5::{Digest, Md5};

use crate::getui::phone_hash;
use crate::load::PhoneRow;

/// Below this many rows, starting threads costs more than it saves.
const ROWS_PER_THREAD_MIN: usize = 20_000;

/// One binding and the file that declares it (an index into the list of files).
struct Entry {
    cid: String,
    hash: PhoneHash,
    file: usize,
}

/// cid → phone hash for the whole workspace. The same cid bound to two different numbers
/// is an error naming both files; the same pair twice is fine.
pub(super) fn collect(
    inputs: &Inputs,
    root: &Path,
) -> Result<BTreeMap<String, PhoneHash>, CompileError> {
    let mut files: Vec<PathBuf> = Vec::new();
    let mut entries: Vec<Entry> = Vec::new();
    for (loaded, bindings) in &inputs.bindings {
        files.push(relative(&loaded.file, root));
        let file = files.len() - 1;
        entries.extend(bindings.pairs.iter().map(|pair| Entry {
            cid: pair.cid.clone(),
            hash: PhoneHash(pair.pn_md5.clone()),
            file,
        }));
        if let Some(csv) = &loaded.phone_csv {
            files.push(relative(&csv.path, root));
            let file = files.len() - 1;
            entries.extend(hash_rows(&csv.rows).into_iter().map(|(cid, hash)| Entry {
                cid,
                hash,
                file,
            }));
        }
    }
    // By cid, then by file, so "first" in a conflict is the file read first.
    entries.sort_unstable_by(|a, b| a.cid.cmp(&b.cid).then(a.file.cmp(&b.file)));
    let mut out: Vec<(String, PhoneHash)> = Vec::with_capacity(entries.len());
    let mut first_file: Option<usize> = None;
    for entry in entries {
        match out.last() {
            Some((cid, hash)) if *cid == entry.cid => {
                if *hash != entry.hash {
                    let name = |i: Option<usize>| {
                        i.and_then(|i| files.get(i))
                            .map_or_else(String::new, |f| f.display().to_string())
                    };
                    return Err(CompileError::ConflictingBinding {
                        cid: entry.cid,
                        first: name(first_file),
                        second: name(Some(entry.file)),
                    });
                }
            }
            _ => {
                first_file = Some(entry.file);
                out.push((entry.cid, entry.hash));
            }
        }
    }
    Ok(out.into_iter().collect())
}

fn relative(path: &Path, root: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

/// The number without its country code: `+8613800138000` and `8613800138000` are
/// `13800138000`.
pub(super) fn national_number(phone: &str) -> &str {
    let phone = phone.trim();
    let is_national = |rest: &&str| rest.len() == 11 && rest.bytes().all(|b| b.is_ascii_digit());
    phone
        .strip_prefix("+86")
        .filter(is_national)
        .or_else(|| phone.strip_prefix("86").filter(is_national))
        .unwrap_or(phone)
}

/// What [`phone_hash`] computes (a test holds them equal), without its per-character hex
/// iterator: at a million rows that iterator was as slow as md5 itself.
fn md5_hex(phone: &str) -> PhoneHash {
    let digest = Md5::digest(phone.trim().as_bytes());
    let mut out = [0u8; 32];
    match hex::encode_to_slice(digest, &mut out) {
        Ok(()) => PhoneHash(String::from_utf8_lossy(&out).into_owned()),
        Err(_) => PhoneHash(phone_hash(phone)),
    }
}

/// (cid, md5 of the national number) for every row, on every core when there are many.
fn hash_rows(rows: &[PhoneRow]) -> Vec<(String, PhoneHash)> {
    let hash_one = |row: &PhoneRow| (row.cid.clone(), md5_hex(national_number(&row.phone)));
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    if threads < 2 || rows.len() < ROWS_PER_THREAD_MIN * 2 {
        return rows.iter().map(hash_one).collect();
    }
    let chunk = rows.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let handles: Vec<_> = rows
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().map(hash_one).collect::<Vec<_>>()))
            .collect();
        let mut out = Vec::with_capacity(rows.len());
        for (handle, part) in handles.into_iter().zip(rows.chunks(chunk)) {
            // A hashing thread cannot panic on any input; should it ever, hash its part here.
            match handle.join() {
                Ok(hashed) => out.extend(hashed),
                Err(_) => out.extend(part.iter().map(hash_one)),
            }
        }
        out
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn md5_hex_is_getuis_phone_hash() {
        for phone in ["13800138000", " 13900139001 ", "", "8613800138000"] {
            assert_eq!(md5_hex(phone).0, phone_hash(phone), "{phone:?}");
        }
    }

    #[test]
    fn national_number_drops_plus_86_and_86_only_before_11_digits() {
        assert_eq!(national_number("+8613800138000"), "13800138000");
        assert_eq!(national_number("8613800138000"), "13800138000");
        assert_eq!(national_number("13800138000"), "13800138000");
        assert_eq!(national_number("86138"), "86138");
    }
}
