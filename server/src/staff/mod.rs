//! Staff accounts outside HTTP: password rules and hashes, and the command line that
//! creates the first account without a network.

pub mod cli;
pub mod passwords;
pub mod second_factor;
