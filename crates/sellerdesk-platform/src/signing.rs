//! Signing calls in the open platform's gateway convention (`docs/platform-api.md`, Signature).

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

/// The largest distance, in milliseconds, between a call's timestamp and the server's clock.
pub const ALLOWED_CLOCK_SKEW_MS: i64 = 300_000;

/// The upper-case hexadecimal HMAC-SHA256, keyed with `secret`, of: `api_path` (path-style APIs
/// only), then every parameter but `sign` and those with an empty value, sorted by key, each as
/// key followed by value, then `body`.
pub fn sign(
    secret: &str,
    api_path: Option<&str>,
    parameters: &[(&str, &str)],
    body: &[u8],
) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes a key of any length");
    mac.update(api_path.unwrap_or_default().as_bytes());
    let mut sorted: Vec<&(&str, &str)> =
        parameters.iter().filter(|(key, value)| *key != "sign" && !value.is_empty()).collect();
    sorted.sort_by(|a, b| a.0.cmp(b.0));
    for (key, value) in sorted {
        mac.update(key.as_bytes());
        mac.update(value.as_bytes());
    }
    mac.update(body);
    hex::encode_upper(mac.finalize().into_bytes())
}

/// Whether `signature` is the right one for the call, compared in constant time.
pub fn verify(
    secret: &str,
    api_path: Option<&str>,
    parameters: &[(&str, &str)],
    body: &[u8],
    signature: &str,
) -> bool {
    let expected = sign(secret, api_path, parameters, body);
    expected.len() == signature.len()
        && expected
            .bytes()
            .zip(signature.bytes())
            .fold(0_u8, |difference, (a, b)| difference | (a ^ b))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_example_from_the_platform() {
        let parameters = [
            ("app_key", "123456"),
            ("access_token", "test"),
            ("timestamp", "1517820392000"),
            ("order_id", "1234"),
            ("sign_method", "sha256"),
        ];
        assert_eq!(
            sign("helloworld", Some("/order/get"), &parameters, b""),
            "4190D32361CFB9581350222F345CB77F3B19F0E31D162316848A2C1FFD5FAB4A"
        );
    }

    #[test]
    fn sign_and_empty_parameters_do_not_count_and_the_body_does() {
        let base = [("app_key", "k"), ("method", "seller.coupon.create"), ("timestamp", "1")];
        let with_extras = [
            ("app_key", "k"),
            ("method", "seller.coupon.create"),
            ("timestamp", "1"),
            ("session", ""),
            ("sign", "ANYTHING"),
        ];
        assert_eq!(sign("s", None, &base, b"{}"), sign("s", None, &with_extras, b"{}"));
        assert_ne!(sign("s", None, &base, b"{}"), sign("s", None, &base, b"{ }"));
        assert_ne!(sign("s", None, &base, b"{}"), sign("t", None, &base, b"{}"));
    }

    #[test]
    fn verification_accepts_only_the_right_signature() {
        let parameters = [("app_key", "k"), ("timestamp", "1")];
        let good = sign("secret", None, &parameters, b"body");
        assert!(verify("secret", None, &parameters, b"body", &good));
        assert!(!verify("secret", None, &parameters, b"body!", &good));
        assert!(!verify("secret", None, &parameters, b"body", &good.to_lowercase()));
        assert!(!verify("secret", None, &parameters, b"body", ""));
    }
}
