//! PBKDF2-HMAC-SHA256 through WebCrypto (`crypto.subtle.importKey` + `deriveBits`): runs as native code in
//! workerd instead of wasm. workerd accepts at most 100 000 iterations (the count `shared::auth::password`
//! uses).

use js_sys::{Array, Object, Reflect, Uint8Array};
use shared::platform::{BoxFuture, KdfError, PasswordKdf};
use wasm_bindgen::{JsCast as _, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Crypto, CryptoKey, Pbkdf2Params};
use worker::send::SendFuture;

/// WebCrypto's PBKDF2.
pub struct WebCryptoPbkdf2;

fn js_error(context: &str, err: &JsValue) -> KdfError {
    KdfError(format!("{context}: {}", err.as_string().unwrap_or_else(|| format!("{err:?}"))))
}

async fn derive(password: Vec<u8>, salt: Vec<u8>, iterations: u32, out_len: usize) -> Result<Vec<u8>, KdfError> {
    let crypto: Crypto = Reflect::get(&js_sys::global(), &JsValue::from_str("crypto"))
        .map_err(|e| js_error("no crypto global", &e))?
        .dyn_into()
        .map_err(|e| js_error("crypto is not Crypto", &e))?;
    let subtle = crypto.subtle();
    let usages = Array::of1(&JsValue::from_str("deriveBits"));
    let key_data: Object = Uint8Array::from(password.as_slice()).into();
    let import = subtle
        .import_key_with_str("raw", &key_data, "PBKDF2", false, &usages)
        .map_err(|e| js_error("importKey", &e))?;
    let key: CryptoKey =
        JsFuture::from(import).await.map_err(|e| js_error("importKey", &e))?.unchecked_into::<CryptoKey>();
    let salt: Object = Uint8Array::from(salt.as_slice()).into();
    let params = Pbkdf2Params::new("PBKDF2", &JsValue::from_str("SHA-256"), iterations, &salt);
    let bits = u32::try_from(out_len * 8).map_err(|_| KdfError("output too long".into()))?;
    let derive = subtle.derive_bits_with_object(&params, &key, bits).map_err(|e| js_error("deriveBits", &e))?;
    let buffer = JsFuture::from(derive).await.map_err(|e| js_error("deriveBits", &e))?;
    Ok(Uint8Array::new(&buffer).to_vec())
}

impl PasswordKdf for WebCryptoPbkdf2 {
    fn pbkdf2_sha256<'a>(
        &'a self,
        password: &'a [u8],
        salt: &'a [u8],
        iterations: u32,
        out_len: usize,
    ) -> BoxFuture<'a, Result<Vec<u8>, KdfError>> {
        Box::pin(SendFuture::new(derive(password.to_vec(), salt.to_vec(), iterations, out_len)))
    }
}
