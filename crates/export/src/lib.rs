//! Writes tablift records as CSV, JSON Lines and a run manifest (placeholder).
#![deny(missing_docs)]
#![forbid(unsafe_code)]
