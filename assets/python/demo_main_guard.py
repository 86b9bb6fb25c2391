"""`main-guard` on CPython: a real script that starts processes with the spawn method, run
without `if __name__ == "__main__":` (main_guard_unguarded.py) or with it
(main_guard_guarded.py). The demo runs the script as a subprocess, labels every process it
reports, draws the tree and reads the children's tracebacks: current CPython does not
fork-bomb, each spawned child raises RuntimeError while it imports the script."""

import json
import os
import queue
import re
import subprocess
import sys
import threading
import time

import lectern_protocol as lp
from lectern_protocol import count

NAME = "main-guard"

HERE = os.path.dirname(os.path.abspath(__file__))

#: How long the tree may take to finish growing.
GROWTH_TIMEOUT_S = 30.0

#: How long to wait for the children's tracebacks once they have exited.
STDERR_GRACE_S = 2.0

CAPTION = "one ● per process that ran main(); each level was spawned by the one above"

SCRIPT_ROLE = "main"
TRACKER_ROLE = "resource tracker"


def show_tree(ctx, per_depth):
    levels = [{"label": "script" if d == 0 else "depth {}".format(d), "count": int(c)}
              for d, c in enumerate(per_depth)]
    ctx.view("tree", {"kind": "tree", "levels": levels, "caption": CAPTION})


def role_of(guard, depth, index):
    return "worker {}".format(index) if guard else "main again depth {}".format(depth)


class Stderr:
    """Collects the script's stderr (the children's tracebacks) in a thread."""

    def __init__(self, pipe):
        self.pipe = pipe
        self.chunks = []
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self):
        while True:
            data = self.pipe.read1(65536) if hasattr(self.pipe, "read1") else self.pipe.read(4096)
            if not data:
                return
            with self.lock:
                self.chunks.append(data)

    def text(self):
        with self.lock:
            return b"".join(self.chunks).decode("utf-8", "replace")


def read_events(pipe, events):
    """The script's stdout, one JSON event a line, into a queue; None at end of file."""
    for line in iter(pipe.readline, b""):
        try:
            events.put(json.loads(line.decode("utf-8", "replace")))
        except ValueError:
            events.put({"event": "text", "text": line.decode("utf-8", "replace").strip()})
    events.put(None)


def runtime_errors(text):
    """How many tracebacks ended in RuntimeError, the first one's message (one line) and the
    frame that raised it."""
    n = len(re.findall(r"^RuntimeError\b", text, re.M))
    if not n:
        return 0, "", ""
    at = re.search(r"^RuntimeError:?(.*?)(?=^\S|\Z)", text, re.M | re.S)
    message = " ".join(at.group(1).split()) if at else ""
    before = text[:at.start()] if at else text
    frames = re.findall(r'^\s*File "([^"]+)", line (\d+), in (\S+)', before, re.M)
    frame = ""
    if frames:
        path, line, func = frames[-1]
        parts = path.replace("\\", "/").split("/")
        frame = "{}, line {}, in {}".format("/".join(parts[-2:]), line, func)
    return n, message, frame


def first_sentence(message):
    end = message.find(".")
    return message[:end + 1] if end >= 0 else message


def main(ctx):
    p = ctx.params
    guard = bool(p.get("guard", False))
    children = int(p.get("children", 2))
    max_depth = int(p.get("depth", 8))
    linger_s = int(p.get("linger_s", 3))
    cap = int(p.get("cap", 24))
    would = 1 + sum(children ** d for d in range(1, max_depth + 1))

    ctx.note("info", "guard=true: main() runs only in the script itself; each spawned child "
             "imports the module, skips the guarded block and only does its work."
             if guard else
             "guard=false: spawn starts each child by importing the script again, so every "
             "child runs the script's module-level main() again and tries to start children "
             "of its own.")
    per_depth = [1]
    show_tree(ctx, per_depth)

    script = os.path.join(HERE, "main_guard_guarded.py" if guard else "main_guard_unguarded.py")
    env = dict(os.environ)
    env["LECTERN_MAIN_GUARD_PARENT"] = str(os.getpid())
    env.pop("LECTERN_MAIN_GUARD_LEVEL", None)
    started_at = time.monotonic()
    # Same process group as this demo (no setsid): lectern's supervisor sees and caps it all.
    proc = subprocess.Popen(
        [sys.executable, "-B", "-s", "-E", script, str(children), str(max_depth),
         str(linger_s)],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    try:
        run_tree(ctx, proc, started_at, guard, children, max_depth, linger_s, cap, would,
                 per_depth)
    finally:
        if proc.poll() is None:
            proc.kill()  # its children die with it (PR_SET_PDEATHSIG)
        proc.wait()
    ctx.exited(proc.pid, SCRIPT_ROLE, proc.returncode)


def run_tree(ctx, proc, started_at, guard, children, max_depth, linger_s, cap, would,
             per_depth):
    ctx.process(proc.pid, os.getpid(), SCRIPT_ROLE)
    ctx.count_started()
    stderr = Stderr(proc.stderr)
    events = queue.Queue()
    reader = threading.Thread(target=read_events, args=(proc.stdout, events), daemon=True)
    reader.start()

    nodes = {}  # pid -> {"role", "depth", "settled", "exitcode"}
    grown = set()  # processes that finished starting their children
    tracker = None
    deepest = 0
    growth_ms = None
    finished = False
    eof = False
    deadline = started_at + GROWTH_TIMEOUT_S

    def complete():
        return proc.pid in grown and all(n["settled"] for n in nodes.values())

    while not eof:
        timeout = deadline - time.monotonic() if growth_ms is None else None
        if timeout is not None and timeout <= 0:
            raise RuntimeError("the process tree did not finish growing in {:.0f} s".format(
                GROWTH_TIMEOUT_S))
        try:
            ev = events.get(timeout=timeout)
        except queue.Empty:
            continue
        if ev is None:
            eof = True
            break
        kind = ev.get("event")
        pid = ev.get("pid")
        if kind == "started":
            depth = int(ev["depth"])
            role = role_of(guard, depth, int(ev["index"]))
            nodes[pid] = {"role": role, "depth": depth, "settled": False, "exitcode": None}
            ctx.process(pid, ev["ppid"], role)
            ctx.count_started()
            while len(per_depth) <= depth:
                per_depth.append(0)
            per_depth[depth] += 1
            deepest = max(deepest, depth)
            show_tree(ctx, per_depth)
            ctx.progress("{} so far, depth {}".format(
                count(1 + len(nodes), "process", "processes"), deepest))
        elif kind == "grown":
            grown.add(pid)
            if pid in nodes:
                nodes[pid]["settled"] = True
            if ev.get("tracker") and pid == proc.pid and tracker is None:
                tracker = int(ev["tracker"])
                ctx.process(tracker, proc.pid, TRACKER_ROLE)
                ctx.count_started()
                ctx.note("info", "spawn also started multiprocessing's resource tracker (pid "
                         "{}), a helper process of the script outside the tree: it is "
                         "labelled, not counted.".format(tracker))
        elif kind == "ready":
            if pid in nodes:
                nodes[pid]["settled"] = True
        elif kind == "exit":
            code = ev.get("exitcode")
            if ev.get("tracker"):
                ctx.exited(pid, TRACKER_ROLE, code)
            elif pid in nodes:
                nodes[pid]["settled"] = True
                nodes[pid]["exitcode"] = code
                ctx.exited(pid, nodes[pid]["role"], code)
        if growth_ms is None and complete():
            growth_ms = (time.monotonic() - started_at) * 1000.0
        if growth_ms is not None and not finished:
            finished = True
            report(ctx, stderr, nodes, guard, children, max_depth, linger_s, cap, would,
                   deepest, growth_ms)

    if not finished:
        # The script ended before its tree was complete (it failed, or was killed).
        proc.wait()
        stderr.thread.join(STDERR_GRACE_S)
        tail = stderr.text().strip()[-1500:]
        raise RuntimeError("the script exited with {} before its tree was complete{}".format(
            proc.returncode, ":\n" + tail if tail else ""))
    proc.wait()
    stderr.thread.join(STDERR_GRACE_S)


def report(ctx, stderr, nodes, guard, children, max_depth, linger_s, cap, would, deepest,
           growth_ms):
    kids = [n for n in nodes.values()]
    failed = [n for n in kids if n["exitcode"] not in (None, 0)]
    # The children write their tracebacks before they exit: wait until they are all in.
    errors, message, frame = runtime_errors(stderr.text())
    until = time.monotonic() + STDERR_GRACE_S
    while failed and errors < len(failed) and time.monotonic() < until:
        time.sleep(0.02)
        errors, message, frame = runtime_errors(stderr.text())
    processes = 1 + len(kids)
    # Killed by a signal we did not send, with the group at the cap: lectern's cap did it.
    killed = [n for n in kids if n["exitcode"] is not None and n["exitcode"] < 0]
    capped = bool(killed) and processes + 2 >= cap

    ctx.result("processes_started", processes)
    ctx.result("cap", cap)
    ctx.result("capped", capped)
    ctx.result("max_depth_reached", deepest)
    ctx.result("growth_ms", growth_ms)
    ctx.result("would_start_without_cap", would)

    bootstrapping = "bootstrapping phase" in message
    if guard:
        if processes == children + 1 and not failed:
            ctx.headline("With the guard: {}, exactly the script and the children it asked "
                         "for.".format(count(processes, "process", "processes")), "good")
        else:
            ctx.headline("With the guard: {} ({} of {} children failed).".format(
                count(processes, "process", "processes"), len(failed), children), "warn")
    elif errors:
        quoted = "“…has finished its bootstrapping phase”" if bootstrapping else \
            "“{}”".format(first_sentence(message)[:80])
        who = ("each spawned child" if errors >= len(kids) else
               "{} of the {} spawned children".format(errors, len(kids)))
        ctx.headline("Without the guard CPython stopped it: {} raised RuntimeError while "
                     "importing the script ({}): {} in all, not a fork bomb.".format(
                         who, quoted, count(processes, "process", "processes")), "good")
        ctx.note("info", "Each child's traceback ends in {}: RuntimeError: {}".format(
            frame or "multiprocessing", first_sentence(message)))
        ctx.note("differs", "The slide's fork bomb did not happen on {}: a spawned child runs "
                 "the script's module-level code while it is still importing it, and "
                 "multiprocessing refuses to start a process from there "
                 "(spawn._check_not_importing_main), so {} exited with code 1 and the tree "
                 "stopped at depth {}. The native demo shows the fork bomb a CPython without "
                 "this check would grow, stopped only by the cap: depth {} alone would mean "
                 "{} processes, and with no depth limit it never stops.".format(
                     lp.engine_detail(), count(len(failed), "child", "children"), deepest,
                     max_depth, "{:,}".format(would)))
    else:
        if capped:
            ctx.headline("Without the guard the tree kept growing until lectern's cap stopped "
                         "it: {} (cap {}), depth {}.".format(
                             count(processes, "process", "processes"), cap, deepest), "bad")
        else:
            ctx.headline("Without the guard the tree kept growing until the demo's depth "
                         "limit: {}, depth {}.".format(
                             count(processes, "process", "processes"), deepest), "good")
        ctx.note("info", "Without the cap, depth {} alone means {} processes, and with no "
                 "depth limit it never stops: a fork bomb. Current CPython catches this "
                 "case: a child that starts processes while it is still importing the script "
                 "raises RuntimeError instead.{}".format(
                     max_depth, "{:,}".format(would),
                     " Here depth={} left the children nothing to start, so the check had "
                     "nothing to stop.".format(max_depth) if max_depth <= 1 else ""))
    alive = [n for n in kids if n["exitcode"] is None]
    if alive:
        ctx.progress("the tree stays alive {} s".format(linger_s))


def detail():
    return "a script run with the spawn start method"


if __name__ == "__main__":
    lp.run(NAME, main, detail=detail)
