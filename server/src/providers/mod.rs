//! What research steps call: the keyless built-in analyzer (and, later, the LLM,
//! search and web-fetch clients).

pub mod builtin;
