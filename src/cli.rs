//! Command-line interface.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

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
