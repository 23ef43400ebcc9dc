//! Who is who in the emulated app: aliases (B.11), tags (B.12) and how many users match
//! conditions (B.13).
//!
//! Aliases are letters, digits, `_` or CJK, at most 40 bytes, and hold at most 10 cids.

use serde_json::{Map, Value};

use super::exchange::{Exchange, check_app_id, decode, result_only, to_json};
use super::phones::user_of;
use crate::emulator::reply::Reply;
use crate::getui::ResultCode;
use crate::getui::conditions;
use crate::getui::wire::{self, AliasResponse, UserCountResponse};

pub(crate) const MAX_CIDS_PER_ALIAS: usize = 10;
const MAX_ALIAS_BYTES: usize = 40;

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

pub(crate) fn alias_is_valid(alias: &str) -> bool {
    let cjk = |c: char| matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}');
    !alias.is_empty()
        && alias.len() <= MAX_ALIAS_BYTES
        && alias
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || cjk(c))
}

pub(super) fn alias_bind(ex: &mut Exchange<'_>, body: &Value) -> Result<Reply, ResultCode> {
    let request = decode::<wire::AliasBind>(body)?;
    let bind = request.body;
    check_app_id(ex, &bind.appid)?;
    if !alias_is_valid(&bind.alias) {
        return Ok(alias_refusal(
            "alias_invalid",
            "an alias is 1 to 40 bytes of letters, digits, _ or CJK characters",
        )
        .into());
    }
    let holders = ex.store.cids_of_alias(&bind.alias);
    if !holders.contains(&bind.cid) && holders.len() >= MAX_CIDS_PER_ALIAS {
        return Ok(alias_refusal("alias_full", "an alias can hold at most 10 cids").into());
    }
    match user_of(ex.store, &ex.settings.app_id, &bind.cid) {
        Ok(_) => {
            ex.store
                .update_user(&bind.cid, |user| user.alias = Some(bind.alias));
        }
        Err(_) => {
            return Ok(alias_refusal("cid_unknown", "the cid is not a user of this app").into());
        }
    }
    ex.store.dirty = true;
    Ok(to_json(alias_reply(ResultCode::Ok)).into())
}

pub(super) fn alias_query(ex: &mut Exchange<'_>, body: &Value) -> Result<Reply, ResultCode> {
    let request = decode::<wire::AliasQuery>(body)?;
    let query = request.body;
    check_app_id(ex, &query.appid)?;
    if let Some(alias) = query.alias.filter(|a| !a.is_empty()) {
        return Ok(to_json(AliasResponse {
            cidlist: Some(ex.store.cids_of_alias(&alias)),
            ..alias_reply(ResultCode::Ok)
        })
        .into());
    }
    let cid = query.cid.unwrap_or_default();
    match user_of(ex.store, &ex.settings.app_id, &cid) {
        Ok(user) => Ok(to_json(AliasResponse {
            alias: user.alias,
            ..alias_reply(ResultCode::Ok)
        })
        .into()),
        Err(_) => Ok(alias_refusal("cid_unknown", "the cid is not a user of this app").into()),
    }
}

pub(super) fn alias_unbind(ex: &mut Exchange<'_>, body: &Value) -> Result<Reply, ResultCode> {
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
                return Ok(alias_refusal("not_bound", "the cid is not bound to this alias").into());
            }
        }
    }
    ex.store.dirty = true;
    Ok(to_json(alias_reply(ResultCode::Ok)).into())
}

// -----------------------------------------------------------------------------------------
// Tags

pub(super) fn set_tags(ex: &mut Exchange<'_>, body: &Value) -> Result<Reply, ResultCode> {
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
    Ok(result_only(ResultCode::Ok).into())
}

// -----------------------------------------------------------------------------------------
// User counts

/// How many users of the app match the conditions.
pub(super) fn query_user_count(ex: &mut Exchange<'_>, body: &Value) -> Result<Reply, ResultCode> {
    let request = decode::<wire::QueryUserCount>(body)?;
    check_app_id(ex, &request.body.app_id)?;
    let conditions =
        conditions::from_wire(&request.body.conditions).map_err(|_| ResultCode::Error)?;
    let count = ex.store.count_audience(&conditions);
    Ok(to_json(UserCountResponse {
        result: ResultCode::Ok,
        count: Some(i64::try_from(count).unwrap_or(i64::MAX)),
        extra: Map::new(),
    })
    .into())
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
