//! Users (F.4): POST `/user/count`, POST `/user/alias`, GET `/user/cid/alias/{alias}`.
//!
//! Counts pick users with the legacy side's audience matching, the V2 conditions read
//! through the shared region table; aliases follow the legacy rules (letters, digits, `_` or
//! CJK, at most 40 bytes, at most 10 cids each).

use std::collections::BTreeMap;

use serde_json::Value;

use super::gate::decode;
use super::{Call, Refusal, Request};
use crate::emulator::actions::directory::{MAX_CIDS_PER_ALIAS, alias_is_valid};
use crate::emulator::actions::exchange::{Exchange, to_json};
use crate::emulator::reply::Reply;
use crate::getui::v2::wire::{
    BindAliasRequest, CidsOfAliasData, Endpoint, LIST_CHUNK, UserCountData, UserCountRequest,
};
use crate::getui::v2::wire_extra::conditions_from_wire;

pub(super) fn count(ex: &mut Exchange<'_>, request: &Request) -> Result<Reply, Refusal> {
    let query: UserCountRequest = decode(&request.body, "user count")?;
    let conditions =
        conditions_from_wire(&query.tag).map_err(|e| Refusal::invalid(e.to_string()))?;
    let count = ex.store.count_audience(&conditions);
    Ok(to_json(UserCountData {
        user_count: i64::try_from(count).unwrap_or(i64::MAX),
    })
    .into())
}

/// Binds every pair, or none: each cid must be a device of the app, each alias valid and
/// left with at most 10 cids.
pub(super) fn bind_alias(ex: &mut Exchange<'_>, request: &Request) -> Result<Reply, Refusal> {
    let bind: BindAliasRequest = decode(&request.body, "alias binding")?;
    if bind.data_list.is_empty() || bind.data_list.len() > LIST_CHUNK {
        return Err(Refusal::invalid("an alias binding names 1 to 1000 pairs"));
    }
    let app_id = ex.store.app_id().to_owned();
    let mut holders: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for pair in &bind.data_list {
        if !alias_is_valid(&pair.alias) {
            return Err(Refusal::invalid(
                "an alias is 1 to 40 bytes of letters, digits, _ or CJK characters",
            ));
        }
        if ex.store.user(&pair.cid).is_none_or(|u| u.app_id != app_id) {
            return Err(Refusal::invalid("a cid is not a device of this app"));
        }
        let cids = holders
            .entry(&pair.alias)
            .or_insert_with(|| ex.store.cids_of_alias(&pair.alias));
        if !cids.contains(&pair.cid) {
            cids.push(pair.cid.clone());
        }
        if cids.len() > MAX_CIDS_PER_ALIAS {
            return Err(Refusal::invalid("an alias can hold at most 10 cids"));
        }
    }
    for pair in &bind.data_list {
        ex.store
            .update_user(&pair.cid, |user| user.alias = Some(pair.alias.clone()));
    }
    ex.store.dirty = true;
    Ok(Value::Null.into())
}

pub(super) fn cids_of_alias(ex: &mut Exchange<'_>, request: &Request) -> Result<Reply, Refusal> {
    let alias = match &request.call {
        Call::Known(Endpoint::CidsOfAlias(alias)) => alias.as_str(),
        _ => "",
    };
    Ok(to_json(CidsOfAliasData {
        cid: ex.store.cids_of_alias(alias),
    })
    .into())
}
