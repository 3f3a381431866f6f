//! Seller Desk's side of the marketplace platform (`docs/platform-api.md`).
//!
//! `signing` signs and verifies calls in the open platform's gateway convention; `api` holds the
//! wire types of every method, shared with the sandbox server so that both ends agree on them.

pub mod api;
pub mod signing;
