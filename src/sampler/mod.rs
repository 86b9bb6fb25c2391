//! The sampler: per-core CPU and per-process memory of the tracked process trees, measured
//! from the kernel by the thread that shows them, between its messages ([`Sampler::wait`]),
//! as owned [`Sample`]s.
//!
//! On Linux it reads `/proc` directly (only the tracked PIDs, with kept-open files); other
//! systems use `sysinfo`, which gives per-core CPU and RSS but no PSS.

mod collector;
#[cfg(target_os = "linux")]
mod footprints;
#[cfg(target_os = "linux")]
mod kept_files;
#[cfg(target_os = "linux")]
mod proc_text;
#[cfg(target_os = "linux")]
mod procfs_source;
mod sample;
mod source;
// Built on Linux too when testing, so the fallback is exercised where CI runs.
#[cfg(any(not(target_os = "linux"), test))]
mod sysinfo_source;
mod ticker;
#[cfg(target_os = "linux")]
mod unchanged;

pub use collector::{Collector, EXITED_LINGER, FOOTPRINT_INTERVAL, FOOTPRINT_MAX_AGE};
pub use sample::{ProcSample, ProcState, Role, Sample};
pub use source::{Footprint, FootprintReading, RawProc, Source};
pub use ticker::{Command, DEFAULT_RATE_HZ, MAX_RATE_HZ, MIN_RATE_HZ, Sampler, Woke};

/// PSS and USS of `pid`, read now on the calling thread (for demos measuring themselves; the
/// gauges ask [`Source::footprint`], which may read elsewhere). `None` where the platform
/// does not tell, or once the process is gone.
#[must_use]
pub fn footprint_now(pid: u32) -> Option<Footprint> {
    #[cfg(target_os = "linux")]
    return footprints::read(pid);
    #[cfg(not(target_os = "linux"))]
    return {
        let _ = pid;
        None
    };
}

/// The source for this platform.
#[cfg(target_os = "linux")]
pub type PlatformSource = procfs_source::ProcfsSource;
/// The source for this platform.
#[cfg(not(target_os = "linux"))]
pub type PlatformSource = sysinfo_source::SysinfoSource;
