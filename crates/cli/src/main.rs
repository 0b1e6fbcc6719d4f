//! The `tablift` command line (placeholder).
fn main() {}
