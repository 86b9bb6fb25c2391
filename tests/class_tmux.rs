//! A class in two terminals, as a room and a student's laptop meet it: the room shows how to
//! join; `lectern join` with that command follows the room's slides; the room quitting ends
//! the class on the laptop, which keeps its lecture; nothing is left running.

mod support;

use std::time::Duration;

use support::{LECTERN, Tmux, assert_all_gone, unique_tag};

#[test]
fn a_student_joins_with_the_rooms_code_follows_and_hears_the_end() {
    let tmux = Tmux::shell(200, 40);
    let (room, laptop) = tmux.split();
    let tag = unique_tag("class");
    let state = tmux.state_home();
    let port = 46_000 + (std::process::id() % 1000);
    tmux.type_line_in(
        &room,
        &format!(
            "LECTERN_TEST_TAG={tag} XDG_STATE_HOME={} LECTERN_RUNTIME_DIR={0} {LECTERN} present \
             --class --listen 127.0.0.1:{port} --engine native --fresh",
            state.display()
        ),
    );
    let shown = tmux.wait_for_in(&room, &format!("lectern join 127.0.0.1:{port} "));
    let join = shown
        .lines()
        .find_map(|l| l.split("Join the class: ").nth(1))
        .and_then(|rest| rest.split(" · ").next())
        .expect("the join command on the projector")
        .trim()
        .to_string();
    tmux.type_line_in(
        &laptop,
        &format!(
            "LECTERN_TEST_TAG={tag} XDG_STATE_HOME={}/laptop {LECTERN} {}",
            state.display(),
            join.trim_start_matches("lectern ")
        ),
    );
    tmux.wait_for_in(&laptop, "Following the room · slide 1");
    tmux.wait_for_in(&room, "· 1 student");
    tmux.keys_in(&room, &["PageDown"]);
    tmux.keys_in(&room, &["PageDown"]);
    tmux.wait_for_in(&laptop, "Following the room · slide 3");
    tmux.wait_for_in(&laptop, "Process Start Methods");
    // The student pages away; the room goes on without this screen.
    tmux.keys_in(&laptop, &["Right"]);
    tmux.wait_for_in(&laptop, "The room is on slide 3: F follows it");
    tmux.keys_in(&laptop, &["F"]);
    tmux.wait_for_in(&laptop, "Following the room · slide 3");
    // The room ends: the laptop is told and keeps its lecture.
    tmux.quit_in(&room);
    tmux.wait_for_in(&laptop, "The room ended the class");
    tmux.keys_in(&laptop, &["Right"]);
    tmux.wait_for_in(&laptop, " 4 / 12 ");
    tmux.quit_in(&laptop);
    assert_all_gone(&tag, Duration::from_secs(2), "after the class");
}
