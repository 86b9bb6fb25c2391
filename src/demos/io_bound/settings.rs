//! The demo's parameters, and the kinds of task its pool is sent.

use serde::Deserialize;

/// A pool task that makes one request.
pub(super) const IO: u32 = 1;
/// A pool task of CPU work.
pub(super) const CPU: u32 = 2;

/// The demo's parameters.
#[derive(Debug, Clone, Deserialize)]
pub struct Settings {
    /// Requests, and CPU tasks.
    pub tasks: u32,
    /// Server delay, and CPU work per task, ms.
    pub io_ms: u64,
    /// Worker processes.
    pub workers: u32,
    /// Worker threads.
    pub threads: u32,
    /// Run the hybrid too.
    pub hybrid: bool,
    /// Process cap.
    pub cap: u32,
}
