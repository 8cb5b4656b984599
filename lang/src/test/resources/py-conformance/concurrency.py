# asyncio (one event loop), contextvars, queue, sched, concurrent.futures (importable)
import asyncio
import concurrent.futures
import contextvars
import queue
import sched

request = contextvars.ContextVar("request", default="none")


async def worker(name, after, done, out):
    # each worker waits for the one after it (no timers: the order must not depend on the clock)
    request.set(name)
    await asyncio.sleep(0)
    if after is not None:
        await after.wait()
    out.append((name, request.get()))
    done.set()
    return name.upper()


async def main():
    out = []
    a, b, c = asyncio.Event(), asyncio.Event(), asyncio.Event()
    results = await asyncio.gather(worker("a", b, a, out), worker("b", c, b, out), worker("c", None, c, out))
    print(results, out)
    q = asyncio.Queue()
    for i in range(3):
        q.put_nowait(i)
    print([await q.get() for _ in range(3)])
    try:
        await asyncio.wait_for(asyncio.sleep(10), timeout=0.01)
    except asyncio.TimeoutError:
        print("timed out")
    ev = asyncio.Event()
    asyncio.get_running_loop().call_soon(ev.set)
    await ev.wait()
    print("event set", request.get())
    task = asyncio.create_task(asyncio.sleep(1))
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        print("cancelled")


asyncio.run(main())
ctx = contextvars.copy_context()
print(ctx.run(lambda: request.get()))
q = queue.PriorityQueue()
for item in [(3, "c"), (1, "a"), (2, "b")]:
    q.put(item)
print([q.get()[1] for _ in range(3)], queue.LifoQueue().empty())
order = []
s = sched.scheduler()
s.enter(2, 1, order.append, ("second",))
s.enter(1, 1, order.append, ("first",))
s.run()
print(order)
print(concurrent.futures.Future().done(), hasattr(concurrent.futures, "ThreadPoolExecutor"))
