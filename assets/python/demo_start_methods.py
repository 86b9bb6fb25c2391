"""`start-methods` on CPython: children started by multiprocessing's fork, spawn and forkserver
start methods, each timed from just before ``Process.start()`` to the child's first message,
with their memory (RSS and PSS) read from the kernel while they are all alive.

spawn starts a fresh interpreter that imports multiprocessing and this program; the forkserver
is such a fresh interpreter too, started once, which then forks a child per request; fork copies
this process as it is. With ``imports=stdlib`` every child imports a set of standard-library
modules before saying hello, as a real program's top-level imports would: this process imports
them first (fork children find them loaded), the forkserver preloads them once, and every
spawned child imports them all again.
"""

import importlib
import multiprocessing
import multiprocessing.forkserver
import os
import platform
import sys
import time

import lectern_protocol as lp

NAME = "start-methods"

#: Which process ran this module's top level: a child whose own pid this is imported the
#: program itself (spawn does; a forkserver that preloads __main__ should spare its children).
LOADED_IN = os.getpid()

METHODS = ("fork", "spawn", "forkserver")

#: How long a child may take to say hello before the demo gives up on it.
HELLO_TIMEOUT = 20.0

#: How long to watch for the forkserver to be ready for requests.
FORKSERVER_TIMEOUT = 10.0

#: The low end of what the slide says a spawned process costs.
SLIDE_SPAWN_MS = 50.0

#: What imports=stdlib imports: a realistic program's start-up.
STDLIB = (
    "json",
    "decimal",
    "asyncio",
    "email.mime.text",
    "http.client",
    "xml.etree.ElementTree",
    "sqlite3",
    "unittest",
    "argparse",
    "logging",
)

#: The standard-library modules this program (and lectern_protocol) imports at its top level,
#: and those a forkserver child needs to re-run it (runpy, pkgutil) and to start.
PROGRAM_IMPORTS = (
    "ctypes",
    "importlib",
    "json",
    "multiprocessing.forkserver",
    "multiprocessing.popen_forkserver",
    "pkgutil",
    "platform",
    "runpy",
    "signal",
    "traceback",
)

CAPTION = (
    "start: median from request to the child's first message{}; memory: median per child "
    "(PSS splits shared pages among their users)"
)


def median(values):
    values = sorted(values)
    if not values:
        return 0.0
    mid = len(values) // 2
    return values[mid] if len(values) % 2 else (values[mid - 1] + values[mid]) / 2.0


def import_program(imports):
    """The program's top-level imports; the ones that fail to import here are skipped."""
    loaded = []
    if imports == "stdlib":
        for name in STDLIB:
            try:
                importlib.import_module(name)
                loaded.append(name)
            except ImportError:
                pass
    return loaded


def child_main(index, parent, method, hello, release, release_write, imports):
    """A child's whole life: import the program, say hello, wait to be released, exit 0."""
    # A forkserver child's parent is the forkserver, not the demo.
    lp.die_with_parent(None if method == "forkserver" else parent)
    if release_write is not None:
        release_write.close()  # a fork child's copy would keep the release from ever coming
    import_program(imports)
    hello.send((index, os.getpid(), len(sys.modules), LOADED_IN == os.getpid()))
    hello.close()
    try:
        release.recv_bytes()
    except EOFError:
        pass  # the demo closed the release pipe: time to go


def exitcode_of(status):
    if os.WIFSIGNALED(status):
        return -os.WTERMSIG(status)
    if os.WIFEXITED(status):
        return os.WEXITSTATUS(status)
    return None


def helper_pid(module_attr, pid_attr):
    """The pid of one of multiprocessing's helper processes (private attributes: guarded)."""
    try:
        return getattr(module_attr(), pid_attr)
    except Exception:  # noqa: BLE001 - a Python whose internals differ: no pid, no report
        return None


def forkserver_obj():
    return multiprocessing.forkserver._forkserver


def tracker_obj():
    from multiprocessing import resource_tracker

    return resource_tracker._resource_tracker


def stop_helper(obj, fd_attr, pid_attr):
    """Stops one of multiprocessing's helper processes the way its own _stop() does (closing
    the descriptor that keeps it alive), but keeps the exit status: (pid, exitcode) or None."""
    try:
        with obj._lock:
            pid, fd = getattr(obj, pid_attr), getattr(obj, fd_attr)
            if pid is None or fd is None:
                return None
            os.close(fd)
            setattr(obj, fd_attr, None)
            _, status = os.waitpid(pid, 0)
            setattr(obj, pid_attr, None)
            return pid, exitcode_of(status)
    except Exception:  # noqa: BLE001 - internals differ: multiprocessing stops it at exit
        return None


def stop_forkserver():
    fs = forkserver_obj()
    address = getattr(fs, "_forkserver_address", None)
    stopped = stop_helper(fs, "_forkserver_alive_fd", "_forkserver_pid")
    if stopped is not None:
        if isinstance(address, str) and address and not address.startswith("\0"):
            try:
                os.unlink(address)
            except OSError:
                pass
        try:
            fs._forkserver_address = None
        except AttributeError:
            pass
    return stopped


def syscall_numbers():
    """Numbers of the epoll waits, to recognise a process blocked waiting for requests."""
    machine = platform.machine()
    if machine in ("x86_64", "amd64"):
        return {"232", "281", "441"}
    if machine in ("aarch64", "arm64"):
        return {"22", "441"}
    return set()


def waiting_for_requests(pid, epolls):
    """True once the kernel shows the process blocked in epoll (the forkserver's loop), False
    before, None if the kernel does not tell."""
    told = False
    try:
        with open("/proc/{}/wchan".format(pid)) as f:
            told = True
            if "epoll" in f.read():
                return True
    except OSError:
        pass
    if epolls:
        try:
            with open("/proc/{}/syscall".format(pid)) as f:
                told = True
                if f.read().split(" ", 1)[0] in epolls:
                    return True
        except OSError:
            pass
    return False if told else None


class Started:
    def __init__(self, proc, method, index, start_ms, modules):
        self.proc = proc
        self.pid = proc.pid
        self.method = method
        self.index = index
        self.role = "{} child {}".format(method, index)
        self.start_ms = start_ms
        self.modules = modules
        self.reran = False


def show_table(ctx, started, startup_ms):
    results = ctx.results

    def mib(key):
        value = results.get(key)
        return "\u2026" if value is None else "{:.1f} MiB".format(value)

    rows = []
    for method in METHODS:
        times = [c.start_ms for c in started if c.method == method]
        if not times:
            continue
        rows.append([
            method,
            "{:.2f} ms".format(median(times)),
            mib("{}_child_rss_mb".format(method)),
            mib("{}_child_pss_mb".format(method)),
        ])
    extra = (
        ""
        if startup_ms is None
        else " (the forkserver itself took {:.1f} ms to start, once)".format(startup_ms)
    )
    ctx.view("methods", {
        "kind": "table",
        "columns": ["method", "start", "RSS", "PSS"],
        "rows": rows,
        "caption": CAPTION.format(extra),
    })


def default_method():
    return multiprocessing.get_start_method(allow_none=False)


def report_default(ctx, default):
    """The start method multiprocessing uses when the program names none, asked before this
    program set any: slide 3 says fork on Linux, which Python 3.14 changed."""
    ctx.result("default_is_fork", default == "fork")
    here = "{} {} on {}".format(
        platform.python_implementation(), platform.python_version(), sys.platform
    )
    if default == "fork":
        ctx.note(
            "info",
            "multiprocessing's default start method on this Python ({}) is fork, as the slide "
            "says (Python 3.14 changed Linux's default to forkserver).".format(here),
        )
    elif sys.platform.startswith("linux"):
        ctx.note(
            "differs",
            "The slide says Linux's default is fork; this Python ({}) starts with {}: Python "
            "3.14 moved Linux's default to forkserver, because forking a process that has "
            "threads can copy a lock another thread holds (the fork-lock demo shows the "
            "hang).".format(here, default),
        )
    else:
        ctx.note(
            "differs",
            "The slide speaks of Linux, where the default was fork until Python 3.14; this "
            "Python ({}) starts with {}.".format(here, default),
        )


def main(ctx):
    params = ctx.params
    children = max(1, int(params.get("children", 2 * (os.cpu_count() or 1))))
    parent_mb = max(0, int(params.get("parent_mb", 8)))
    linger_s = max(0.0, float(params.get("linger_s", 0)))
    imports = str(params.get("imports", "none"))
    if imports not in ("none", "stdlib"):
        raise ValueError("imports must be none or stdlib, not {!r}".format(imports))
    me = os.getpid()
    default = default_method()

    ctx.progress("parent fills {} MiB before starting children".format(parent_mb))
    parent_memory = bytearray(parent_mb * 1024 * 1024)
    if parent_mb:
        pages = (len(parent_memory) + 4095) // 4096
        parent_memory[::4096] = b"\x01" * pages  # one write per page: every page is real
    if parent_mb > 0:
        ctx.note(
            "info",
            "The parent holds {} MiB. fork() shares those pages copy-on-write but copies the "
            "page tables that map them, so fork time grows with the parent's memory (try "
            "parent_mb=256). spawn and the forkserver start from a fresh exec and carry none "
            "of it.".format(parent_mb),
        )
    if imports == "stdlib":
        t0 = time.perf_counter()
        loaded = import_program(imports)
        import_ms = (time.perf_counter() - t0) * 1000.0
        ctx.note(
            "info",
            "imports=stdlib: every child imports {} standard-library modules ({}) before saying "
            "hello, as a real program's start-up would. This process imported them first "
            "({:.0f} ms), so fork children find them loaded; the forkserver preloads them "
            "once; every spawned child imports them all again.".format(
                len(loaded), ", ".join(loaded), import_ms
            ),
        )

    total = children * 3
    started = []
    helpers = []  # pids of multiprocessing's own helper processes (forkserver, tracker)
    release_read, release_write = multiprocessing.Pipe(duplex=False)
    released = False
    startup_ms = None
    try:
        for method in METHODS:
            mp = multiprocessing.get_context(method)
            if method == "forkserver":
                ctx.progress("starting the forkserver (a fresh exec)")
                # __main__ (this program), as the documentation suggests, and its standard-
                # library imports, in case this Python fails to preload __main__ (see below).
                mp.set_forkserver_preload(
                    ["__main__"] + list(PROGRAM_IMPORTS)
                    + list(STDLIB if imports == "stdlib" else ())
                )
                t0 = time.perf_counter()
                multiprocessing.forkserver.ensure_running()
                ensured = time.perf_counter()
                ready = None
                pid = helper_pid(forkserver_obj, "_forkserver_pid")
                if pid is not None:
                    ctx.count_started()
                    ctx.process(pid, me, "forkserver")
                    helpers.append(pid)
                    # ensure_running() returns once the exec is under way; the forkserver is
                    # ready when the kernel shows it waiting for requests.
                    epolls = syscall_numbers()
                    deadline = t0 + FORKSERVER_TIMEOUT
                    while True:
                        ready = waiting_for_requests(pid, epolls)
                        if ready or ready is None or time.perf_counter() > deadline:
                            break
                        time.sleep(0.0002)
                if not ready:
                    ctx.note(
                        "info",
                        "The kernel did not show when the forkserver was ready for requests: "
                        "its start-up counts only until ensure_running() returned, and the "
                        "rest of it falls on its first child.",
                    )
                startup_ms = ((time.perf_counter() if ready else ensured) - t0) * 1000.0
                ctx.measure("startup_ms", startup_ms, "ms", role="forkserver")
                ctx.result("forkserver_startup_ms", startup_ms)
            for i in range(1, children + 1):
                ctx.progress("{}: child {} of {}".format(method, i, children), len(started), total)
                hello_read, hello_write = multiprocessing.Pipe(duplex=False)
                proc = mp.Process(
                    target=child_main,
                    args=(i, me, method, hello_write, release_read,
                          release_write if method == "fork" else None, imports),
                    name="{} child {}".format(method, i),
                )
                t0 = time.perf_counter()
                proc.start()
                if hello_read.poll(HELLO_TIMEOUT):
                    try:
                        index, pid, modules, reran = hello_read.recv()
                    except EOFError:
                        index = None
                else:
                    index = None
                start_ms = (time.perf_counter() - t0) * 1000.0
                hello_write.close()
                hello_read.close()
                ctx.count_started()
                role = "{} child {}".format(method, i)
                ctx.process(proc.pid, me, role)
                started.append(Started(proc, method, i, start_ms, None))
                if index != i:
                    raise RuntimeError("{} said nothing in {:.0f} s".format(role, HELLO_TIMEOUT))
                started[-1].modules = modules
                started[-1].reran = reran
                ctx.measure("start_ms", start_ms, "ms", role=role)
                if method == "spawn" and i == 1:
                    pid = helper_pid(tracker_obj, "_pid")
                    if pid is not None and pid not in helpers:
                        # spawn (and the forkserver) start multiprocessing's resource tracker.
                        ctx.count_started()
                        ctx.process(pid, me, "resource tracker")
                        helpers.append(pid)
                show_table(ctx, started, startup_ms)

        ctx.progress("measuring each child's memory (RSS and PSS)")
        rss, _ = lp.rss_pss(me)
        ctx.result("parent_rss_mb", lp.mib(rss))
        for method in METHODS:
            rss_list, pss_list = [], []
            for child in (c for c in started if c.method == method):
                rss, pss = lp.rss_pss(child.pid)
                if rss is not None:
                    rss_list.append(lp.mib(rss))
                    ctx.measure("rss_mb", lp.mib(rss), "MiB", role=child.role)
                if pss is not None:
                    pss_list.append(lp.mib(pss))
                    ctx.measure("pss_mb", lp.mib(pss), "MiB", role=child.role)
            if rss_list:
                ctx.result("{}_child_rss_mb".format(method), median(rss_list))
            if pss_list:
                ctx.result("{}_child_pss_mb".format(method), median(pss_list))

        times = {}
        for method in METHODS:
            times[method] = [c.start_ms for c in started if c.method == method]
            ctx.result("{}_min_ms".format(method), min(times[method]))
            ctx.result("{}_median_ms".format(method), median(times[method]))
            ctx.result("{}_max_ms".format(method), max(times[method]))
        show_table(ctx, started, startup_ms)
        fork, spawn, server = (median(times[m]) for m in METHODS)

        report_default(ctx, default)
        modules = {m: median([c.modules for c in started if c.method == m]) for m in METHODS}
        ctx.note(
            "info",
            "Modules loaded when each child said hello: fork children {:.0f} (inherited from "
            "this process), spawn children {:.0f} (a fresh interpreter that imported "
            "multiprocessing and this program{}), forkserver children {:.0f} (inherited from "
            "the forkserver).".format(
                modules["fork"],
                modules["spawn"],
                ", then the standard-library set" if imports == "stdlib" else "",
                modules["forkserver"],
            ),
        )
        if any(c.reran for c in started if c.method == "forkserver"):
            ctx.note(
                "info",
                "The forkserver was asked to preload __main__ (this program), but its children "
                "still ran the program's top level themselves: this Python's forkserver never "
                "preloads __main__ (a CPython bug from 3.4 on, fixed in 3.13.8 and 3.14.1: "
                "https://github.com/python/cpython/issues/126631). The standard-library modules the "
                "program and that re-run import are preloaded explicitly, so the re-run costs "
                "only the program's own code.",
            )
        if 0 < spawn < SLIDE_SPAWN_MS:
            ctx.note(
                "differs",
                "The slide's 50\u2013200 ms per spawned process is a Python interpreter starting "
                "and importing a real program's modules; here spawn cost {:.1f} ms, an "
                "interpreter importing only multiprocessing and this small program{}.".format(
                    spawn,
                    " (and the standard-library set)"
                    if imports == "stdlib"
                    else ". imports=stdlib makes each child import ten standard-library "
                    "modules first, part of what a real program pays",
                ),
            )
        ctx.headline(
            "fork {:.2f} ms \u00b7 spawn {:.2f} ms ({:.1f}\u00d7 fork) \u00b7 forkserver {:.2f} ms "
            "per child after a {:.1f} ms start-up.".format(
                fork, spawn, spawn / fork if fork > 0 else 0.0, server, startup_ms or 0.0
            ),
            "accent",
        )
        ctx.result("children", children)
        del parent_memory

        ctx.progress(
            "children stay alive {:g} s so the gauges show them".format(linger_s), total, total
        )
        time.sleep(linger_s)
        ctx.progress("releasing the children", total, total)
        release_write.close()
        released = True
        for child in started:
            child.proc.join(10)
            if child.proc.exitcode is None:
                child.proc.kill()
                child.proc.join()
            ctx.exited(child.pid, child.role, child.proc.exitcode)
        stopped = stop_forkserver()
        if stopped is not None:
            ctx.exited(stopped[0], "forkserver", stopped[1])
        stopped = stop_helper(tracker_obj(), "_fd", "_pid")
        if stopped is not None:
            ctx.exited(stopped[0], "resource tracker", stopped[1])
    finally:
        if not released:
            release_write.close()
            for child in started:
                if child.proc.exitcode is None:
                    child.proc.kill()
                    child.proc.join()
            stop_forkserver()
            stop_helper(tracker_obj(), "_fd", "_pid")
        release_read.close()


if __name__ == "__main__":
    lp.run(NAME, main, detail=lambda: "start method " + default_method())
