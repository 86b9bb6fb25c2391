"""`fork-lock` on CPython: a helper threading.Thread takes a threading.Lock and keeps it; the
main thread calls os.fork(); the child, in which only the forking thread exists, asks for the
lock and waits forever. A watchdog in the parent names the deadlock and kills the child.
``safe=true`` forks only after the helper released the lock and finished: no deadlock.

Python 3.12 and newer warn about exactly this (a DeprecationWarning from os.fork() in a
process with other threads); the demo catches that warning and shows it.
"""

import os
import select
import signal
import sys
import threading
import time
import warnings

import lectern_protocol as lp

NAME = "fork-lock"


def exitcode_of(status):
    if os.WIFSIGNALED(status):
        return -os.WTERMSIG(status)
    if os.WIFEXITED(status):
        return os.WEXITSTATUS(status)
    return None


def wait_readable(fd, timeout):
    """True if fd has something to read (or end of file) within timeout seconds."""
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        try:
            readable, _, _ = select.select([fd], [], [], left)
        except InterruptedError:
            continue
        return bool(readable)


def main(ctx):
    params = ctx.params
    safe = bool(params.get("safe", False))
    timeout_ms = max(1, int(params.get("timeout_ms", 1000)))
    timeout = timeout_ms / 1000.0
    me = os.getpid()

    lock = threading.Lock()
    holding = threading.Event()
    done = threading.Event()
    hold_for = 0.0 if safe else timeout + 1.0

    def helper():
        with lock:
            holding.set()
            done.wait(hold_for)

    thread = threading.Thread(target=helper, name="helper", daemon=True)
    thread.start()
    holding.wait()
    if safe:
        # The fix: fork only when no other thread can be holding the lock.
        done.set()
        thread.join()
        ctx.note(
            "info",
            "safe=true: the helper thread has released the lock and finished; forking now.",
        )
    else:
        ctx.note(
            "info",
            "A second thread of this process holds a threading.Lock. The main thread forks now.",
        )
        ctx.note(
            "info",
            "This fork happens while other threads exist, on purpose: fork-lock shows what a "
            "fork does to a lock another thread holds",
        )

    answer_read, answer_write = os.pipe()
    caught = []
    started = time.monotonic()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        pid = os.fork()
        if pid == 0:
            # The child: only this (the forking) thread exists here. If the lock was held at
            # fork time, its owner is gone, and lock.acquire() waits for ever.
            try:
                lp.die_with_parent(me)
                os.close(answer_read)
                lock.acquire()
                os.write(answer_write, b"1")
            finally:
                os._exit(0)
    os.close(answer_write)
    ctx.count_started()
    ctx.process(pid, me, "forked child")

    fork_warnings = [w for w in caught if issubclass(w.category, DeprecationWarning)]
    for w in fork_warnings:
        ctx.note("warn", "Python itself warned at the fork: \u201c{}\u201d ({}).".format(
            w.message, w.category.__name__))
    if not fork_warnings and not safe:
        ctx.note(
            "info",
            "This Python ({}) does not warn about forking a process with other threads; "
            "Python 3.12 and newer raise a DeprecationWarning from os.fork() here.".format(
                sys.version.split()[0]
            ),
        )

    ctx.progress("child {} is taking the lock; watchdog waits {} ms".format(pid, timeout_ms))
    answered = False
    if wait_readable(answer_read, timeout):
        answered = os.read(answer_read, 1) == b"1"
    waited = (time.monotonic() - started) * 1000.0
    os.close(answer_read)
    deadlocked = not answered
    if deadlocked:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        ctx.note(
            "warn",
            "Deadlock: child {} has waited {:.0f} ms for the lock and never will get it. fork() "
            "copied the lock in its locked state, but not the thread that held it: only the "
            "thread that called fork() exists in the child, so nobody there can release it. "
            "The watchdog kills the child.".format(pid, waited),
        )
        ctx.headline(
            "DEADLOCK: the forked child waited {:.0f} ms for a lock that only a thread it does "
            "not have could release; the watchdog killed it.".format(waited),
            "bad",
        )
    else:
        ctx.headline(
            "No deadlock: nothing held the lock at fork time, so the child took it after "
            "{:.1f} ms.".format(waited),
            "good",
        )
    _, status = os.waitpid(pid, 0)
    exitcode = exitcode_of(status)
    ctx.exited(pid, "forked child", exitcode)

    if safe:
        rows = [
            ["helper thread", "took the lock, released it, finished"],
            ["main thread", "forked with no other thread left"],
        ]
    else:
        rows = [
            ["helper thread", "took the lock and keeps it"],
            ["main thread", "forked while the helper held the lock"],
        ]
    tones = ["normal", "normal"]
    if deadlocked:
        rows.append([
            "child {}".format(pid),
            "stuck {:.0f} ms on the lock; nobody in it can release it".format(waited),
        ])
        rows.append(["watchdog", "killed the child (SIGKILL)"])
        tones += ["bad", "warn"]
    else:
        rows.append(["child {}".format(pid),
                     "took the lock after {:.1f} ms and exited".format(waited)])
        tones.append("good")
    ctx.view("story", {
        "kind": "table",
        "columns": ["who", "what happened"],
        "rows": rows,
        "tones": tones,
    })

    done.set()
    thread.join()
    ctx.result("deadlocked", deadlocked)
    ctx.result("waited_ms", waited)
    ctx.result("child_killed", exitcode is not None and exitcode < 0)


if __name__ == "__main__":
    lp.run(NAME, main)
