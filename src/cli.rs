//! Command-line interface.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::sampler::{DEFAULT_RATE_HZ, MAX_RATE_HZ, MIN_RATE_HZ};
use crate::theme::ThemeName;

/// lectern — a terminal lecture companion with live, measured demos.
///
/// Without a subcommand, presents a lesson full screen (the built-in Lecture 25 unless a
/// file is given). Press `?` inside for the keys.
#[derive(Debug, Parser)]
#[command(name = "lectern", version, args_conflicts_with_subcommands = true)]
pub struct Cli {
    /// What to do; presenting is the default.
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Options for presenting.
    #[command(flatten)]
    pub present: PresentArgs,
}

/// Options for presenting a lesson.
#[derive(Debug, Args)]
pub struct PresentArgs {
    /// Lesson file to present [default: the built-in Lecture 25]
    #[arg(value_name = "LESSON")]
    pub lesson: Option<PathBuf>,
    /// Colour theme; high-contrast suits projectors. `NO_COLOR` turns colour off in any theme.
    #[arg(long, value_enum, default_value_t = ThemeName::Dark)]
    pub theme: ThemeName,
    /// Start at slide N (1-based)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub slide: Option<u16>,
    /// Gauge samples per second (1–20)
    #[arg(long, value_name = "R", default_value_t = DEFAULT_RATE_HZ, value_parser = rate_parser())]
    pub rate_hz: u8,
}

/// Accepts sampling rates lectern supports.
fn rate_parser() -> clap::builder::RangedI64ValueParser<u8> {
    clap::value_parser!(u8).range(i64::from(MIN_RATE_HZ)..=i64::from(MAX_RATE_HZ))
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate lesson files: one `PATH:LINE:COL: message` line per problem; exit 1 on errors.
    Check {
        /// Lesson files to check.
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
    },
}
