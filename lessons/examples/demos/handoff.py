"""handoff: a buffer handed to a worker process through a pipe, then through shared memory.

The pipe copies every byte twice (into the kernel, out into the worker); shared memory hands
over the pages themselves, so the worker reads the parent's buffer and its writes are seen.
Each worker reads one byte of every page, so both ways end with the worker having touched the
whole buffer. Workers are started before the clock starts: only the handing over is timed.
"""

import multiprocessing as mp
import os
import time
from multiprocessing import shared_memory

import lectern_protocol as lp

NAME = "handoff"
PAGE = 4096


def touch(buf):
    """One byte of every page: the worker has seen the whole buffer."""
    return sum(buf[i] for i in range(0, len(buf), PAGE))


def by_pipe(conn, parent):
    lp.die_with_parent(parent)
    data = bytearray(conn.recv_bytes())
    total = touch(data)
    data[0] = 255  # a write to the worker's own copy
    conn.send(total)
    conn.close()


def by_shared_memory(conn, parent, name):
    lp.die_with_parent(parent)
    shm = shared_memory.SharedMemory(name=name)
    # The worker shares its parent's resource tracker, which the parent's unlink() tells:
    # attaching needs no clean-up of its own beyond close().
    conn.recv()  # go
    total = touch(shm.buf)
    shm.buf[0] = 255  # a write to the parent's own pages
    conn.send(total)
    conn.close()
    shm.close()


def hand_over(ctx, role, target, args, send):
    """Starts a worker, then times `send` until the worker answers."""
    parent = os.getpid()
    ours, theirs = mp.Pipe()
    worker = mp.Process(target=target, args=(theirs, parent) + args)
    worker.start()
    ctx.count_started()
    ctx.process(worker.pid, parent, role)
    start = time.perf_counter()
    send(ours)
    ours.recv()
    took = (time.perf_counter() - start) * 1000.0
    worker.join()
    ctx.exited(worker.pid, role, worker.exitcode)
    return took


def main(ctx):
    size = int(ctx.params["size_mib"]) << 20
    ctx.progress("filling {} MiB".format(size >> 20))
    data = bytearray(size)
    data[::PAGE] = b"\x01" * len(range(0, size, PAGE))

    ctx.progress("through a pipe", 0, 2)
    pipe_ms = hand_over(ctx, "pipe worker", by_pipe, (), lambda c: c.send_bytes(data))

    ctx.progress("through shared memory", 1, 2)
    # Named after the run, so lectern removes it even if the demo is killed.
    shm = shared_memory.SharedMemory(name=lp.run_name("handoff"), create=True, size=size)
    try:
        # Written straight into the shared pages: nothing is copied to hand them over.
        shm.buf[:size] = data
        shm_ms = hand_over(ctx, "shm worker", by_shared_memory, (shm.name,), lambda c: c.send("go"))
        shm_shares = shm.buf[0] == 255
    finally:
        shm.close()
        shm.unlink()

    ctx.result("pipe_ms", pipe_ms)
    ctx.result("shm_ms", shm_ms)
    ctx.result("pipe_shares_writes", data[0] == 255)
    ctx.result("shm_shares_writes", shm_shares)
    ctx.view("times", {
        "kind": "bars",
        "unit": "ms",
        "bars": [
            {"label": "pipe", "value": pipe_ms, "detail": "every byte copied twice",
             "tone": "warn"},
            {"label": "shared memory", "value": shm_ms, "detail": "the same pages, no copy",
             "tone": "good"},
        ],
        "caption": "Time to hand {} MiB to a worker that reads every page.".format(size >> 20),
    })
    faster = pipe_ms / shm_ms if shm_ms > 0 else 0.0
    ctx.headline(
        "{} MiB: shared memory {:.1f}× faster than a pipe; the worker's write is {}".format(
            size >> 20, faster, "seen by the parent" if shm_shares else "not seen"
        ),
        "good" if faster > 1 else "warn",
    )


if __name__ == "__main__":
    lp.run(NAME, main)
