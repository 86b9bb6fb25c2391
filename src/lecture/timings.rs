//! How long demo runs took on this machine, by engine, demo and parameters, so that before
//! Enter the panel can say about how long a run will take: the last run's time when there
//! is one, else the demo's own estimate. Kept across lectures (the event loop reads and
//! writes it, under the state directory); no I/O here.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::demo_runtime::RunRequest;
use crate::demo_runtime::engine::Engine;

/// The file format's version.
pub const VERSION: u32 = 1;

/// Runs remembered at most; the oldest go first.
const KEPT: usize = 256;

/// The last time each kind of run took here.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Timings {
    version: u32,
    /// `engine demo key=value…` → seconds it took, and when it was recorded (a counter).
    runs: BTreeMap<String, (f64, u64)>,
    /// The counter's next value.
    next: u64,
    /// Moves with every change, so the file is written only when something new is in.
    #[serde(skip)]
    pub revision: u64,
}

/// Where a time before Enter comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The last run of the same demo, with the same parameters, on the same engine, here.
    LastRun,
    /// The demo's estimate for a two-core machine.
    Estimate,
}

impl Timings {
    /// What a timings file holds; nothing if it is not one (a damaged file costs the
    /// remembered times, never the lecture).
    #[must_use]
    pub fn from_json(text: &str) -> Self {
        serde_json::from_str::<Self>(text)
            .ok()
            .filter(|t| t.version == VERSION)
            .unwrap_or_default()
    }

    /// The file's text.
    #[must_use]
    pub fn to_json(&self) -> String {
        let kept = Self {
            version: VERSION,
            ..self.clone()
        };
        serde_json::to_string(&kept).unwrap_or_default()
    }

    /// About how long `request` takes on `engine` here, and how that is known.
    #[must_use]
    pub fn expected(&self, request: &RunRequest, engine: Engine) -> (Duration, Source) {
        match self
            .runs
            .get(&key(request, engine))
            .and_then(|(secs, _)| Duration::try_from_secs_f64(*secs).ok())
        {
            Some(took) => (took, Source::LastRun),
            None => (request.demo().estimate(request.params()), Source::Estimate),
        }
    }

    /// Remembers that `request` took `took` on `engine`.
    pub fn record(&mut self, request: &RunRequest, engine: Engine, took: Duration) {
        self.insert(key(request, engine), took);
    }

    fn insert(&mut self, key: String, took: Duration) {
        self.runs.insert(key, (took.as_secs_f64(), self.next));
        self.next += 1;
        while self.runs.len() > KEPT {
            let oldest = self
                .runs
                .iter()
                .min_by_key(|(_, (_, at))| *at)
                .map(|(k, _)| k.clone());
            match oldest {
                Some(oldest) => self.runs.remove(&oldest),
                None => break,
            };
        }
        self.revision = self.revision.wrapping_add(1);
    }
}

/// The key of a run: its engine, its demo and every parameter.
fn key(request: &RunRequest, engine: Engine) -> String {
    let (demo, params) = crate::claims::run_key(request.name(), request.params());
    format!("{engine} {demo} {params}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demos::ALL;

    #[test]
    fn the_last_run_here_stands_in_for_the_estimate_per_engine_and_parameters() {
        let demo = ALL[0];
        let request = RunRequest::defaults(demo);
        let mut timings = Timings::default();
        assert_eq!(
            timings.expected(&request, Engine::Native),
            (demo.estimate(request.params()), Source::Estimate)
        );
        timings.record(&request, Engine::Native, Duration::from_millis(4200));
        assert_eq!(
            timings.expected(&request, Engine::Native),
            (Duration::from_millis(4200), Source::LastRun)
        );
        assert_eq!(
            timings.expected(&request, Engine::Python).1,
            Source::Estimate
        );
        // Through the file and back.
        let again = Timings::from_json(&timings.to_json());
        assert_eq!(again.expected(&request, Engine::Native).1, Source::LastRun);
        assert_eq!(Timings::from_json("{not json"), Timings::default());
    }

    #[test]
    fn the_oldest_go_first_past_what_is_kept() {
        let demo = ALL[0];
        let mut timings = Timings::default();
        let first = RunRequest::defaults(demo);
        timings.record(&first, Engine::Native, Duration::from_secs(1));
        for i in 0..KEPT {
            timings.insert(format!("python other {i}"), Duration::from_secs(1));
        }
        assert!(timings.runs.len() <= KEPT);
        assert_eq!(timings.expected(&first, Engine::Native).1, Source::Estimate);
    }
}
