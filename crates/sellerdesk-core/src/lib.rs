//! Seller Desk's coupon domain, pure: money, seller coupons, how coupons apply to a payment,
//! refund previews, coupon statuses and coupon codes.
//!
//! This crate does no IO: no files, no clock, no database, no network, no Tauri. Time comes in as
//! an argument. It never panics on input; every refusal is an [`InputError`] naming a field and a
//! rule of `docs/rules.md`.

pub mod codes;
pub mod contract;
pub mod ids;
pub mod money;
pub mod payment;
pub mod refund;
pub mod rules;
pub mod seller_coupon;
pub mod status;
pub mod text;
pub mod time;

pub use jiff::Timestamp;
pub use rules::{InputError, RuleId};
