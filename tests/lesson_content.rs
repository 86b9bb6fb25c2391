//! The shipped Lecture 25 against its source slides: no bullet dropped or reworded, notes for
//! every slide, and every Python snippet runs.

use std::process::Command;
use std::time::{Duration, Instant};

use lectern::lesson::{Block, EMBEDDED_SOURCE, Lesson, parse, plain_text};

/// The slide text as handed over (a copy of the course's `lecture-25-slides.md`).
const SOURCE: &str = include_str!("../assets/lecture-25-slides.md");

/// One source slide: title, subtitle, bullets and table rows, with Markdown marks removed.
#[derive(Debug, Default)]
struct SourceSlide {
    title: String,
    subtitle: String,
    bullets: Vec<String>,
    table_rows: Vec<Vec<String>>,
}

fn unmark(text: &str) -> String {
    text.replace("**", "").replace('`', "").trim().to_string()
}

fn source_slides() -> Vec<SourceSlide> {
    let mut slides: Vec<SourceSlide> = Vec::new();
    for line in SOURCE.lines() {
        if let Some(heading) = line.strip_prefix("## ") {
            // "Slide 3 — Title": lectern numbers slides itself.
            let title = heading.split_once(" — ").map_or(heading, |(_, t)| t);
            slides.push(SourceSlide {
                title: title.to_string(),
                ..SourceSlide::default()
            });
        } else if let Some(slide) = slides.last_mut() {
            if let Some(bullet) = line.strip_prefix("- ") {
                slide.bullets.push(unmark(bullet));
            } else if line.starts_with("**") && slide.subtitle.is_empty() {
                slide.subtitle = unmark(line);
            } else if line.starts_with('|') && !line.starts_with("|---") {
                let cells = line.trim_matches('|').split('|').map(unmark).collect();
                slide.table_rows.push(cells);
            }
        }
    }
    slides
}

fn lesson() -> Lesson {
    let parsed = parse(EMBEDDED_SOURCE);
    assert!(!parsed.has_errors(), "{:?}", parsed.diagnostics);
    parsed.lesson
}

fn bullets_of(blocks: &[Block]) -> Vec<String> {
    blocks
        .iter()
        .filter_map(|b| match b {
            Block::List(list) => Some(list),
            _ => None,
        })
        .flat_map(|list| &list.items)
        .filter_map(|item| match item.first() {
            Some(Block::Paragraph(inlines)) => Some(plain_text(inlines)),
            _ => None,
        })
        .collect()
}

#[test]
fn every_slide_keeps_its_title_subtitle_bullets_and_table_verbatim() {
    let source = source_slides();
    let lesson = lesson();
    assert_eq!(source.len(), 12);
    assert_eq!(lesson.slides.len(), source.len());
    for (i, (want, got)) in source.iter().zip(&lesson.slides).enumerate() {
        let n = i + 1;
        assert_eq!(
            got.title.as_deref(),
            Some(want.title.as_str()),
            "slide {n} title"
        );
        assert_eq!(
            got.subtitle.as_deref(),
            Some(want.subtitle.as_str()),
            "slide {n} subtitle"
        );
        assert_eq!(bullets_of(&got.blocks), want.bullets, "slide {n} bullets");
        let tables: Vec<Vec<Vec<String>>> = got
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Table(t) => Some(
                    std::iter::once(&t.header)
                        .chain(&t.rows)
                        .map(|row| row.iter().map(|c| plain_text(c)).collect())
                        .collect(),
                ),
                _ => None,
            })
            .collect();
        let want_tables: Vec<Vec<Vec<String>>> = if want.table_rows.is_empty() {
            vec![]
        } else {
            vec![want.table_rows.clone()]
        };
        assert_eq!(tables, want_tables, "slide {n} table");
    }
}

#[test]
fn every_slide_has_notes_that_say_show_ask_and_name_a_demo() {
    for (i, slide) in lesson().slides.iter().enumerate() {
        let notes: String = slide
            .notes
            .iter()
            .filter_map(|b| match b {
                Block::Paragraph(inlines) => Some(plain_text(inlines)),
                _ => None,
            })
            .collect::<Vec<_>>()
            .join("\n");
        for part in ["Say:", "Show:", "Ask the room:", "Demo:"] {
            assert!(
                notes.contains(part),
                "slide {} notes lack {part:?}:\n{notes}",
                i + 1
            );
        }
    }
}

fn python_snippets() -> Vec<(usize, String)> {
    let mut snippets = Vec::new();
    for (i, slide) in lesson().slides.iter().enumerate() {
        for block in &slide.blocks {
            if let Block::Code(code) = block
                && code.lang.as_deref() == Some("python")
            {
                let text: Vec<String> = code
                    .lines()
                    .iter()
                    .map(|line| line.iter().map(|t| t.text.as_str()).collect())
                    .collect();
                snippets.push((i + 1, text.join("\n") + "\n"));
            }
        }
    }
    snippets
}

#[test]
fn snippets_fit_a_projector_sized_slide_without_wrapping() {
    for (slide, code) in python_snippets() {
        for line in code.lines() {
            assert!(
                line.chars().count() <= 62,
                "slide {slide}: {line:?} is too wide"
            );
        }
    }
}

#[test]
fn every_python_snippet_runs() {
    let snippets = python_snippets();
    assert!(snippets.len() >= 10, "only {} snippets", snippets.len());
    let dir = std::env::temp_dir().join(format!("lectern-snippets-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (slide, code) in snippets {
        let path = dir.join(format!("slide_{slide:02}.py"));
        std::fs::write(&path, &code).unwrap();
        let mut child = Command::new("python3")
            .arg(&path)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("python3 is installed (.ci/run installs it)");
        let started = Instant::now();
        while child.try_wait().unwrap().is_none() {
            if started.elapsed() > Duration::from_secs(120) {
                child.kill().unwrap();
                panic!("slide {slide}'s snippet did not finish in 120 s");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let output = child.wait_with_output().unwrap();
        assert!(
            output.status.success(),
            "slide {slide}'s snippet failed:\n{code}\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(
            !output.stdout.is_empty(),
            "slide {slide}'s snippet printed nothing"
        );
    }
}

/// Every demo the lecture runs is announced under 10 s and needs under 256 MiB, all its
/// processes together: the room never waits on a run it was not told about.
#[test]
fn every_demo_of_the_lecture_is_estimated_under_ten_seconds_and_256_mib() {
    let (resolved, _) = lectern::resolved::embedded().expect("the built-in lesson loads");
    let mut seen = 0;
    for (slide, demos) in resolved.demos.iter().enumerate() {
        for shown in demos {
            let (demo, params) = (shown.request.demo(), shown.request.params());
            let what = format!("slide {}: {}", slide + 1, shown.request.name());
            assert!(
                demo.estimate(params) < Duration::from_secs(10),
                "{what}: about {:?}",
                demo.estimate(params)
            );
            assert!(
                demo.memory_needed(params) < 256 << 20,
                "{what}: {} bytes",
                demo.memory_needed(params)
            );
            seen += 1;
        }
    }
    assert!(seen >= 20, "{seen} demos");
}
