//! A lesson resolved against the demos, once, when it is loaded: each demo directive becomes a
//! typed, checked run request, each claim a typed claim. An unknown demo, parameter or result
//! is an error at load, pinned to its line and column — never a silent fallback to the
//! defaults later. `lectern check` reports exactly these problems; the lecture presents only a
//! lesson that has none.

use std::path::Path;

use crate::claims::{self, Claim};
use crate::demo_runtime::RunRequest;
use crate::demo_runtime::engine::Engine;
use crate::lesson::{self, Diagnostic, Lesson, LoadError, Pos, Severity};

/// A demo as a slide offers it: the run it starts, and what the slide calls it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlideDemo {
    /// The demo and its checked parameters.
    pub request: RunRequest,
    /// What this variant is called on the slide (`title="The convoy effect"`).
    pub title: Option<String>,
    /// The engine the lesson pins it to (`engine=native`): its point needs that engine.
    pub engine: Option<Engine>,
}

/// A lesson with its demos and claims resolved.
#[derive(Debug, Clone)]
pub struct ResolvedLesson {
    /// The lesson itself.
    pub lesson: Lesson,
    /// Each slide's demos, in the order written; a slide without demos has none.
    pub demos: Vec<Vec<SlideDemo>>,
    /// The claims, in lesson order.
    pub claims: Vec<Claim>,
    /// The lesson's text, hashed ([`lesson::source_hash`]; 0 for a lesson built in memory).
    pub source_hash: u64,
}

/// Resolves `lesson`'s demo directives and claims; a directive or claim that does not resolve
/// is left out, with a diagnostic saying why (the valid choices included).
#[must_use]
pub fn resolve(lesson: Lesson) -> (ResolvedLesson, Vec<Diagnostic>) {
    let mut problems = Vec::new();
    let demos = lesson
        .slides
        .iter()
        .map(|slide| {
            slide
                .demos
                .iter()
                .filter_map(|directive| {
                    let pairs = directive
                        .params
                        .iter()
                        .map(|(k, v)| (k.as_str(), v.as_str()));
                    let resolved = crate::demos::find_in(&lesson, &directive.name)
                        .and_then(|demo| RunRequest::from_pairs(demo, pairs))
                        .map_err(|err| err.to_string())
                        .and_then(|request| {
                            let engine = pinned_engine(&request, directive.engine.as_deref())?;
                            Ok((request, engine))
                        });
                    match resolved {
                        Ok((request, engine)) => Some(SlideDemo {
                            request,
                            title: directive.title.clone(),
                            engine,
                        }),
                        Err(why) => {
                            let at = Pos::new(directive.line, directive.col);
                            problems.push(Diagnostic::error(at, why));
                            None
                        }
                    }
                })
                .collect()
        })
        .collect();
    let (claims, claim_problems) = claims::resolve(&lesson);
    problems.extend(claim_problems);
    problems.extend(crate::demos::local::check(&lesson));
    problems.sort_by_key(|d| (d.line, d.col));
    (
        ResolvedLesson {
            lesson,
            demos,
            claims,
            source_hash: 0,
        },
        problems,
    )
}

/// The engine a directive pins its demo to, if it does: `python` needs the demo's twin.
fn pinned_engine(request: &RunRequest, written: Option<&str>) -> Result<Option<Engine>, String> {
    match written {
        None => Ok(None),
        Some("native") if !request.demo().native() => Err(format!(
            "demo `{}` is the lesson's own and runs on CPython only, so `engine=native` cannot \
             run it",
            request.name()
        )),
        Some("native") => Ok(Some(Engine::Native)),
        Some(_) if request.demo().spec().python.is_none() => Err(format!(
            "demo `{}` has no CPython twin, so `engine=python` cannot run it",
            request.name()
        )),
        Some(_) => Ok(Some(Engine::Python)),
    }
}

/// Reads, parses and resolves a lesson file; warnings are returned beside it.
///
/// # Errors
/// [`LoadError::Read`] if the file cannot be read, [`LoadError::Invalid`] listing every
/// error (`PATH:LINE:COL: error: …`) if it does not parse or does not resolve.
pub fn load(path: &Path) -> Result<(ResolvedLesson, Vec<Diagnostic>), LoadError> {
    let name = path.display().to_string();
    let bytes = lesson::read_lesson_file(path).map_err(|source| LoadError::Read {
        path: name.clone(),
        source,
    })?;
    checked(
        &name,
        lesson::parse_file(path, &bytes),
        lesson::source_hash(&bytes),
    )
}

/// The built-in Lecture 25, resolved.
///
/// # Errors
/// [`LoadError::Invalid`] only if the built-in lesson were broken, which a test rules out.
pub fn embedded() -> Result<(ResolvedLesson, Vec<Diagnostic>), LoadError> {
    checked(
        lesson::EMBEDDED_NAME,
        lesson::parse(lesson::EMBEDDED_SOURCE),
        lesson::source_hash(lesson::EMBEDDED_SOURCE.as_bytes()),
    )
}

/// `text` as a lesson, resolved; errors and warnings together (for tests and tools that want
/// to see every problem).
#[must_use]
pub fn from_text(text: &str) -> (ResolvedLesson, Vec<Diagnostic>) {
    let parsed = lesson::parse(text);
    let (resolved, mut problems) = resolve(parsed.lesson);
    problems.extend(parsed.diagnostics);
    problems.sort_by_key(|d| (d.line, d.col));
    (resolved, problems)
}

fn checked(
    name: &str,
    parsed: lesson::Parsed,
    source_hash: u64,
) -> Result<(ResolvedLesson, Vec<Diagnostic>), LoadError> {
    let (mut resolved, mut problems) = resolve(parsed.lesson);
    resolved.source_hash = source_hash;
    problems.extend(parsed.diagnostics);
    problems.sort_by_key(|d| (d.line, d.col));
    if problems.iter().any(|d| d.severity == Severity::Error) {
        return Err(LoadError::Invalid {
            report: lesson::report(name, &problems),
        });
    }
    Ok((resolved, problems))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_lecture_resolves_with_every_demo_on_its_slide() {
        let (resolved, problems) = embedded().expect("the built-in lecture resolves");
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(resolved.demos.len(), resolved.lesson.slides.len());
        for (slide, demos) in resolved.lesson.slides.iter().zip(&resolved.demos) {
            assert_eq!(slide.demos.len(), demos.len());
            for (directive, demo) in slide.demos.iter().zip(demos) {
                assert_eq!(directive.name, demo.request.name());
                assert_eq!(directive.title, demo.title);
            }
        }
        assert!(resolved.claims.len() >= 12);
    }

    #[test]
    fn a_bad_directive_is_an_error_at_its_place_never_a_fallback() {
        for (directive, at, says) in [
            ("forkk", (3, 12), "unknown demo `forkk`"),
            ("gil wrkers=2", (3, 12), "no parameter `wrkers`"),
            ("gil workers=99999", (3, 12), "from 1 to"),
            ("gil mode=fibres", (3, 12), "one of"),
        ] {
            let text = format!("# A\n\n<!-- demo: {directive} -->\n");
            let (resolved, problems) = from_text(&text);
            assert!(resolved.demos[0].is_empty(), "{directive}: not offered");
            let [problem] = problems.as_slice() else {
                panic!("{directive}: {problems:?}")
            };
            assert_eq!((problem.line, problem.col), at, "{directive}: {problem}");
            assert_eq!(problem.severity, Severity::Error);
            assert!(problem.message.contains(says), "{directive}: {problem}");
        }
    }

    #[test]
    fn a_directive_can_pin_the_engine_its_point_needs() {
        let text = "# A\n\n<!-- demo: main-guard engine=native -->\n<!-- demo: gil -->\n";
        let (resolved, problems) = from_text(text);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(resolved.demos[0][0].engine, Some(Engine::Native));
        assert_eq!(resolved.demos[0][1].engine, None);
        for (directive, says) in [
            ("gil engine=rust", "not an engine"),
            ("sleepless engine=python", "unknown demo"),
        ] {
            let text = format!("# A\n\n<!-- demo: {directive} -->\n");
            let (_, problems) = from_text(&text);
            assert!(
                problems.iter().any(|p| p.message.contains(says)),
                "{directive}: {problems:?}"
            );
        }
        // A demo without a twin cannot be pinned to CPython.
        let sleepers = RunRequest::defaults(&crate::demos::example_sleepers::DEMO);
        let why = pinned_engine(&sleepers, Some("python")).unwrap_err();
        assert!(why.contains("no CPython twin"), "{why}");
        assert_eq!(
            pinned_engine(&sleepers, Some("native")),
            Ok(Some(Engine::Native))
        );
    }

    #[test]
    fn loading_a_lesson_with_a_bad_directive_fails_with_file_line_and_column() {
        let dir = std::env::temp_dir().join(format!("lectern-resolved-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let path = dir.join("bad.md");
        std::fs::write(&path, "# A\n\n<!-- demo: gil workers=0 -->\n").expect("write");
        let err = load(&path).expect_err("refused").to_string();
        std::fs::remove_dir_all(&dir).expect("clean up");
        assert!(err.contains("bad.md:3:12: error:"), "{err}");
        assert!(err.contains("`workers=0` is not valid"), "{err}");
    }
}
