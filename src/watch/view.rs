//! Drawing the `lectern watch` screen: header, cores, processes, output. Pure.

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Paragraph, Widget};

use super::app::WatchApp;
use crate::process::Stream;
use crate::theme::Theme;
use crate::ui::clock::format_clock;
use crate::ui::damage::Plan;
use crate::ui::frame::{key_rows, overlay, panel};
use crate::ui::gauges;

/// Draws one frame.
pub fn render(app: &WatchApp, frame: &mut Frame) {
    let screen = frame.area();
    plan(app, screen).render(frame.buffer_mut());
}

/// One frame cut into parts, each keyed on what it shows (see [`crate::ui::damage`]): the
/// header on the clock, the gauges on each sample shown, the output on each line.
#[must_use]
pub fn plan(app: &WatchApp, screen: Rect) -> Plan<'_> {
    let plan = Plan::new(screen, app.theme.base);
    if crate::ui::too_small::is_too_small(screen) {
        return plan.overlay(Box::new(|area, buf| {
            crate::ui::too_small::render(&app.theme, area, buf);
        }));
    }
    let output_height = (screen.height / 4).clamp(5, 12);
    let cores = app
        .gauges
        .shown()
        .sample
        .as_ref()
        .map_or(2, |s| s.cores.len());
    let core_rows =
        gauges::wanted_core_rows(cores, usize::from(screen.width.saturating_sub(4))) as u16;
    let core_height = (core_rows + 2).min(screen.height * 2 / 5);
    let [header, cores_area, procs_area, output_area] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(core_height),
        Constraint::Fill(1),
        Constraint::Length(output_height),
    ])
    .areas(screen);
    let revision = app.revision;
    let clock = (
        app.elapsed().as_secs(),
        app.deadline
            .map(|deadline| deadline.saturating_duration_since(app.now).as_secs()),
    );
    let lines = app.output_dropped + app.output.len();
    let cores_inner = crate::ui::panel::panel_inner(cores_area);
    let mut plan = plan
        .part(
            header,
            (revision, clock),
            Box::new(|area, buf| render_header(app, area, buf)),
        )
        // The panel's border and title on their own, the gauges inside redrawn alone at
        // each sample (as with the process table below).
        .part(
            cores_area,
            (revision, cores),
            Box::new(move |area, buf| {
                panel(format!("CPU · {cores} cores"), &app.theme).render(area, buf);
            }),
        )
        .part(
            cores_inner,
            (revision, gauges::cores_key(app.gauges.shown(), cores_inner)),
            Box::new(|area, buf| gauges::render_cores(app.gauges.shown(), &app.theme, area, buf)),
        )
        .part(
            procs_area,
            revision,
            Box::new(|area, buf| {
                panel(
                    "Processes: the command's tree, then lectern itself",
                    &app.theme,
                )
                .render(area, buf);
            }),
        )
        .part(
            output_area,
            (revision, lines),
            Box::new(|area, buf| render_output(app, area, buf)),
        );
    // The table inside the panel's border, line by line: a sample that moves one process's
    // figures (lectern watch's own CPU, most often) redraws that row alone.
    let table = crate::ui::panel::panel_inner(procs_area);
    for part in gauges::table_parts(app.gauges.shown(), &app.theme, table, gauges::Emphasis::Cpu) {
        plan = plan.part(part.area, (revision, part.key), part.draw);
    }
    if app.show_help {
        plan = plan.overlay(Box::new(|screen, buf| render_help(&app.theme, screen, buf)));
    }
    plan
}

fn render_header(app: &WatchApp, area: Rect, buf: &mut Buffer) {
    let theme = &app.theme;
    buf.set_style(area, theme.footer);
    let stops = app.deadline.map_or_else(String::new, |deadline| {
        format!(
            "· stops in {}s ",
            deadline.saturating_duration_since(app.now).as_secs()
        )
    });
    let right = match app.ended {
        Some((exit, _)) => format!(
            " ended: {} after {} · any key leaves ",
            exit.short(),
            format_clock(app.elapsed())
        ),
        None => format!(
            " pid {} · {} {stops}· {} Hz · f freeze · ? keys · q quit ",
            app.pid,
            format_clock(app.elapsed()),
            app.rate_hz
        ),
    };
    let frozen = if app.gauges.is_frozen() {
        " ❄ FROZEN "
    } else {
        ""
    };
    let used = crate::ui::wrap::text_width(&right) + crate::ui::wrap::text_width(frozen);
    let room = usize::from(area.width).saturating_sub(used);
    let title = crate::ui::wrap::truncate(&format!(" lectern watch · {}", app.command), room);
    let pad = room.saturating_sub(crate::ui::wrap::text_width(&title));
    Line::from(vec![
        Span::styled(title, theme.footer_accent),
        Span::styled(" ".repeat(pad), theme.footer),
        Span::styled(frozen, theme.warning),
        Span::styled(right, theme.footer),
    ])
    .render(area, buf);
}

fn render_output(app: &WatchApp, area: Rect, buf: &mut Buffer) {
    let theme = &app.theme;
    let block = panel("Output (stdout, stderr in colour)", theme);
    let inner = block.inner(area);
    block.render(area, buf);
    let rows = usize::from(inner.height);
    let skip = app.output.len().saturating_sub(rows);
    let lines: Vec<Line<'_>> = app
        .output
        .iter()
        .skip(skip)
        .map(|(stream, line)| {
            let style = if *stream == Stream::Stderr {
                theme.warning
            } else {
                theme.text
            };
            Line::styled(line.as_str(), style)
        })
        .collect();
    if lines.is_empty() {
        Line::styled("(no output yet)", theme.muted).render(inner, buf);
    } else {
        crate::ui::cells::render_lines(&lines, inner, buf);
    }
}

fn render_help(theme: &Theme, screen: Rect, buf: &mut Buffer) {
    let rows = [
        (
            "q  Esc  Ctrl-C",
            "stop the command (SIGTERM, then SIGKILL) and quit",
        ),
        ("f", "freeze / unfreeze the gauges"),
        ("?", "this help"),
    ];
    let lines = key_rows(&rows, 16, theme);
    let area = overlay(72, lines.len() as u16 + 2, theme, screen, buf);
    Paragraph::new(lines)
        .block(
            Block::bordered()
                .border_type(BorderType::Rounded)
                .border_style(theme.border)
                .title(" Keys "),
        )
        .render(area, buf);
}
