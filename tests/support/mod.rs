//! Drives the real `lectern` binary inside a private tmux server, the way a user's terminal
//! would: keys in with `send-keys`, the screen out with `capture-pane`.

#![allow(
    dead_code,
    reason = "each test file uses a different part of this helper"
)]

pub mod demo_json;
pub mod headless;
pub mod report;

use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// How long any expected screen may take to appear before the test fails.
pub const PATIENCE: Duration = Duration::from_secs(15);

/// Path of the binary under test.
pub const LECTERN: &str = env!("CARGO_BIN_EXE_lectern");

/// A tmux server of our own (its own socket), killed when dropped.
pub struct Tmux {
    socket: String,
}

impl Tmux {
    /// Starts a `width`×`height` session running a plain shell with a known prompt.
    pub fn shell(width: u16, height: u16) -> Self {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let socket = format!(
            "lectern-e2e-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::SeqCst)
        );
        let tmux = Self { socket };
        // Each shell keeps lectern's saved sessions to itself, so no test is offered another
        // test's session.
        let state = tmux.state_home();
        let status = tmux
            .command()
            .args(["-f", "/dev/null", "new-session", "-d", "-s", "main"])
            .args(["-x", &width.to_string(), "-y", &height.to_string()])
            .args(["env", "PS1=e2e$ ", "TERM=tmux-256color"])
            .arg(format!("XDG_STATE_HOME={}", state.display()))
            .arg("/bin/sh")
            .status()
            .expect("tmux is installed (.ci/run installs it)");
        assert!(status.success(), "tmux new-session failed");
        tmux.wait_for("e2e$");
        tmux
    }

    /// The `XDG_STATE_HOME` of this shell's lectern: where its sessions are saved.
    pub fn state_home(&self) -> std::path::PathBuf {
        std::env::temp_dir().join(format!("{}-state", self.socket))
    }

    fn command(&self) -> Command {
        let mut command = Command::new("tmux");
        command.args(["-L", &self.socket]);
        command
    }

    fn run(&self, args: &[&str]) -> Output {
        self.command().args(args).output().expect("tmux runs")
    }

    /// Types `keys` (tmux key names such as `PageDown`, `Escape`, `C-c`, or literal text).
    pub fn keys(&self, keys: &[&str]) {
        self.keys_in("main", keys);
    }

    /// Types `keys` into pane `pane` (an id from [`Self::split`]).
    pub fn keys_in(&self, pane: &str, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", pane];
        args.extend_from_slice(keys);
        assert!(self.run(&args).status.success(), "send-keys {keys:?}");
    }

    /// Types a shell command line and Enter.
    pub fn type_line(&self, line: &str) {
        self.type_line_in("main", line);
    }

    /// Types a shell command line and Enter into pane `pane`.
    pub fn type_line_in(&self, pane: &str, line: &str) {
        self.keys_in(pane, &["-l", line]);
        self.keys_in(pane, &["Enter"]);
    }

    /// Splits the window into two panes side by side, each running the plain shell; returns
    /// their ids (left, right).
    pub fn split(&self) -> (String, String) {
        let left = self.pane_format("#{pane_id}");
        let out = self.run(&[
            "split-window",
            "-h",
            "-t",
            "main",
            "-P",
            "-F",
            "#{pane_id}",
            "env",
            "PS1=e2e$ ",
            "TERM=tmux-256color",
            "/bin/sh",
        ]);
        assert!(out.status.success(), "split-window: {out:?}");
        let right = String::from_utf8_lossy(&out.stdout).trim().to_string();
        self.wait_for_in(&right, "e2e$");
        (left, right)
    }

    /// Makes pane `pane` the active one (which `keys`, `screen` and the restoration check
    /// use).
    pub fn select(&self, pane: &str) {
        assert!(self.run(&["select-pane", "-t", pane]).status.success());
    }

    /// PID of the shell in pane `pane`.
    pub fn pane_pid(&self, pane: &str) -> u32 {
        let out = self.run(&["display-message", "-p", "-t", pane, "#{pane_pid}"]);
        String::from_utf8_lossy(&out.stdout)
            .trim()
            .parse()
            .expect("pane pid")
    }

    /// The visible screen as text.
    pub fn screen(&self) -> String {
        self.screen_of("main")
    }

    /// Pane `pane`'s visible screen as text.
    pub fn screen_of(&self, pane: &str) -> String {
        String::from_utf8_lossy(&self.run(&["capture-pane", "-p", "-t", pane]).stdout).into_owned()
    }

    /// Waits until the screen contains `text`, returning the screen.
    pub fn wait_for(&self, text: &str) -> String {
        self.wait_until(|screen| screen.contains(text), &format!("{text:?}"))
    }

    /// Waits until pane `pane` shows `text`, returning its screen.
    pub fn wait_for_in(&self, pane: &str, text: &str) -> String {
        self.wait_until_in(pane, |screen| screen.contains(text), &format!("{text:?}"))
    }

    /// Waits until `ready(screen)` holds.
    pub fn wait_until(&self, ready: impl Fn(&str) -> bool, what: &str) -> String {
        self.wait_until_in("main", ready, what)
    }

    /// Waits until `ready(screen)` holds for pane `pane`.
    pub fn wait_until_in(&self, pane: &str, ready: impl Fn(&str) -> bool, what: &str) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen_of(pane);
            if ready(&screen) {
                return screen;
            }
            assert!(
                start.elapsed() < PATIENCE,
                "timed out waiting for {what}; screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(30));
        }
    }

    /// Quits lectern with `q`, and `q` again when it asks (it does once a demo has run).
    pub fn quit(&self) {
        self.quit_in("main");
    }

    /// Quits lectern in pane `pane` with `q`, and `q` again when it asks.
    pub fn quit_in(&self, pane: &str) {
        self.keys_in(pane, &["q"]);
        let screen = self.wait_until_in(
            pane,
            |s| s.contains("q again to quit") || !self.in_alternate_screen(pane),
            "lectern to quit or ask again",
        );
        if screen.contains("q again to quit") {
            self.keys_in(pane, &["q"]);
        }
        // Until lectern has exited and the shell has the terminal again: a next command
        // typed while lectern still reads keys, or restores the terminal, would be lost.
        self.wait_until_in(
            pane,
            |_| !self.in_alternate_screen(pane) && self.foreground_in(pane) != "lectern",
            "lectern to exit",
        );
    }

    /// Whether pane `pane` shows a full-screen program (its alternate screen is on).
    fn in_alternate_screen(&self, pane: &str) -> bool {
        let out = self.run(&["display-message", "-p", "-t", pane, "#{alternate_on}"]);
        String::from_utf8_lossy(&out.stdout).trim() == "1"
    }

    /// The name of the program in the foreground of pane `pane`.
    fn foreground_in(&self, pane: &str) -> String {
        let out = self.run(&[
            "display-message",
            "-p",
            "-t",
            pane,
            "#{pane_current_command}",
        ]);
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// A tmux format value for the pane, e.g. `#{alternate_on}`.
    pub fn pane_format(&self, format: &str) -> String {
        let out = self.run(&["display-message", "-p", "-t", "main", format]);
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// PID of the shell in the pane.
    pub fn shell_pid(&self) -> u32 {
        self.pane_format("#{pane_pid}").parse().expect("pane pid")
    }

    /// Kills the tmux server, as closing the terminal window would: the pane's processes get
    /// SIGHUP and the terminal is gone.
    pub fn close(&self) {
        let _ = self.run(&["kill-server"]);
    }

    /// Resizes the session's window.
    pub fn resize(&self, width: u16, height: u16) {
        let out = self.run(&[
            "resize-window",
            "-t",
            "main",
            "-x",
            &width.to_string(),
            "-y",
            &height.to_string(),
        ]);
        assert!(out.status.success(), "{out:?}");
    }

    /// Asserts the shell's terminal is back to normal: cooked mode, main screen, no mouse
    /// reporting, cursor visible; and that the last command exited with `status`.
    pub fn assert_terminal_restored(&self, status: i32) {
        self.assert_terminal_restored_one_of(&[status]);
    }

    /// As [`Self::assert_terminal_restored`], accepting any of `statuses`.
    pub fn assert_terminal_restored_one_of(&self, statuses: &[i32]) {
        // Typing before lectern has gone would feed our keys to lectern, not the shell.
        let start = Instant::now();
        while self.pane_format("#{pane_current_command}") != "sh" {
            assert!(
                start.elapsed() < PATIENCE,
                "lectern did not exit:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        self.type_line("echo \"exit=$? raw_flags=$(stty -a | tr -s ' ;' '\\n\\n' | grep -cx -e -icanon -e -echo -e -isig)\"");
        // The typed command line contains the text too; the answer is the line that starts with it.
        let screen = self.wait_until(
            |s| s.lines().any(|l| l.starts_with("exit=")),
            "the shell's answer",
        );
        assert!(
            statuses
                .iter()
                .any(|status| screen.contains(&format!("exit={status} "))),
            "exit status {statuses:?} expected:\n{screen}"
        );
        assert!(
            screen.contains("raw_flags=0"),
            "terminal left in raw mode:\n{screen}"
        );
        let state = self.pane_format("#{alternate_on} #{mouse_any_flag} #{cursor_flag}");
        assert_eq!(
            state, "0 0 1",
            "alternate screen, mouse reporting, cursor visible"
        );
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.run(&["kill-server"]);
        let _ = std::fs::remove_dir_all(self.state_home());
    }
}

/// PIDs of live children of `parent` whose command name is `name`.
pub fn children_named(parent: u32, name: &str) -> Vec<u32> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
                return false;
            };
            // Fields after the parenthesised name: state, ppid, ...
            let Some((head, tail)) = stat.rsplit_once(") ") else {
                return false;
            };
            let comm = head.split_once(" (").map_or("", |(_, c)| c);
            let mut fields = tail.split(' ');
            let state = fields.next().unwrap_or("");
            let ppid: u32 = fields.next().and_then(|p| p.parse().ok()).unwrap_or(0);
            ppid == parent && comm == name && state != "Z"
        })
        .collect()
}

/// Whether process `pid` still exists (and is not a zombie).
pub fn alive(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
        stat.rsplit_once(") ")
            .is_some_and(|(_, tail)| !tail.starts_with('Z'))
    })
}

/// Command lines of live processes containing `marker`.
pub fn survivors(marker: &str) -> Vec<String> {
    other_live_processes()
        .filter_map(|pid| {
            let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).ok()?;
            let cmdline = String::from_utf8_lossy(&cmdline).replace('\0', " ");
            cmdline.contains(marker).then_some(cmdline)
        })
        .collect()
}

/// PIDs of every live (not zombie) process but this test's own.
fn other_live_processes() -> impl Iterator<Item = u32> {
    std::fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| *pid != std::process::id() && alive(*pid))
}

/// Live processes whose environment contains `LECTERN_TEST_TAG=tag` (every process a demo
/// creates inherits its starter's environment, through fork and exec alike).
pub fn tagged(tag: &str) -> Vec<u32> {
    let needle = format!("LECTERN_TEST_TAG={tag}");
    other_live_processes()
        .filter(|pid| {
            std::fs::read(format!("/proc/{pid}/environ"))
                .is_ok_and(|environ| environ.split(|b| *b == 0).any(|v| v == needle.as_bytes()))
        })
        .collect()
}

/// Waits until no process carries `tag`, failing after `limit`.
pub fn assert_all_gone(tag: &str, limit: Duration, what: &str) {
    assert_gone_except(tag, &[], limit, what);
}

/// Waits until no process but those in `except` carries `tag`, failing after `limit`.
pub fn assert_gone_except(tag: &str, except: &[u32], limit: Duration, what: &str) {
    let start = Instant::now();
    loop {
        let left: Vec<u32> = tagged(tag)
            .into_iter()
            .filter(|p| !except.contains(p))
            .collect();
        if left.is_empty() {
            return;
        }
        let described: Vec<String> = left
            .iter()
            .map(|pid| {
                let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
                let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
                let state = stat
                    .rsplit_once(") ")
                    .map_or("?", |(_, t)| &t[..1])
                    .to_string();
                format!(
                    "{pid} [{state}] {}",
                    String::from_utf8_lossy(&cmdline).replace('\0', " ")
                )
            })
            .collect();
        assert!(
            start.elapsed() < limit,
            "{what}: still alive after {limit:?}: {described:?}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Waits until at least `n` processes carry `tag`.
pub fn wait_for_tagged(tag: &str, n: usize) -> Vec<u32> {
    let start = Instant::now();
    loop {
        let found = tagged(tag);
        if found.len() >= n {
            return found;
        }
        assert!(
            start.elapsed() < PATIENCE,
            "only {} of {n} demo processes appeared",
            found.len()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A tag unique to this test process and `name`.
pub fn unique_tag(name: &str) -> String {
    format!("{name}-{}", std::process::id())
}
