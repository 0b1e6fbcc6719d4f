//! The batch engine that the `tablift` command and the Python package share: the registered
//! readers and families ([`Pipeline`]), the walk of the inputs ([`inputs`]) and the run that
//! takes every input through them on a thread pool and writes the datasets in input order
//! ([`batch`]).
//!
//! What it is not for: argument parsing, progress bars and exit codes (the CLI's), or Python
//! objects (the Python package's). Both front ends configure a [`Pipeline`] with [`Limits`]
//! and call [`batch::run`], so that a file gives the same rows, byte for byte, whichever
//! front end read it.
#![forbid(unsafe_code)]

pub mod batch;
pub mod inputs;
mod registry;

pub use registry::{read_file, read_file_into, Limits, Pipeline, DEFAULT_MAX_INPUT_BYTES};
