//! The verdicts in the demo panel, the lecture's summary: one row per claim — a mark per
//! engine, the claim in the slide's words, the median each engine measured over its runs —
//! grouped by slide and paged a slide at a time (`}` `{`), so the lecture ends on the room's
//! own numbers, with `±` where the runs disagree.

use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use super::parts::Parts;
use crate::claims::{Claim, Judgement, Spread};
use crate::demo_runtime::engine::Engine;
use crate::lecture::App;
use crate::theme::Theme;
use crate::ui::wrap::{text_width, truncate, wrap};

/// Below this width the rows leave the values out: the marks and the claim are what count.
const VALUES_FROM_WIDTH: usize = 60;

/// Columns of a value (`1,234 ms`, `~0.98×`).
const VALUE_WIDTH: usize = 10;

/// What a mark says.
const HOLDS: &str = "✓";
const DIFFERS: &str = "✗";
const UNMEASURED: &str = "○";
const EDGE: &str = "±";

/// Before a value measured on a run that simulated part of what it shows.
const SIMULATED: &str = "~";

/// The panel's top and body when it shows the verdicts.
#[must_use]
pub fn parts(app: &App, width: usize) -> Parts {
    let theme = &app.theme;
    let engines = engines(app);
    let mut top = wrap(
        &[
            ("◆ ", theme.bullet),
            (
                "The lecture's claims, measured here",
                theme.key.add_modifier(Modifier::BOLD),
            ),
        ],
        width,
    );
    top.extend(wrap(&[(&status(app, &engines), theme.muted)], width));
    top.extend(wrap(&[(&legend(&engines), theme.muted)], width));
    let values = width >= VALUES_FROM_WIDTH;
    // The values sit right after the longest claim, not at the far edge of a wide panel.
    let longest = app
        .verdicts
        .claims
        .iter()
        .map(|c| text_width(&c.text))
        .max()
        .unwrap_or(0);
    let values_width = if values {
        engines.len() * (VALUE_WIDTH + 1)
    } else {
        0
    };
    let claim_width = width
        .saturating_sub(engines.len() * 2 + 1 + values_width)
        .min(longest);
    if values {
        top.push(heading(&engines, claim_width, theme));
    }
    let mut body = Vec::new();
    for (i, slide) in app.verdicts.slides().into_iter().enumerate() {
        if i < app.verdicts.page {
            continue;
        }
        let title = app
            .lesson
            .slides
            .get(slide - 1)
            .and_then(|s| s.title.as_deref())
            .map(|title| format!(" · {title}"))
            .unwrap_or_default();
        body.push(Line::styled(
            truncate(&format!("slide {slide}{title}"), width),
            theme.table_header,
        ));
        for claim in app.verdicts.claims.iter().filter(|c| c.slide == slide) {
            body.extend(row(app, claim, &engines, claim_width, values));
        }
    }
    body.push(Line::default());
    body.extend(wrap(
        &[(
            "Each claim is judged on every run of its demo with the claim's parameters in this \
             session (the slide's own demos count): the value is the median run's, and ± says \
             the runs disagreed — some held, some did not. `lectern report` measures them all \
             (3 runs each), and `w` writes them in the handout with their spread.",
            theme.muted,
        )],
        width,
    ));
    Parts { top, body }
}

/// How many claims hold per engine, and what Enter does next.
fn status(app: &App, engines: &[Engine]) -> String {
    let verdicts = &app.verdicts;
    if let Some(run) = app
        .demos
        .running()
        .filter(|run| !verdicts.queue.is_empty() || run.slot.1 == crate::lecture::VERDICTS_SLOT)
    {
        let done = verdicts.queued - verdicts.queue.len();
        return format!(
            "▶ measuring {done}/{}: {} on {} · x stops",
            verdicts.queued,
            run.request.name(),
            run.engine
        );
    }
    let tally: Vec<String> = engines
        .iter()
        .map(|&engine| {
            let judged: Vec<Spread> = verdicts
                .claims
                .iter()
                .filter_map(|c| verdicts.verdict(c, engine))
                .collect();
            let held = judged
                .iter()
                .filter(|s| s.judgement == Judgement::Holds)
                .count();
            let edge = match judged
                .iter()
                .filter(|s| s.judgement == Judgement::Edge)
                .count()
            {
                0 => String::new(),
                n => format!(", {n} ±"),
            };
            let fewest = judged.iter().map(Spread::runs).min().unwrap_or(0);
            let most = judged.iter().map(Spread::runs).max().unwrap_or(0);
            let runs = match (fewest, most) {
                (1, 1) => " (1 run each)".to_string(),
                (a, b) if a == b => format!(" ({a} runs each)"),
                (a, b) => format!(" ({a}–{b} runs each)"),
            };
            if judged.is_empty() {
                format!("{}: none measured yet", label(engine))
            } else {
                format!(
                    "{}: {held} of {} hold{edge}{runs}",
                    label(engine),
                    judged.len()
                )
            }
        })
        .collect();
    let claims = crate::demo_runtime::view::count(verdicts.claims.len() as u64, "claim", "claims");
    let engine = app.engines.current;
    let missing = verdicts.missing(engine);
    let next = if missing.is_empty() {
        String::new()
    } else {
        let runs = crate::demo_runtime::view::count(missing.len() as u64, "run", "runs");
        let took: std::time::Duration = missing
            .iter()
            .map(|request| app.timings.expected(request, engine).0)
            .sum();
        format!(
            ". Enter makes the {runs} still missing on {engine} ({} of each), about {}",
            verdicts.wanted,
            crate::ui::clock::rough_duration(took)
        )
    };
    format!("{claims}; {}{next}. }} {{ page by slide.", tally.join(", "))
}

/// What the marks mean, in the engines' order; nothing doubles as a separator.
fn legend(engines: &[Engine]) -> String {
    let order: Vec<&str> = engines.iter().map(|&e| label(e)).collect();
    format!(
        "{HOLDS} holds   {DIFFERS} differs   {EDGE} runs disagree   {UNMEASURED} not measured   \
         {SIMULATED} simulated value   (marks: {})",
        order.join(", ")
    )
}

/// The column headings of the wide table, over claims `claim_width` wide.
fn heading(engines: &[Engine], claim_width: usize, theme: &Theme) -> Line<'static> {
    let marks = " ".repeat(engines.len() * 2);
    let values: String = engines
        .iter()
        .map(|&e| format!(" {:>VALUE_WIDTH$}", label(e)))
        .collect::<Vec<_>>()
        .concat();
    let claim = truncate("claim, as the slide says it", claim_width);
    Line::styled(
        format!("{marks} {claim:<claim_width$}{values}"),
        theme.muted.add_modifier(Modifier::BOLD),
    )
}

/// One claim: a mark per engine, the slide's words in `claim_width` columns, and (`values`)
/// the value each engine measured. One row when the words fit (at 120×40 they all do); on a
/// narrower screen the words wrap under themselves rather than being cut.
fn row(
    app: &App,
    claim: &Claim,
    engines: &[Engine],
    claim_width: usize,
    values: bool,
) -> Vec<Line<'static>> {
    let theme = &app.theme;
    let verdicts: Vec<Option<Spread>> = engines
        .iter()
        .map(|&e| app.verdicts.verdict(claim, e))
        .collect();
    let mut spans: Vec<Span<'static>> = Vec::new();
    for verdict in &verdicts {
        let (mark, style) = mark(verdict.as_ref(), theme);
        spans.push(Span::styled(mark, style));
        spans.push(Span::raw(" "));
    }
    let shown: Vec<String> = verdicts
        .iter()
        .map(|verdict| match verdict {
            // A yes/no claim's mark says it all ("✓ no" would read as a contradiction).
            Some(v) if v.median.as_number().is_some() => {
                let prefix = if v.simulated.is_some() { SIMULATED } else { "" };
                truncate(&format!("{prefix}{}", claim.show(&v.median)), VALUE_WIDTH)
            }
            _ => String::new(),
        })
        .collect();
    let words: Vec<String> = wrap(&[(claim.text.as_str(), theme.text)], claim_width.max(8))
        .iter()
        .map(ToString::to_string)
        .collect();
    let first = words.first().cloned().unwrap_or_default();
    spans.push(Span::styled(
        format!(" {:<claim_width$}", truncate(&first, claim_width)),
        theme.text,
    ));
    if values {
        for (value, verdict) in shown.iter().zip(&verdicts) {
            let style = match verdict {
                Some(v) if v.judgement != Judgement::Holds => theme.caution,
                _ => theme.text,
            };
            spans.push(Span::styled(format!(" {value:>VALUE_WIDTH$}"), style));
        }
    }
    let indent = " ".repeat(engines.len() * 2 + 1);
    let mut lines = vec![Line::from(spans)];
    lines.extend(
        words
            .iter()
            .skip(1)
            .map(|rest| Line::styled(format!("{indent}{rest}"), theme.text)),
    );
    lines
}

/// An engine's mark for a claim, and its colour.
fn mark(verdict: Option<&Spread>, theme: &Theme) -> (&'static str, Style) {
    match verdict.map(|v| v.judgement) {
        Some(Judgement::Holds) => (HOLDS, theme.good),
        Some(Judgement::Differs) => (DIFFERS, theme.caution),
        Some(Judgement::Edge) => (EDGE, theme.caution),
        None => (UNMEASURED, theme.muted),
    }
}

/// The engines worth a column: native, and CPython when it can run demos.
fn engines(app: &App) -> Vec<Engine> {
    if app.engines.python.is_some() {
        vec![Engine::Native, Engine::Python]
    } else {
        vec![Engine::Native]
    }
}

fn label(engine: Engine) -> &'static str {
    match engine {
        Engine::Native => "native",
        Engine::Python => "CPython",
    }
}
