"""`paths-vs-payloads` on CPython: `files` files of `file_mb` MiB are written to a private
temporary directory, then each is processed (a CRC-32 over every byte, a MiB at a time) three
ways: sequentially in this process; by a multiprocessing.Pool that gets the PATHS and reads
each file itself; and by the same pool getting the CONTENTS, read here and pickled through the
pool's task pipe. The bytes that cross that pipe are counted as they are written (by wrapping
the pipe connection's _send_bytes), and this process's peak memory is read from the kernel
during each pool run."""

import gc
import multiprocessing
import multiprocessing.pool
import os
import shutil
import tempfile
import time
import zlib

import lectern_protocol as lp
from lectern_protocol import count

NAME = "paths-vs-payloads"

MIB = 1024 * 1024

#: How long the pool's workers may take to be ready.
READY_TIMEOUT = 20.0

#: Bytes checksummed (and read) at a time.
SLICE = MIB


# --- the processing (top level, so a spawn/forkserver worker can import it) -------------------


#: CPU seconds of work per MiB besides the checksum (the work_ms parameter), set in each
#: process before it processes anything.
WORK_PER_MIB = 0.0


def work(nbytes):
    """The rest of the processing: WORK_PER_MIB of CPU time per MiB (decoding a frame, say)."""
    if WORK_PER_MIB > 0:
        lp.busy(WORK_PER_MIB * (nbytes // SLICE))


def crc_of_path(path):
    """Processing a file by its path: read it a MiB at a time, CRC-32 over every byte, then
    the rest of the work."""
    crc = 0
    total = 0
    buf = bytearray(SLICE)
    view = memoryview(buf)
    with open(path, "rb", buffering=0) as f:
        while True:
            n = f.readinto(buf)
            if not n:
                break
            crc = zlib.crc32(view[:n], crc)
            total += n
    view.release()
    work(total)
    return crc


def crc_of_contents(data):
    """Processing a file's contents: the same CRC-32, a MiB at a time."""
    crc = 0
    view = memoryview(data)
    for i in range(0, len(view), SLICE):
        crc = zlib.crc32(view[i:i + SLICE], crc)
    view.release()
    work(len(data))
    return crc


def init_worker(parent, ready, work_ms):
    """Pool initializer: die with the demo first, learn the work per MiB, say it is ready."""
    global WORK_PER_MIB
    lp.die_with_parent(parent)
    WORK_PER_MIB = work_ms / 1000.0
    ready.release()


class CountingPool(multiprocessing.pool.Pool):
    """A Pool that counts the bytes written to its task pipe, as they are written.

    Pool.__init__ calls _setup_queues() before it starts the threads that use the queues;
    the task handler thread sends each task with self._inqueue._writer.send (CPython 3.8 to
    3.13), which pickles it and calls the connection's _send_bytes, looked up on the object at
    each call: an instance attribute wrapping it sees every message, with its length header."""

    def _setup_queues(self):
        super()._setup_queues()
        self.ipc_bytes = 0
        writer = self._inqueue._writer
        send_bytes = writer._send_bytes

        def counted(buf):
            n = memoryview(buf).nbytes
            # The length header: 4 bytes, or 4 + 8 beyond 2 GiB.
            self.ipc_bytes += n + (12 if n > 0x7FFFFFFF else 4)
            return send_bytes(buf)

        writer._send_bytes = counted


# --- helpers -----------------------------------------------------------------------------------


def size_text(n):
    """Bytes for people: 1.2 KiB, 128 MiB."""
    for unit, scale in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= scale:
            value = n / float(scale)
            return "{:.0f} {}".format(value, unit) if value >= 10 else "{:.1f} {}".format(
                value, unit)
    return count(n, "byte", "bytes")


def duration(ms):
    return "{:.2f} s".format(ms / 1000.0) if ms >= 100 else "{:.1f} ms".format(ms)


def reset_peak():
    """Resets this process's peak RSS (VmHWM) to its RSS now; False if the kernel refuses."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def peak_rss():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return 0


def write_files(directory, files, file_mb):
    """Writes the files, each MiB a different rotation of a pattern without zero bytes."""
    pattern = bytes(range(1, 256))
    base = (pattern * (MIB // len(pattern) + 2))
    paths = []
    for i in range(files):
        path = os.path.join(directory, "file-{:03d}.bin".format(i + 1))
        with open(path, "wb") as f:
            for k in range(file_mb):
                shift = (i * 131 + k) % len(pattern)
                f.write(base[shift:shift + MIB])
        paths.append(path)
    return paths


def read_contents(paths):
    """What the parent does when the pool gets contents: reads each file, whole."""
    for path in paths:
        with open(path, "rb") as f:
            yield f.read()


def show(ctx, r, total_bytes):
    bars = []
    if "sequential_ms" in r:
        bars.append({"label": "sequential", "value": r["sequential_ms"],
                     "detail": "this process reads", "tone": "muted"})
    if "paths_ms" in r:
        bars.append({"label": "pool gets paths", "value": r["paths_ms"],
                     "detail": "{} crossed".format(size_text(r["ipc_bytes_paths"])),
                     "tone": "good"})
    if "payloads_ms" in r:
        bars.append({"label": "pool gets contents", "value": r["payloads_ms"],
                     "detail": "{} crossed".format(size_text(r["ipc_bytes_payloads"])),
                     "tone": "warn"})
    ctx.view("times", {
        "kind": "bars",
        "unit": "ms",
        "bars": bars,
        "caption": "wall time to checksum {} of files; bytes counted as they crossed the "
                   "pool's task pipe".format(size_text(total_bytes)),
    })
    memory = []
    if "parent_peak_mb_paths" in r:
        memory.append({"label": "paths", "value": r["parent_peak_mb_paths"],
                       "detail": "parent's peak", "tone": "memory"})
    if "parent_peak_mb_payloads" in r:
        memory.append({"label": "contents", "value": r["parent_peak_mb_payloads"],
                       "detail": "parent's peak", "tone": "memory"})
    if not memory:
        return
    ctx.view("memory", {
        "kind": "bars",
        "unit": "MiB",
        "bars": memory,
        "caption": "this process's peak RSS (VmHWM) during each pool run",
    })


# --- the demo ----------------------------------------------------------------------------------


def main(ctx):
    p = ctx.params
    files = max(1, int(p.get("files", 8)))
    file_mb = max(1, int(p.get("file_mb", 16)))
    workers = max(1, int(p.get("workers", 2)))
    work_ms = max(0, int(p.get("work_ms", 0)))
    global WORK_PER_MIB
    WORK_PER_MIB = work_ms / 1000.0
    total_bytes = files * file_mb * MIB
    me = os.getpid()
    mp = multiprocessing.get_context()
    r = {}
    resets = []

    directory = tempfile.mkdtemp(prefix="lectern-paths-")
    pool = None
    procs = []
    roles = {}
    closed = False
    try:
        ctx.progress("writing {} of {} MiB".format(count(files, "file", "files"), file_mb),
                     0, 4)
        paths = write_files(directory, files, file_mb)

        ctx.progress("sequentially, in this process", 1, 4)
        t0 = time.perf_counter()
        expected = [crc_of_path(path) for path in paths]
        r["sequential_ms"] = (time.perf_counter() - t0) * 1000.0
        show(ctx, r, total_bytes)

        # Under a forkserver the workers' parent is the forkserver (which dies with this
        # process); otherwise this process.
        parent = None if mp.get_start_method() == "forkserver" else me
        ready = mp.Semaphore(0)
        pool = CountingPool(workers, initializer=init_worker, initargs=(parent, ready, work_ms),
                            context=mp)
        procs = list(pool._pool)
        for i, proc in enumerate(procs, 1):
            roles[proc.pid] = "pool worker {}".format(i)
            ctx.count_started()
            ctx.process(proc.pid, me, roles[proc.pid])
        # Both runs start with every worker ready: neither pays for the pool's start.
        for _ in procs:
            if not ready.acquire(timeout=READY_TIMEOUT):
                raise RuntimeError("the pool's workers were not ready in {:.0f} s".format(
                    READY_TIMEOUT))

        ctx.progress("the pool gets the paths", 2, 4)
        gc.collect()
        resets.append(reset_peak())
        pool.ipc_bytes = 0
        t0 = time.perf_counter()
        got = list(pool.imap(crc_of_path, paths, 1))
        r["paths_ms"] = (time.perf_counter() - t0) * 1000.0
        r["ipc_bytes_paths"] = pool.ipc_bytes
        r["parent_peak_mb_paths"] = lp.mib(peak_rss())
        if got != expected:
            raise RuntimeError("the pool's checksums of the files (by path) are wrong")
        show(ctx, r, total_bytes)

        ctx.progress("the pool gets the contents", 3, 4)
        gc.collect()
        resets.append(reset_peak())
        pool.ipc_bytes = 0
        t0 = time.perf_counter()
        got = list(pool.imap(crc_of_contents, read_contents(paths), 1))
        r["payloads_ms"] = (time.perf_counter() - t0) * 1000.0
        r["ipc_bytes_payloads"] = pool.ipc_bytes
        r["parent_peak_mb_payloads"] = lp.mib(peak_rss())
        if got != expected:
            raise RuntimeError("the pool's checksums of the files (by contents) are wrong")
        show(ctx, r, total_bytes)
        ctx.progress("done", 4, 4)

        pool.close()
        pool.join()
        closed = True
    finally:
        if pool is not None and not closed:
            pool.terminate()
        for proc in procs:
            proc.join(5)
            if proc.exitcode is None:
                proc.kill()
                proc.join()
        shutil.rmtree(directory, ignore_errors=True)
    for proc in procs:
        ctx.exited(proc.pid, roles[proc.pid], proc.exitcode)

    for key in ("sequential_ms", "paths_ms", "payloads_ms", "ipc_bytes_paths",
                "ipc_bytes_payloads", "parent_peak_mb_paths", "parent_peak_mb_payloads"):
        ctx.result(key, r[key])
    seq, paths_ms, payloads_ms = r["sequential_ms"], r["paths_ms"], r["payloads_ms"]
    ctx.result("speedup_paths", seq / paths_ms if paths_ms > 0 else 0.0)
    ctx.result("speedup_payloads", seq / payloads_ms if payloads_ms > 0 else 0.0)
    ctx.result("total_mb", files * file_mb)
    ctx.result("files", files)
    ctx.result("workers", workers)

    if payloads_ms > paths_ms:
        ctx.headline(
            "Sending paths moved {} and took {}; sending the contents moved {} through the "
            "pipe and took {} ({:.1f}\u00d7 longer).".format(
                size_text(r["ipc_bytes_paths"]), duration(paths_ms),
                size_text(r["ipc_bytes_payloads"]), duration(payloads_ms),
                payloads_ms / paths_ms if paths_ms > 0 else 0.0), "good")
    else:
        ctx.headline(
            "Sending paths moved {} and took {}; sending the contents moved {} through the "
            "pipe and still took only {}.".format(
                size_text(r["ipc_bytes_paths"]), duration(paths_ms),
                size_text(r["ipc_bytes_payloads"]), duration(payloads_ms)), "warn")
        ctx.note("differs", "Sending the contents was not slower here ({} against {} for "
                 "the paths): with {} of files, the cost of reading them here and pickling "
                 "them through the pipe did not show; try more or larger files.".format(
                     duration(payloads_ms), duration(paths_ms), size_text(total_bytes)))
    if paths_ms > seq:
        ctx.note("info", "Even with paths the pool of {} was slower than this process alone "
                 "({} against {}): a CRC-32 of cached files ran at {:.1f} GiB/s here, so the "
                 "work per file is small next to starting tasks and collecting results.".format(
                     count(workers, "worker", "workers"), duration(paths_ms), duration(seq),
                     total_bytes / (1 << 30) / (seq / 1000.0) if seq > 0 else 0.0))
    gone = not os.path.exists(directory)
    ctx.note("info", "The {} ({} each, {} in all) were written to {}, a private temporary "
             "directory, just before the runs, so every read came from the kernel's page "
             "cache rather than the disk; the directory {}.".format(
                 count(files, "file", "files"), size_text(file_mb * MIB),
                 size_text(total_bytes), directory,
                 "was removed at the end" if gone else "could not be removed"))
    ctx.note("info", "Each way ends with the same checksums as the sequential run. With the "
             "contents, this process read each file whole and the pool's task handler thread "
             "pickled it into the pipe (imap, chunksize 1); with paths, each task message (the "
             "pickled function name and path) was {} bytes on average.".format(
                 int(round(r["ipc_bytes_paths"] / float(files)))))
    if not all(resets):
        ctx.note("warn", "This kernel did not let the demo reset its peak RSS (/proc/self/"
                 "clear_refs): the peaks count from the start of the run.")


if __name__ == "__main__":
    lp.run(NAME, main, detail=lambda: "Pool, start method " + multiprocessing.get_start_method())
