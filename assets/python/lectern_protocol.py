"""The lectern demo protocol, version 2, for demos written in Python.

A demo reports on its standard output, one JSON object per line; this module writes those
lines (one os.write per line, so lines from several processes sharing the pipe never
interleave), collects results for the summary, and provides the measurements the demos share:
process memory from /proc, CPU work that is CPU time, and the machine's other load.

Standard library only; Python 3.8 or newer.

A demo module defines ``NAME`` and ``main(ctx)`` and ends with ``lectern_protocol.run(NAME,
main)`` under ``if __name__ == "__main__":``. lectern starts it as::

    python3 -B -s -E demo_NAME.py --parent PID --params '{"workers": 2, ...}'

in a process group of its own, under a supervisor that kills the whole group when the demo is
stopped and enforces the process cap from outside.
"""

import ctypes
import json
import os
import platform
import signal
import sys
import time
import traceback

VERSION = 2

#: How a note is shown: info, warn (something went wrong on purpose), simulated (labelled as
#: not measured), differs (a result that disagrees with the slide, and why).
NOTE_LEVELS = ("info", "warn", "simulated", "differs")

#: View tones: roles the theme turns into colours.
TONES = ("normal", "muted", "accent", "good", "warn", "bad", "memory")


def group(value, decimals=0):
    """A number for people: thousands separated (10,000), ``decimals`` decimals."""
    return "{:,.{}f}".format(value, decimals)


def count(n, singular, plural):
    """``n`` and a word, plural unless n is 1: "1 process", "3 processes"."""
    return "{} {}".format(group(n), singular if n == 1 else plural)


def emit(kind, **fields):
    """Writes one protocol line: ``{"v": 2, "type": kind, ...fields}``."""
    line = json.dumps(dict(v=VERSION, type=kind, **fields), separators=(",", ":")) + "\n"
    data = line.encode("utf-8", "replace")
    while data:
        try:
            written = os.write(1, data)
        except BrokenPipeError:
            # Nobody listens any more: lectern stopped the demo.
            os._exit(1)
        data = data[written:]


class Context:
    """What a demo's main(ctx) works with: its parameters, the reports, the results."""

    def __init__(self, name, params, parent):
        self.name = name
        self.params = params
        self.parent = parent
        self.results = {}
        self.started = 1
        self._load = OtherLoad()
        self._born = {}  # pid -> time.monotonic() of its process() report

    # --- reports -----------------------------------------------------------------------------

    def progress(self, message, done=None, total=None):
        fields = {"message": message}
        if done is not None:
            fields["done"] = int(done)
        if total is not None:
            fields["total"] = int(total)
        emit("progress", **fields)

    def note(self, level, message):
        assert level in NOTE_LEVELS, level
        emit("note", level=level, message=message)

    def process(self, pid, ppid, role):
        """Labels a process of the demo in the gauges, and notes when, for its lifetime."""
        self._born[int(pid)] = time.monotonic()
        emit("process", pid=int(pid), ppid=int(ppid), role=role)

    def exited(self, pid, role, exitcode):
        """Reports a process the demo reaped; exitcode as multiprocessing gives it (negative:
        killed by that signal). A process reported with process() also says how long it
        lived, so the gauges list it even if it was too brief to be sampled."""
        fields = {"pid": int(pid), "role": role}
        if exitcode is not None and exitcode < 0:
            fields["signal"] = -int(exitcode)
        elif exitcode is not None:
            fields["code"] = int(exitcode)
        born = self._born.pop(int(pid), None)
        if born is not None:
            fields["lived_ms"] = (time.monotonic() - born) * 1000.0
        emit("exit", **fields)

    def measure(self, name, value, unit, role=None):
        fields = {"name": name, "value": float(value), "unit": unit}
        if role is not None:
            fields["role"] = role
        emit("measure", **fields)

    def result(self, name, value):
        """Records and reports a final result: a number or a bool, unit in the name."""
        if not isinstance(value, bool):
            value = float(value)
        self.results[name] = value
        emit("result", name=name, value=value)

    def view(self, view_id, view):
        """Sends a piece of the panel: view is a dict with "kind" (headline, table, bars,
        lanes, series, tree) and that kind's fields."""
        emit("view", id=view_id, view=view)

    def headline(self, text, tone="normal"):
        self.view("headline", {"kind": "headline", "text": text, "tone": tone})

    def count_started(self, n=1):
        """Counts processes started on the demo's behalf (for the processes_started result)."""
        self.started += n

    # --- the end -----------------------------------------------------------------------------

    def finish(self):
        other = self._load.cores()
        if other is not None:
            self.results["other_load_cores"] = other
            # Over a fraction of a second one busy tick is a large share: say nothing then.
            if other >= 0.25 and self._load.wall() >= 0.5:
                cores = os.cpu_count() or 1
                self.note(
                    "warn",
                    "The rest of this machine kept {:.1f} of its {} cores busy during the run: "
                    "speedups are relative to the {:.1f} cores that were free.".format(
                        other, cores, max(cores - other, 0.0)
                    ),
                )
        self.results.setdefault("processes_started", float(self.started))
        self.results.setdefault("cap", float(self.params.get("cap", 0)))
        emit("summary", demo=self.name, params=self.params, results=self.results)


# --- measurements ----------------------------------------------------------------------------


def busy(seconds):
    """Keeps this thread on a core until it has used `seconds` of CPU time (its own CPU clock,
    not the wall clock): "N ms of work" costs N ms of CPU however many processes compete."""
    end = time.thread_time() + seconds
    # Short tasks check the clock often (each read is a system call, about a microsecond),
    # long ones rarely, so both end on time.
    rounds = 4 if seconds < 1e-4 else 200
    x = 1
    while time.thread_time() < end:
        for _ in range(rounds):
            x = (x * 6364136223846793005 + 1) & 0xFFFFFFFFFFFFFFFF
    return x


def rss_pss(pid):
    """(RSS, PSS) of a process in bytes, from /proc; PSS is None where it cannot be read."""
    rss = pss = None
    try:
        with open("/proc/{}/statm".format(pid)) as f:
            rss = int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        pass
    try:
        with open("/proc/{}/smaps_rollup".format(pid)) as f:
            for line in f:
                if line.startswith("Pss:"):
                    pss = int(line.split()[1]) * 1024
                    break
    except (OSError, ValueError, IndexError):
        pass
    return rss, pss


def mib(n):
    return (n or 0) / (1024.0 * 1024.0)


def run_name(suffix):
    """A system-wide name for something the run makes, such as a shared memory block:
    lectern removes what is named after its run when the run ends, however it ends (a block
    left by a killed demo would stay in /dev/shm until reboot)."""
    run_id = os.environ.get("LECTERN_RUN_ID") or "lectern-{}".format(os.getpid())
    return "{}-{}".format(run_id, suffix)


def thread_cpu_seconds(pid=None):
    """CPU seconds used so far by each thread of a process: {tid: seconds}, from
    /proc/PID/task/TID/stat (utime + stime, in clock ticks)."""
    pid = pid or os.getpid()
    ticks = os.sysconf("SC_CLK_TCK")
    out = {}
    try:
        tids = os.listdir("/proc/{}/task".format(pid))
    except OSError:
        return out
    for tid in tids:
        try:
            with open("/proc/{}/task/{}/stat".format(pid, tid)) as f:
                fields = f.read().rsplit(")", 1)[1].split()
            out[int(tid)] = (int(fields[11]) + int(fields[12])) / ticks
        except (OSError, ValueError, IndexError):
            continue
    return out


def machine_busy_seconds():
    """CPU seconds every core has spent busy since boot, from /proc/stat."""
    try:
        with open("/proc/stat") as f:
            fields = f.readline().split()[1:]
    except OSError:
        return None
    values = [int(v) for v in fields]
    user, nice, system, idle, iowait, irq, softirq = values[:7]
    steal = values[7] if len(values) > 7 else 0
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def own_tree_cpu_seconds():
    """CPU seconds used by this process and every child it has waited for."""
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


class OtherLoad:
    """The CPU the rest of the machine used while the demo ran, in cores."""

    def __init__(self):
        self.started = time.monotonic()
        self.machine = machine_busy_seconds()
        self.own = own_tree_cpu_seconds()

    def wall(self):
        return time.monotonic() - self.started

    def cores(self):
        wall = time.monotonic() - self.started
        now = machine_busy_seconds()
        if now is None or self.machine is None or wall <= 0:
            return None
        other = (now - self.machine) - (own_tree_cpu_seconds() - self.own)
        return max(other / wall, 0.0)


# --- staying alive only as long as lectern ----------------------------------------------------


def die_with_parent(expected_parent=None):
    """Asks the kernel to kill this process when its parent dies (PR_SET_PDEATHSIG), and exits
    at once if the parent is already gone. Every process a demo starts calls this first: a
    fork does not inherit the request."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            pr_set_pdeathsig = 1
            libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass
    if expected_parent is not None and os.getppid() != expected_parent:
        os._exit(125)


def engine_detail(extra=""):
    """What this engine is: ``CPython 3.11.7`` (and whatever the demo adds)."""
    detail = "{} {}".format(platform.python_implementation(), platform.python_version())
    if hasattr(sys, "_is_gil_enabled") and not sys._is_gil_enabled():
        detail += " (free-threaded, GIL off)"
    return detail + (", " + extra if extra else "")


# --- running a demo ----------------------------------------------------------------------------


def parse_args(argv=None):
    """(params, parent) from ``--parent PID --params JSON``."""
    argv = list(sys.argv[1:] if argv is None else argv)
    params, parent = {}, None
    while argv:
        flag = argv.pop(0)
        if flag == "--params" and argv:
            params = json.loads(argv.pop(0))
        elif flag == "--parent" and argv:
            parent = int(argv.pop(0))
        else:
            raise SystemExit("lectern demo: unexpected argument {!r}".format(flag))
    return params, parent


def run(name, main, detail=""):
    """Runs a demo's main(ctx): hello, then main's reports, then the summary; a Python
    exception becomes an error event with the traceback as a warning note, never a hang."""
    params, parent = parse_args()
    die_with_parent(parent)
    ctx = Context(name, params, parent)
    emit(
        "hello",
        demo=name,
        params=params,
        engine="python",
        engine_detail=engine_detail(detail() if callable(detail) else detail),
    )
    ctx.process(os.getpid(), parent or os.getppid(), name)
    try:
        main(ctx)
    except Exception as exc:  # noqa: BLE001 - any failure must reach the panel
        ctx.note("warn", traceback.format_exc(limit=6).strip())
        emit("error", message="{}: {}".format(type(exc).__name__, exc))
        sys.exit(1)
    ctx.finish()
