//! SMS fallback (B.10): cid–phone bindings, and `stop_sms`.
//!
//! Bindings follow table E.2. A pn (md5 of a phone number) belongs to one cid of the app and a
//! cid to one pn. A bind made through the API has level 1 and cannot replace a binding of a
//! higher level (code 3, e.g. a number the carrier verified). A pn already bound to another
//! cid moves to the new cid only if the new cid is at least as active; otherwise the answer is
//! code 4.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use super::exchange::{Exchange, check_app_id, decode, result_only, to_json};
use crate::emulator::reply::Reply;
use crate::emulator::store::{PnRecord, Store, User};
use crate::getui::wire::{self, CidPnEntry, CidPnResponse};
use crate::getui::{CidPnCode, ResultCode};

/// The level of a binding made through `bind_cid_pn`.
const API_LEVEL: u8 = 1;
const MAX_PAIRS: usize = 50;

fn cid_pn_reply(result: CidPnCode, entries: Vec<CidPnEntry>) -> Value {
    to_json(CidPnResponse {
        result: ResultCode::from_wire(result.as_str()),
        batch_ret: entries,
    })
}

fn entry(cid: &str, code: CidPnCode) -> CidPnEntry {
    CidPnEntry {
        code,
        cid: cid.to_owned(),
        pn: None,
        extra: Map::new(),
    }
}

/// The user behind `cid`, or the E.2 code saying why there is none.
pub(super) fn user_of(store: &mut Store, app_id: &str, cid: &str) -> Result<User, CidPnCode> {
    if cid.trim().is_empty() {
        return Err(CidPnCode::CidEmpty);
    }
    let user = store.user(cid).ok_or(CidPnCode::CidNotFound)?;
    if user.app_id != app_id {
        return Err(CidPnCode::CidNotInApp);
    }
    Ok(user)
}

pub(super) fn bind_cid_pn(ex: &mut Exchange<'_>, body: &Value) -> Result<Reply, ResultCode> {
    let request = decode::<wire::BindCidPn>(body)?;
    check_app_id(ex, &request.body.app_id)?;
    let pairs = request.body.cidpnlist;
    if pairs.len() > MAX_PAIRS {
        return Ok(cid_pn_reply(CidPnCode::OtherFailure, Vec::new()).into());
    }
    // The pairs are read with two set queries and bound in memory, in cid order, each pair
    // seeing what the pairs before it changed; the changes are written once. One pair at a
    // time took four statements each, most of a sandbox apply of a million bindings.
    let cids: Vec<&str> = pairs.keys().map(String::as_str).collect();
    let pns: Vec<String> = pairs.values().filter_map(|pn| valid_pn(pn).ok()).collect();
    let pn_refs: Vec<&str> = pns.iter().map(String::as_str).collect();
    let mut batch = Batch {
        records: ex.store.pn_records(&cids, &pn_refs),
        changed: BTreeSet::new(),
    };
    let entries = pairs
        .iter()
        .map(|(cid, pn)| {
            let code = batch
                .bind(&ex.settings.app_id, cid, pn)
                .err()
                .unwrap_or(CidPnCode::Success);
            entry(cid, code)
        })
        .collect();
    let changed: Vec<&PnRecord> = batch
        .changed
        .iter()
        .filter_map(|cid| batch.records.get(cid))
        .collect();
    ex.store.put_pn_records(&changed);
    ex.store.dirty = true;
    Ok(cid_pn_reply(CidPnCode::Success, entries).into())
}

/// The pn as stored (lower case), or the code of a pn that cannot be one.
fn valid_pn(pn: &str) -> Result<String, CidPnCode> {
    let pn = pn.trim();
    if pn.is_empty() {
        return Err(CidPnCode::PnEmpty);
    }
    if pn.len() != 32 || !pn.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(CidPnCode::OtherFailure);
    }
    Ok(pn.to_ascii_lowercase())
}

/// The devices one bind request touches: its cids and every holder of its pns, keyed (and
/// so walked) by cid, with the cids whose binding the request changed.
struct Batch {
    records: BTreeMap<String, PnRecord>,
    changed: BTreeSet<String>,
}

impl Batch {
    fn bind(&mut self, app_id: &str, cid: &str, pn: &str) -> Result<(), CidPnCode> {
        if cid.trim().is_empty() {
            return Err(CidPnCode::CidEmpty);
        }
        let record = self.records.get(cid).ok_or(CidPnCode::CidNotFound)?;
        if record.app_id != app_id {
            return Err(CidPnCode::CidNotInApp);
        }
        let activity = record.activity;
        let pn = valid_pn(pn)?;
        if let Some(bound) = &record.pn {
            if *bound == pn {
                return Ok(());
            }
            if record.pn_level > API_LEVEL {
                return Err(CidPnCode::HigherLevelBinding);
            }
        }
        if let Some(holder) = self.holder(app_id, &pn, cid) {
            if holder.activity > activity {
                return Err(CidPnCode::PnBoundToMoreActiveCid);
            }
            let holder = holder.cid.clone();
            self.set(&holder, None, None);
        }
        self.set(cid, Some(pn), Some(API_LEVEL));
        Ok(())
    }

    /// The first device (in cid order) of `app_id` other than `except` bound to `pn`.
    fn holder(&self, app_id: &str, pn: &str, except: &str) -> Option<&PnRecord> {
        self.records
            .values()
            .find(|r| r.cid != except && r.app_id == app_id && r.pn.as_deref() == Some(pn))
    }

    /// Binds `cid` to `pn` (unbinds it with `None`), at `level` if given.
    fn set(&mut self, cid: &str, pn: Option<String>, level: Option<u8>) {
        if let Some(record) = self.records.get_mut(cid) {
            record.pn = pn;
            if let Some(level) = level {
                record.pn_level = level;
            }
            self.changed.insert(cid.to_owned());
        }
    }
}

pub(super) fn unbind_cid_pn(ex: &mut Exchange<'_>, body: &Value) -> Result<Reply, ResultCode> {
    let request = decode::<wire::UnbindCidPn>(body)?;
    check_app_id(ex, &request.body.app_id)?;
    if request.body.cids.len() > MAX_PAIRS {
        return Ok(cid_pn_reply(CidPnCode::OtherFailure, Vec::new()).into());
    }
    let entries = request
        .body
        .cids
        .iter()
        .map(|cid| {
            let outcome = user_of(ex.store, &ex.settings.app_id, cid)
                .map(|_| ())
                .and_then(|()| {
                    ex.store
                        .set_pn(cid, None, None)
                        .map(|_| ())
                        .ok_or(CidPnCode::NoPnBound)
                });
            entry(cid, outcome.err().unwrap_or(CidPnCode::Success))
        })
        .collect();
    ex.store.dirty = true;
    Ok(cid_pn_reply(CidPnCode::Success, entries).into())
}

pub(super) fn query_cid_pn(ex: &mut Exchange<'_>, body: &Value) -> Result<Reply, ResultCode> {
    let request = decode::<wire::QueryCidPn>(body)?;
    check_app_id(ex, &request.body.app_id)?;
    if request.body.cids.len() > MAX_PAIRS {
        return Ok(cid_pn_reply(CidPnCode::OtherFailure, Vec::new()).into());
    }
    let entries = request
        .body
        .cids
        .iter()
        .map(|cid| {
            let pn = user_of(ex.store, &ex.settings.app_id, cid)
                .and_then(|user| user.pn.ok_or(CidPnCode::NoPnBound));
            match pn {
                Ok(pn) => CidPnEntry {
                    pn: Some(pn),
                    ..entry(cid, CidPnCode::Success)
                },
                Err(code) => entry(cid, code),
            }
        })
        .collect();
    Ok(cid_pn_reply(CidPnCode::Success, entries).into())
}

/// Stopping a task's SMS fallback has no effect to emulate (nothing is texted); the answer is
/// the `ok` the protocol reference assumes.
pub(super) fn stop_sms(_ex: &mut Exchange<'_>, _body: &Value) -> Result<Reply, ResultCode> {
    Ok(result_only(ResultCode::Ok).into())
}
