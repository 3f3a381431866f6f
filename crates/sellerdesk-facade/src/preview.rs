//! Refund previews and the example payments bundled with the app.

use sellerdesk_core::contract::{self, RefundPreviewOutput};
use serde_json::Value;

pub use sellerdesk_core::contract::RefundPreviewInput;

use crate::{ErrorCode, FacadeError, SellerDesk};

/// The refund preview as both front ends show it (rules PREVIEW-1).
pub type RefundPreview = RefundPreviewOutput;

/// A payment bundled with the app so that a seller can try a preview without a file: as the
/// window's picker lists it, its id and its title.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct ExamplePayment {
    /// Stable id, to load the payment by.
    pub id: &'static str,
    /// One line a seller can read.
    pub title: &'static str,
    #[serde(skip)]
    #[cfg_attr(feature = "typescript", ts(skip))]
    json: &'static str,
}

const EXAMPLE_PAYMENTS: [ExamplePayment; 3] = [
    ExamplePayment {
        id: "combined-cart",
        title: "Combined cart: two stores, a seller and a platform coupon (USD)",
        json: include_str!("../data/examples/combined-cart.json"),
    },
    ExamplePayment {
        id: "single-store-full-refund",
        title: "One store, sale and regular items, full refund (EUR)",
        json: include_str!("../data/examples/single-store-full-refund.json"),
    },
    ExamplePayment {
        id: "yen-two-stores-expired",
        title: "Two stores in yen, platform coupon returned after it expired (JPY)",
        json: include_str!("../data/examples/yen-two-stores-expired.json"),
    },
];

impl SellerDesk {
    pub fn example_payments(&self) -> Vec<ExamplePayment> {
        EXAMPLE_PAYMENTS.to_vec()
    }

    /// The input of a bundled example payment, with a suggested refund.
    pub fn example_payment(&self, id: &str) -> Result<Value, FacadeError> {
        let example =
            EXAMPLE_PAYMENTS.iter().find(|example| example.id == id).ok_or_else(|| {
                FacadeError::new(
                    ErrorCode::NotFound,
                    format!("example payment \"{id}\" does not exist"),
                )
            })?;
        serde_json::from_str(example.json).map_err(|error| {
            FacadeError::new(
                ErrorCode::Internal,
                format!("example payment \"{id}\" is not valid JSON: {error}"),
            )
        })
    }

    /// Previews a refund from JSON text (what the CLI reads from a file or stdin).
    pub fn preview_refund_json(&self, text: &str) -> Result<RefundPreview, FacadeError> {
        let input = contract::parse_input_json(text)?;
        Ok(contract::preview(&input, self.now())?)
    }

    /// Previews a refund from a parsed JSON value (what the desktop app sends).
    pub fn preview_refund(&self, input: Value) -> Result<RefundPreview, FacadeError> {
        let input = contract::parse_input_value(input)?;
        Ok(contract::preview(&input, self.now())?)
    }
}
