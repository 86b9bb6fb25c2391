"""`pickling` on CPython: a payload of `size_mb` MiB (bytes, a list of ints or an array of
floats) crosses to a worker process two ways. Through a pipe: pickle.dumps in this process,
send_bytes through a multiprocessing Pipe (what a multiprocessing.Queue's feeder thread does
with every object put on it), pickle.loads in the worker. Through shared memory: a
multiprocessing.shared_memory block both processes map. Each phase is timed, and the copies
are counted from each process's memory as the kernel reports it: the peak RSS (VmHWM, reset
through /proc/self/clear_refs) for the pipe, private memory for shared memory."""

import array
import gc
import multiprocessing
import os
import pickle
import sys
import time
import zlib
from multiprocessing import resource_tracker, shared_memory

import lectern_protocol as lp

NAME = "pickling"

KINDS = ("bytes", "ints", "floats")

MIB = 1024 * 1024

#: Items of 8 bytes in a MiB: ints and floats have size_mb × this many.
ITEMS_PER_MB = MIB // 8

#: Items per slice when ints are turned into 8-byte array items (checksum, shared memory).
SLICE = 65536

#: How long the worker may take to answer anything.
TIMEOUT = 120.0

#: The slide's count of copies for a payload crossing a process boundary.
SLIDE_COPIES = 3


# --- memory, from /proc ----------------------------------------------------------------------


def status(pid="self"):
    """VmRSS and VmHWM (the peak RSS) of a process, in bytes."""
    out = {}
    with open("/proc/{}/status".format(pid)) as f:
        for line in f:
            if line.startswith(("VmRSS:", "VmHWM:")):
                out[line.split(":")[0]] = int(line.split()[1]) * 1024
    return out


def reset_peak():
    """Resets this process's peak RSS to its RSS now (Linux 4.0+); False if it cannot."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def private_bytes(pid="self"):
    """Pages only this process maps (Private_Clean + Private_Dirty of smaps_rollup), bytes.
    A shared-memory page mapped by two processes is in neither's private memory."""
    total = 0
    with open("/proc/{}/smaps_rollup".format(pid)) as f:
        for line in f:
            if line.startswith(("Private_Clean:", "Private_Dirty:")):
                total += int(line.split()[1]) * 1024
    return total


# --- the payload -------------------------------------------------------------------------------


def make_payload(kind, size_mb):
    """bytes: size_mb MiB, every page written; ints: a list of size_mb × 131,072 distinct ints
    (8 bytes each as array items); floats: an array.array("d") of as many doubles."""
    n = size_mb * ITEMS_PER_MB
    if kind == "bytes":
        return (bytes(range(256)) * (MIB // 256)) * size_mb
    if kind == "ints":
        return list(range(n))
    block = array.array("d", [i + 0.5 for i in range(SLICE)])
    return block * (n // SLICE)


def int_slices(values):
    """The list of ints as 8-byte array items, a slice at a time (never a whole copy)."""
    for i in range(0, len(values), SLICE):
        yield array.array("q", values[i:i + SLICE])


def checksum(obj, kind):
    """CRC-32 of the payload's bytes (for ints: as 8-byte array items)."""
    if kind == "ints":
        crc = 0
        for piece in int_slices(obj):
            crc = zlib.crc32(piece, crc)
        return crc
    return zlib.crc32(obj)


def write_into(buf, obj, kind):
    """Writes the payload's bytes into a shared memory buffer."""
    if kind == "bytes":
        buf[:len(obj)] = obj
    elif kind == "floats":
        view = memoryview(obj).cast("B")
        buf[:len(view)] = view
        view.release()
    else:
        offset = 0
        for piece in int_slices(obj):
            view = memoryview(piece).cast("B")
            buf[offset:offset + len(view)] = view
            offset += len(view)
            view.release()


def attach(name):
    """Attaches to a block by name without registering it with a resource tracker: the demo
    unlinks it once, and a second tracker (3.8 to 3.12 always register) would unlink it
    again and warn of a leak when the worker exits."""
    if sys.version_info >= (3, 13):
        return shared_memory.SharedMemory(name=name, track=False)
    register = resource_tracker.register
    resource_tracker.register = lambda *args, **kwargs: None
    try:
        return shared_memory.SharedMemory(name=name)
    finally:
        resource_tracker.register = register


# --- the worker (top level, so a spawn/forkserver child can import it) -------------------------


def worker_main(parent, control, data):
    """Answers the demo's requests on `control`; the pickled payload comes on `data`."""
    lp.die_with_parent(parent)
    control.send(("ready", os.getpid()))
    shm = None
    private_before = 0
    try:
        while True:
            try:
                request = control.recv()
            except EOFError:
                return
            if request is None:
                return
            what = request[0]
            if what == "pipe":
                kind = request[1]
                gc.collect()
                reset = reset_peak()
                before = status()["VmRSS"]
                control.send(("armed",))
                received = data.recv_bytes()
                arrived = time.monotonic()
                t0 = time.perf_counter()
                obj = pickle.loads(received)
                deserialize_ms = (time.perf_counter() - t0) * 1000.0
                peak = status()["VmHWM"]
                del received
                crc = checksum(obj, kind)
                del obj
                gc.collect()
                control.send(("pipe", arrived, deserialize_ms, before, peak, reset, crc))
            elif what == "attach":
                gc.collect()
                private_before = private_bytes()
                shm = attach(request[1])
                control.send(("attached",))
            elif what == "check":
                control.send(("checked", zlib.crc32(shm.buf)))
            elif what == "byte":
                value = shm.buf[request[1]]
                control.send(("byte", value, private_bytes() - private_before))
            elif what == "detach":
                shm.close()
                shm = None
                control.send(("detached",))
    finally:
        if shm is not None:
            shm.close()


# --- helpers -----------------------------------------------------------------------------------


def create_block(name, size):
    """A new shared memory block of this name. The name holds this process's pid, so a block
    already there was left by a dead process that had the same pid: it is removed first."""
    try:
        return shared_memory.SharedMemory(name=name, create=True, size=size)
    except FileExistsError:
        stale = shared_memory.SharedMemory(name=name)
        stale.close()
        stale.unlink()
        return shared_memory.SharedMemory(name=name, create=True, size=size)


def expect(conn, what):
    if not conn.poll(TIMEOUT):
        raise RuntimeError("the worker did not answer {!r} in {:.0f} s".format(what, TIMEOUT))
    reply = conn.recv()
    if reply[0] != what:
        raise RuntimeError("the worker answered {!r} instead of {!r}".format(reply[0], what))
    return reply


def size_text(n):
    mb = n / MIB
    return "{:.0f} MiB".format(mb) if mb >= 10 else "{:.1f} MiB".format(mb)


def copies_text(n):
    return "1 copy" if abs(n - 1.0) < 0.05 else "{:.1f} copies".format(n)


def exitcode_of(status_):
    if os.WIFSIGNALED(status_):
        return -os.WTERMSIG(status_)
    if os.WIFEXITED(status_):
        return os.WEXITSTATUS(status_)
    return None


def tracker_pid():
    try:
        return resource_tracker._resource_tracker._pid
    except AttributeError:
        return None


def stop_tracker():
    """Stops multiprocessing's resource tracker the way its own _stop() does (closing the
    descriptor that keeps it alive) but keeps the exit status: (pid, exitcode) or None."""
    obj = getattr(resource_tracker, "_resource_tracker", None)
    try:
        with obj._lock:
            pid, fd = obj._pid, obj._fd
            if pid is None or fd is None:
                return None
            os.close(fd)
            obj._fd = None
            _, st = os.waitpid(pid, 0)
            obj._pid = None
            return pid, exitcode_of(st)
    except Exception:  # noqa: BLE001 - internals differ: multiprocessing stops it at exit
        return None


def show(ctx, r, payload_bytes):
    bars = []
    if "copies_queue" in r:
        bars.append({"label": "through a pipe", "value": r["copies_queue"],
                     "detail": "pickle, pipe, unpickle: {:.1f} in this process, {:.1f} in the "
                               "worker".format(r["copies_sender"], r["copies_receiver"]),
                     "tone": "warn"})
    if "copies_shm" in r:
        bars.append({"label": "shared memory", "value": r["copies_shm"],
                     "detail": "one buffer, both processes", "tone": "good"})
    ctx.view("copies", {
        "kind": "bars",
        "unit": "copies",
        "bars": bars,
        "caption": "memory each way used beyond the original payload, in payloads of {} "
                   "(the pickled size), as the kernel counted it".format(
                       size_text(payload_bytes)),
    })
    phases = []
    for key, label, detail, tone in (
            ("serialize_ms", "serialize", "pickle.dumps in the parent", "warn"),
            ("transfer_ms", "transfer", "send_bytes through the pipe", "warn"),
            ("deserialize_ms", "deserialize", "pickle.loads in the worker", "warn"),
            ("shm_ms", "shared memory", "worker reads it in place", "good")):
        if key in r:
            phases.append({"label": label, "value": r[key], "detail": detail, "tone": tone})
    ctx.view("phases", {
        "kind": "bars",
        "unit": "ms",
        "bars": phases,
        "caption": "pickle.dumps here, send_bytes to the worker having the bytes, pickle.loads "
                   "in the worker; shared memory: from this process's write to the worker's "
                   "checksum of the whole block",
    })


# --- the demo ----------------------------------------------------------------------------------


def main(ctx):
    p = ctx.params
    size_mb = max(1, int(p.get("size_mb", 32)))
    kind = str(p.get("kind", "bytes"))
    if kind not in KINDS:
        raise ValueError("kind must be one of {}, not {!r}".format(", ".join(KINDS), kind))
    me = os.getpid()
    mp = multiprocessing.get_context()
    r = {}

    # The worker first, so it does not inherit the payload.
    control, worker_control = mp.Pipe()
    data_read, data_write = mp.Pipe(duplex=False)
    # Under a forkserver the worker's parent is the forkserver (which dies with this process).
    parent = None if mp.get_start_method() == "forkserver" else me
    proc = mp.Process(target=worker_main, args=(parent, worker_control, data_read),
                      name="worker")
    proc.start()
    worker_control.close()
    data_read.close()
    ctx.count_started()
    ctx.process(proc.pid, me, "worker")
    # multiprocessing's resource tracker, which unlinks a block its creator leaves behind:
    # spawn and forkserver start it with the worker; with fork the first block would start
    # it, and it takes an interpreter's start-up, so it is started now, before any block.
    resource_tracker.ensure_running()
    tracker = tracker_pid()
    if tracker is not None:
        ctx.count_started()
        ctx.process(tracker, me, "resource tracker")
    shm = None
    unlinked = False
    try:
        expect(control, "ready")

        ctx.progress("making the payload: {} {} MiB".format(kind, size_mb), 0, 3)
        gc.collect()
        rss0 = status()["VmRSS"]
        payload = make_payload(kind, size_mb)
        in_memory = status()["VmRSS"] - rss0
        crc = checksum(payload, kind)

        # 1. Through a pipe: pickle, send_bytes, unpickle.
        ctx.progress("pickle.dumps, send_bytes, pickle.loads", 1, 3)
        gc.collect()
        reset_here = reset_peak()
        before = status()["VmRSS"]
        t0 = time.perf_counter()
        pickled = pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
        r["serialize_ms"] = (time.perf_counter() - t0) * 1000.0
        payload_bytes = len(pickled)
        control.send(("pipe", kind))
        expect(control, "armed")
        t0 = time.monotonic()
        data_write.send_bytes(pickled)
        _, arrived, r["deserialize_ms"], w_before, w_peak, reset_there, w_crc = expect(
            control, "pipe")
        peak = status()["VmHWM"]
        r["transfer_ms"] = (arrived - t0) * 1000.0
        del pickled
        gc.collect()
        r["copies_sender"] = max(peak - before, 0) / payload_bytes
        r["copies_receiver"] = max(w_peak - w_before, 0) / payload_bytes
        r["copies_queue"] = r["copies_sender"] + r["copies_receiver"]
        intact = w_crc == crc
        show(ctx, r, payload_bytes)

        # 2. Shared memory: one block, both processes map it.
        ctx.progress("shared memory: one block, both processes", 2, 3)
        shm_bytes = size_mb * MIB
        gc.collect()
        private_before = private_bytes()
        # Named after the run, so lectern removes it even if the run is killed mid-way.
        run_id = os.environ.get("LECTERN_RUN_ID") or "lectern-{}".format(me)
        shm = create_block("{}-pickling".format(run_id), shm_bytes)
        control.send(("attach", shm.name.lstrip("/")))
        expect(control, "attached")
        # Both processes map it now: the name is no longer needed, and a block without a
        # name cannot be left behind whatever happens to this process.
        shm.unlink()
        unlinked = True
        t0 = time.perf_counter()
        write_into(shm.buf, payload, kind)
        control.send(("check",))
        _, shm_crc = expect(control, "checked")
        r["shm_ms"] = (time.perf_counter() - t0) * 1000.0
        sees = shm_crc == crc
        offset = shm_bytes // 2
        changed = (shm.buf[offset] + 1) % 256
        shm.buf[offset] = changed
        control.send(("byte", offset))
        _, seen, w_private = expect(control, "byte")
        sees = sees and seen == changed
        private_grew = private_bytes() - private_before
        r["copies_shm"] = (max(private_grew, 0) + max(w_private, 0)) / payload_bytes
        control.send(("detach",))
        expect(control, "detached")
        shm.close()
        shm = None
        del payload
        gc.collect()
        show(ctx, r, payload_bytes)
        ctx.progress("done", 3, 3)

        control.send(None)
        proc.join(TIMEOUT)
    finally:
        if shm is not None:
            if not unlinked:
                try:
                    shm.unlink()
                except OSError:
                    pass
            shm.close()
        if proc.exitcode is None:
            proc.kill()
        proc.join()
        control.close()
        data_write.close()
        ctx.exited(proc.pid, "worker", proc.exitcode)
        stopped = stop_tracker()
        if stopped is not None:
            ctx.exited(stopped[0], "resource tracker", stopped[1])

    payload_mb = payload_bytes / MIB
    ctx.result("payload_mb", payload_mb)
    for key in ("serialize_ms", "transfer_ms", "deserialize_ms", "copies_queue",
                "copies_sender", "copies_receiver", "copies_shm", "shm_ms"):
        ctx.result(key, r[key])
    ctx.result("shm_sees_writes", bool(sees))
    ctx.result("intact", bool(intact))
    ctx.headline(
        "Through a pipe the {} payload ({}) was copied {:.1f} times ({:.1f} in the sender, "
        "{:.1f} in the worker); through shared memory {:.1f} times.".format(
            size_text(payload_bytes), kind, r["copies_queue"], r["copies_sender"],
            r["copies_receiver"], r["copies_shm"]),
        "accent" if intact and sees else "bad")

    ctx.note("info", "The pickled payload crossed a multiprocessing Pipe (an os.pipe) with "
             "send_bytes, as a multiprocessing.Queue does with every object put on it (its "
             "feeder thread pickles the object and calls send_bytes; get() receives the bytes "
             "and unpickles them), here without the thread, so each phase is timed on its "
             "own.")
    if not (reset_here and reset_there):
        ctx.note("warn", "This kernel did not let {} reset its peak RSS (/proc/self/"
                 "clear_refs): its copies count from its peak since it started.".format(
                     "either process" if not (reset_here or reset_there)
                     else "this process" if not reset_here else "the worker"))
    if not intact:
        ctx.note("warn", "The worker's checksum of what it unpickled differs from this "
                 "process's: the payload did not arrive intact.")
    if not sees:
        ctx.note("warn", "The worker did not see this process's writes to the shared block.")
    if kind == "ints":
        ctx.note("info", "A list of {:,} ints pickles to {} (about {:.1f} bytes an int) but "
                 "took {} of this process's memory: 8-byte pointers to int objects of 28 to "
                 "32 bytes each. As an array of 8-byte ints it is {}. Copies are counted in "
                 "pickled payloads, so the list the worker rebuilt counts as about {:.1f} "
                 "copies.".format(
                     size_mb * ITEMS_PER_MB, size_text(payload_bytes),
                     payload_bytes / float(size_mb * ITEMS_PER_MB), size_text(in_memory),
                     size_text(size_mb * MIB), in_memory / float(payload_bytes)))
    whole = int(round(r["copies_queue"]))
    if whole != SLIDE_COPIES:
        if kind == "ints":
            why = ("a list of Python ints is rebuilt object by object in the worker, {:.1f}"
                   "\u00d7 the size of its pickle".format(in_memory / float(payload_bytes)))
        elif kind == "floats" and r["copies_sender"] > 1.5:
            why = ("an array.array pickles through a bytes copy of itself (its __reduce_ex__ "
                   "calls tobytes()) and unpickles from one, so each side holds one more copy "
                   "for a moment")
        elif whole > SLIDE_COPIES:
            why = ("the receiving buffer and the allocator kept more than one payload's worth "
                   "of memory at the peak")
        else:
            why = "some buffer was handed on without being copied"
        ctx.note("differs", "The slide counts {} copies for a payload crossing a process "
                 "boundary; the kernel counted {:.1f} here ({:.1f} in this process, {:.1f} in "
                 "the worker): {}.".format(SLIDE_COPIES, r["copies_queue"],
                                          r["copies_sender"], r["copies_receiver"], why))
    ctx.note("info", "Shared memory counts private memory only (pages just one process maps): "
             "both processes map the block's {}, so it is in both RSS figures and in neither's "
             "private memory. The block was unlinked as soon as the worker had attached: from "
             "then on it goes away with the two processes, however the run ends.".format(
                 size_text(shm_bytes)))


if __name__ == "__main__":
    lp.run(NAME, main, detail=lambda: "start method " + multiprocessing.get_start_method())
