//! The sandbox against real HTTP calls on loopback: each test starts one in-process on a free port
//! with a temporary data directory, and talks to it with a small signed client.

// A test may stop at the first broken fixture, helpers included.
#![allow(clippy::unwrap_used)]

mod cli;
mod demo;
mod faults;
mod feeds;
mod gateway;
mod mutations;
mod support;
