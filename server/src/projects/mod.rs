//! Pre-inspection operations beside the database: reading buyer lists and keeping photos.

pub mod photos;
pub mod sheets;
