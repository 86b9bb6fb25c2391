"""The same script WITH `if __name__ == "__main__":`, starting processes with spawn.

lectern's main-guard demo (demo_main_guard.py, guard=true) runs this file as a script:

    python3 -B -s -E main_guard_guarded.py CHILDREN DEPTH LINGER_S

Each spawned child imports this file again (as __mp_main__), skips the guarded block and
only runs work(): it stays alive LINGER_S seconds so the gauges show it, then exits 0.
DEPTH is accepted for symmetry with main_guard_unguarded.py and not used.

Stdout: one JSON line per event, for the demo to read (started, grown, ready, exit).
"""

import ctypes
import json
import os
import signal
import sys

# Die with the parent (prctl PR_SET_PDEATHSIG = 1, SIGKILL): runs in the script and in every
# spawned child, which imports this file again.
try:
    ctypes.CDLL(None).prctl(1, signal.SIGKILL, 0, 0, 0)
except (OSError, AttributeError):
    pass
_EXPECTED_PARENT = os.environ.get("LECTERN_MAIN_GUARD_PARENT")
if _EXPECTED_PARENT and os.getppid() != int(_EXPECTED_PARENT):
    os._exit(125)  # the parent is already gone

import multiprocessing  # noqa: E402
import time  # noqa: E402


def say(**fields):
    """One JSON line on stdout, in one write (the children share the pipe)."""
    os.write(1, (json.dumps(fields) + "\n").encode())


def work(linger_s):
    """What a child does: report that it runs, stay a while, exit 0."""
    say(event="ready", pid=os.getpid())
    time.sleep(linger_s)


def tracker_pid():
    """The resource tracker spawn started for this process, if it started one."""
    from multiprocessing import resource_tracker

    return getattr(resource_tracker._resource_tracker, "_pid", None)


def stop_tracker():
    """Stops and reaps the resource tracker this process started (lectern's bookkeeping:
    no process outlives the demo unreaped)."""
    from multiprocessing import resource_tracker

    rt = resource_tracker._resource_tracker
    pid, fd = getattr(rt, "_pid", None), getattr(rt, "_fd", None)
    if pid is None or fd is None:
        return
    os.close(fd)  # the tracker exits when its pipe closes
    rt._fd = None
    _, status = os.waitpid(pid, 0)
    rt._pid = None
    code = -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)
    say(event="exit", pid=pid, exitcode=code, tracker=True)


def main():
    children, linger_s = int(sys.argv[1]), float(sys.argv[3])
    context = multiprocessing.get_context("spawn")
    os.environ["LECTERN_MAIN_GUARD_PARENT"] = str(os.getpid())
    processes = []
    for index in range(1, children + 1):
        process = context.Process(target=work, args=(linger_s,))
        process.start()
        say(event="started", pid=process.pid, ppid=os.getpid(), depth=1, index=index)
        processes.append(process)
    say(event="grown", pid=os.getpid(), started=len(processes), tracker=tracker_pid())
    for process in processes:
        process.join()
        say(event="exit", pid=process.pid, exitcode=process.exitcode)
    stop_tracker()


if __name__ == "__main__":
    main()
