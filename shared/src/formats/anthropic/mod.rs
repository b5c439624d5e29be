//! Placeholder: being written (see the format contract in formats/mod.rs).
