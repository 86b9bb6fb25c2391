//! Every question of Lecture 25 as a learner meets it in learn mode: asked at 80×24, 100×30
//! and 120×40 — the prompt whole, every option numbered, the answer line — and, once a run
//! has answered it, the prediction beside the measurement. Snapshots keep the screens; the
//! contrast test (`theme_contrast.rs`) checks them in every theme.

mod lecture;

use std::fmt::Write as _;

use lectern::theme::ThemeName;
use lecture::{answered, asked, draw, questions};

const SIZES: [(u16, u16); 3] = [(80, 24), (100, 30), (120, 40)];

/// The text inside the panel titled `title` ("Predict", "Demo"), its rows joined with spaces
/// so a wrapped sentence reads as one; empty when no such panel is on screen.
fn panel(screen: &str, title: &str) -> String {
    let rows: Vec<Vec<char>> = screen
        .lines()
        .map(|l| l.trim_matches('"').chars().collect())
        .collect();
    let top = format!("╭ {title}");
    let Some((y, left)) = rows.iter().enumerate().find_map(|(y, row)| {
        let text: String = row.iter().collect();
        let at = text.find(&top)?;
        Some((y, text[..at].chars().count()))
    }) else {
        return String::new();
    };
    let right = (left + 1..rows[y].len())
        .find(|&x| rows[y][x] == '╮')
        .unwrap_or(rows[y].len());
    let mut inside = Vec::new();
    for row in &rows[y + 1..] {
        if row.get(left) != Some(&'│') {
            break;
        }
        let text: String = row[left + 1..right.min(row.len())].iter().collect();
        inside.push(text.trim().to_string());
    }
    inside
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn every_question_is_asked_whole_at_every_size() {
    let (app, _) = lecture::lecture(1, 120, 40, ThemeName::Dark);
    let claims: Vec<_> = app
        .verdicts
        .claims
        .iter()
        .filter_map(|c| Some((c.slide, c.question.clone()?)))
        .collect();
    let all = questions();
    assert_eq!(all.len(), 12, "Lecture 25 asks 12 questions");
    for size in SIZES {
        let mut screens = String::new();
        for ((slide, tabs, demo), (claim_slide, question)) in all.iter().zip(&claims) {
            assert_eq!(slide, claim_slide);
            let (app, _) = asked(*slide, *tabs, size, ThemeName::Dark);
            let screen = draw(&app);
            let text = panel(&screen, "Predict");
            assert!(screen.contains("╭ Predict"), "{demo} {size:?}:\n{screen}");
            assert!(
                text.contains(&question.prompt),
                "{demo} {size:?}: the prompt whole\n{screen}"
            );
            assert!(text.contains("Your answer:"), "{demo} {size:?}:\n{screen}");
            if let lectern::claims::question::Answer::Choice { options, .. } = &question.answer {
                for (i, option) in options.iter().enumerate() {
                    let numbered = format!("{} {option}", i + 1);
                    assert!(text.contains(&numbered), "{numbered} {size:?}:\n{screen}");
                }
            }
            let _ = writeln!(screens, "── slide {slide}, {demo} ──\n{screen}");
        }
        insta::assert_snapshot!(format!("questions_{}x{}", size.0, size.1), screens);
    }
}

#[test]
fn every_answered_question_shows_the_prediction_beside_the_measurement() {
    for (slide, tabs, demo) in questions() {
        for size in SIZES {
            let app = answered((slide, tabs, &demo), size, ThemeName::Dark);
            let text = panel(&draw(&app), "Demo");
            assert!(
                text.contains("You predicted") && text.contains("measured"),
                "slide {slide} {demo} {size:?}:\n{}",
                draw(&app)
            );
        }
    }
}
