//! The gauges' state: the latest sample, a short per-core history, and a frozen copy while
//! the presenter explains something. Pure data; the widgets live in `ui::gauges`.

use std::collections::VecDeque;

use crate::sampler::Sample;

/// Samples of history kept per core for the sparklines.
pub const HISTORY: usize = 64;

/// Raw samples averaged for the displayed percentage: with 100 clock ticks a second, one
/// 200 ms sample moves in 5-point steps, so the bar shows a short moving average.
pub const SMOOTHING: usize = 3;

/// What the gauges show: one sample and the history behind it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GaugeData {
    /// The newest sample, if one has arrived.
    pub sample: Option<Sample>,
    /// Per core, the last [`HISTORY`] busy percentages, oldest first.
    pub history: Vec<VecDeque<f32>>,
    /// Samples received.
    pub count: u64,
}

impl GaugeData {
    /// Core `core`'s busy percentage averaged over the last [`SMOOTHING`] samples.
    #[must_use]
    pub fn smoothed(&self, core: usize) -> f32 {
        let Some(history) = self.history.get(core) else {
            return 0.0;
        };
        let recent: Vec<f32> = history.iter().rev().take(SMOOTHING).copied().collect();
        if recent.is_empty() {
            0.0
        } else {
            recent.iter().sum::<f32>() / recent.len() as f32
        }
    }

    /// The whole machine's busy percentage, averaged like the cores.
    #[must_use]
    pub fn smoothed_total(&self) -> f32 {
        let cores = self.history.len();
        if cores == 0 {
            return 0.0;
        }
        (0..cores).map(|c| self.smoothed(c)).sum::<f32>() / cores as f32
    }

    fn push(&mut self, sample: Sample) {
        self.history.resize_with(sample.cores.len(), VecDeque::new);
        for (history, pct) in self.history.iter_mut().zip(&sample.cores) {
            if history.len() == HISTORY {
                history.pop_front();
            }
            history.push_back(*pct);
        }
        self.count += 1;
        self.sample = Some(sample);
    }
}

/// Live gauge data plus an optional frozen copy.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Gauges {
    live: GaugeData,
    frozen: Option<Box<GaugeData>>,
}

impl Gauges {
    /// Adds a sample; while frozen it is kept but not shown.
    pub fn push(&mut self, sample: Sample) {
        self.live.push(sample);
    }

    /// Freezes the display at the current data, or resumes the live view.
    pub fn toggle_freeze(&mut self) {
        self.frozen = match self.frozen.take() {
            Some(_) => None,
            None => Some(Box::new(self.live.clone())),
        };
    }

    /// Whether the display is frozen.
    #[must_use]
    pub fn is_frozen(&self) -> bool {
        self.frozen.is_some()
    }

    /// The data to draw: the frozen copy if frozen, else the live data.
    #[must_use]
    pub fn shown(&self) -> &GaugeData {
        self.frozen.as_deref().unwrap_or(&self.live)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(cores: &[f32]) -> Sample {
        Sample {
            t: 0.0,
            cores: cores.to_vec(),
            total: 0.0,
            procs: Vec::new(),
        }
    }

    #[test]
    fn the_shown_percentage_is_a_short_moving_average() {
        let mut gauges = Gauges::default();
        for pct in [0.0, 30.0, 60.0, 90.0] {
            gauges.push(sample(&[pct, 100.0]));
        }
        assert!((gauges.shown().smoothed(0) - 60.0).abs() < 1e-4);
        assert!((gauges.shown().smoothed_total() - 80.0).abs() < 1e-4);
        assert_eq!(gauges.shown().history[0].len(), 4);
    }

    #[test]
    fn history_is_bounded() {
        let mut gauges = Gauges::default();
        for _ in 0..HISTORY + 10 {
            gauges.push(sample(&[1.0]));
        }
        assert_eq!(gauges.shown().history[0].len(), HISTORY);
    }

    #[test]
    fn freezing_keeps_the_view_while_samples_keep_coming() {
        let mut gauges = Gauges::default();
        gauges.push(sample(&[10.0]));
        gauges.toggle_freeze();
        gauges.push(sample(&[90.0]));
        assert!(gauges.is_frozen());
        assert_eq!(gauges.shown().sample.as_ref().unwrap().cores, [10.0]);
        gauges.toggle_freeze();
        assert_eq!(gauges.shown().sample.as_ref().unwrap().cores, [90.0]);
        assert_eq!(gauges.shown().count, 2);
    }
}
