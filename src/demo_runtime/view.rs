//! Generic view events: how any demo, in any language, describes its panel.
//!
//! A demo sends `{"v":2,"type":"view","id":ID,"view":{"kind":KIND,...}}`. The UI keeps one view
//! per `id`, in the order ids first appeared, and draws each kind with one generic widget; it
//! has no code for any particular demo. A later event with the same `id` replaces the view,
//! except that tables and lanes sent with `"merge": true` update their rows (by first cell) or
//! lanes (by label) and keep the others, so separate processes can each report their own row.

use serde::{Deserialize, Serialize};

/// How a piece of a view should read: the theme turns tones into styles, so demos never name
/// colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tone {
    /// Ordinary text.
    #[default]
    Normal,
    /// Secondary: labels, units, explanations.
    Muted,
    /// What the eye should land on: a result.
    Accent,
    /// The good outcome: running, finished, faster.
    Good,
    /// Something to look at twice: waiting, slower than expected.
    Warn,
    /// Something went wrong on purpose: deadlock, blocked, hung.
    Bad,
    /// Memory, as the gauges draw it.
    Memory,
}

/// One bar of a [`View::Bars`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bar {
    /// What the bar is (`chunksize 10`).
    pub label: String,
    /// Its length, in the view's unit.
    pub value: f64,
    /// Extra text after the value (`1,000 messages`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub detail: String,
    /// How it reads.
    #[serde(default)]
    pub tone: Tone,
}

/// What one lane character means.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LegendEntry {
    /// The character used in `states`.
    pub symbol: char,
    /// The glyph drawn for it (`█`, `░`); also what a monochrome screen tells apart.
    pub glyph: String,
    /// What it means (`running`).
    pub meaning: String,
    /// Its colour role.
    #[serde(default)]
    pub tone: Tone,
}

/// One actor's lane.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lane {
    /// Who (`thread 1`).
    pub label: String,
    /// One legend symbol per slot, oldest first.
    pub states: String,
}

/// One line of a [`View::Series`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Line {
    /// What the line is (`chunksize 1`).
    pub label: String,
    /// `[x, y]` points in increasing x.
    pub points: Vec<[f64; 2]>,
    /// Its colour role.
    #[serde(default)]
    pub tone: Tone,
}

/// One level of a [`View::Tree`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Level {
    /// The level's name (`main`, `depth 1`).
    pub label: String,
    /// Processes at this level.
    pub count: u64,
}

/// A piece of a demo's panel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum View {
    /// The run's result in one sentence: shown first, never scrolled away.
    Headline {
        /// The sentence.
        text: String,
        /// How it reads.
        #[serde(default)]
        tone: Tone,
    },
    /// Rows of cells under column headings; numbers are right-aligned.
    Table {
        /// Column headings.
        columns: Vec<String>,
        /// Rows of cells (each as many as `columns`).
        rows: Vec<Vec<String>>,
        /// Tone per row (missing: normal).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        tones: Vec<Tone>,
        /// Update rows by their first cell instead of replacing the table.
        #[serde(default, skip_serializing_if = "is_false")]
        merge: bool,
        /// A line under the table saying what the numbers are.
        #[serde(default, skip_serializing_if = "String::is_empty")]
        caption: String,
    },
    /// Horizontal bars scaled to the longest, each with its value and unit.
    Bars {
        /// The values' unit (`ms`).
        unit: String,
        /// The bars, in order.
        bars: Vec<Bar>,
        /// The value a full bar stands for (a queue's capacity, say); missing: the longest bar.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max: Option<f64>,
        /// A line under the bars saying what they measure.
        #[serde(default, skip_serializing_if = "String::is_empty")]
        caption: String,
    },
    /// Per-actor state over time, one character per slot, newest on the right.
    Lanes {
        /// Milliseconds per slot.
        slot_ms: u32,
        /// What each state character means, in legend order.
        legend: Vec<LegendEntry>,
        /// The lanes.
        lanes: Vec<Lane>,
        /// Update lanes by label instead of replacing them all.
        #[serde(default, skip_serializing_if = "is_false")]
        merge: bool,
    },
    /// A line chart of y against x (a speedup curve, say).
    Series {
        /// The x axis' name and unit.
        x_label: String,
        /// The y axis' name and unit.
        y_label: String,
        /// Whether x is spaced logarithmically.
        #[serde(default, skip_serializing_if = "is_false")]
        x_log: bool,
        /// A horizontal reference line (`1.0` for break-even).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reference_y: Option<f64>,
        /// The lines.
        lines: Vec<Line>,
    },
    /// A process tree by level: how many processes at each depth.
    Tree {
        /// From the root down.
        levels: Vec<Level>,
        /// A line under the tree.
        #[serde(default, skip_serializing_if = "String::is_empty")]
        caption: String,
    },
}

// serde's `skip_serializing_if` hands over a reference.
#[expect(
    clippy::trivially_copy_pass_by_ref,
    reason = "serde passes a reference"
)]
fn is_false(value: &bool) -> bool {
    !*value
}

impl View {
    /// Folds `update` into this view: merging tables and lanes keep what the update does not
    /// mention; everything else is replaced.
    pub fn absorb(&mut self, update: Self) {
        match (self, update) {
            (
                Self::Table {
                    columns,
                    rows,
                    tones,
                    caption,
                    ..
                },
                Self::Table {
                    columns: new_columns,
                    rows: new_rows,
                    tones: new_tones,
                    merge: true,
                    caption: new_caption,
                },
            ) => {
                *columns = new_columns;
                if !new_caption.is_empty() {
                    *caption = new_caption;
                }
                tones.resize(rows.len(), Tone::Normal);
                for (i, row) in new_rows.into_iter().enumerate() {
                    let tone = new_tones.get(i).copied().unwrap_or_default();
                    if let Some(at) = rows.iter().position(|r| r.first() == row.first()) {
                        rows[at] = row;
                        tones[at] = tone;
                    } else if rows.len() < MAX_MERGED {
                        rows.push(row);
                        tones.push(tone);
                    }
                }
            }
            (
                Self::Lanes {
                    slot_ms,
                    legend,
                    lanes,
                    ..
                },
                Self::Lanes {
                    slot_ms: new_slot,
                    legend: new_legend,
                    lanes: new_lanes,
                    merge: true,
                },
            ) => {
                *slot_ms = new_slot;
                *legend = new_legend;
                for lane in new_lanes {
                    let room = lanes.len() < MAX_MERGED;
                    match lanes.iter_mut().find(|l| l.label == lane.label) {
                        Some(old) => *old = lane,
                        None if room => lanes.push(lane),
                        None => {}
                    }
                }
            }
            (this, update) => *this = update,
        }
    }
}

/// The views of one run, in the order their ids first appeared.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Views {
    entries: Vec<(String, View)>,
}

/// Most views a run may keep: a demo that sends endless new ids cannot grow the UI's memory.
pub const MAX_VIEWS: usize = 32;

/// Most rows (or lanes) merging updates may grow a view to, for the same reason; no panel
/// shows more.
pub const MAX_MERGED: usize = 1000;

impl Views {
    /// Applies one view event.
    pub fn apply(&mut self, id: String, view: View) {
        if let Some((_, old)) = self
            .entries
            .iter_mut()
            .find(|(existing, _)| *existing == id)
        {
            old.absorb(view);
        } else if self.entries.len() < MAX_VIEWS {
            self.entries.push((id, view));
        }
    }

    /// The views in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &View)> {
        self.entries.iter().map(|(id, view)| (id.as_str(), view))
    }

    /// The view called `id`.
    #[must_use]
    pub fn get(&self, id: &str) -> Option<&View> {
        self.entries
            .iter()
            .find(|(existing, _)| existing == id)
            .map(|(_, view)| view)
    }

    /// Whether no view has arrived.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// A number as the panel shows it: thousands separated, fewer decimals as it grows.
#[must_use]
pub fn number(value: f64) -> String {
    let decimals = match value.abs() {
        v if v >= 100.0 || v.fract().abs() < f64::EPSILON => 0,
        v if v >= 10.0 => 1,
        _ => 2,
    };
    group(value, decimals)
}

/// A number for people: thousands separated (`10,000`), at most `decimals` decimals, and no
/// `-0`.
#[must_use]
pub fn group(value: f64, decimals: usize) -> String {
    if !value.is_finite() {
        return "—".into();
    }
    let text = format!("{:.*}", decimals, value.abs());
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let mut grouped = String::new();
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    let negative = value < 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0');
    let sign = if negative { "-" } else { "" };
    if fraction.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}.{fraction}")
    }
}

/// A duration in milliseconds as the panel shows it: `9.25 ms`, `250 ms`, `1.52 s`.
#[must_use]
pub fn duration_ms(ms: f64) -> String {
    if ms.abs() < 1000.0 {
        format!("{} ms", number(ms))
    } else {
        format!("{} s", number(ms / 1000.0))
    }
}

/// `n` followed by `word`, plural unless `n` is 1 (`1 process`, `3 processes`).
#[must_use]
pub fn count(n: u64, singular: &str, plural: &str) -> String {
    format!(
        "{} {}",
        group(n as f64, 0),
        if n == 1 { singular } else { plural }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_in_milliseconds_then_seconds() {
        assert_eq!(duration_ms(9.25), "9.25 ms");
        assert_eq!(duration_ms(250.0), "250 ms");
        assert_eq!(duration_ms(1520.0), "1.52 s");
        assert_eq!(duration_ms(125_000.0), "125 s");
    }

    #[test]
    fn merging_tables_update_rows_by_their_first_cell() {
        let mut views = Views::default();
        let row = |a: &str, b: &str| vec![a.to_string(), b.to_string()];
        let table = |rows, merge| View::Table {
            columns: vec!["who".into(), "state".into()],
            rows,
            tones: Vec::new(),
            merge,
            caption: String::new(),
        };
        views.apply("w".into(), table(vec![row("worker 1", "waiting")], true));
        views.apply("w".into(), table(vec![row("worker 2", "working")], true));
        views.apply("w".into(), table(vec![row("worker 1", "done")], true));
        let Some(View::Table { rows, .. }) = views.get("w") else {
            panic!("no table");
        };
        assert_eq!(rows, &[row("worker 1", "done"), row("worker 2", "working")]);
        views.apply("w".into(), table(vec![row("x", "y")], false));
        let Some(View::Table { rows, .. }) = views.get("w") else {
            panic!("no table");
        };
        assert_eq!(
            rows.len(),
            1,
            "a table sent without merge replaces the old one"
        );
    }

    #[test]
    fn views_keep_first_appearance_order_and_a_bound() {
        let mut views = Views::default();
        for i in 0..100 {
            views.apply(
                format!("v{}", i % 40),
                View::Headline {
                    text: format!("{i}"),
                    tone: Tone::Normal,
                },
            );
        }
        let ids: Vec<&str> = views.iter().map(|(id, _)| id).collect();
        assert_eq!(ids.len(), MAX_VIEWS);
        assert_eq!(ids[0], "v0");
    }

    #[test]
    fn numbers_for_people() {
        assert_eq!(group(7_883_716.4, 0), "7,883,716");
        assert_eq!(group(1250.0, 0), "1,250");
        assert_eq!(group(999.0, 0), "999");
        assert_eq!(group(-0.001, 1), "0.0");
        assert_eq!(group(-1234.5, 1), "-1,234.5");
        assert_eq!(count(1, "process", "processes"), "1 process");
        assert_eq!(count(10_000, "message", "messages"), "10,000 messages");
    }
}
