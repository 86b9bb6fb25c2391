//! The `lectern` binary: parse the command line, then present a lesson or run a command.

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;

use lectern::cli::{Cli, Command, PresentArgs, WatchArgs, WorkerJob};
use lectern::demo_runtime::engine::EngineChoice;
use lectern::demo_runtime::launch::{Engines, EnginesAt};
use lectern::lesson;
use lectern::resolved::{self, ResolvedLesson};
use lectern::terminal::ExitReason;
use lectern::theme::Theme;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Check { paths }) => lectern::commands::check::run(&paths),
        Some(Command::New { path }) => lectern::commands::new::run(&path),
        Some(Command::Watch(args)) => watch(args),
        Some(Command::Demos { lesson }) => match lesson.as_ref().map(|_| load(lesson.as_ref())) {
            Some(Err(code)) => code,
            Some(Ok(loaded)) => lectern::commands::demo::list(Some(&loaded.lesson)),
            None => lectern::commands::demo::list(None),
        },
        Some(Command::Progress {
            lesson,
            json,
            reset,
        }) => progress(lesson.as_ref(), json, reset),
        Some(export @ Command::Export { .. }) => export_command(export),
        Some(Command::Report {
            lesson,
            engine,
            python,
            json,
            quick,
            runs,
        }) => report(lesson.as_ref(), &engine, python, json, (quick, runs)),
        Some(Command::Demo {
            name,
            lesson,
            sets,
            json,
            quick,
            engine,
        }) => match lesson.as_ref().map(|_| load(lesson.as_ref())) {
            Some(Err(code)) => code,
            Some(Ok(loaded)) => lectern::commands::demo::run(
                &name,
                Some(&loaded.lesson),
                &sets,
                (json, quick),
                &engine,
            ),
            None => lectern::commands::demo::run(&name, None, &sets, (json, quick), &engine),
        },
        Some(Command::Worker { job }) => match job {
            WorkerJob::Exec { parent, command } => lectern::process::exec_command(parent, &command),
            WorkerJob::Highlight { parent } => {
                lectern::lecture::event_loop::highlight_helper::serve(parent)
            }
            WorkerJob::Demo {
                name,
                parent,
                params,
            } => lectern::demos::run_worker(&name, parent, &params),
            WorkerJob::Child { demo, job } => lectern::demos::run_child(&demo, &job),
            WorkerJob::Supervise {
                parent,
                cap,
                command,
            } => match command.split_first() {
                Some((program, args)) => {
                    lectern::demo_runtime::supervisor::supervise(parent, cap, program, args)
                }
                None => ExitCode::from(2),
            },
        },
        Some(Command::Present { args, class, name }) => {
            let link = link_options(&args, name);
            let class = class
                .class
                .then(|| lectern::lecture::event_loop::ClassSetup::Room {
                    listen: class
                        .listen
                        .unwrap_or_else(|| std::net::SocketAddr::from(([0, 0, 0, 0], 47125))),
                    max_students: class.max_students,
                });
            present(&args, Some(link), class)
        }
        Some(Command::Join {
            addr,
            code,
            lesson,
            name,
            simulate,
            seconds,
        }) => match simulate {
            Some(n) => lectern::commands::join::simulate(&addr, &code, usize::from(n), seconds),
            None => join(&addr, &code, lesson, name),
        },
        Some(Command::Presenter { name, theme }) => {
            lectern::presenter::run(name, Theme::new(theme, Theme::no_color_requested()))
        }
        None => present(&cli.present, None, None),
    }
}

/// `lectern export`: a handout, a replay page or a GIF.
fn export_command(command: Command) -> ExitCode {
    let Command::Export {
        html,
        replay,
        gif,
        output,
        fps,
        from,
        to,
        results,
        progress,
        lesson,
    } = command
    else {
        return ExitCode::from(2);
    };
    match (html, replay, gif) {
        (Some(html), _, _) => export(lesson.as_ref(), &html, results.as_deref(), progress),
        (_, Some(cast), _) => lectern::export::recording::replay(&cast, output.as_deref()),
        (_, _, Some(cast)) => {
            let options = lectern::export::recording::GifOptions { fps, from, to };
            lectern::export::recording::gif(&cast, output.as_deref(), &options)
        }
        // clap requires one of the three.
        (None, None, None) => ExitCode::from(2),
    }
}

/// `lectern join`: the student's lecture, in learn mode, following the room.
fn join(
    addr: &str,
    code: &str,
    lesson: Option<std::path::PathBuf>,
    name: Option<String>,
) -> ExitCode {
    match lectern::commands::join::join(addr, code, lesson.as_deref(), name) {
        Ok(student) => {
            let mut words = vec!["lectern".into(), "--learn".into()];
            words.extend(lesson.map(std::path::PathBuf::into_os_string));
            let cli = Cli::parse_from(words);
            let class = lectern::lecture::event_loop::ClassSetup::Student(student);
            present(&cli.present, None, Some(class))
        }
        Err(code) => code,
    }
}

fn watch(args: WatchArgs) -> ExitCode {
    let _ = color_eyre::install();
    let options = lectern::watch::WatchOptions {
        command: args.command,
        rate_hz: args.rate_hz,
        seconds: args.seconds.map(std::time::Duration::from_secs_f64),
        json: args.json,
        exit_at_end: args.exit,
        theme: Theme::new(args.theme, Theme::no_color_requested()),
    };
    lectern::watch::run(&options)
}

fn export(
    path: Option<&std::path::PathBuf>,
    out: &std::path::Path,
    results: Option<&std::path::Path>,
    progress: bool,
) -> ExitCode {
    let predictions = if progress {
        match predictions(path) {
            Ok(predictions) => Some(predictions),
            Err(code) => return code,
        }
    } else {
        None
    };
    let loaded = match path {
        Some(path) => lesson::load(path),
        None => lesson::embedded(),
    };
    match loaded {
        Ok((lesson, _)) => lectern::export::run(&lesson, out, results, predictions),
        Err(err) => {
            eprintln!("{err}");
            ExitCode::from(2)
        }
    }
}

/// `export --progress`: the learner's latest answers to the lesson's questions, and how many
/// it asks.
fn predictions(
    lesson: Option<&std::path::PathBuf>,
) -> Result<(Vec<lectern::claims::progress_log::ProgressLine>, usize), ExitCode> {
    let loaded = load(lesson)?;
    let path = progress_path(lesson, "export")?;
    match lectern::commands::progress::load(&loaded, &path) {
        Ok(progress) => Ok((
            progress.map(|p| p.latest).unwrap_or_default(),
            lectern::commands::progress::asked(&loaded),
        )),
        Err(why) => {
            eprintln!("lectern export: {why}");
            Err(ExitCode::FAILURE)
        }
    }
}

fn report(
    path: Option<&std::path::PathBuf>,
    engine: &str,
    pythons: Vec<std::ffi::OsString>,
    json: bool,
    (quick, runs): (bool, Option<u16>),
) -> ExitCode {
    use lectern::commands::report;
    let (name, loaded) = match path {
        Some(path) => (path.display().to_string(), lesson::load(path)),
        None => (lesson::EMBEDDED_NAME.to_string(), lesson::embedded()),
    };
    let lesson = match loaded {
        Ok((lesson, _)) => lesson,
        Err(err) => {
            eprintln!("{err}");
            return ExitCode::from(2);
        }
    };
    let Some(engines) = report::engines_from(engine) else {
        eprintln!("lectern report: --engine is both, native or python");
        return ExitCode::from(2);
    };
    let options = report::ReportOptions {
        engines,
        pythons,
        json,
        quick,
        runs: runs.map_or(if quick { 1 } else { report::DEFAULT_RUNS }, usize::from),
    };
    report::run(&lesson, &name, &options)
}

/// Presents `args`; with `link` (`lectern present`), listening for presenter screens.
fn present(
    args: &PresentArgs,
    link: Option<lectern::lecture::event_loop::LinkOptions>,
    class: Option<lectern::lecture::event_loop::ClassSetup>,
) -> ExitCode {
    // The report hook first; the terminal guard chains its own restore in front of it.
    let _ = color_eyre::install();
    let headless = !std::io::stdout().is_terminal();
    if headless && (args.script.is_none() || args.size.is_none()) {
        eprintln!(
            "lectern: standard output is not a terminal, so there is nowhere to draw slides.\n\
             Run lectern in a terminal; use `lectern check LESSON` to validate a lesson; or \
             record a scripted tour without a terminal:\n  \
             lectern --script TOUR.script --size 120x36 --record tour.cast"
        );
        return ExitCode::from(2);
    }
    let script = match &args.script {
        Some(path) => match lectern::script::load(path) {
            Ok(script) => Some(script),
            Err(err) => {
                eprintln!("lectern: {err}");
                return ExitCode::from(2);
            }
        },
        None => None,
    };
    let lesson = match load(args.lesson.as_ref()) {
        Ok(lesson) => lesson,
        Err(code) => return code,
    };
    let count = lesson.lesson.slides.len();
    let source_hash = lesson.source_hash;
    let start = usize::from(args.slide.unwrap_or(1));
    if start > count {
        eprintln!("lectern: --slide {start} is out of range: this lesson has slides 1–{count}");
        return ExitCode::from(2);
    }
    let theme = Theme::new(args.theme, Theme::no_color_requested());
    let program = lectern::demo_runtime::python::python_program(args.engine.python.first());
    let more = args.engine.python.get(1..).unwrap_or_default().to_vec();
    // `auto` never fails, so it can look for CPython while the first frame is drawn; an
    // explicit choice is checked now, so a bad one is an error before the screen changes.
    let engines = if args.engine.engine == EngineChoice::Auto {
        EnginesAt::probe_auto(program, more, lectern::demos::TWINS)
    } else {
        match Engines::prepare(args.engine.engine, &program, lectern::demos::TWINS) {
            Ok(engines) => EnginesAt::Ready(engines.with_more(&more)),
            Err(message) => {
                eprintln!("lectern: {message}");
                return ExitCode::from(2);
            }
        }
    };
    let options = lectern::lecture::event_loop::PresentOptions {
        lesson,
        theme,
        start: start - 1,
        rate_hz: args.rate_hz,
        engines,
        screen: lectern::lecture::event_loop::ScreenOptions {
            fixed: args.size,
            record: args.record.clone(),
            keep_text: false,
        },
        script,
        headless,
        link,
        handout: args.handout.clone(),
        session: session_options(args, source_hash),
        verdict_runs: usize::from(args.runs),
        learn: args.learn,
        watch: args.lesson.clone(),
        class,
        aids: (args.aids.captions.is_some(), args.aids.show_keys),
    };
    match lectern::lecture::event_loop::present(options) {
        Ok(ExitReason::Error(message)) => {
            eprintln!("lectern: {message}");
            ExitCode::FAILURE
        }
        Ok(reason) => ExitCode::from(reason.exit_code()),
        Err(err) => {
            eprintln!("lectern: {err}");
            ExitCode::FAILURE
        }
    }
}

/// Where presenter screens find this lecture: the name given, or one made from the
/// lesson's file name.
/// Where this lecture's session is saved, and what to do with a saved one; none for a
/// scripted tour, which must come out the same every time.
fn session_options(
    args: &PresentArgs,
    lesson_hash: u64,
) -> Option<lectern::lecture::event_loop::SessionOptions> {
    use lectern::lecture::event_loop::{SessionOptions, SessionStart};
    if args.script.is_some() {
        return None;
    }
    let identity = lesson_identity(args.lesson.as_ref());
    let start = if args.resume {
        SessionStart::Resume
    } else if args.fresh || args.slide.is_some() {
        // `--slide N` says where to start: no saved session is offered over it.
        SessionStart::Fresh
    } else {
        SessionStart::Offer
    };
    Some(SessionOptions {
        identity,
        lesson_hash,
        start,
    })
}

/// Which lesson a session or progress file belongs to: its file's canonical path, or the
/// built-in lecture's name.
fn lesson_identity(lesson: Option<&std::path::PathBuf>) -> String {
    match lesson {
        Some(path) => std::fs::canonicalize(path)
            .unwrap_or_else(|_| path.clone())
            .display()
            .to_string(),
        None => lesson::EMBEDDED_NAME.to_string(),
    }
}

fn link_options(
    args: &PresentArgs,
    name: Option<String>,
) -> lectern::lecture::event_loop::LinkOptions {
    use lectern::link::{LessonRef, dir::default_name};
    let lesson = match &args.lesson {
        Some(path) => LessonRef::File(std::fs::canonicalize(path).unwrap_or_else(|_| path.clone())),
        None => LessonRef::Embedded,
    };
    lectern::lecture::event_loop::LinkOptions {
        explicit: name.is_some(),
        name: name.unwrap_or_else(|| {
            // The built-in lecture is named like its file in `lessons/`.
            let file = args
                .lesson
                .as_deref()
                .unwrap_or(std::path::Path::new("25-multiprocessing.md"));
            default_name(Some(file))
        }),
        lesson,
    }
}

/// `lectern progress`: the lesson's progress file is found as the lecture finds its session.
fn progress(lesson: Option<&std::path::PathBuf>, json: bool, reset: bool) -> ExitCode {
    let loaded = match load(lesson) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let path = match progress_path(lesson, "progress") {
        Ok(path) => path,
        Err(code) => return code,
    };
    let name = lesson.as_ref().map_or_else(
        || lesson::EMBEDDED_NAME.to_string(),
        |p| p.display().to_string(),
    );
    lectern::commands::progress::run(&loaded, &name, &path, (json, reset))
}

/// Where the learner's progress with `lesson` is kept (as the lecture finds it).
fn progress_path(
    lesson: Option<&std::path::PathBuf>,
    command: &str,
) -> Result<std::path::PathBuf, ExitCode> {
    lectern::lecture::event_loop::progress_path(&lesson_identity(lesson)).ok_or_else(|| {
        eprintln!("lectern {command}: no state directory (set XDG_STATE_HOME or HOME)");
        ExitCode::from(2)
    })
}

/// The lesson to present, its demos and claims resolved: an unknown demo or a parameter out
/// of range is an error here, before the screen changes.
fn load(lesson: Option<&std::path::PathBuf>) -> Result<ResolvedLesson, ExitCode> {
    let (name, loaded) = match lesson {
        Some(path) => (path.display().to_string(), resolved::load(path)),
        None => (lesson::EMBEDDED_NAME.to_string(), resolved::embedded()),
    };
    match loaded {
        Ok((lesson, warnings)) => {
            if !warnings.is_empty() {
                eprintln!("{}", lesson::report(&name, &warnings));
            }
            Ok(lesson)
        }
        Err(err) => {
            eprintln!("{err}");
            Err(ExitCode::FAILURE)
        }
    }
}
