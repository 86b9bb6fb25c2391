//! How a process ended: an exit code, a signal, or unknown (reaped by someone else first).

use serde::{Deserialize, Serialize};

/// How a process ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExitInfo {
    /// It exited with this status code.
    Code(i32),
    /// A signal killed it.
    Signal(i32),
    /// It was reaped by a parent other than lectern before its status could be read.
    Unknown,
}

impl ExitInfo {
    /// Decodes a wait status as the kernel stores it (`/proc/PID/stat` field 52).
    #[must_use]
    pub fn from_wait_status(status: i32) -> Self {
        let signal = status & 0x7f;
        if signal == 0 {
            Self::Code((status >> 8) & 0xff)
        } else {
            Self::Signal(signal)
        }
    }

    /// At most 8 characters, for table columns: `exit 0`, `SIGKILL`, `exited`.
    #[must_use]
    pub fn short(&self) -> String {
        match *self {
            Self::Code(code) => format!("exit {code}"),
            Self::Signal(signal) => signal_name(signal),
            Self::Unknown => "exited".to_string(),
        }
    }

    /// How a process ended, from an exit code or a signal number (neither: unknown).
    #[must_use]
    pub fn from_parts(code: Option<i32>, signal: Option<i32>) -> Self {
        match (code, signal) {
            (Some(code), _) => Self::Code(code),
            (None, Some(signal)) => Self::Signal(signal),
            _ => Self::Unknown,
        }
    }

    /// Short text for the screen: `exit 0`, `killed by SIGTERM`, `exited`.
    #[must_use]
    pub fn describe(&self) -> String {
        match *self {
            Self::Code(code) => format!("exit {code}"),
            Self::Signal(signal) => format!("killed ({})", signal_name(signal)),
            Self::Unknown => "exited".to_string(),
        }
    }
}

/// The conventional name of a signal number (`SIGTERM`), or `signal N`.
#[must_use]
pub fn signal_name(signal: i32) -> String {
    let name = match signal {
        1 => "SIGHUP",
        2 => "SIGINT",
        3 => "SIGQUIT",
        6 => "SIGABRT",
        9 => "SIGKILL",
        11 => "SIGSEGV",
        13 => "SIGPIPE",
        15 => "SIGTERM",
        _ => return format!("signal {signal}"),
    };
    name.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wait_statuses_decode() {
        assert_eq!(ExitInfo::from_wait_status(3 << 8), ExitInfo::Code(3));
        assert_eq!(ExitInfo::from_wait_status(9), ExitInfo::Signal(9));
        assert_eq!(ExitInfo::Signal(15).describe(), "killed (SIGTERM)");
    }
}
