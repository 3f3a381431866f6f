//! What Seller Desk's tests share. A dev-dependency only: nothing here is in a release build.
//!
//! [`Medusa`]: a real Medusa 2 server (`scripts/medusa.sh`). `SELLERDESK_MEDUSA_ENV` names the
//! `medusa.env` of one already running (the README's test command starts one for the whole run);
//! without it a test starts its own and stops it when done. It also plays a buyer on Medusa's
//! Store API and reads its Admin API, to check what the desk did.

#![allow(clippy::unwrap_used, clippy::missing_panics_doc)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};

/// A running Medusa server and what its seed made.
#[derive(Debug)]
pub struct Medusa {
    env: HashMap<String, String>,
    /// The folder of a server this test started (stopped when dropped).
    started: Option<tempfile::TempDir>,
    runtime: tokio::runtime::Runtime,
    http: reqwest::Client,
}

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

impl Medusa {
    /// The server `SELLERDESK_MEDUSA_ENV` names, or a new one started for this test.
    pub fn get() -> Medusa {
        let (path, started) = match std::env::var_os("SELLERDESK_MEDUSA_ENV") {
            Some(path) => (PathBuf::from(path), None),
            None => {
                let folder = tempfile::tempdir().unwrap();
                let script = repository().join("scripts/medusa.sh");
                for step in [vec!["install"], vec!["start", folder.path().to_str().unwrap()]] {
                    let status = Command::new("bash").arg(&script).args(&step).status().unwrap();
                    assert!(status.success(), "scripts/medusa.sh {step:?} failed");
                }
                (folder.path().join("medusa.env"), Some(folder))
            }
        };
        let text = std::fs::read_to_string(&path).unwrap();
        let env = text
            .lines()
            .filter_map(|line| line.split_once('='))
            .map(|(key, value)| (key.to_owned(), value.to_owned()))
            .collect();
        let _ = rustls::crypto::ring::default_provider().install_default();
        Medusa {
            env,
            started,
            runtime: tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap(),
            http: reqwest::Client::new(),
        }
    }

    pub fn var(&self, key: &str) -> &str {
        self.env.get(key).unwrap_or_else(|| panic!("{key} is not in medusa.env"))
    }

    pub fn url(&self) -> &str {
        self.var("MEDUSA_URL")
    }

    /// An admin call with the secret key; panics unless Medusa answers 200.
    pub fn admin(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let mut call = self
            .http
            .request(method, format!("{}{path}", self.url()))
            .basic_auth(self.var("MEDUSA_SECRET_KEY"), None::<&str>);
        if let Some(body) = body {
            call = call.header("content-type", "application/json").body(body.to_string());
        }
        self.answer(call, path)
    }

    /// An admin GET with the secret key.
    pub fn admin_get(&self, path: &str) -> Value {
        self.admin(reqwest::Method::GET, path, None)
    }

    /// A buyer's call to the Store API with the publishable key.
    pub fn store(&self, path: &str, body: Value) -> Value {
        let call = self
            .http
            .post(format!("{}{path}", self.url()))
            .header("x-publishable-api-key", self.var("MEDUSA_PUBLISHABLE_KEY"))
            .header("content-type", "application/json")
            .body(body.to_string());
        self.answer(call, path)
    }

    fn answer(&self, call: reqwest::RequestBuilder, path: &str) -> Value {
        self.runtime.block_on(async {
            let response = call.send().await.unwrap();
            let status = response.status();
            let text = response.text().await.unwrap();
            assert!(status.is_success(), "{path}: HTTP {status}: {text}");
            serde_json::from_str(&text).unwrap()
        })
    }

    pub fn variants(&self) -> Vec<String> {
        self.var("MEDUSA_VARIANT_IDS").split(',').map(str::to_owned).collect()
    }

    /// A buyer's cart with these variants (tee $30.00, mug $12.50) and `code`: its discount.
    pub fn cart_with_code(&self, variants: &[&str], code: &str) -> (String, Value) {
        let items: Vec<Value> =
            variants.iter().map(|variant| json!({"variant_id": variant, "quantity": 1})).collect();
        let cart = self.store(
            "/store/carts",
            json!({"region_id": self.var("MEDUSA_REGION_ID"), "email": "buyer@example.com", "items": items}),
        );
        let cart_id = cart["cart"]["id"].as_str().unwrap().to_owned();
        let with_code = self.store(
            &format!("/store/carts/{cart_id}/promotions?fields=id,item_subtotal,discount_total,total,*promotions"),
            json!({"promo_codes": [code]}),
        );
        (cart_id, with_code["cart"].clone())
    }

    /// Completes a cart as a buyer does: address, shipping, the system payment provider.
    pub fn complete(&self, cart_id: &str) -> Value {
        let address = json!({"first_name": "Ann", "last_name": "Buyer", "address_1": "5 Main St",
            "city": "Boston", "country_code": "us", "postal_code": "02101"});
        self.store(
            &format!("/store/carts/{cart_id}"),
            json!({"shipping_address": address, "billing_address": address}),
        );
        self.store(
            &format!("/store/carts/{cart_id}/shipping-methods"),
            json!({"option_id": self.var("MEDUSA_SHIPPING_OPTION_ID")}),
        );
        let collection = self.store("/store/payment-collections", json!({"cart_id": cart_id}));
        let collection_id = collection["payment_collection"]["id"].as_str().unwrap();
        self.store(
            &format!("/store/payment-collections/{collection_id}/payment-sessions"),
            json!({"provider_id": "pp_system_default"}),
        );
        let completed = self.store(&format!("/store/carts/{cart_id}/complete"), json!({}));
        assert_eq!(completed["type"], "order", "{completed}");
        completed["order"].clone()
    }
}

impl Medusa {
    /// Ships every line of an order from the stock location and captures its payment, as a seller
    /// does in Medusa's admin before a buyer can send anything back.
    pub fn ship_and_capture(&self, order_id: &str) {
        let order = self.admin_get(&format!(
            "/admin/orders/{order_id}?fields=id,*items,*payment_collections,*payment_collections.payments"
        ));
        let items: Vec<Value> = order["order"]["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|item| json!({"id": item["id"], "quantity": item["quantity"]}))
            .collect();
        self.admin(
            reqwest::Method::POST,
            &format!("/admin/orders/{order_id}/fulfillments"),
            Some(json!({"items": items, "location_id": self.var("MEDUSA_STOCK_LOCATION_ID")})),
        );
        for collection in order["order"]["payment_collections"].as_array().unwrap() {
            for payment in collection["payments"].as_array().unwrap() {
                let payment_id = payment["id"].as_str().unwrap();
                self.admin(
                    reqwest::Method::POST,
                    &format!("/admin/payments/{payment_id}/capture"),
                    Some(json!({})),
                );
            }
        }
    }

    /// The order line of `variant` in an order as Medusa returned it.
    pub fn line_of_variant(&self, order: &Value, variant: &str) -> String {
        order["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|item| item["variant_id"] == variant)
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    /// The amounts refunded on an order's payments, as decimal text with two digits.
    pub fn refunds_of(&self, order_id: &str) -> Vec<String> {
        let order = self.admin_get(&format!(
            "/admin/orders/{order_id}?fields=id,*payment_collections,*payment_collections.payments,*payment_collections.payments.refunds"
        ));
        order["order"]["payment_collections"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|collection| collection["payments"].as_array().unwrap().clone())
            .flat_map(|payment| payment["refunds"].as_array().unwrap().clone())
            .map(|refund| format!("{:.2}", refund["amount"].as_f64().unwrap()))
            .collect()
    }
}

impl Drop for Medusa {
    fn drop(&mut self) {
        if let Some(folder) = &self.started {
            let _ = Command::new("bash")
                .arg(repository().join("scripts/medusa.sh"))
                .args(["stop", folder.path().to_str().unwrap()])
                .status();
        }
    }
}
