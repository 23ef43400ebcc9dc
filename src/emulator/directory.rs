//! Who is who in the emulated app: cid–phone bindings (SMS fallback), aliases and tags.
//!
//! Bindings follow table E.2. A pn (md5 of a phone number) belongs to one cid of the app and a
//! cid to one pn. A bind made through the API has level 1 and cannot replace a binding of a
//! higher level (code 3, e.g. a number the carrier verified). A pn already bound to another
//! cid moves to the new cid only if the new cid is at least as active; otherwise the answer is
//! code 4. Aliases follow B.11: letters, digits, `_` or CJK, at most 40 bytes, at most 10 cids.

use serde_json::{Map, Value};

use super::actions::{Exchange, check_app_id, decode, result_only, to_json};
use super::store::{Store, User};
use crate::getui::wire::{self, AliasResponse, CidPnEntry, CidPnResponse};
use crate::getui::{CidPnCode, ResultCode};

/// The level of a binding made through `bind_cid_pn`.
const API_LEVEL: u8 = 1;
const MAX_PAIRS: usize = 50;
const MAX_CIDS_PER_ALIAS: usize = 10;
const MAX_ALIAS_BYTES: usize = 40;

pub(crate) fn answer(
    ex: &mut Exchange<'_>,
    action: &str,
    body: &Value,
) -> Result<Value, ResultCode> {
    match action {
        "bind_cid_pn" => bind_cid_pn(ex, body),
        "unbind_cid_pn" => unbind_cid_pn(ex, body),
        "query_cid_pn" => query_cid_pn(ex, body),
        "alias_bind" => alias_bind(ex, body),
        "alias_query" => alias_query(ex, body),
        "alias_unbind" => alias_unbind(ex, body),
        "setTagAction" => set_tags(ex, body),
        _ => Err(ResultCode::ActionError),
    }
}

// -----------------------------------------------------------------------------------------
// cid–pn

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
fn user_of(store: &mut Store, app_id: &str, cid: &str) -> Result<User, CidPnCode> {
    if cid.trim().is_empty() {
        return Err(CidPnCode::CidEmpty);
    }
    let user = store.user(cid).ok_or(CidPnCode::CidNotFound)?;
    if user.app_id != app_id {
        return Err(CidPnCode::CidNotInApp);
    }
    Ok(user)
}

fn bind_cid_pn(ex: &mut Exchange<'_>, body: &Value) -> Result<Value, ResultCode> {
    let request = decode::<wire::BindCidPn>(body)?;
    check_app_id(ex, &request.body.app_id)?;
    let pairs = request.body.cidpnlist;
    if pairs.len() > MAX_PAIRS {
        return Ok(cid_pn_reply(CidPnCode::OtherFailure, Vec::new()));
    }
    let entries = pairs
        .iter()
        .map(|(cid, pn)| {
            let code = bind_one(ex.store, &ex.settings.app_id, cid, pn)
                .err()
                .unwrap_or(CidPnCode::Success);
            entry(cid, code)
        })
        .collect();
    ex.store.dirty = true;
    Ok(cid_pn_reply(CidPnCode::Success, entries))
}

fn bind_one(store: &mut Store, app_id: &str, cid: &str, pn: &str) -> Result<(), CidPnCode> {
    let pn = pn.trim();
    let (activity, current) = {
        let user = user_of(store, app_id, cid)?;
        (user.activity, user.pn.clone().zip(Some(user.pn_level)))
    };
    if pn.is_empty() {
        return Err(CidPnCode::PnEmpty);
    }
    if pn.len() != 32 || !pn.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(CidPnCode::OtherFailure);
    }
    let pn = pn.to_ascii_lowercase();
    if let Some((bound, level)) = &current {
        if *bound == pn {
            return Ok(());
        }
        if *level > API_LEVEL {
            return Err(CidPnCode::HigherLevelBinding);
        }
    }
    if let Some((holder_cid, holder_activity)) = store.pn_holder(app_id, &pn, cid) {
        if holder_activity > activity {
            return Err(CidPnCode::PnBoundToMoreActiveCid);
        }
        store.set_pn(&holder_cid, None, None);
    }
    user_of(store, app_id, cid)?;
    store.set_pn(cid, Some(pn), Some(API_LEVEL));
    Ok(())
}

fn unbind_cid_pn(ex: &mut Exchange<'_>, body: &Value) -> Result<Value, ResultCode> {
    let request = decode::<wire::UnbindCidPn>(body)?;
    check_app_id(ex, &request.body.app_id)?;
    if request.body.cids.len() > MAX_PAIRS {
        return Ok(cid_pn_reply(CidPnCode::OtherFailure, Vec::new()));
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
    Ok(cid_pn_reply(CidPnCode::Success, entries))
}

fn query_cid_pn(ex: &mut Exchange<'_>, body: &Value) -> Result<Value, ResultCode> {
    let request = decode::<wire::QueryCidPn>(body)?;
    check_app_id(ex, &request.body.app_id)?;
    if request.body.cids.len() > MAX_PAIRS {
        return Ok(cid_pn_reply(CidPnCode::OtherFailure, Vec::new()));
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
    Ok(cid_pn_reply(CidPnCode::Success, entries))
}

// -----------------------------------------------------------------------------------------
// Aliases

fn alias_reply(result: ResultCode) -> AliasResponse {
    AliasResponse {
        result,
        error_code: None,
        error_msg: None,
        cidlist: None,
        alias: None,
    }
}

/// An alias refusal: `Error` with a machine code and a sentence.
fn alias_refusal(code: &str, message: &str) -> Value {
    to_json(AliasResponse {
        error_code: Some(code.to_owned()),
        error_msg: Some(message.to_owned()),
        ..alias_reply(ResultCode::Error)
    })
}

fn alias_is_valid(alias: &str) -> bool {
    let cjk = |c: char| matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}');
    !alias.is_empty()
        && alias.len() <= MAX_ALIAS_BYTES
        && alias
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || cjk(c))
}

fn alias_bind(ex: &mut Exchange<'_>, body: &Value) -> Result<Value, ResultCode> {
    let request = decode::<wire::AliasBind>(body)?;
    let bind = request.body;
    check_app_id(ex, &bind.appid)?;
    if !alias_is_valid(&bind.alias) {
        return Ok(alias_refusal(
            "alias_invalid",
            "an alias is 1 to 40 bytes of letters, digits, _ or CJK characters",
        ));
    }
    let holders = ex.store.cids_of_alias(&bind.alias);
    if !holders.contains(&bind.cid) && holders.len() >= MAX_CIDS_PER_ALIAS {
        return Ok(alias_refusal(
            "alias_full",
            "an alias can hold at most 10 cids",
        ));
    }
    match user_of(ex.store, &ex.settings.app_id, &bind.cid) {
        Ok(_) => {
            ex.store
                .update_user(&bind.cid, |user| user.alias = Some(bind.alias));
        }
        Err(_) => {
            return Ok(alias_refusal(
                "cid_unknown",
                "the cid is not a user of this app",
            ));
        }
    }
    ex.store.dirty = true;
    Ok(to_json(alias_reply(ResultCode::Ok)))
}

fn alias_query(ex: &mut Exchange<'_>, body: &Value) -> Result<Value, ResultCode> {
    let request = decode::<wire::AliasQuery>(body)?;
    let query = request.body;
    check_app_id(ex, &query.appid)?;
    if let Some(alias) = query.alias.filter(|a| !a.is_empty()) {
        return Ok(to_json(AliasResponse {
            cidlist: Some(ex.store.cids_of_alias(&alias)),
            ..alias_reply(ResultCode::Ok)
        }));
    }
    let cid = query.cid.unwrap_or_default();
    match user_of(ex.store, &ex.settings.app_id, &cid) {
        Ok(user) => Ok(to_json(AliasResponse {
            alias: user.alias,
            ..alias_reply(ResultCode::Ok)
        })),
        Err(_) => Ok(alias_refusal(
            "cid_unknown",
            "the cid is not a user of this app",
        )),
    }
}

fn alias_unbind(ex: &mut Exchange<'_>, body: &Value) -> Result<Value, ResultCode> {
    let request = decode::<wire::AliasUnbind>(body)?;
    let unbind = request.body;
    check_app_id(ex, &unbind.appid)?;
    let targets: Vec<String> = match unbind.cid.filter(|c| !c.trim().is_empty()) {
        Some(cid) => vec![cid],
        None => ex.store.cids_of_alias(&unbind.alias),
    };
    for cid in &targets {
        match ex.store.user(cid) {
            Some(user) if user.alias.as_deref() == Some(unbind.alias.as_str()) => {
                ex.store.update_user(cid, |user| user.alias = None);
            }
            _ => {
                return Ok(alias_refusal(
                    "not_bound",
                    "the cid is not bound to this alias",
                ));
            }
        }
    }
    ex.store.dirty = true;
    Ok(to_json(alias_reply(ResultCode::Ok)))
}

// -----------------------------------------------------------------------------------------
// Tags

fn set_tags(ex: &mut Exchange<'_>, body: &Value) -> Result<Value, ResultCode> {
    const MAX_TAGS: usize = 100;
    let request = decode::<wire::SetTag>(body)?;
    let set = request.body;
    check_app_id(ex, &set.app_id)?;
    let tags: Vec<String> = set
        .tag_list
        .into_iter()
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty())
        .collect();
    if tags.len() > MAX_TAGS {
        return Err(ResultCode::Error);
    }
    user_of(ex.store, &ex.settings.app_id, &set.client_id)
        .map_err(|_| ResultCode::TokenMD5Error)?;
    ex.store
        .update_user(&set.client_id, |user| user.tags = tags);
    ex.store.dirty = true;
    Ok(result_only(ResultCode::Ok))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_are_letters_digits_underscore_or_cjk_within_40_bytes() {
        assert!(alias_is_valid("alice_01"));
        assert!(alias_is_valid("会员_张三"));
        assert!(alias_is_valid(&"a".repeat(40)));
        assert!(!alias_is_valid(&"a".repeat(41)));
        // 14 CJK characters are 42 bytes in UTF-8.
        assert!(!alias_is_valid(&"长".repeat(14)));
        assert!(!alias_is_valid(""));
        assert!(!alias_is_valid("dash-ed"));
        assert!(!alias_is_valid("emoji🙂"));
    }
}
