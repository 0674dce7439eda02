//! What research steps call. The keyless built-in analyzer lives in the `app` crate
//! (`app::analyzer`, server-only) because server functions use its rewriter too.

pub use app::analyzer as builtin;
