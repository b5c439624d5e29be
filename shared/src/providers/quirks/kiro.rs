//! Kiro (`kr`): the account's `profileArn` at the top of the body and a fresh `amz-sdk-invocation-id` per
//! request (notes/providers.md "kr — Kiro": `profileArn` comes from the social login's token response or the
//! imported token file, and is absent for some Builder ID accounts, in which case 9router sends none; the
//! invocation id header as 9router's `open-sse/executors/kiro.js` sends it).

use http::{HeaderName, HeaderValue};
use serde_json::{Map, Value};

use super::{prepend_fields, uuid_v4};
use crate::platform::{Random, UpstreamRequest};
use crate::store::Connection;

/// Metadata keys holding the CodeWhisperer profile ARN.
pub const PROFILE_ARN_KEYS: &[&str] = &["profile_arn", "profileArn"];

/// Adds `profileArn` (when the account has one) and the invocation id.
pub fn for_account(connection: &Connection, request: &mut UpstreamRequest, random: &dyn Random) {
    if let Some(arn) = connection.metadata_str(PROFILE_ARN_KEYS) {
        let mut fields = Map::new();
        fields.insert("profileArn".into(), Value::String(arn.to_owned()));
        request.body = prepend_fields(&request.body, &fields);
    }
    if let Ok(id) = HeaderValue::from_str(&uuid_v4(random)) {
        request.headers.insert(HeaderName::from_static("amz-sdk-invocation-id"), id);
    }
}
