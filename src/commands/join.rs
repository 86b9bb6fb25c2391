//! `lectern join HOST:PORT CODE`: joining a room's class as a student (the lecture follows the
//! room's), or `--simulate N` students at once.

use std::path::Path;
use std::process::ExitCode;

use crate::classroom::Student;
use crate::classroom::frames::BUILT_IN;

/// Joins the room, checking it presents the lesson this student has (the built-in one, or
/// the same file as `lesson`); the exit code when it cannot.
///
/// # Errors
/// The exit code after saying why on standard error.
pub fn join(
    addr: &str,
    code: &str,
    lesson: Option<&Path>,
    name: Option<String>,
) -> Result<Student, ExitCode> {
    let name = name
        .or_else(|| std::env::var("USER").ok())
        .unwrap_or_else(|| "a student".into());
    let student = Student::join(addr, code, &name).map_err(|err| {
        eprintln!("lectern join: {err}");
        ExitCode::from(2)
    })?;
    let ours = match lesson {
        None => BUILT_IN.to_string(),
        Some(path) => match crate::resolved::load(path) {
            Ok((lesson, _)) => crate::lesson::version(lesson.source_hash),
            Err(err) => {
                eprintln!("lectern join: {err}");
                return Err(ExitCode::from(2));
            }
        },
    };
    if student.lesson != ours {
        eprintln!(
            "lectern join: the room presents {} ({}), and this lectern has {}: join with \
             --lesson and the room's own lesson file",
            student.title,
            if student.lesson == BUILT_IN {
                "the built-in lecture"
            } else {
                "a lesson file"
            },
            if ours == BUILT_IN {
                "the built-in lecture".to_string()
            } else {
                format!("another version of it ({ours})")
            }
        );
        return Err(ExitCode::from(2));
    }
    Ok(student)
}

/// `--simulate N`: N students for `seconds`; prints how many joined and followed.
#[must_use]
pub fn simulate(addr: &str, code: &str, students: usize, seconds: u64) -> ExitCode {
    let report = crate::classroom::simulate::run(addr, code, students, seconds);
    println!(
        "lectern join: {} of {} simulated students joined; each followed {}–{} slide changes; \
         {} predictions and {} measurements sent",
        report.joined,
        report.students,
        report.followed.0,
        report.followed.1,
        report.predictions,
        report.measurements
    );
    if let Some(why) = &report.refused {
        eprintln!("lectern join: not all joined: {why}");
    }
    if report.joined == report.students {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
